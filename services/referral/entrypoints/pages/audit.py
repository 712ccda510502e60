"""The audit log page (admins): the board's log newest first, a page at a time, filtered by the
user who acted (chosen by name), the action, the record, the outcome and a range of days.

The filters travel in the address (GET) as the audit API's: ``actor`` is a user id, ``action``,
``resource`` and ``outcome`` as stored; the days are GOV.UK date inputs (``from-day``, ...) read
as days in England. Every wrong filter is named at once in the error summary, and the list shows
what the other filters find. The CSV export (``/admin/audit.csv``) gets the same filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import g, render_template, request
from flask.typing import ResponseReturnValue

from services.referral.entrypoints.admin import OUTCOMES, _query
from services.referral.entrypoints.pages.blueprint import blueprint
from shared import audit
from shared.audit import AuditEntry
from shared.auth.access import members
from shared.auth.models import User
from shared.pager import page_asked, pager
from shared.pagination import paginate
from shared.words import LONDON, long_date, plain

DAYS = {"from": "From", "to": "To"}
PARTS = ("day", "month", "year")


def action_words(action: str | None) -> str:
    """An audited action in words: ``case.read`` is "Case read"."""
    return plain((action or "").replace(".", "_"), "Unknown action")


def when(at: datetime) -> str:
    """An entry's instant in words, in England's time (the log keeps UTC without saying so)."""
    return long_date(at if at.tzinfo else at.replace(tzinfo=UTC))


def board_users(board_id: str) -> dict[str, str]:
    """Everyone who is or was a member of the board: user id -> name (and email, to tell apart
    two people of one name), by name."""
    members_ = User.objects(memberships__match={"board_id": board_id}).only(
        "user_id", "name", "email", "active"
    )
    people = sorted(members_, key=lambda u: (u.name.lower(), u.email))
    return {u.user_id: f"{u.name} ({u.email}){'' if u.active else ', no longer active'}" for u in people}


def _day(
    args: Mapping[str, str], name: str, values: dict[str, str], errors: list[dict[str, str]]
) -> date | None:
    parts = {p: (args.get(f"{name}-{p}") or "").strip() for p in PARTS}
    values.update({f"{name}-{p}": v for p, v in parts.items()})
    if not any(parts.values()):
        return None
    missing = [p for p in PARTS if not parts[p]]
    if missing:
        errors.append({"text": f"{DAYS[name]} must include a {missing[0]}", "href": f"#{name}-{missing[0]}"})
        return None
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        errors.append({"text": f"{DAYS[name]} must be a real date, like 8 12 2026", "href": f"#{name}-day"})
        return None


def _start_of(day: date) -> datetime:
    """Midnight in England at the start of ``day``, in UTC (as the log keeps its instants)."""
    return datetime.combine(day, time(), tzinfo=LONDON).astimezone(UTC)


def read_filters(
    args: Mapping[str, str], users: Mapping[str, str], actions: list[str]
) -> tuple[dict[str, Any], dict[str, str], list[dict[str, str]]]:
    """The filters for the log's query, the values to put back in the form, and every problem."""
    values = {k: (args.get(k) or "").strip() for k in ("actor", "action", "resource", "outcome")}
    errors: list[dict[str, str]] = []
    filters: dict[str, Any] = {}
    if values["actor"] and values["actor"] not in users:
        errors.append({"text": "Select a user from the list", "href": "#actor"})
    elif values["actor"]:
        filters["actor"] = values["actor"]
    if values["action"] and values["action"] not in actions:
        errors.append({"text": "Select an action from the list", "href": "#action"})
    elif values["action"]:
        filters["action"] = values["action"]
    if values["resource"]:
        filters["resource"] = values["resource"][:200]
    if values["outcome"] and values["outcome"] not in OUTCOMES:
        errors.append({"text": "Select an outcome from the list", "href": "#outcome"})
    elif values["outcome"]:
        filters["outcome"] = values["outcome"]
    start, end = _day(args, "from", values, errors), _day(args, "to", values, errors)
    if start and end and start > end:
        errors.append({"text": "To must be the same as or after from", "href": "#to-day"})
        end = None
    if start:
        filters["since"] = _start_of(start)
    if end:
        filters["until"] = _start_of(end + timedelta(days=1))
    return filters, values, errors


def _items(choices: Mapping[str, str], chosen: str, everything: str) -> list[dict[str, Any]]:
    return [{"value": "", "text": everything, "selected": not chosen}] + [
        {"value": k, "text": v, "selected": k == chosen} for k, v in choices.items()
    ]


def _csv_query(filters: Mapping[str, Any]) -> str:
    """The CSV export's address arguments for the same filters (its days as instants)."""
    out = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in filters.items()}
    return urlencode(out)


@blueprint.get("/admin/audit")
@members("admin")
def audit_page() -> ResponseReturnValue:
    board_id = g.principal.board_id
    users = board_users(board_id)
    actions = sorted(AuditEntry.objects(board_id=board_id).distinct("action"))
    filters, values, errors = read_filters(request.args, users, actions)
    entries = paginate(_query(filters), **page_asked())
    audit.record("audit.read", resource=("audit_log", board_id))
    return render_template(
        "audit.html",
        title="Audit log",
        entries=entries.items,
        pager=pager(entries, "entries"),
        values=values,
        errors=errors,
        user_items=_items(users, values["actor"], "Anyone"),
        action_items=_items({a: action_words(a) for a in actions}, values["action"], "Any action"),
        outcome_items=_items({o: plain(o) for o in OUTCOMES}, values["outcome"], "Any outcome"),
        action_words=action_words,
        when=when,
        csv_query=_csv_query(filters),
    ), 422 if errors else 200
