"""The home page ("Needs your action") and the counts the navigation shows beside its links.

``/home`` lists, for the signed-in user's roles, each section of work (:mod:`..domain.work`)
with its count, its first items (each linking to the page where the work is done) and, when
there is nothing to do, a sentence saying so. ``/api/v1/work/summary`` gives the same counts
as JSON, for the navigation's script (``shared/static/js/work-counts.js``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, g, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields

from services.scheduler.domain import work
from services.scheduler.domain.work import WorkItem, WorkList
from services.scheduler.entrypoints import web
from services.scheduler.service_layer.work import GetWork
from shared.audit import audited
from shared.auth.access import members
from shared.auth.models import Agency, User
from shared.auth.principal import Principal
from shared.openapi import documented
from shared.words import long_date, plain

blueprint = Blueprint("home", __name__, template_folder="../templates")

# Where each section's items are worked on: the page of the case in the service that owns it.
CASE_PAGE = "/cases/{}"
ITEM_PAGES = {
    "deadlines_overdue": "/schedule/cases/{}",
    "deadlines_due": "/schedule/cases/{}",
    "notifications": "/notifications/cases/{}",
    "shared_reports": "/reports/{}",
    "drafts": "/referrals/{}",
    "contributions_awaited": "/reviews/{}",
    "contributions_requested": "/reviews/{}",
    "comment_drafts": "/reviews/{}",  # the terms of reference, or a version of the final report
}
NOTIFICATION_STATES = {work.FAILED: "failed", work.UNCERTAIN: "may not have arrived"}


def _work() -> list[WorkList]:
    principal: Principal = g.principal
    email = None
    if principal.roles & work.REVIEWERS:  # reviews they lead, meetings they are invited to
        user = User.objects(user_id=principal.user_id).only("email").first()
        email = user.email if user else None
    return list(
        web.handle(
            GetWork(
                principal.board_id,
                frozenset(principal.roles),
                agency=principal.agency,
                email=email,
                user_id=principal.user_id,
            )
        )
    )


def board_agencies(board_id: str) -> dict[str, str]:
    """The board's agencies as the identity store names them: code -> name."""
    return {a.code: a.name for a in Agency.objects(board_id=board_id).only("code", "name")}


def title(key: str, item: WorkItem) -> str:
    """An item's link text: the case's reference, or the report's name."""
    if key == "shared_reports":
        return plain(item.label, "Report")
    if key == "drafts":
        return item.label or "Draft referral"
    return item.reference or "Case without a reference"


def describe(key: str, item: WorkItem, agencies: Mapping[str, str]) -> str:
    """What an item is, in words, after its reference; ``agencies`` names the board's agencies."""
    if key in ("deadlines_overdue", "deadlines_due"):
        return f"{plain(item.label)}, due {long_date(item.on)}"
    if key == "notifications":
        state = NOTIFICATION_STATES.get(item.detail or "", plain(item.detail))
        return f"{plain(item.label)}: {state} ({long_date(item.on)})"
    if key in ("contributions_awaited", "contributions_requested"):
        named = agencies.get(item.detail or "") or plain(item.detail, "an agency")
        agency = f" from {named}" if key == "contributions_awaited" else ""
        return f"{plain(item.label, 'Contribution')}{agency}, due {long_date(item.on, 'on a date not set')}"
    if key == "shared_reports":
        return f"Shared with you on {long_date(item.on, 'a date not recorded')}"
    if key == "drafts":
        return f"Last saved on {long_date(item.on, 'a date not recorded')}"
    if key == "meetings":
        return f"{item.detail or plain(item.label, 'Meeting')}, {long_date(item.on, 'on a date not set')}"
    if key == "comment_drafts":
        if item.label == work.FINAL_REPORT:
            return (
                f"Final report, version {item.detail}, saved on {long_date(item.on, 'a date not recorded')}"
            )
        return f"Terms of reference, drafted on {long_date(item.on, 'a date not recorded')}"
    if key == "involved":
        return f"{plain(item.label, 'Review')}, decided {long_date(item.on, 'on a date not given')}"
    return f"Referred {long_date(item.on, 'on a date not given')}"


def shaped(lists: list[WorkList], agencies: Mapping[str, str]) -> list[dict[str, Any]]:
    """The sections as the page shows them: words and links, no codes."""
    return [
        {
            "key": w.section.key,
            "title": w.section.title,
            "count": w.count,
            "empty": w.section.empty,
            "href": w.section.href,
            "more": w.count > len(w.items),
            "items": [
                {
                    "text": title(w.section.key, item),
                    "href": ITEM_PAGES.get(w.section.key, CASE_PAGE).format(item.target or item.case_id),
                    "hint": describe(w.section.key, item, agencies),
                }
                for item in w.items
            ],
        }
        for w in lists
    ]


@blueprint.get("/")
@members()
def index() -> ResponseReturnValue:
    """The scheduler on its own (or behind a proxy routing ``/`` to it): the home page."""
    return redirect(url_for(".home"))


@blueprint.get("/home")
@members()
@audited("case.list", "work")
def home() -> ResponseReturnValue:
    lists = _work()
    return render_template(
        "home.html",
        title="Needs your action",
        sections=shaped(lists, board_agencies(g.principal.board_id)),
        total=work.total(lists),
    )


class SectionCountSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    count = fields.Integer(required=True)
    href = fields.String(required=True, metadata={"description": "The page listing all of it"})


class WorkSummarySchema(Schema):
    total = fields.Integer(required=True, metadata={"description": "Things needing the user's action"})
    sections = fields.List(fields.Nested(SectionCountSchema), required=True)
    links = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Navigation link (its path) -> the count to show beside it"},
    )


@blueprint.get("/api/v1/work/summary")
@members()
@documented(
    summary="How many things need the signed-in user's action, by section of their home page",
    description="The counts the navigation shows: total beside Home, and some beside other links.",
    responses={200: WorkSummarySchema},
)
def summary() -> Response:
    lists = _work()
    links = {"/home": work.total(lists), **work.nav_counts(lists)}
    body = {
        "total": work.total(lists),
        "sections": [
            {"key": w.section.key, "title": w.section.title, "count": w.count, "href": w.section.href}
            for w in lists
        ],
        "links": links,
    }
    return jsonify(body)
