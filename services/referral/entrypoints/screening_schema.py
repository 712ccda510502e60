"""Request schema for statutory screening: JSON in, :class:`Facts` out.

Every problem is reported at once and names its field: unknown fields, missing or
mistyped values, and facts that cannot be true together (those come from the domain's
:func:`combination_problems`, so the rule is written once). The response is
:meth:`Screening.as_dict`.
"""

from __future__ import annotations

from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from services.referral.domain.screening import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    INTERAGENCY_CONCERN,
    MAX_CHILD_AGE,
    MIN_CHILD_AGE,
    REGULATED_SETTINGS,
    RULE_PACKS,
    Facts,
    InvalidFacts,
    Problem,
    combination_problems,
)


class StrictBoolean(fields.Boolean):
    """JSON ``true`` or ``false`` only: not 1, "yes" or "on"."""

    default_error_messages = {"invalid": "Must be true or false."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(fields.Integer):
    """A whole number; JSON ``true`` is not 1."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="Must be one of: {choices}.")


def _errors(problems: list[Problem]) -> dict[str, list[str]]:
    messages: dict[str, list[str]] = {}
    for p in problems:
        messages.setdefault(p.field, []).append(p.message)
    return messages


class ScreeningRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    child_died = StrictBoolean(load_default=False)
    seriously_harmed = StrictBoolean(load_default=False)
    abuse_or_neglect = fields.String(
        required=True,
        validate=_one_of(ABUSE_OR_NEGLECT),
        error_messages={"required": "Say whether abuse or neglect is known, suspected or not suspected."},
    )
    suspected_suicide = StrictBoolean(load_default=False)
    looked_after = StrictBoolean(load_default=False)
    regulated_setting = fields.String(
        load_default=None, allow_none=True, validate=_one_of(REGULATED_SETTINGS)
    )
    custody_setting = fields.String(load_default=None, allow_none=True, validate=_one_of(CUSTODY_SETTINGS))
    detained_mental_health_act = StrictBoolean(load_default=False)
    deprivation_of_liberty_order = StrictBoolean(load_default=False)
    child_age = StrictInteger(
        load_default=None,
        allow_none=True,
        validate=validate.Range(
            min=MIN_CHILD_AGE,
            max=MAX_CHILD_AGE,
            error="Must be a whole number from {min} to {max}.",
        ),
    )
    interagency_concern = fields.String(load_default="unclear", validate=_one_of(INTERAGENCY_CONCERN))

    @validates_schema(skip_on_field_errors=False)
    def _facts_fit_together(self, data: dict[str, Any], **kwargs: Any) -> None:
        # Fields that failed their own validation are absent from ``data``; the domain
        # check skips rules whose inputs are absent, so nothing is reported twice.
        problems = combination_problems(data)
        if problems:
            raise ValidationError(_errors(problems))

    @post_load
    def _make_facts(self, data: dict[str, Any], **kwargs: Any) -> Facts:
        try:
            return Facts(**data)
        except InvalidFacts as exc:  # the schema should have caught it; keep one error shape
            raise ValidationError(_errors(list(exc.problems))) from exc


class ScreeningQuerySchema(ScreeningRequestSchema):
    """``POST /api/v1/screening``: the facts, and optionally the rule pack to screen them under
    (the board's when left out). Loads as ``{"facts": Facts, "rule_pack": str | None}``."""

    rule_pack = fields.String(
        load_default=None,
        allow_none=True,
        validate=_one_of(tuple(RULE_PACKS)),
        metadata={"description": "The rule pack to screen under; the board's when left out"},
    )

    @post_load
    def _make_facts(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        pack = data.pop("rule_pack", None)
        return {"facts": super()._make_facts(data, **kwargs), "rule_pack": pack}
