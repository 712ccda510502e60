"""Widgets and validators in the GOV.UK style, and the error summary they feed."""

from __future__ import annotations

from wtforms import Field, FieldList, Form, FormField
from wtforms.validators import StopValidation

from services.referral.entrypoints.forms.dates import DateParts
from shared.forms import CharacterCount, Checkboxes, Radios

__all__ = ["CharacterCount", "Checkboxes", "Radios"]


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
