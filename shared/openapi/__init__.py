"""The API's contract: an OpenAPI 3.1 document per service, built from the schemas its views validate with.

Each view declares its contract next to itself, with the marshmallow schemas it
already loads and dumps::

    @api.post("/cases/<case_id>/decision")
    @members("chair", "admin")
    @documented(
        summary="Record the decision on a case",
        body=DecisionSchema,
        responses={201: CaseSchema, 404: None, 409: None},
    )
    def record_decision(case_id: str): ...

A ``None`` response is the product's one error contract (:class:`ErrorSchema`)
for a 4xx status, and no body for a 2xx one; :class:`Raw` declares a body that
is not JSON. What the decorator does not need to be told, it works out: path
parameters from the rule's converters, the Bearer security requirement and the
401 and 403 answers from the route's access rule (:mod:`shared.auth.access`),
and the 422 answer wherever a body or a query is validated.

:func:`init_app` serves the document at ``/api/v1/openapi.json`` and a page
for people at ``/api/v1/docs``, both to any member of the board, signed in
(the page) or holding an API token (the document, for tools): ``members()``,
because a caller needs the contract before using the routes their roles allow,
it holds shapes and no records, and yet the product answers nobody who has not
signed in but health, readiness and metrics.

A route under ``/api/v1`` without a contract is left out of the document
rather than given an invented one; it is named under ``x-undocumented`` and on
the page, and :func:`undocumented_routes` lists them for a test to refuse.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template

from shared.auth.access import members
from shared.openapi.contract import (
    BLUEPRINT,
    ErrorSchema,
    FieldErrorSchema,
    Operation,
    Raw,
    build_document,
    document_for,
    documented,
    undocumented_routes,
)
from shared.openapi.page import page

__all__ = [
    "ErrorSchema",
    "FieldErrorSchema",
    "Operation",
    "Raw",
    "build_document",
    "document_for",
    "documented",
    "init_app",
    "undocumented_routes",
]

blueprint = Blueprint(BLUEPRINT, __name__, url_prefix="/api/v1")


@blueprint.get("/openapi.json")
@members()
def document() -> Response:
    return jsonify(document_for(current_app))


@blueprint.get("/docs")
@members()
def docs() -> str:
    doc = document_for(current_app)
    return render_template("openapi/docs.html", title=doc["info"]["title"], page=page(doc))


def init_app(app: Flask) -> None:
    if blueprint.name not in app.blueprints:
        app.register_blueprint(blueprint)
