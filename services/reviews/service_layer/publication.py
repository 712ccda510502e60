"""Publication commands (003 "Publication of reports"; 002 §2.9), each one unit of work.

The business unit and admins plan, send the copies and record publication; they or the Chair
record the board's decision not to publish, the Panel's advice and the final decision.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.reviews.domain import publication as rules
from services.reviews.service_layer import access
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.report import _report, _review
from services.reviews.service_layer.report_uow import ReportUnitOfWork


def _change(uow: ReportUnitOfWork, viewer: Viewer, case_id: str, change: Any) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        report = _report(uow, review, write=True)
        change(report, uow.directory.working_days(viewer.board_id))
        uow.commit()
        out: dict[str, Any] = report.publication.as_dict()
        out["case_id"] = case_id
        return out


def plan(
    uow: ReportUnitOfWork, viewer: Viewer, case_id: str, planned_on: date, today: date
) -> dict[str, Any]:
    access.require_manager(viewer)
    out = _change(uow, viewer, case_id, lambda r, wd: rules.plan(r, planned_on, today, wd))
    with uow:
        wd = uow.directory.working_days(viewer.board_id)
    out["copies_due_on"] = rules.copies_due(wd, planned_on).isoformat()
    return out


def send_copies(
    uow: ReportUnitOfWork, viewer: Viewer, case_id: str, sent_on: date | None, today: date
) -> dict[str, Any]:
    access.require_manager(viewer)
    return _change(uow, viewer, case_id, lambda r, wd: rules.send_copies(r, today, sent_on))


def decide(
    uow: ReportUnitOfWork, viewer: Viewer, case_id: str, publish: bool, reason: str, today: date
) -> dict[str, Any]:
    access.require_deciders(viewer)
    return _change(uow, viewer, case_id, lambda r, wd: rules.decide(r, publish, reason, today))


def panel_advice(
    uow: ReportUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: dict[str, Any],
    today: date,
) -> dict[str, Any]:
    access.require_deciders(viewer)
    return _change(
        uow,
        viewer,
        case_id,
        lambda r, wd: rules.panel_advice(
            r,
            given["advice"],
            given["received_on"],
            given.get("final_publish"),
            given.get("final_reason") or "",
            today,
        ),
    )


def published(
    uow: ReportUnitOfWork, viewer: Viewer, case_id: str, published_on: date, url: str, today: date
) -> dict[str, Any]:
    access.require_manager(viewer)
    return _change(uow, viewer, case_id, lambda r, wd: rules.publish(r, published_on, url, today, wd))
