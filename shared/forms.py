"""What the services' pages' forms share: the GOV.UK widgets without the empty hint a field with no
description would otherwise get, and the GOV.UK date input with the design system's messages.

The forms check only what a page sent; the rules stay in each service's domain and service layer.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NoReturn

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import Field
from wtforms.validators import Length, StopValidation

from shared.framework import today_in_england
from shared.validation import EARLIEST, FURTHEST_AHEAD
from shared.words import long_date

PARTS = ("day", "month", "year")


def no_empty_hint(params: dict[str, Any]) -> dict[str, Any]:
    """The widget's parameters without a hint that says nothing (and the aria-describedby it adds)."""
    hint = params.get("hint")
    if not hint or not (hint.get("text") or hint.get("html")):
        params.pop("hint", None)
    return params


class Radios(GovRadioInput):  # type: ignore[misc]  # govuk-frontend-wtf is untyped
    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        return no_empty_hint(super().map_gov_params(field, **kwargs))


class Checkboxes(GovCheckboxesInput):  # type: ignore[misc]  # govuk-frontend-wtf is untyped
    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        return no_empty_hint(super().map_gov_params(field, **kwargs))


class Select(GovSelect):  # type: ignore[misc]  # govuk-frontend-wtf is untyped
    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        return no_empty_hint(super().map_gov_params(field, **kwargs))


class TextInput(GovTextInput):  # type: ignore[misc]  # govuk-frontend-wtf is untyped
    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        return no_empty_hint(super().map_gov_params(field, **kwargs))


class TextArea(GovTextArea):  # type: ignore[misc]  # govuk-frontend-wtf is untyped
    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        return no_empty_hint(super().map_gov_params(field, **kwargs))


class CharacterCount(GovCharacterCount):  # type: ignore[misc]  # govuk-frontend-wtf is untyped
    """A long text box with the GOV.UK character count: its limit is the field's ``Length(max=)``,
    so the count and the error message agree."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = no_empty_hint(super().map_gov_params(field, **kwargs))
        limits = [v.max for v in field.validators if isinstance(v, Length) and v.max > 0]
        if limits and "maxlength" not in params and "maxwords" not in params:
            params["maxlength"] = min(limits)
        return params


class DayField(Field):  # type: ignore[misc]  # wtforms is untyped here
    """A GOV.UK date input (day, month, year) with the design system's messages: optional when
    ``required`` is None, never before the earliest date the product keeps, at most ``ahead`` from
    today, and not after today when ``past_only``. ``error_part`` is the box an error points to."""

    widget = GovDateInput()
    data: date | None

    def __init__(
        self,
        label: str,
        *,
        called: str,
        required: str | None = None,
        past_only: bool = False,
        ahead: timedelta = FURTHEST_AHEAD,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.called, self.required, self.past_only, self.ahead = called, required, past_only, ahead
        self.error_part = "day"

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(v).strip() for v in valuelist][:3]
        self.raw_data = parts + [""] * (3 - len(parts))
        self.data = None
        day, month, year = self.raw_data
        if all(p.isdigit() for p in self.raw_data) and len(year) == 4:
            try:
                self.data = date(int(year), int(month), int(day))
            except ValueError:
                self.data = None

    def _value(self) -> str:
        return ""

    def entered(self) -> date:
        """The date given, once the form validated."""
        if self.data is None:
            raise ValueError(f"{self.called}: no date was entered")
        return self.data

    def _stop(self, message: str, part: str = "day") -> NoReturn:
        self.error_part = part
        raise StopValidation(message)

    def pre_validate(self, form: Any) -> None:
        given = dict(zip(PARTS, self.raw_data or ["", "", ""], strict=True))
        missing = [p for p, v in given.items() if not v]
        if len(missing) == 3:
            if self.required:
                self._stop(self.required)
            return
        if missing:
            self._stop(f"{self.called} must include a {' and '.join(missing)}", missing[0])
        if self.data is None:
            self._stop(f"{self.called} must be a real date")
        if self.data < EARLIEST:
            self._stop(f"{self.called} must be the same as or after {long_date(EARLIEST)}", "year")
        if self.past_only and self.data > today_in_england():
            self._stop(f"{self.called} must be today or in the past")
        latest = today_in_england() + self.ahead
        if self.data > latest:
            self._stop(f"{self.called} must be the same as or before {long_date(latest)}", "year")
