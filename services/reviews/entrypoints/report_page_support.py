"""What the final report's pages share: rendering a page with the case's reference, the report as
the service layer answers it (or none saved yet), the board's family members by name, and the
version a family member was shown.

Family members are listed from the identity store every service shares, as the report's family
viewers are found (:class:`~services.reviews.adapters.report_store.IdentityFamilyViewers`)."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from services.reviews.adapters.report_store import FAMILY_VIEWER
from services.reviews.domain.report import Version
from services.reviews.entrypoints.api import _viewer
from services.reviews.entrypoints.meeting_views import reference
from services.reviews.entrypoints.report_api import uow
from services.reviews.entrypoints.report_forms import TITLES
from services.reviews.service_layer import report
from shared.auth.models import User
from shared.errors import NotFound

DONE = "report"  # the flash category of the report's success banners
DRAFT = "report_draft"  # what a share or sign-off page keeps until its check page sends it
READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")  # as the API
WRITERS = ("business_unit", "admin", "lead_reviewer")
COMMENTERS = ("business_unit", "admin", "panel_member", "lead_reviewer")
MANAGERS = ("business_unit", "admin")
CHAIR = ("chair",)
FAMILY = ("family_viewer",)


def render(template: str, case_id: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return (
        render_template(template, case_id=case_id, reference=reference(case_id), titles=TITLES, **context),
        status,
    )


def report_or_none(case_id: str) -> dict[str, Any] | None:
    """The report as the API answers it; None when no version has been saved yet (another
    board's case is still not found, and a review the viewer may not see still forbidden)."""
    try:
        return report.get_report(uow(), _viewer(), case_id)
    except NotFound as exc:
        if exc.field == "version":
            return None
        raise


def numbers(found: dict[str, Any] | None) -> list[int]:
    return [v["version"] for v in (found or {}).get("versions", [])]


def family_members(board_id: str) -> dict[str, str]:
    """The board's active family members a version can be shown to: user id -> name, by name."""
    found = {
        str(u.user_id): str(u.name)
        for u in User.objects(memberships__board_id=board_id, active=True)
        if (m := u.membership(board_id)) is not None and m.active and FAMILY_VIEWER in m.roles
    }
    return dict(sorted(found.items(), key=lambda item: item[1].lower()))


def names_of(board_id: str, shares: list[dict[str, Any]]) -> dict[str, str]:
    """The names of the family members versions were shown to (one who has left: by email)."""
    names = family_members(board_id)
    missing = [s["user_id"] for s in shares if s["user_id"] not in names]
    if missing:
        names.update(
            {str(u.user_id): str(u.name) for u in User.objects(user_id__in=missing).only("user_id", "name")}
        )
    return {s["user_id"]: names.get(s["user_id"], s["email"]) for s in shares}


def shown_version(case_id: str, number: int) -> Version:
    """The version shown to the signed-in family member; 404 for any other (as
    :func:`~services.reviews.service_layer.report.family_comment` answers)."""
    viewer = _viewer()
    with uow() as work:
        found = work.reports.lookup(case_id, viewer.board_id)
        if found is None or not found.shown_to(number, viewer.user_id):
            abort(404)
        return found.get_version(number)


def problems_on_sections(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The service's problems with a version's sections, on the section boxes they name (a
    version with nothing written: on the first box)."""
    out = []
    for p in problems:
        where = p.get("field") or ""
        if where.startswith("sections."):
            where = where.split(".", 1)[1]
        elif where == "sections":
            where = next(iter(TITLES))
        out.append({**p, "field": where})
    return out
