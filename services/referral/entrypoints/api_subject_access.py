"""The admin-only subject access API: what the stores this service reaches hold about a person.

The export itself is :mod:`services.subject_access`. The referral service reaches its own
store and the identity store (accounts, sessions, the audit log); under ``make run`` every
service keeps its records in that one store, so the answer covers the whole product. In a
deployment of separate services, the operator command covers the rest. An admin sees only
what belongs to their own board, and every export is in the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields, validate

from services.subject_access import export_for
from shared import store
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.openapi import documented

blueprint = Blueprint("subject_access", __name__)


class PersonQuery(Schema):
    person = fields.String(
        required=True,
        validate=validate.Length(min=3, max=254),
        metadata={"description": "The person's email address, or their name as written"},
    )


class ExportSchema(Schema):
    subject = fields.Dict(required=True, metadata={"description": "Who was asked about, and their ids"})
    generated_at = fields.String(required=True)
    databases = fields.List(fields.String(), required=True)
    found = fields.Dict(required=True, metadata={"description": "Store -> collection -> records"})


def _of_board(collection: str, hit: dict[str, Any], board_id: str) -> bool:
    record = hit["record"]
    if record.get("board_id") == board_id:
        return True
    memberships = record.get("memberships") if collection == "users" else None
    return any(m.get("board_id") == board_id for m in memberships or ())


def board_only(export: dict[str, Any], board_id: str) -> dict[str, Any]:
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for label, collections in export["found"].items():
        for collection, hits in collections.items():
            kept = [hit for hit in hits if _of_board(collection, hit, board_id)]
            if kept:
                found.setdefault(label, {})[collection] = kept
    return {**export, "found": found}


@blueprint.get("/api/v1/subject-access")
@members("admin")
@documented(
    summary="Export what the product holds about a person (admins): a subject access request",
    description="Every record of your board naming the person (email or name), as JSON. The Word "
    "copy and the other services' stores: python -m services.subject_access. Recorded in the audit log.",
    query=PersonQuery,
    responses={200: ExportSchema},
)
@audited("subject_access.export", "person")
def export_person() -> ResponseReturnValue:
    errors = PersonQuery().validate(request.args)
    if errors:
        raise InvalidInput([{"field": k, "message": " ".join(v)} for k, v in errors.items()])
    person = request.args["person"]
    databases = {db.name: db for db in store.databases().values()}
    return jsonify(board_only(export_for(person, databases), g.principal.board_id))
