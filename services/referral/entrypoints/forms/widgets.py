"""Widgets and validators in the GOV.UK style, and the error summary they feed."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxesInput, GovRadioInput
from wtforms import Field, FieldList, Form, FormField
from wtforms.validators import Length, StopValidation

from services.referral.entrypoints.forms.dates import DateParts


def _drop_empty_hint(params: dict[str, Any]) -> dict[str, Any]:
    hint = params.get("hint")
    if not hint or not (hint.get("text") or hint.get("html")):
        params.pop("hint", None)
    return params


class Radios(GovRadioInput):
    """GOV.UK radios without the empty hint (and its aria-describedby) a field without one gets."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class Checkboxes(GovCheckboxesInput):
    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class CharacterCount(GovCharacterCount):
    """A long text box with the GOV.UK character count: its limit is the field's ``Length(max=)``,
    so the count and the error message agree."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = _drop_empty_hint(super().map_gov_params(field, **kwargs))
        limits = [v.max for v in field.validators if isinstance(v, Length) and v.max > 0]
        if limits and "maxlength" not in params and "maxwords" not in params:
            params["maxlength"] = min(limits)
        return params


class Chosen:
    """The answer must be one of the field's choices; one plain message otherwise."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        choices = field.choices or {}
        allowed = set(choices) if isinstance(choices, dict) else {c[0] for c in choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if not values or any(v not in allowed for v in values):
            raise StopValidation(self.message)


def error_list(form: Form) -> list[dict[str, str]]:
    """The error summary's entries, in page order, each linking to its field's first box."""
    out: list[dict[str, str]] = []
    for f in form:
        if isinstance(f, FieldList):
            for entry in f:
                out.extend(error_list(entry.form) if isinstance(entry, FormField) else [])
        elif f.errors:
            anchor = f"{f.name}-{f.error_part}" if isinstance(f, DateParts) else f.id
            out.append({"text": f.errors[0], "href": f"#{anchor}"})
    return out
