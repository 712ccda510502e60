"""Admin tools: the audit log (view, filter, export) and API tokens."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request
from marshmallow import RAISE, Schema, fields, validate

from shared import audit
from shared.audit import AuditEntry
from shared.auth import tokens
from shared.auth.access import members
from shared.auth.models import ApiToken, User
from shared.errors import NotFound

blueprint = Blueprint("admin", __name__)

MAX_ROWS = 5000


def _filters() -> dict:
    return {
        k: (request.args.get(k) or "").strip()
        for k in ("action", "actor", "resource", "outcome", "since", "until")
    }


def _query(filters: dict):
    qs = AuditEntry.objects(board_id=g.principal.board_id)
    if filters["action"]:
        qs = qs.filter(action=filters["action"])
    if filters["actor"]:
        qs = qs.filter(actor_id=filters["actor"])
    if filters["resource"]:
        qs = qs.filter(resource_id=filters["resource"])
    if filters["outcome"]:
        qs = qs.filter(outcome=filters["outcome"])
    for key, op in (("since", "at__gte"), ("until", "at__lt")):
        if filters[key]:
            try:
                qs = qs.filter(**{op: datetime.fromisoformat(filters[key])})
            except ValueError:
                from shared.errors import InvalidInput

                raise InvalidInput([{"field": key, "message": "Enter a date like 2026-11-22"}]) from None
    return qs.order_by("-at")


@blueprint.get("/admin/audit")
@members("admin")
def audit_page():
    filters = _filters()
    entries = list(_query(filters).limit(500))
    audit.record("audit.read", resource=("audit_log", g.principal.board_id))
    outcome_items = [{"value": "", "text": "Any"}] + [
        {"value": o, "text": o.replace("_", " "), "selected": filters["outcome"] == o}
        for o in ("success", "denied", "failed", "not_found")
    ]
    return render_template(
        "audit.html",
        title="Audit log",
        entries=entries,
        filters=filters,
        outcome_items=outcome_items,
        query=request.query_string.decode(),
    )


@blueprint.get("/api/v1/audit")
@members("admin")
def audit_api():
    entries = [e.as_dict() for e in _query(_filters()).limit(int(request.args.get("limit", 500)))]
    audit.record("audit.read", resource=("audit_log", g.principal.board_id))
    return jsonify({"items": entries})


@blueprint.get("/admin/audit.csv")
@members("admin")
def audit_csv():
    filters = _filters()
    rows = _query(filters).limit(MAX_ROWS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *AuditEntry.FIELDS])
    for e in rows:
        d = e.as_dict()
        writer.writerow(
            [
                d["id"],
                *[
                    ";".join(d[f]) if isinstance(d[f], list) else ("" if d[f] is None else _cell(d[f]))
                    for f in AuditEntry.FIELDS
                ],
            ]
        )
    audit.record(
        "audit.export",
        resource=("audit_log", g.principal.board_id),
        detail=f"csv {request.query_string.decode()}"[:200],
    )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


def _cell(value) -> str:
    text = str(value)
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# -- API tokens ---------------------------------------------------------------------


class TokenRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    days = fields.Integer(load_default=None, validate=validate.Range(min=1, max=365))


@blueprint.get("/api/v1/tokens")
@members()
def list_tokens():
    qs = ApiToken.objects(board_id=g.principal.board_id)
    if not g.principal.has_any({"admin"}):
        qs = qs.filter(user_id=g.principal.user_id)
    return jsonify({"items": [t.as_dict() for t in qs.order_by("-created_at")]})


@blueprint.post("/api/v1/tokens")
@members()
def create_token():
    body = TokenRequest().load(request.get_json(silent=True) or {})
    user = User.objects(user_id=g.principal.user_id).first()
    days = body["days"] or current_app.config["SETTINGS"].API_TOKEN_DAYS
    secret, token = tokens.issue(user, g.principal.board_id, body["name"], days)
    audit.record("token.created", resource=("api_token", token.token_id))
    return jsonify({**token.as_dict(), "token": secret}), 201


@blueprint.delete("/api/v1/tokens/<token_id>")
@members()
def revoke_token(token_id: str):
    token = ApiToken.objects(token_id=token_id, board_id=g.principal.board_id).first()
    if token is None or (token.user_id != g.principal.user_id and not g.principal.has_any({"admin"})):
        raise NotFound("There is no such token", field="token_id")
    tokens.revoke(token)
    audit.record("token.revoked", resource=("api_token", token.token_id))
    return jsonify(ApiToken.objects(token_id=token_id).first().as_dict())
