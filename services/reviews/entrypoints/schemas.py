"""What the reviews API accepts and answers, as marshmallow schemas (also its OpenAPI contract)."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.reviews.domain.vocabulary import (
    CONTRIBUTION_KINDS,
    CONTRIBUTION_STATUSES,
    DECLARATIONS,
    KEY_QUESTIONS,
    METHODS,
    PANEL_ROLES,
    PARALLEL_PROCESSES,
    SAAR_SECTIONS,
    SIGNIFICANCE_QUESTIONS,
    STAGES,
)
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS
from shared.pagination import page_schema
from shared.validation import Day

TEXT = validate.Length(max=20_000)
LINE = validate.Length(min=1, max=500)
TIME = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Enter a time like 09:30 (24-hour clock)")


class Strict(Schema):
    class Meta:
        unknown = RAISE


# -- requests -------------------------------------------------------------------------------------

DeclarationsSchema = Schema.from_dict(
    {
        key: fields.Boolean(metadata={"description": f"Yes: the member {text}"})
        for key, text in DECLARATIONS.items()
    },
    name="DeclarationsSchema",
)


class PanelMemberSchema(Strict):
    role = fields.String(required=True, validate=validate.OneOf(PANEL_ROLES))
    name = fields.String(required=True, validate=LINE)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    organisation = fields.String(required=True, validate=LINE)
    agency = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    qualifications = fields.String(load_default="", validate=validate.Length(max=2000))
    declarations = fields.Nested(DeclarationsSchema(unknown=RAISE), load_default=dict)


class TermsSchema(Strict):
    breadth_and_depth = fields.String(required=True, validate=TEXT)
    focus_questions = fields.List(
        fields.String(validate=LINE), required=True, validate=validate.Length(min=1, max=30)
    )
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    period_from = Day(required=True)
    period_to = Day(required=True)
    extended_period_reason = fields.String(load_default=None, allow_none=True, validate=TEXT)
    agencies = fields.List(
        fields.String(validate=LINE), required=True, validate=validate.Length(min=1, max=50)
    )
    parallel_processes = fields.List(
        fields.String(validate=validate.OneOf(PARALLEL_PROCESSES)), load_default=list
    )
    proportionality_rationale = fields.String(required=True, validate=TEXT)
    case_factors = fields.List(fields.String(validate=validate.OneOf(list(CASE_FACTORS))), load_default=list)
    context_factors = fields.List(
        fields.String(validate=validate.OneOf(list(CONTEXT_FACTORS))), load_default=list
    )
    reviewer_skills = fields.String(load_default=None, allow_none=True, validate=TEXT)


class CommentSchema(Strict):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ContributionRequestSchema(Strict):
    agency = fields.String(required=True, validate=validate.Length(min=1, max=64))
    kind = fields.String(required=True, validate=validate.OneOf(CONTRIBUTION_KINDS))
    due_on = Day(load_default=None, allow_none=True)
    contact_email = fields.Email(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={"description": "Who at the agency is asked: emailed a link to the contribution"},
    )
    contact_name = fields.String(load_default=None, allow_none=True, validate=LINE)


class EntrySchema(Strict):
    date = Day(required=True)
    time = fields.String(load_default=None, allow_none=True, validate=TIME)
    event = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    source = fields.String(required=True, validate=LINE)
    significance = fields.String(load_default=None, allow_none=True, validate=TEXT)
    changed_assessment = fields.Boolean(load_default=None, allow_none=True)
    pattern = fields.Boolean(load_default=None, allow_none=True)
    statutory_event = fields.Boolean(load_default=None, allow_none=True)
    significant_to_child = fields.Boolean(load_default=None, allow_none=True)
    significant_to_adult = fields.Boolean(load_default=None, allow_none=True)
    learning_point = fields.Boolean(load_default=None, allow_none=True)


MAX_ENTRIES = 5000


class ChronologySchema(Strict):
    entries = fields.List(
        fields.Nested(EntrySchema), required=True, validate=validate.Length(max=MAX_ENTRIES)
    )


SectionsSchema = Schema.from_dict(
    {key: fields.String(validate=TEXT) for key in SAAR_SECTIONS}, name="SaarSectionsSchema"
)
AnswersSchema = Schema.from_dict(
    {
        key: fields.String(validate=TEXT, metadata={"description": text})
        for key, text in KEY_QUESTIONS.items()
    },
    name="KeyAnswersSchema",
)


class SaarSchema(Strict):
    sections = fields.Nested(SectionsSchema(unknown=RAISE), required=True)


class AnswersBodySchema(Strict):
    answers = fields.Nested(AnswersSchema(unknown=RAISE), required=True)


class ReturnSchema(Strict):
    comments = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ChronologyQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    agency = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    from_ = Day(data_key="from", load_default=None)
    to = Day(load_default=None)

    @validates_schema
    def _in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError("The period ends before it starts", "to")


# -- answers ----------------------------------------------------------------------------------------


class PanelMemberOutSchema(Schema):
    id = fields.String(required=True)
    role = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    organisation = fields.String(required=True)
    agency = fields.String(allow_none=True)
    qualifications = fields.String()
    declarations = fields.Dict(keys=fields.String(), values=fields.Boolean())
    added_on = fields.Date(allow_none=True)


class CommentOutSchema(Schema):
    author = fields.String(required=True)
    author_role = fields.String(required=True)
    text = fields.String(required=True)
    at = fields.String(required=True)


class TermsOutSchema(TermsSchema):
    class Meta:
        unknown = EXCLUDE

    agreed_on = fields.Date(allow_none=True)
    comments = fields.List(fields.Nested(CommentOutSchema))


class EntryOutSchema(EntrySchema):
    class Meta:
        unknown = EXCLUDE


class StepSchema(Schema):
    status = fields.String(required=True)
    on = fields.Date(required=True)
    by = fields.String(required=True)
    comments = fields.String(allow_none=True)


class ContributionSummarySchema(Schema):
    id = fields.String(required=True)
    agency = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(CONTRIBUTION_KINDS))
    status = fields.String(required=True, validate=validate.OneOf(CONTRIBUTION_STATUSES))
    requested_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    comments = fields.String(allow_none=True, metadata={"description": "What it was last returned with"})
    contact_email = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    entry_count = fields.Integer(required=True)


class ContributionSchema(ContributionSummarySchema):
    entries = fields.List(fields.Nested(EntryOutSchema), required=True)
    sections = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    history = fields.List(fields.Nested(StepSchema), required=True)


class ReviewSchema(Schema):
    case_id = fields.String(required=True)
    reference = fields.String(allow_none=True)
    review_kind = fields.String(required=True)
    method = fields.String(allow_none=True)
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    opened_on = fields.Date(required=True)
    incident_on = fields.Date(allow_none=True)
    agencies = fields.List(fields.String(), required=True)
    panel = fields.List(fields.Nested(PanelMemberOutSchema), required=True)
    terms_of_reference = fields.Nested(TermsOutSchema, allow_none=True)
    contributions = fields.List(fields.Nested(ContributionSummarySchema), required=True)
    meetings = fields.List(fields.Dict(), required=True)
    interim_learning = fields.List(fields.Dict(), required=True)


class ReviewSummarySchema(Schema):
    case_id = fields.String(required=True)
    reference = fields.String(allow_none=True)
    review_kind = fields.String(required=True)
    method = fields.String(allow_none=True)
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    opened_on = fields.Date(required=True)
    contributions = fields.Integer(required=True)
    contributions_accepted = fields.Integer(required=True)


ReviewPageSchema = page_schema(ReviewSummarySchema)


class MergedEntrySchema(EntryOutSchema):
    agency = fields.String(required=True)
    contribution_id = fields.String(required=True)
    status = fields.String(required=True)


class MergedChronologySchema(Schema):
    case_id = fields.String(required=True)
    total = fields.Integer(required=True)
    entries = fields.List(fields.Nested(MergedEntrySchema), required=True)


# The six questions of 000 §12, named in the CSV header as in the JSON body.
QUESTION_COLUMNS = tuple(SIGNIFICANCE_QUESTIONS)
