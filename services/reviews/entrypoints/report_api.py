"""The reviews API for the final report (002 §2.5, §2.8, §2.9): its versions, written or
uploaded; their comparison, comments and quality-marker check; the family's preview and
comments; the board's sign-off. Every read and write is audited; a POST that creates a record
names it from its Idempotency-Key, so a repeat finds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from services.reviews.adapters.report_docx import read_sections
from services.reviews.entrypoints import report_schemas as s
from services.reviews.entrypoints.api import Dependencies, _body, _today, _viewer
from services.reviews.service_layer import report
from services.reviews.service_layer.report_uow import MongoReportUnitOfWork, ReportUnitOfWork
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.idempotency import derived_id
from shared.openapi import documented

blueprint = Blueprint("reviews_report_api", __name__, url_prefix="/api/v1/reviews")

READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
WRITERS = ("business_unit", "admin", "lead_reviewer")
_KEY = "lscb_reviews_report"
UPLOAD_LIMIT = 10 * 1024 * 1024


@dataclass(frozen=True)
class ReportDependencies:
    uow: ReportUnitOfWork


def uow() -> ReportUnitOfWork:
    deps: ReportDependencies = current_app.extensions[_KEY]
    return deps.uow


@blueprint.get("/<case_id>/report")
@members(*READERS)
@documented(
    summary="The final report: its versions, sign-off, comments, family shares and publication",
    responses={200: s.ReportOutSchema, 404: None},
)
@audited("review.read", "report", "case_id")
def get_report(case_id: str) -> ResponseReturnValue:
    return jsonify(report.get_report(uow(), _viewer(), case_id))


@blueprint.get("/<case_id>/report/versions")
@members(*READERS)
@documented(
    summary="The versions of the final report, oldest first", responses={200: s.ReportOutSchema, 404: None}
)
@audited("review.read", "report", "case_id")
def list_versions(case_id: str) -> ResponseReturnValue:
    return jsonify(report.get_report(uow(), _viewer(), case_id))


@blueprint.post("/<case_id>/report/versions")
@members(*WRITERS)
@documented(
    summary="Save a new version of the final report from its sections (002 §2.8)",
    body=s.VersionBodySchema,
    responses={201: s.VersionOutSchema, 404: None, 409: None},
)
@audited("review.write", "report", "case_id")
def save_version(case_id: str) -> ResponseReturnValue:
    sections = _body(s.VersionBodySchema)["sections"]
    return jsonify(report.save_version(uow(), _viewer(), case_id, sections, _today())), 201


@blueprint.post("/<case_id>/report/versions/upload")
@members(*WRITERS)
@documented(
    summary="Save a new version of the final report from a Word document (.docx)",
    description="The file as the form field 'file' (multipart/form-data). Headings that name a "
    "section of the report start it; a document whose headings name none is kept whole as 'body'.",
    responses={201: s.VersionOutSchema, 404: None, 409: None, 422: None},
)
@audited("review.write", "report", "case_id")
def upload_version(case_id: str) -> ResponseReturnValue:
    upload = request.files.get("file")
    data = upload.read(UPLOAD_LIMIT + 1) if upload is not None else b""
    if not data:
        raise InvalidInput([{"field": "file", "message": "Choose a Word document (.docx) to upload"}])
    if len(data) > UPLOAD_LIMIT:
        raise InvalidInput([{"field": "file", "message": "Choose a document smaller than 10 MB"}])
    filename = (upload.filename or "report.docx")[:200] if upload is not None else None
    found = report.save_version(uow(), _viewer(), case_id, read_sections(data), _today(), filename)
    return jsonify(found), 201


@blueprint.get("/<case_id>/report/versions/<int:number>")
@members(*READERS)
@documented(
    summary="One version of the final report, with its comments",
    responses={200: s.VersionOutSchema, 404: None},
)
@audited("review.read", "report", "case_id")
def get_version(case_id: str, number: int) -> ResponseReturnValue:
    return jsonify(report.get_version(uow(), _viewer(), case_id, number))


@blueprint.get("/<case_id>/report/compare")
@members(*READERS)
@documented(
    summary="What changed between two versions, section by section, line by line side by side",
    query=s.CompareQuery,
    responses={200: s.CompareOutSchema, 404: None},
)
@audited("review.read", "report", "case_id")
def compare(case_id: str) -> ResponseReturnValue:
    q = s.CompareQuery().load(request.args)
    return jsonify(report.compare_versions(uow(), _viewer(), case_id, q["from_"], q["to"]))


@blueprint.post("/<case_id>/report/versions/<int:number>/comments")
@members("business_unit", "admin", "panel_member", "lead_reviewer")
@documented(
    summary="Comment on a version (the review's panel and lead reviewers)",
    body=s.ReportCommentBodySchema,
    responses={201: s.ReportCommentOutSchema, 404: None},
)
@audited("review.write", "report", "case_id")
def comment(case_id: str, number: int) -> ResponseReturnValue:
    return _add_comment(report.comment, "report_comment", case_id, number)


@blueprint.get("/<case_id>/report/versions/<int:number>/quality")
@members(*READERS)
@documented(
    summary="Which of what the quality markers ask of a report this version addresses, and in which section",
    responses={200: s.ReportQualityOutSchema, 404: None},
)
@audited("review.read", "report", "case_id")
def quality(case_id: str, number: int) -> ResponseReturnValue:
    return jsonify(report.quality_check(uow(), _viewer(), case_id, number))


@blueprint.post("/<case_id>/report/versions/<int:number>/shares")
@members("business_unit", "admin")
@documented(
    summary="Show a version to a family member of the board, to read in the browser (002 §2.5)",
    body=s.ShareBodySchema,
    responses={201: s.ShareOutSchema, 404: None},
)
@audited("review.write", "report_share", "case_id")
def share(case_id: str, number: int) -> ResponseReturnValue:
    body = _body(s.ShareBodySchema)
    found = report.share(uow(), _viewer(), case_id, number, body.get("user_id"), body.get("email"), _today())
    return jsonify(found), 201


@blueprint.post("/<case_id>/report/versions/<int:number>/family-comments")
@members("family_viewer")
@documented(
    summary="A family member's comment on a version shown to them; the business unit reads it",
    body=s.ReportCommentBodySchema,
    responses={201: s.ReportCommentOutSchema, 404: None},
)
@audited("report.write", "report", "case_id")
def family_comment(case_id: str, number: int) -> ResponseReturnValue:
    return _add_comment(report.family_comment, "family_comment", case_id, number)


@blueprint.post("/<case_id>/report/sign-off")
@members("chair")
@documented(
    summary="The board's Chair signs the latest version off (002 §2.9)",
    body=s.SignOffBodySchema,
    responses={201: s.SignOffOutSchema, 404: None, 409: None},
)
@audited("review.write", "report", "case_id")
def sign_off(case_id: str) -> ResponseReturnValue:
    body = _body(s.SignOffBodySchema)
    found = report.sign_off(uow(), _viewer(), case_id, body["version"], body["signed_off_on"], _today())
    return jsonify(found), 201


def register(app: Flask, deps: Dependencies, report_uow: ReportUnitOfWork | None = None) -> None:
    from services.reviews.entrypoints import publication_api

    app.extensions[_KEY] = ReportDependencies(report_uow or MongoReportUnitOfWork(deps.uow.directory))
    app.register_blueprint(blueprint)
    app.register_blueprint(publication_api.blueprint)


def _add_comment(
    add: Callable[..., dict[str, Any]], kind: str, case_id: str, number: int
) -> ResponseReturnValue:
    """A comment on version ``number`` from the request's body, by ``add`` (whose comment it is
    decides which); its id derived from the request as a ``kind``."""
    body = _body(s.ReportCommentBodySchema)
    found = add(uow(), _viewer(), case_id, number, body["text"], body["section"], _today(), derived_id(kind))
    return jsonify(found), 201
