"""What the reviews pages' forms share: the GOV.UK widgets they use, a date field, and putting the
service layer's problems on the fields they name, so the error summary shows every one at once.

The forms check only what a page sent (a field filled in, a date that exists); the rules stay in
the domain and the service layer, which the pages call as the API does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import Field, StringField
from wtforms.validators import Length, StopValidation

from shared.forms import PARTS, CharacterCount, Checkboxes, Radios, Select, TextInput
from shared.forms import DayField as BoundedDayField

__all__ = ["CharacterCount", "Checkboxes", "Radios", "Select", "TextInput"]


def needed(message: str) -> Any:
    """A validator: the field must be filled in."""

    def check(form: Any, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation(message)

    return check


def chosen(message: str) -> Any:
    """A validator: one of the field's choices must be picked."""

    def check(form: Any, field: Field) -> None:
        if field.data not in dict(field.choices or {}):
            raise StopValidation(message)

    return check


def line(label: str, required: str | None = None, limit: int = 500) -> StringField:
    checks: list[Any] = [needed(required)] if required else []
    called = label.split(" (")[0]
    checks.append(Length(max=limit, message=f"{called} must be {limit:,} characters or fewer"))
    return StringField(label, widget=TextInput(), validators=checks)


def text(label: str, required: str | None = None, limit: int = 20_000, description: str = "") -> StringField:
    checks: list[Any] = [needed(required)] if required else []
    called = label.split(" (")[0]
    checks.append(Length(max=limit, message=f"{called} must be {limit:,} characters or fewer"))
    return StringField(label, widget=CharacterCount(), validators=checks, description=description)


class DayField(BoundedDayField):
    """A GOV.UK date input (day, month, year), optional unless ``required`` gives its message; any
    real date, without the bounds the other pages' dates keep."""

    def pre_validate(self, form: Any) -> None:
        given = dict(zip(PARTS, self.raw_data or ["", "", ""], strict=True))
        missing = [p for p, v in given.items() if not v]
        if len(missing) == 3:
            if self.required:
                raise StopValidation(self.required)
            return
        if missing:
            raise StopValidation(f"{self.called} must include a {' and '.join(missing)}")
        if self.data is None:
            raise StopValidation(f"{self.called} must be a real date")


class ConfirmForm(FlaskForm):
    """Nothing to fill in but the CSRF token: a confirmation."""


def error_list(form: Any) -> list[dict[str, str]]:
    """Every field's errors for the error summary, in the form's order."""
    found = []
    for f in form:
        for message in f.errors or ():
            found.append({"text": message, "href": f"#{_anchor(f)}"})
    return found


def _anchor(field: Field) -> str:
    if isinstance(field, DayField):
        return f"{field.id}-day"
    if isinstance(field.widget, (GovRadioInput, GovCheckboxesInput)):
        return field.id if not getattr(field, "choices", None) else f"{field.id}"
    return field.id


def with_problems(
    form: Any, problems: list[dict[str, Any]], names: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """The form's own errors and the service's ``problems`` (each naming its field, as the API
    answers them), put on the fields they name and listed in the error summary."""
    summary = error_list(form)
    names = names or {}
    for p in problems:
        where = p.get("field") or ""
        parts = where.split(".")
        candidates = [names.get(where), parts[-1], names.get(parts[0]), parts[0]]
        name = next((c for c in candidates if c and c in form), None)
        field = form[name] if name else None
        message = p["message"]
        if field is not None:
            field.errors = [*field.errors, message]
        summary.append(
            {"text": message, "href": f"#{_anchor(field) if field is not None else 'main-content'}"}
        )
    return summary
