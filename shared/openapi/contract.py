"""Declaring a view's contract, and building the OpenAPI 3.1 document from every declaration.

See :mod:`shared.openapi` for how a view uses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar, cast

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields
from werkzeug.routing import FloatConverter, IntegerConverter, Rule, UUIDConverter

from shared.auth.access import access_for

PREFIX = "/api/v1/"
BEARER = "bearer"
ERROR = "Error"
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
EXTENSION_KEY = "lscb_openapi"
BLUEPRINT = "openapi"  # the routes serving the contract

SchemaLike = type[Schema] | Schema
View = TypeVar("View", bound=Callable[..., Any])


# -- the one error contract, declared once ---------------------------------------------


class FieldErrorSchema(Schema):
    field = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The field at fault, dotted for nested ones; null for the request as a whole"
        },
    )
    message = fields.String(required=True, metadata={"description": "What is wrong, in plain English"})


class ErrorSchema(Schema):
    """``{"status": 4xx, "errors": [{"field": ..., "message": ...}]}``: see shared/web.py error_response."""

    status = fields.Integer(required=True, metadata={"description": "The HTTP status, repeated"})
    errors = fields.List(fields.Nested(FieldErrorSchema), required=True)


# -- the decorator ------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A response body that is not JSON: ``Raw("text/calendar")``, or several media types for one status."""

    media_types: tuple[str, ...]
    description: str | None = None

    def __init__(self, *media_types: str, description: str | None = None) -> None:
        if not media_types:
            raise ValueError("name at least one media type")
        object.__setattr__(self, "media_types", media_types)
        object.__setattr__(self, "description", description)


ResponseBody = SchemaLike | Raw | None


@dataclass(frozen=True)
class Operation:
    summary: str
    responses: Mapping[int, ResponseBody]
    description: str | None = None
    body: SchemaLike | None = None
    query: SchemaLike | None = None
    method: str | None = None  # None: every method of the route
    tags: tuple[str, ...] = field(default=())


def documented(
    *,
    summary: str,
    responses: Mapping[int, ResponseBody],
    description: str | None = None,
    body: SchemaLike | None = None,
    query: SchemaLike | None = None,
    method: str | None = None,
    tags: tuple[str, ...] = (),
) -> Callable[[View], View]:
    """Declare a view's contract. Stack one per method (``method="POST"``) when a view answers several."""
    if not responses or not any(200 <= status < 300 for status in responses):
        raise ValueError(f"{summary!r}: declare at least one 2xx response")
    operation = Operation(
        summary=summary,
        responses=dict(responses),
        description=description,
        body=body,
        query=query,
        method=method.upper() if method else None,
        tags=tuple(tags),
    )

    def decorate(view: View) -> View:
        target = cast(Any, view)
        target._openapi = (*getattr(view, "_openapi", ()), operation)
        return view

    return decorate


def operation_for(view: Callable[..., Any] | None, method: str) -> Operation | None:
    declared: tuple[Operation, ...] = getattr(view, "_openapi", ())
    for wanted in (method, None):
        for op in declared:
            if op.method == wanted:
                return op
    return None


# -- walking the URL map --------------------------------------------------------------------

_VARIABLE = re.compile(r"<(?:[a-zA-Z_][a-zA-Z0-9_]*(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def _is_contract_endpoint(endpoint: str) -> bool:
    """The document and its page are the contract; they do not describe themselves."""
    return endpoint.startswith(f"{BLUEPRINT}.")


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - IGNORED_METHODS)


def api_routes(app: Flask) -> Iterator[tuple[Rule, str]]:
    """Every (rule, method) under /api/v1, in path order, the contract's own routes aside."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.rule.startswith(PREFIX) and not _is_contract_endpoint(rule.endpoint):
            for method in _methods(rule):
                yield rule, method


def undocumented_routes(app: Flask) -> list[str]:
    """``"METHOD /api/v1/..."`` for every API route whose view declares no :func:`documented` contract."""
    return [
        f"{method} {rule.rule}"
        for rule, method in api_routes(app)
        if operation_for(app.view_functions.get(rule.endpoint), method) is None
    ]


def openapi_path(rule: Rule) -> str:
    return _VARIABLE.sub(r"{\1}", rule.rule)


def path_parameters(rule: Rule) -> list[dict[str, Any]]:
    out = []
    for name in _VARIABLE.findall(rule.rule):
        converter = rule._converters.get(name)
        schema: dict[str, Any]
        if isinstance(converter, IntegerConverter):
            schema = {"type": "integer", "minimum": converter.min if converter.min is not None else 0}
            if converter.max is not None:
                schema["maximum"] = converter.max
        elif isinstance(converter, FloatConverter):
            schema = {"type": "number", "minimum": 0}
        elif isinstance(converter, UUIDConverter):
            schema = {"type": "string", "format": "uuid"}
        else:
            schema = {"type": "string", "pattern": f"^{converter.regex}$" if converter else "^[^/]+$"}
        out.append({"name": name, "in": "path", "required": True, "schema": schema})
    return out


# -- building the document ------------------------------------------------------------------


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(status).phrase,
        "content": {"application/json": {"schema": ErrorSchema}},
    }


def _response(status: int, body: ResponseBody) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase
    if body is None:
        return _error_response(status) if status >= 400 else {"description": phrase}
    if isinstance(body, Raw):
        return {"description": body.description or phrase, "content": {m: {} for m in body.media_types}}
    return {"description": phrase, "content": {"application/json": {"schema": body}}}


def _access_text(kind: str, roles: frozenset[str]) -> str:
    if kind == "members":
        if roles:
            return "members of the board with one of these roles: " + ", ".join(sorted(roles)) + "."
        return "any member of the board, signed in or with an API token."
    if kind == "capability":
        return "anyone holding the secret this route checks itself."
    if kind in ("open", "sign_in"):
        return "anyone, without signing in."
    return "nobody: the route declares no access rule, so it answers 403."


# Every POST takes one (shared/idempotency.py): a retry with the same key gets the first answer.
IDEMPOTENCY_KEY: dict[str, Any] = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": (
        "A value unique to this request (a UUID, say). Sent again within 24 hours by the same caller, "
        "the first answer comes back, marked Idempotent-Replayed, and nothing is done twice. While the "
        "first is still being handled, a repeat is answered 409; if the service stopped while handling "
        "it, the repeat runs it again (a referral or decision the first had saved is answered, not "
        "saved again)."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}


def _operation(app: Flask, rule: Rule, method: str, op: Operation) -> dict[str, Any]:
    access = access_for(app, rule.endpoint)
    kind, roles = (access.kind, access.roles) if access else ("undeclared", frozenset[str]())
    responses = {status: _response(status, body) for status, body in sorted(op.responses.items())}
    if kind == "members":
        for status in (401, 403):
            responses.setdefault(status, _error_response(status))
    if op.body is not None or op.query is not None:
        responses.setdefault(422, _error_response(422))
    parameters = path_parameters(rule)
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    if method == "POST":
        parameters.append(IDEMPOTENCY_KEY)
        responses.setdefault(409, _error_response(409))  # the same key while the first still runs
        responses.setdefault(422, _error_response(422))  # the same key for a different request
    out: dict[str, Any] = {
        "operationId": rule.endpoint if len(_methods(rule)) == 1 else f"{rule.endpoint}.{method.lower()}",
        "summary": op.summary,
        "description": "\n\n".join(
            filter(None, [op.description, "Who may use it: " + _access_text(kind, roles)])
        ),
        "tags": list(op.tags or [rule.endpoint.split(".")[0]]),
        "parameters": parameters,
        "responses": {str(status): answer for status, answer in sorted(responses.items())},
        "security": [{BEARER: []}] if kind == "members" else [],
        "x-access": access.describe() if access else "undeclared",
    }
    if op.body is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    return out


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every documented route of ``app`` under /api/v1."""
    name = app.config.get("SERVICE_NAME", app.name)
    spec = APISpec(
        title=f"Case reviews: {name} API",
        version="v1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={
            "description": (
                "Errors always take one shape: "
                '`{"status": 4xx, "errors": [{"field": "...", "message": "..."}]}`.'
            )
        },
    )
    spec.components.security_scheme(
        BEARER,
        {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token made at POST /api/v1/tokens (`lscb_...`), bound to one user and one board;"
                " or a service token another service minted for the user it acts for."
            ),
        },
    )
    spec.components.schema(ERROR, schema=ErrorSchema)
    for rule, method in api_routes(app):
        op = operation_for(app.view_functions.get(rule.endpoint), method)
        if op is not None:
            spec.path(path=openapi_path(rule), operations={method.lower(): _operation(app, rule, method, op)})
    document = spec.to_dict()
    undocumented = undocumented_routes(app)
    if undocumented:
        document["x-undocumented"] = undocumented  # named, not given an invented contract
    return document


def document_for(app: Flask) -> dict[str, Any]:
    """Built once per app, on first use: every blueprint is registered by then."""
    cached: dict[str, Any] | None = app.extensions.get(EXTENSION_KEY)
    if cached is None:
        cached = app.extensions[EXTENSION_KEY] = build_document(app)
    return cached
