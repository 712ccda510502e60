"""Request schemas of the referral API (marshmallow). Unknown fields are refused by name."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, post_load, validate

from services.referral.domain import case as rules
from services.referral.domain import journey
from services.referral.domain.screening import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    INTERAGENCY_CONCERN,
    MAX_CHILD_AGE,
    MIN_CHILD_AGE,
    REGULATED_SETTINGS,
)
from services.referral.entrypoints.screening_schema import (
    ScreeningRequestSchema,
    StrictBoolean,
    StrictInteger,
)
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS
from shared.pagination import PageQuery
from shared.validation import Day


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ReferrerSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    agency = fields.String(required=True)
    email = fields.Email(required=True)


class ChildSchema(_Strict):
    name = fields.String(validate=validate.Length(max=200))
    date_of_birth = Day()
    address = fields.String(validate=validate.Length(max=500))
    nhs_number = fields.String(
        validate=validate.Regexp(r"^\d{3} ?\d{3} ?\d{4}$", error="Enter a 10-digit NHS number")
    )


class ReferralSchema(_Strict):
    facts = fields.Nested(ScreeningRequestSchema, required=True)
    incident_on = Day(required=True)
    became_aware_on = Day(required=True)
    board_notified_on = Day(load_default=None)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    agencies_involved = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    referrer = fields.Nested(ReferrerSchema, required=True)
    child = fields.Nested(ChildSchema, load_default=None)


class ReviewerSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    organisation = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(load_default=None)


class ProportionalitySchema(_Strict):
    case_factors = fields.List(fields.String(validate=validate.OneOf(list(CASE_FACTORS))), load_default=list)
    context_factors = fields.List(
        fields.String(validate=validate.OneOf(list(CONTEXT_FACTORS))), load_default=list
    )


class DecisionSchema(_Strict):
    decided_on = Day(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(rules.OUTCOMES))
    rationale = fields.String(required=True, validate=validate.Length(max=20000))
    lead_reviewers = fields.List(fields.Nested(ReviewerSchema), load_default=list)
    initiated_on = Day(load_default=None)
    proportionality = fields.Nested(ProportionalitySchema, load_default=None)


class ChallengeSchema(_Strict):
    challenged_by = fields.String(required=True, validate=validate.OneOf(["peer", "national_panel"]))
    challenged_on = Day(required=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))


class StatusSchema(_Strict):
    status = fields.String(required=True, validate=validate.OneOf(rules.STATUSES))
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class ShareSchema(_Strict):
    agency = fields.String(required=True)


class ListQuerySchema(PageQuery):
    """Which page of a list: ``?page=&per_page=`` and nothing else."""

    class Meta:
        unknown = RAISE


class CaseQuerySchema(ListQuerySchema):
    status = fields.String(validate=validate.OneOf(rules.STATUSES))
    review_kind = fields.String(validate=validate.OneOf(rules.OUTCOMES))
    overdue = fields.Boolean()


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="Must be one of: {choices}.")


class DraftAnswersSchema(_Strict):
    """Answers to the referral's questions (domain/journey.py), each optional: a draft is
    filled in over several sittings. Dates are kept as ISO strings, as the pages keep them."""

    what_happened = fields.String(validate=_one_of(journey.WHAT_HAPPENED))
    suspected_suicide = StrictBoolean()
    custody_setting = fields.String(validate=_one_of((*CUSTODY_SETTINGS, journey.NONE)))
    detained_mental_health_act = StrictBoolean()
    deprivation_of_liberty_order = StrictBoolean()
    child_age = StrictInteger(
        validate=validate.Range(
            min=MIN_CHILD_AGE, max=MAX_CHILD_AGE, error="Must be a whole number from {min} to {max}."
        )
    )
    looked_after = StrictBoolean()
    regulated_setting = fields.String(validate=_one_of((*REGULATED_SETTINGS, journey.NONE)))
    abuse_or_neglect = fields.String(validate=_one_of(ABUSE_OR_NEGLECT))
    interagency_concern = fields.String(validate=_one_of(INTERAGENCY_CONCERN))
    incident_on = Day()
    became_aware_on = Day()
    agencies_involved = fields.List(fields.String(), validate=validate.Length(min=1))
    referrer = fields.Nested(ReferrerSchema)
    summary = fields.String(validate=validate.Length(min=1, max=10000))
    child = fields.Nested(ChildSchema)

    @post_load
    def _iso_dates(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for name in ("incident_on", "became_aware_on"):
            if name in data:
                data[name] = data[name].isoformat()
        child = data.get("child")
        if child and child.get("date_of_birth"):
            child["date_of_birth"] = child["date_of_birth"].isoformat()
        return data


class DraftSchema(_Strict):
    answers = fields.Nested(DraftAnswersSchema, required=True)
