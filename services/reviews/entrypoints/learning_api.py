"""The reviews API for learning: a review's learning summary (001 Appendix B) and learning
products (001 §4.4), and the learning repository with its sharing across a region and its CSV and
Word exports (001 §7). Every read and write is audited."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields, validate

from services.reviews.adapters.learning_export import annual_report_docx, to_csv, to_docx
from services.reviews.domain.learning import PRODUCT_KINDS, THEMES
from services.reviews.domain.vocabulary import REVIEW_KINDS
from services.reviews.entrypoints.api import _body, _deps, _today, _viewer
from services.reviews.entrypoints.schemas import LINE, TEXT, Strict
from services.reviews.service_layer import learning
from shared.audit import audited
from shared.auth.access import members
from shared.idempotency import derived_id
from shared.openapi import Raw, documented
from shared.pagination import PageQuery
from shared.validation import Day

blueprint = Blueprint("reviews_learning_api", __name__, url_prefix="/api/v1")

DECIDERS = ("business_unit", "admin", "chair")
SEARCHERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
# Required text: something other than spaces.
WRITTEN = [validate.Length(min=1, max=20_000), validate.Regexp(r"\S", error="Enter some text")]
MONTH = validate.Regexp(r"^(19|20)\d\d-(0[1-9]|1[0-2])$", error="Enter a month like 2025-11")


class SummarySchema(Strict):
    """Every field of the North West learning summary template (001 Appendix B)."""

    board_area = fields.String(required=True, validate=[LINE, WRITTEN[1]])
    completed_on = Day(load_default=None, allow_none=True, metadata={"description": "Without it, today"})
    review_type = fields.String(
        required=True,
        validate=WRITTEN,
        metadata={
            "description": "Type of review: methodology, chairing and authoring, how the case was selected"
        },
    )
    incident_month = fields.String(load_default=None, allow_none=True, validate=MONTH)
    reference = fields.String(load_default=None, allow_none=True, validate=LINE)
    summary = fields.String(required=True, validate=WRITTEN)
    case_learning = fields.String(required=True, validate=WRITTEN)
    method_learning = fields.String(required=True, validate=WRITTEN)
    single_agency_recommendations = fields.String(required=True, validate=WRITTEN)
    multi_agency_recommendations = fields.String(required=True, validate=WRITTEN)
    changes = fields.String(required=True, validate=WRITTEN)
    impact_audit = fields.String(required=True, validate=WRITTEN)
    other_comments = fields.String(load_default="", validate=TEXT)
    themes = fields.List(
        fields.String(validate=validate.OneOf(list(THEMES))),
        required=True,
        validate=validate.Length(min=1, max=20),
    )


class SummaryOutSchema(Schema):
    case_id = fields.String(required=True)
    review_kind = fields.String(required=True)
    complete = fields.Boolean(required=True)
    board_area = fields.String()
    completed_on = fields.Date()
    review_type = fields.String()
    incident_month = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    summary = fields.String()
    case_learning = fields.String()
    method_learning = fields.String()
    single_agency_recommendations = fields.String()
    multi_agency_recommendations = fields.String()
    changes = fields.String()
    impact_audit = fields.String()
    other_comments = fields.String()
    themes = fields.List(fields.String())
    completed_by = fields.String()


class ProductSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(PRODUCT_KINDS))
    title = fields.String(required=True, validate=LINE)
    date = Day(required=True)
    reach = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=1_000_000),
        metadata={"description": "People reached"},
    )
    notes = fields.String(load_default="", validate=TEXT)
    agencies = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list)


class ProductOutSchema(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    date = fields.Date(required=True)
    reach = fields.Integer(required=True)
    recorded_by = fields.String(required=True)
    notes = fields.String(required=True)
    agencies = fields.List(fields.String(), required=True)


class ProductListSchema(Schema):
    case_id = fields.String(required=True)
    items = fields.List(fields.Nested(ProductOutSchema), required=True)


class LearningQuery(PageQuery):
    q = fields.String(load_default="", validate=validate.Length(max=500))
    theme = fields.String(load_default=None, validate=validate.OneOf(list(THEMES)))
    kind = fields.String(load_default=None, validate=validate.OneOf(REVIEW_KINDS))
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))
    agency = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class EntrySchema(Schema):
    case_id = fields.String(required=True)
    board_id = fields.String(required=True)
    own_board = fields.Boolean(required=True)
    reference = fields.String(allow_none=True)
    review_kind = fields.String(required=True)
    themes = fields.List(fields.String(), required=True)
    agencies = fields.List(fields.String(), required=True)
    summary = fields.String(required=True)
    case_learning = fields.String(required=True)
    method_learning = fields.String(required=True)
    changes = fields.String(required=True)
    completed_on = fields.Date(required=True)
    published_on = fields.Date(allow_none=True)
    finished = fields.Boolean(required=True)
    region = fields.String(allow_none=True)
    year = fields.Integer(required=True)


class SearchOutSchema(Schema):
    items = fields.List(fields.Nested(EntrySchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class SharingSchema(Strict):
    region = fields.String(required=True, validate=LINE)
    share = fields.Boolean(required=True)


class SharingOutSchema(Schema):
    board_id = fields.String(required=True)
    region = fields.String(required=True)
    share = fields.Boolean(required=True)
    boards = fields.List(fields.String(), required=True)


@blueprint.put("/reviews/<case_id>/learning-summary")
@members(*DECIDERS)
@documented(
    summary="Complete the review's learning summary (001 Appendix B); the learning_summary document follows",
    body=SummarySchema,
    responses={200: SummaryOutSchema, 404: None, 409: None},
)
@audited("review.write", "learning_summary", "case_id")
def put_summary(case_id: str) -> ResponseReturnValue:
    return jsonify(learning.put_summary(_deps().uow, _viewer(), case_id, _body(SummarySchema), _today()))


@blueprint.get("/reviews/<case_id>/learning-summary")
@members(*SEARCHERS)
@documented(summary="The review's learning summary", responses={200: SummaryOutSchema, 404: None})
@audited("review.read", "learning_summary", "case_id")
def get_summary(case_id: str) -> ResponseReturnValue:
    return jsonify(learning.get_summary(_deps().uow, _viewer(), case_id))


@blueprint.post("/reviews/<case_id>/learning-products")
@members(*DECIDERS)
@documented(
    summary="Record a briefing, practitioner forum, case-file audit or training made from the review",
    body=ProductSchema,
    responses={201: ProductOutSchema, 404: None, 409: None},
)
@audited("review.write", "learning_product", "case_id")
def add_product(case_id: str) -> ResponseReturnValue:
    body = _body(ProductSchema)
    found = learning.add_product(_deps().uow, _viewer(), case_id, body, derived_id("learning_product"))
    return jsonify(found), 201


@blueprint.get("/reviews/<case_id>/learning-products")
@members(*SEARCHERS)
@documented(
    summary="The learning products made from the review", responses={200: ProductListSchema, 404: None}
)
@audited("review.read", "learning_product", "case_id")
def list_products(case_id: str) -> ResponseReturnValue:
    return jsonify(learning.list_products(_deps().uow, _viewer(), case_id))


@blueprint.get("/learning")
@members(*SEARCHERS)
@documented(
    summary="Search the learning repository: words, theme, kind of review, agency and year",
    description="The board's own learning summaries, and those of its region's boards when both share.",
    query=LearningQuery,
    responses={200: SearchOutSchema},
)
@audited("learning.search", "learning")
def search() -> ResponseReturnValue:
    return jsonify(learning.search(_viewer(), LearningQuery().load(request.args)))


@blueprint.get("/learning/export.csv")
@members(*SEARCHERS)
@documented(
    summary="The collation of learning summaries a search finds, as CSV",
    query=LearningQuery,
    responses={200: Raw("text/csv")},
)
@audited("learning.export", "learning")
def export_csv() -> ResponseReturnValue:
    found = learning.collation(_viewer(), LearningQuery().load(request.args))
    return Response(
        to_csv(found),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=learning-summaries.csv"},
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@blueprint.get("/learning/export.docx")
@members(*SEARCHERS)
@documented(
    summary="The collation of learning summaries a search finds, as a Word document",
    query=LearningQuery,
    responses={200: Raw(DOCX)},
)
@audited("learning.export", "learning")
def export_docx() -> ResponseReturnValue:
    found = learning.collation(_viewer(), LearningQuery().load(request.args))
    return Response(
        to_docx(found, _today()),
        mimetype=DOCX,
        headers={"Content-Disposition": "attachment; filename=learning-summaries.docx"},
    )


class AnnualQuery(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))


@blueprint.get("/learning/annual-report.docx")
@members(*DECIDERS)
@documented(
    summary="The annual report section: every review of the year with its findings, actions and impact",
    query=AnnualQuery,
    responses={200: Raw(DOCX)},
)
@audited("learning.export", "learning")
def annual_report() -> ResponseReturnValue:
    year = AnnualQuery().load(request.args)["year"]
    deps = _deps()
    found = learning.annual_report(deps.uow, _viewer(), year, _today())
    agencies = deps.uow.directory.agencies(_viewer().board_id)
    return Response(
        annual_report_docx(year, found, agencies, _today()),
        mimetype=DOCX,
        headers={"Content-Disposition": f"attachment; filename=annual-report-reviews-{year}.docx"},
    )


@blueprint.put("/learning/sharing")
@members(*DECIDERS)
@documented(
    summary="Share the board's learning summaries with the boards of its region that share too (001 §7)",
    body=SharingSchema,
    responses={200: SharingOutSchema},
)
@audited("learning.sharing", "learning")
def put_sharing() -> ResponseReturnValue:
    body = _body(SharingSchema)
    return jsonify(learning.set_sharing(_viewer(), body["region"], body["share"]))
