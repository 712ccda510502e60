"""The final report's commands and reads, each one unit of work (:mod:`.report_uow`).

Who may do what (002 §2.5, §2.8, §2.9):

- the business unit, admins and the review's lead reviewers save versions (the lead reviewer
  collates the report, 002 §2.8; the business unit may write it for them or upload it);
- the business unit, admins, the Chair and the review's panel read versions, compare them and
  check them against the quality markers; the panel and lead reviewers comment (and the business
  unit, answering them);
- the Chair signs a version off for the board: 002 §2.9 gives the endorsement to the board and
  its Independent Chair, and nobody else on the product speaks for the board that way;
- the business unit shows a version to named family members; they read it and comment, and
  their comments are read by the business unit, admins and the Chair only.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Any

from services.reviews.domain.report import Report, ReportComment, Version, compare
from services.reviews.domain.report_quality import check
from services.reviews.domain.review import Review
from services.reviews.service_layer import access
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.report_uow import ReportUnitOfWork
from shared.errors import Forbidden, InvalidInput, NotFound

LEAD = frozenset({"lead_reviewer"})


def _review(uow: ReportUnitOfWork, viewer: Viewer, case_id: str) -> Review:
    review = uow.reviews.lookup(case_id, viewer.board_id)
    if review is None:
        raise NotFound("No review of this case", "case_id")
    return review


def _panel_or_more(viewer: Viewer, review: Review) -> None:
    if not (viewer.manages or viewer.roles & access.CHAIR or viewer.sits_on(review)):
        raise access.forbidden()


def _report(uow: ReportUnitOfWork, review: Review, write: bool) -> Report:
    found = (uow.reports.get if write else uow.reports.lookup)(review.case_id, review.board_id)
    if found is not None:
        return found
    if not write:
        raise NotFound("No version of the report has been saved yet", "version")
    return uow.reports.add(Report(review.case_id, review.board_id, review.reference))


def version_view(v: Version) -> dict[str, Any]:
    out = asdict(v)
    out["version"] = out.pop("number")
    out["saved_on"] = v.saved_on.isoformat()
    return out


def comment_view(c: ReportComment) -> dict[str, Any]:
    out = asdict(c)
    out["id"] = out.pop("comment_id")
    out["on"] = c.on.isoformat()
    return out


def report_view(report: Report, viewer: Viewer) -> dict[str, Any]:
    signed = report.signed_off
    sees_family = viewer.manages or bool(viewer.roles & access.CHAIR)
    return {
        "case_id": report.case_id,
        "versions": [
            {
                "version": v.number,
                "saved_on": v.saved_on.isoformat(),
                "saved_by": v.saved_by,
                "filename": v.filename,
            }
            for v in report.versions
        ],
        "signed_off": {
            "version": signed.version,
            "signed_off_on": signed.signed_off_on.isoformat(),
            "by": signed.by,
        }
        if signed
        else None,
        "shares": [
            {
                "version": s.version,
                "user_id": s.user_id,
                "email": s.email,
                "shared_on": s.shared_on.isoformat(),
            }
            for s in report.shares
        ]
        if viewer.manages
        else [],
        "comments": [comment_view(c) for c in report.comments if sees_family or not c.family],
        "publication": report.publication.as_dict(),
    }


# -- commands ----------------------------------------------------------------------------------


def save_version(
    uow: ReportUnitOfWork,
    viewer: Viewer,
    case_id: str,
    sections: dict[str, str],
    today: date,
    filename: str | None = None,
) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        if not (viewer.manages or (viewer.roles & LEAD and viewer.sits_on(review))):
            raise access.forbidden()
        report = _report(uow, review, write=True)
        version = report.add_version(sections, today, viewer.name, filename)
        uow.commit()
        return version_view(version)


def get_report(uow: ReportUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        _panel_or_more(viewer, review)
        return report_view(_report(uow, review, write=False), viewer)


def get_version(uow: ReportUnitOfWork, viewer: Viewer, case_id: str, number: int) -> dict[str, Any]:
    """A version's text and comments, for those who see the review. Family members read the
    version shown to them in the documents service, page by page, never as a file (002 §2.5)."""
    with uow:
        review = _review(uow, viewer, case_id)
        _panel_or_more(viewer, review)
        report = _report(uow, review, write=False)
        version = report.get_version(number)
        out = version_view(version)
        sees_family = viewer.manages or bool(viewer.roles & access.CHAIR)
        out["comments"] = [
            comment_view(c) for c in report.comments if c.version == number and (sees_family or not c.family)
        ]
        return out


def compare_versions(
    uow: ReportUnitOfWork, viewer: Viewer, case_id: str, older: int, newer: int
) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        _panel_or_more(viewer, review)
        report = _report(uow, review, write=False)
        problems = []
        for name, n in (("from", older), ("to", newer)):
            if not 1 <= n <= len(report.versions):
                problems.append(
                    {"field": name, "message": f"Choose a version from 1 to {len(report.versions)}"}
                )
        if problems:
            raise InvalidInput(problems)
        return {
            "from": older,
            "to": newer,
            "sections": compare(report.get_version(older, "from"), report.get_version(newer, "to")),
        }


def comment(
    uow: ReportUnitOfWork,
    viewer: Viewer,
    case_id: str,
    number: int,
    text: str,
    section: str | None,
    today: date,
    comment_id: str | None = None,
) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        if not (viewer.manages or viewer.sits_on(review)):
            raise access.forbidden()
        report = _report(uow, review, write=True)
        made = report.comment(
            ReportComment(comment_id or uuid.uuid4().hex, number, text.strip(), viewer.name, today, section)
        )
        uow.commit()
        return comment_view(made)


def family_comment(
    uow: ReportUnitOfWork,
    viewer: Viewer,
    case_id: str,
    number: int,
    text: str,
    section: str | None,
    today: date,
    comment_id: str | None = None,
) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        report = _report(uow, review, write=True)
        if not report.shown_to(number, viewer.user_id):
            raise NotFound("There is no such version of the report", "version")
        made = report.comment(
            ReportComment(
                comment_id or uuid.uuid4().hex, number, text.strip(), viewer.name, today, section, True
            )
        )
        uow.commit()
        return comment_view(made)


def quality_check(uow: ReportUnitOfWork, viewer: Viewer, case_id: str, number: int) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        _panel_or_more(viewer, review)
        version = _report(uow, review, write=False).get_version(number)
        names = tuple(m.name for m in review.family.members)
        return check(version, names)


def share(
    uow: ReportUnitOfWork,
    viewer: Viewer,
    case_id: str,
    number: int,
    user_id: str | None,
    email: str | None,
    today: date,
) -> dict[str, Any]:
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        found = uow.family.find(viewer.board_id, user_id, email)
        if found is None:
            name = "user_id" if user_id else "email"
            raise InvalidInput([{"field": name, "message": "Not a family member with access to this board"}])
        report = _report(uow, review, write=True)
        made = report.share(number, found[0], found[1], today, viewer.name)
        uow.commit()
        return {
            "version": made.version,
            "user_id": made.user_id,
            "email": made.email,
            "shared_on": made.shared_on.isoformat(),
        }


def sign_off(
    uow: ReportUnitOfWork, viewer: Viewer, case_id: str, number: int, signed_off_on: date, today: date
) -> dict[str, Any]:
    if not viewer.roles & access.CHAIR:
        raise Forbidden("Only the board's Chair signs the report off for the board.")
    if signed_off_on > today:
        raise InvalidInput([{"field": "signed_off_on", "message": "The sign-off cannot be in the future"}])
    with uow:
        review = _review(uow, viewer, case_id)
        report = _report(uow, review, write=True)
        made = report.sign(number, signed_off_on, viewer.name)
        uow.commit()
        return {"version": made.version, "signed_off_on": made.signed_off_on.isoformat(), "by": made.by}
