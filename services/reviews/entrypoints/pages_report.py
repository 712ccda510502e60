"""The final report's pages: versions written or uploaded, compared, commented on, shown to family
members, signed off.

This module holds the report's own page, a version with its comments and quality check, the
comparison of two versions and a family member's comment; writing and uploading a version are in
:mod:`.report_page_write`, showing a version to the family and the Chair's sign-off in
:mod:`.report_page_share`. Every view calls the service layer the API calls
(:mod:`..service_layer.report`), with the API's roles, and is audited as the API is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints import report_page_share, report_page_write
from services.reviews.entrypoints.api import _today, _viewer
from services.reviews.entrypoints.meeting_forms import add_errors, error_list
from services.reviews.entrypoints.meeting_views import audited_form
from services.reviews.entrypoints.report_api import uow
from services.reviews.entrypoints.report_forms import CommentForm, CompareForm, FamilyCommentForm
from services.reviews.entrypoints.report_page_support import (
    CHAIR,
    COMMENTERS,
    DONE,
    FAMILY,
    READERS,
    WRITERS,
    names_of,
    numbers,
    render,
    report_or_none,
    shown_version,
)
from services.reviews.service_layer import report
from shared import words
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.idempotency import derived_id

blueprint = Blueprint("review_report_pages", __name__, template_folder="../templates")

WORDS = {"for_the_panel": "For the panel to judge"}  # a quality point no check can settle


@blueprint.record_once
def _words(state: Any) -> None:
    words.register(WORDS)


# -- the report's own page -----------------------------------------------------------------------


@blueprint.get("/reviews/<case_id>/report")
@members(*READERS)
@audited("review.read", "report", "case_id")
def report_page(case_id: str) -> ResponseReturnValue:
    found = report_or_none(case_id)
    viewer = _viewer()
    shares = (found or {}).get("shares", [])
    latest = max(numbers(found), default=0)
    return render(
        "report_entry.html",
        case_id,
        title="Final report",
        report=found,
        latest=latest,
        names=names_of(viewer.board_id, shares) if shares else {},
        writes=bool(viewer.roles & set(WRITERS)),
        manages=viewer.manages,
        chair=bool(viewer.roles & set(CHAIR)),
        done=get_flashed_messages(category_filter=[DONE]),
    )


# -- one version: its text, comments and quality check ----------------------------------------


def _version_page(
    case_id: str, number: int, form: CommentForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    viewer, work = _viewer(), uow()
    found = report.get_version(work, viewer, case_id, number)
    everything = report.get_report(work, viewer, case_id)
    comments: dict[str | None, list[dict[str, Any]]] = {}
    for c in found["comments"]:
        comments.setdefault(c["section"], []).append(c)
    signed = everything["signed_off"]
    return render(
        "report_version.html",
        case_id,
        status,
        title=f"Version {number} of the final report",
        version=found,
        comments=comments,
        quality=report.quality_check(work, viewer, case_id, number),
        latest=max(numbers(everything)),
        signed=signed is not None and signed["version"] == number,
        form=form,
        errors=errors,
        comments_allowed=bool(viewer.roles & set(COMMENTERS)),
        manages=viewer.manages,
        chair=bool(viewer.roles & set(CHAIR)),
        done=get_flashed_messages(category_filter=[DONE]),
    )


@blueprint.get("/reviews/<case_id>/report/versions/<int:number>")
@members(*READERS)
@audited("review.read", "report", "case_id")
def version(case_id: str, number: int) -> ResponseReturnValue:
    form = CommentForm(formdata=None)
    form.offer(list(report.get_version(uow(), _viewer(), case_id, number)["sections"]))
    return _version_page(case_id, number, form, [])


@blueprint.post("/reviews/<case_id>/report/versions/<int:number>/comments")
@members(*COMMENTERS)
@audited("review.write", "report", "case_id")
def comment(case_id: str, number: int) -> ResponseReturnValue:
    viewer, work = _viewer(), uow()
    form = CommentForm()
    form.offer(list(report.get_version(work, viewer, case_id, number)["sections"]))
    if not form.validate():
        return _version_page(case_id, number, form, error_list(form), 422)
    said, section = form.given()
    try:
        report.comment(work, viewer, case_id, number, said, section, _today(), derived_id("report_comment"))
    except DomainError as exc:
        return _version_page(case_id, number, form, add_errors(form, exc.errors()), exc.status)
    flash("Your comment has been added", DONE)
    return redirect(url_for(".version", case_id=case_id, number=number) + "#comments")


# -- comparing two versions ---------------------------------------------------------------------


@blueprint.get("/reviews/<case_id>/report/compare")
@members(*READERS)
@audited("review.read", "report", "case_id")
def compare(case_id: str) -> ResponseReturnValue:
    versions = numbers(report_or_none(case_id))
    asked = bool(request.args)
    form = CompareForm(request.args) if asked else CompareForm(formdata=None)
    form.offer(versions)
    if not asked and len(versions) >= 2:
        form.from_version.data, form.to_version.data = str(versions[-2]), str(versions[-1])
    compared, errors = None, []
    if asked and form.validate():
        try:
            compared = report.compare_versions(
                uow(), _viewer(), case_id, int(form.from_version.data), int(form.to_version.data)
            )
        except DomainError as exc:
            errors = add_errors(form, exc.errors(), {"from": "from_version", "to": "to_version"})
    elif asked:
        errors = error_list(form)
    return render(
        "report_compare.html",
        case_id,
        422 if errors else 200,
        title="Compare two versions of the final report",
        form=form,
        errors=errors,
        versions=versions,
        compared=compared,
    )


# -- a family member's comment on the version shown to them ------------------------------------


@blueprint.route("/reviews/<case_id>/report/versions/<int:number>/family-comment", methods=["GET", "POST"])
@members(*FAMILY)
@audited_form("report", "case_id", read="report.read", write="report.write")
def family_comment(case_id: str, number: int) -> ResponseReturnValue:
    shown = shown_version(case_id, number)
    posted = request.method == "POST"
    form = FamilyCommentForm() if posted else FamilyCommentForm(formdata=None)
    form.offer(list(shown.sections))
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        said, section = form.given()
        try:
            report.family_comment(
                uow(), _viewer(), case_id, number, said, section, _today(), derived_id("family_comment")
            )
        except DomainError as exc:
            errors = add_errors(form, exc.errors())
        else:
            return redirect(url_for(".family_comment_sent", case_id=case_id, number=number))
    errors = errors or error_list(form)
    return render_template(
        "report_family_comment.html",
        title="Comment on the report",
        case_id=case_id,
        number=number,
        form=form,
        errors=errors,
    ), 422 if errors else 200


@blueprint.get("/reviews/<case_id>/report/versions/<int:number>/family-comment/sent")
@members(*FAMILY)
@audited("report.read", "report", "case_id")
def family_comment_sent(case_id: str, number: int) -> ResponseReturnValue:
    shown_version(case_id, number)
    return render_template("report_family_sent.html", title="Comment sent", case_id=case_id, number=number)


# -- the pages of the other modules, on this blueprint -------------------------------------------

for rule, view, methods in (
    ("/reviews/<case_id>/report/write", report_page_write.write, ["GET", "POST"]),
    ("/reviews/<case_id>/report/upload", report_page_write.upload, ["GET", "POST"]),
    ("/reviews/<case_id>/report/share", report_page_share.share, ["GET", "POST"]),
    ("/reviews/<case_id>/report/share/check", report_page_share.share_check, ["GET", "POST"]),
    ("/reviews/<case_id>/report/sign-off", report_page_share.sign_off, ["GET", "POST"]),
    ("/reviews/<case_id>/report/sign-off/check", report_page_share.sign_off_check, ["GET", "POST"]),
):
    blueprint.add_url_rule(rule, view.__name__, view, methods=methods)
