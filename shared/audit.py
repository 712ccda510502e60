"""The audit trail: who did what to which record, when, from where, with what outcome.

Entries are only ever inserted. The document and its query set refuse
updates and deletes, so nothing in the product can edit or remove one. Every
read and write of case data, every sign-in and failed sign-in, every access
denial and every export is recorded. Entries hold identifiers, never the
details of a child or family member.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, Self

from flask import Response, g, has_request_context, request
from mongoengine import DateTimeField, Document, ListField, QuerySet, StringField

from shared.auth.models import aware, now
from shared.logging import current, get_logger
from shared.store import IDENTITY

if TYPE_CHECKING:
    from flask.typing import ResponseReturnValue

    from shared.auth.principal import Principal

log = get_logger(__name__)

P = ParamSpec("P")


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AppendOnlyQuerySet(QuerySet):  # type: ignore[misc]  # mongoengine is untyped
    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries cannot be changed")

    def update_one(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries cannot be changed")

    def modify(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries cannot be changed")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries cannot be removed")


class AuditEntry(Document):  # type: ignore[misc]
    meta = {
        "collection": "audit_log",
        "db_alias": IDENTITY,
        "queryset_class": AppendOnlyQuerySet,
        # The admins' list: a board's entries, newest first (and filtered by actor or action).
        "indexes": [
            "-at",
            ("board_id", "-at"),
            ("board_id", "actor_id", "-at"),
            ("board_id", "action", "-at"),
            ("resource_type", "resource_id"),
        ],
        "ordering": ["-at"],
    }

    entry_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    at = DateTimeField(required=True)
    board_id = StringField()
    actor_id = StringField()
    actor_name = StringField()
    actor_roles = ListField(StringField())
    via = StringField()
    action = StringField(required=True)
    resource_type = StringField()
    resource_id = StringField()
    outcome = StringField(required=True, choices=("success", "denied", "failed", "not_found"))
    ip = StringField()
    user_agent = StringField()
    service = StringField()
    correlation_id = StringField()
    detail = StringField(max_length=500)

    def save(self, *args: Any, **kwargs: Any) -> Self:
        if not self._created:
            raise AppendOnly("audit entries cannot be changed")
        kwargs["force_insert"] = True
        saved: Self = super().save(*args, **kwargs)
        return saved

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries cannot be removed")

    def modify(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries cannot be changed")

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries cannot be changed")

    FIELDS = (
        "at",
        "board_id",
        "actor_id",
        "actor_name",
        "actor_roles",
        "via",
        "action",
        "resource_type",
        "resource_id",
        "outcome",
        "ip",
        "user_agent",
        "service",
        "correlation_id",
        "detail",
    )

    def as_dict(self) -> dict[str, Any]:
        out = {"id": self.entry_id}
        for name in self.FIELDS:
            value = getattr(self, name)
            out[name] = aware(value).isoformat() if name == "at" else value
        return out


def record(
    action: str,
    *,
    outcome: str = "success",
    resource: tuple[str, object] | None = None,
    principal: Principal | None = None,
    board_id: str | None = None,
    actor_id: str | None = None,
    actor_name: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Append one entry. The request, if any, supplies where it came from."""
    if principal is None and has_request_context():
        principal = g.get("principal")
    entry = AuditEntry(
        at=now(),
        action=action,
        outcome=outcome,
        detail=(detail or "")[:500] or None,
        correlation_id=current("correlation_id"),
        service=current("service"),
    )
    if principal is not None:
        entry.board_id = principal.board_id
        entry.actor_id = principal.user_id
        entry.actor_name = principal.name
        entry.actor_roles = sorted(principal.roles)
        entry.via = principal.via
    if board_id:
        entry.board_id = board_id
    if actor_id:
        entry.actor_id = actor_id
    if actor_name:
        entry.actor_name = actor_name
    if resource is not None:
        entry.resource_type, entry.resource_id = resource[0], str(resource[1])
    if has_request_context():
        entry.ip = request.remote_addr
        entry.user_agent = (request.user_agent.string or "")[:300]
    entry.save()
    return entry


def _outcome(status: int) -> str:
    if status < 400:
        return "success"
    if status == 404:
        return "not_found"
    if status in (401, 403):
        return "denied"
    return "failed"


def audited(
    action: str, resource_type: str, id_arg: str | None = None
) -> Callable[[Callable[P, ResponseReturnValue]], Callable[P, Response]]:
    """Record an entry for every call of a view, with the outcome its status shows.

    ``id_arg`` names the URL argument holding the record's id; views that
    create a record may set ``g.audit_resource_id`` instead.
    """

    def decorate(view: Callable[P, ResponseReturnValue]) -> Callable[P, Response]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            from flask import make_response
            from marshmallow import ValidationError
            from werkzeug.exceptions import HTTPException

            from shared.errors import DomainError

            resource_id = kwargs.get(id_arg) if id_arg else None
            try:
                response = make_response(view(*args, **kwargs))
            except (DomainError, HTTPException, ValidationError) as exc:
                # Refused input is a 422, as the error contract answers it; an HTTPException
                # made from a response (``abort(response)``) has no code.
                status: int = (
                    422
                    if isinstance(exc, ValidationError)
                    else getattr(exc, "status", None) or getattr(exc, "code", None) or 500
                )
                record(
                    action,
                    outcome=_outcome(status),
                    resource=(resource_type, resource_id or g.get("audit_resource_id") or "-"),
                    detail=str(exc)[:200],
                )
                raise
            except Exception:
                record(
                    action,
                    outcome="failed",
                    resource=(resource_type, resource_id or g.get("audit_resource_id") or "-"),
                )
                raise
            record(
                action,
                outcome=_outcome(response.status_code),
                resource=(resource_type, resource_id or g.get("audit_resource_id") or "-"),
            )
            return response

        return wrapper

    return decorate
