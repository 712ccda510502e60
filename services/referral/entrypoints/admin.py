"""Admin tools of the referral service (the only service that offers them): the audit log
(API and CSV export; its page is :mod:`.pages.audit`) and API tokens."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, pre_load, validate
from mongoengine import QuerySet

from services.referral.service_layer import api_tokens
from shared import audit
from shared.audit import AuditEntry, audited
from shared.auth import tokens
from shared.auth.access import members
from shared.auth.models import ApiToken
from shared.errors import InvalidInput, NotFound
from shared.openapi import documented
from shared.pagination import MAX_PER_PAGE, PageQuery, page_schema, paginate

blueprint = Blueprint("admin", __name__)

MAX_ROWS = 5000
OUTCOMES = ("success", "denied", "failed", "not_found")


def _utc(value: datetime) -> datetime:
    """The store compares instants in UTC; an instant at the edge of the calendar has none."""
    try:
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range") from None


class AuditQuery(PageQuery):
    """Filters of the audit log API; each one left out matches every entry."""

    class Meta:
        unknown = RAISE

    action = fields.String(metadata={"description": "An action, like case.read"})
    actor = fields.String(metadata={"description": "The id of the user who acted"})
    resource = fields.String(metadata={"description": "The id of the record acted on"})
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    since = fields.DateTime(metadata={"description": "Entries at or after this instant (UTC if no offset)"})
    until = fields.DateTime(metadata={"description": "Entries before this instant (UTC if no offset)"})
    limit = fields.Integer(
        validate=validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": "Deprecated: the old name of per_page, kept for the scripts that send it"},
    )

    @post_load
    def _in_utc(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for key in ("since", "until"):
            if key in data:
                try:
                    data[key] = _utc(data[key])
                except ValueError:
                    raise ValidationError("Enter a date like 2026-11-22", key) from None
        return data

    @pre_load
    def _one_page_size(self, data: Mapping[str, Any], **_: Any) -> Mapping[str, Any]:
        if "limit" in data and "per_page" in data:
            raise ValidationError("Give per_page or limit, not both", "limit")
        return data

    @post_load
    def _limit_is_per_page(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "limit" in data:
            data["per_page"] = data.pop("limit")
        return data


def _filters() -> dict[str, str]:
    return {
        k: (request.args.get(k) or "").strip()
        for k in ("action", "actor", "resource", "outcome", "since", "until")
    }


def _parsed(filters: Mapping[str, str]) -> dict[str, Any]:
    """The page's filters, as the API's: blank ones dropped, dates read."""
    out: dict[str, Any] = {k: v for k, v in filters.items() if v}
    for key in ("since", "until"):
        if key in out:
            try:
                out[key] = _utc(datetime.fromisoformat(out[key]))
            except ValueError:
                raise InvalidInput([{"field": key, "message": "Enter a date like 2026-11-22"}]) from None
    return out


def _query(filters: Mapping[str, Any]) -> QuerySet:
    qs = AuditEntry.objects(board_id=g.principal.board_id)
    for key, name in (("action", "action"), ("actor", "actor_id"), ("resource", "resource_id")):
        if filters.get(key):
            qs = qs.filter(**{name: filters[key]})
    if filters.get("outcome"):
        qs = qs.filter(outcome=filters["outcome"])
    if filters.get("since"):
        qs = qs.filter(at__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(at__lt=filters["until"])
    # Newest first, as the index on the instant reads them (entries of the same millisecond
    # in the index's own, steady order): a second sort key would make the store sort the
    # whole log in memory.
    return qs.order_by("-at")


class AuditEntrySchema(Schema):
    id = fields.String(required=True)
    at = fields.DateTime(required=True)
    board_id = fields.String(required=True, allow_none=True)
    actor_id = fields.String(required=True, allow_none=True)
    actor_name = fields.String(required=True, allow_none=True)
    actor_roles = fields.List(fields.String(), required=True)
    via = fields.String(required=True, allow_none=True, metadata={"description": "session, token or service"})
    action = fields.String(required=True)
    resource_type = fields.String(required=True, allow_none=True)
    resource_id = fields.String(required=True, allow_none=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    ip = fields.String(required=True, allow_none=True)
    user_agent = fields.String(required=True, allow_none=True)
    service = fields.String(required=True, allow_none=True)
    correlation_id = fields.String(required=True, allow_none=True)
    detail = fields.String(required=True, allow_none=True)


AuditEntryList = page_schema(AuditEntrySchema, "AuditEntryList")


def _entry_json(entry: AuditEntry) -> dict[str, Any]:
    # The store hands back naive UTC datetimes; an instant in the API always carries its offset.
    return {**entry.as_dict(), "at": _utc(entry.at).isoformat()}


@blueprint.get("/api/v1/audit")
@members("admin")
@documented(
    summary="Read the board's audit log, newest first, a page at a time",
    description="limit is the old name of per_page; for more than a page's entries at once, use"
    " the CSV export (/admin/audit.csv).",
    query=AuditQuery,
    responses={200: AuditEntryList},
)
def audit_api() -> Response:
    filters = AuditQuery().load(request.args)
    entries = paginate(_query(filters), filters["page"], filters["per_page"])
    audit.record("audit.read", resource=("audit_log", g.principal.board_id))
    return jsonify(entries.as_dict(_entry_json))


@blueprint.get("/admin/audit.csv")
@members("admin")
def audit_csv() -> Response:
    filters = _filters()
    rows = _query(_parsed(filters)).limit(MAX_ROWS)
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


def _cell(value: object) -> str:
    text = str(value)
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# -- API tokens ---------------------------------------------------------------------


class TokenRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    days = fields.Integer(load_default=None, validate=validate.Range(min=1, max=365))


class TokenSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    user_id = fields.String(required=True)
    board_id = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(required=True, allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(
        required=True, metadata={"description": "The secret to send as a Bearer token: shown this once only"}
    )


TokenList = page_schema(TokenSchema, "TokenList")


class TokenQuery(PageQuery):
    class Meta:
        unknown = RAISE


@blueprint.get("/api/v1/tokens")
@members()
@documented(
    summary="List API tokens, newest first: your own, or the whole board's for an admin",
    query=TokenQuery,
    responses={200: TokenList},
)
def list_tokens() -> Response:
    q = TokenQuery().load(request.args)
    qs = ApiToken.objects(board_id=g.principal.board_id)
    if not g.principal.has_any({"admin"}):
        qs = qs.filter(user_id=g.principal.user_id)
    found = paginate(qs.order_by("-created_at", "-token_id"), q["page"], q["per_page"])
    return jsonify(found.as_dict(ApiToken.as_dict))


@blueprint.post("/api/v1/tokens")
@members()
@documented(
    summary="Make an API token for yourself",
    description="Only the roles that run scripts or connect another system may: the business unit,"
    " admins and agency managers. Everyone else signs in to the pages, and is refused with 403.",
    body=TokenRequest,
    responses={201: NewTokenSchema, 403: None},
)
@audited("token.created", "api_token")
def create_token() -> tuple[Response, int]:
    body = TokenRequest().load(request.get_json(silent=True) or {})
    days = body["days"] or current_app.config["SETTINGS"].API_TOKEN_DAYS
    secret, token = api_tokens.make_token(g.principal, body["name"], days)
    g.audit_resource_id = token.token_id
    return jsonify({**token.as_dict(), "token": secret}), 201


@blueprint.delete("/api/v1/tokens/<token_id>")
@members()
@documented(
    summary="Revoke an API token: your own, or any of the board's for an admin",
    responses={200: TokenSchema, 404: None},
)
def revoke_token(token_id: str) -> Response:
    token = ApiToken.objects(token_id=token_id, board_id=g.principal.board_id).first()
    if token is None or (token.user_id != g.principal.user_id and not g.principal.has_any({"admin"})):
        raise NotFound("There is no such token", field="token_id")
    tokens.revoke(token)
    audit.record("token.revoked", resource=("api_token", token.token_id))
    return jsonify(ApiToken.objects(token_id=token_id).first().as_dict())
