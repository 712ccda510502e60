"""Request schemas of the referral API (marshmallow). Unknown fields are refused by name."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from services.referral.domain import case as rules
from services.referral.entrypoints.screening_schema import ScreeningRequestSchema


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ReferrerSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    agency = fields.String(required=True)
    email = fields.Email(required=True)


class ChildSchema(_Strict):
    name = fields.String(validate=validate.Length(max=200))
    date_of_birth = fields.Date()
    address = fields.String(validate=validate.Length(max=500))
    nhs_number = fields.String(
        validate=validate.Regexp(r"^\d{3} ?\d{3} ?\d{4}$", error="Enter a 10-digit NHS number")
    )


class ReferralSchema(_Strict):
    facts = fields.Nested(ScreeningRequestSchema, required=True)
    incident_on = fields.Date(required=True)
    became_aware_on = fields.Date(required=True)
    board_notified_on = fields.Date(load_default=None)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    agencies_involved = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    referrer = fields.Nested(ReferrerSchema, required=True)
    child = fields.Nested(ChildSchema, load_default=None)


class ReviewerSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    organisation = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(load_default=None)


class ProportionalitySchema(_Strict):
    case_factors = fields.List(
        fields.String(validate=validate.OneOf(list(rules.CASE_FACTORS))), load_default=list
    )
    context_factors = fields.List(
        fields.String(validate=validate.OneOf(list(rules.CONTEXT_FACTORS))), load_default=list
    )


class DecisionSchema(_Strict):
    decided_on = fields.Date(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(rules.OUTCOMES))
    rationale = fields.String(required=True, validate=validate.Length(max=20000))
    lead_reviewers = fields.List(fields.Nested(ReviewerSchema), load_default=list)
    initiated_on = fields.Date(load_default=None)
    proportionality = fields.Nested(ProportionalitySchema, load_default=None)


class ChallengeSchema(_Strict):
    challenged_by = fields.String(required=True, validate=validate.OneOf(["peer", "national_panel"]))
    challenged_on = fields.Date(required=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))


class StatusSchema(_Strict):
    status = fields.String(required=True, validate=validate.OneOf(rules.STATUSES))
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class ShareSchema(_Strict):
    agency = fields.String(required=True)


class CaseQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(validate=validate.OneOf(rules.STATUSES))
    review_kind = fields.String(validate=validate.OneOf(rules.OUTCOMES))
    overdue = fields.Boolean()
