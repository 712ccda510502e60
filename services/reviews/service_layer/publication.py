"""Publication commands (003 "Publication of reports"; 002 §2.9), each one unit of work.

The business unit and admins plan, send the copies, record publication and, after the 12 months on
the website, whether the report stays there; they or the Chair record the board's decision not to
publish, the Panel's advice and the final decision, and see where publication stands.
"""

from __future__ import annotations

from dataclasses import asdict
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


def retention(
    uow: ReportUnitOfWork,
    viewer: Viewer,
    case_id: str,
    decision: str,
    decided_on: date,
    reason: str,
    today: date,
) -> dict[str, Any]:
    """After the 12 months on the website: keep the report there or withdraw it."""
    access.require_manager(viewer)
    return _change(
        uow, viewer, case_id, lambda r, wd: rules.decide_retention(r, decision, decided_on, reason, today)
    )


def status(uow: ReportUnitOfWork, viewer: Viewer, case_id: str, today: date) -> dict[str, Any]:
    """Where publication stands, for the business unit, admins and the Chair: the signed-off
    version, what was done and when, and the dates that follow from it."""
    access.require_deciders(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        report = uow.reports.lookup(review.case_id, review.board_id)
        wd = uow.directory.working_days(viewer.board_id)
    pub = report.publication if report is not None else rules.Publication()
    signed = report.signed_off if report is not None else None
    planned = pub.planned_on
    return {
        "case_id": case_id,
        "reference": review.reference,
        "saved": bool(report and report.versions),
        "signed_off": {"version": signed.version, "signed_off_on": signed.signed_off_on} if signed else None,
        **asdict(pub),
        "copies_due_on": rules.copies_due(wd, planned) if planned else None,
        "earliest_publication": rules.earliest_publication(wd, today),
        "retention_ends_on": pub.retention_ends_on,
        "not_publishing": pub.not_publishing,
    }
