"""Request schemas of the referral API (marshmallow). Unknown fields are refused by name."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, post_load, validate

from services.referral.domain import case as rules
from services.referral.domain import journey
from services.referral.domain.decision import MAX_LEAD_REVIEWERS, OUTCOMES
from services.referral.domain.referral import MAX_BOARD_NAME, MAX_OTHER_BOARDS
from services.referral.domain.reviewers import DECLARATIONS
from services.referral.domain.screening import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    INTERAGENCY_CONCERN,
    MAX_CHILD_AGE,
    METHODS,
    MIN_CHILD_AGE,
    REGULATED_SETTINGS,
    RULE_PACKS,
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


def _board_name(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=MAX_BOARD_NAME), **kwargs)


class ReferralSchema(_Strict):
    facts = fields.Nested(ScreeningRequestSchema, required=True)
    incident_on = Day(required=True)
    became_aware_on = Day(required=True)
    board_notified_on = Day(load_default=None)
    summary = fields.String(
        required=True,
        validate=validate.Length(min=1, max=10000),
        metadata={"description": "What happened, in at least a sentence"},
    )
    agencies_involved = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The board's agencies involved with the child; empty if none was"},
    )
    referrer = fields.Nested(ReferrerSchema, required=True)
    child = fields.Nested(ChildSchema, load_default=None)
    home_board = _board_name(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The board where the child normally lives, when it is another board;"
            " null when the child lives in this board's area (003 checklist)"
        },
    )
    other_boards = fields.List(
        _board_name(),
        load_default=list,
        validate=validate.Length(max=MAX_OTHER_BOARDS),
        metadata={"description": "Other boards involved in the case (004)"},
    )


class DeclarationsSchema(_Strict):
    """A lead reviewer's declarations of independence (001 §5.6; 002 §2.2; 003): each true or false."""

    works_for_involved_agency = StrictBoolean(required=True)
    line_manages_involved_staff = StrictBoolean(required=True)
    involved_in_case = StrictBoolean(required=True)
    works_for_board_agency = StrictBoolean(required=True)


assert set(DeclarationsSchema._declared_fields) == set(DECLARATIONS)


class ReviewerSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    organisation = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(load_default=None, allow_none=True)
    agency = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The code of the board agency the reviewer belongs to; null if none"},
    )
    qualifications = fields.String(
        load_default="",
        validate=validate.Length(max=2000),
        metadata={"description": "How the reviewer is qualified to lead the review (required for an SCR)"},
    )
    declarations = fields.Nested(
        DeclarationsSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "Required for an SCR, where every declaration must be false"},
    )


class ProportionalitySchema(_Strict):
    case_factors = fields.List(fields.String(validate=validate.OneOf(list(CASE_FACTORS))), load_default=list)
    context_factors = fields.List(
        fields.String(validate=validate.OneOf(list(CONTEXT_FACTORS))), load_default=list
    )


def _chair() -> fields.String:
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=254),
        metadata={
            "description": "The Chair who made the decision, by user id or email address: required"
            " when whoever records it does not hold the Chair role (an admin recording it for"
            " the Chair). Letters name this Chair."
        },
    )


class DecisionSchema(_Strict):
    decided_on = Day(required=True)
    outcome = fields.String(
        required=True,
        validate=validate.OneOf(OUTCOMES),
        metadata={"description": "One of the case's rule pack's outcomes (the screening's options)"},
    )
    rationale = fields.String(
        required=True,
        validate=validate.Length(max=20000),
        metadata={"description": "The reasons, in at least a sentence"},
    )
    lead_reviewers = fields.List(
        fields.Nested(ReviewerSchema),
        load_default=list,
        metadata={"description": f"At most {MAX_LEAD_REVIEWERS}; an SCR needs one, independent"},
    )
    initiated_on = Day(load_default=None)
    proportionality = fields.Nested(ProportionalitySchema, load_default=None)
    method = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(METHODS),
        metadata={"description": "An SCR's method (001 §5.3-5.4): required for an SCR, and only then"},
    )
    chair = _chair()


class ConfirmSchema(_Strict):
    confirmed_on = Day(required=True)
    rationale = fields.String(
        required=True,
        validate=validate.Length(max=20000),
        metadata={"description": "Why the decision stands, in at least a sentence"},
    )
    chair = _chair()


class RapidReviewSchema(_Strict):
    completed_on = Day(required=True)
    recommends_local_review = StrictBoolean(required=True)
    suggests_national_review = StrictBoolean(required=True)
    summary = fields.String(
        required=True,
        validate=validate.Length(min=1, max=20000),
        metadata={"description": "What the rapid review found and decided, in at least a sentence"},
    )


class RulePackSchema(_Strict):
    rule_pack = fields.String(required=True, validate=validate.OneOf(tuple(RULE_PACKS)))


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
    review_kind = fields.String(validate=validate.OneOf(OUTCOMES))
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
    agencies_involved = fields.List(fields.String())
    child_lives_in_area = StrictBoolean()
    home_board = _board_name()
    other_boards = fields.List(_board_name(), validate=validate.Length(max=MAX_OTHER_BOARDS))
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


assert set(DraftAnswersSchema._declared_fields) == set(journey.KEYS)


class DraftSchema(_Strict):
    answers = fields.Nested(DraftAnswersSchema, required=True)
