"""The GOV.UK date input: day, month and year in boxes of their own, one message for the date."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field
from wtforms.validators import StopValidation

from services.referral.entrypoints.forms.words import show_date
from shared.framework import today_in_england
from shared.validation import EARLIEST, FURTHEST_AHEAD

PARTS = ("day", "month", "year")


class DateInput(GovDateInput):
    """Marks only the boxes in error, and lets the browser fill in a birthday."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        for item, part in zip(params["items"], PARTS, strict=True):
            wrong = bool(field.errors) and part in field.error_parts
            item["classes"] = f"govuk-input--width-{4 if part == 'year' else 2}" + (
                " govuk-input--error" if wrong else ""
            )
            if field.autocomplete:
                item["autocomplete"] = f"{field.autocomplete}-{part}"
        return params


class DateParts(Field):
    """A GOV.UK date input: day, month and year in boxes of their own, one message for the date.

    The messages follow the design system's date input guidance: say what is missing, or that
    the date is not real, or that it must be in the past. ``error_parts`` are the boxes marked
    in error; the error summary links to the first.
    """

    widget = DateInput()
    data: date | None  # set by process_formdata; None until a real date is entered

    def __init__(
        self,
        label: str | None = None,
        validators: Any = None,
        *,
        called: str,
        required: str | None = None,
        past_only: bool = True,
        autocomplete: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(label, validators, **kwargs)
        self.called = called  # "The date of the incident": how messages name it
        self.required = required  # message when nothing is entered, or None when optional
        self.past_only = past_only
        self.autocomplete = autocomplete  # "bday" for a date of birth
        self.error_parts: tuple[str, ...] = PARTS

    @property
    def error_part(self) -> str:
        return self.error_parts[0]

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

    def _value(self) -> str:  # the widget reads the boxes from raw_data or data itself
        return ""

    def pre_validate(self, form: Any) -> None:
        if self.raw_data is None:  # not submitted: nothing to say
            return
        day, month, year = self.raw_data
        given = {"day": day, "month": month, "year": year}
        missing = tuple(name for name, value in given.items() if not value)
        if len(missing) == 3:
            if self.required:
                self._stop(self.required)
            return
        if missing:
            self._stop(f"{self.called} must include a {' and '.join(missing)}", missing)
        if self.data is None:
            wrong = tuple(n for n, v in given.items() if not v.isdigit())
            if not wrong and len(year) != 4:
                self._stop(f"{self.called} must include a year with 4 numbers", ("year",))
            self._stop(f"{self.called} must be a real date", wrong or PARTS)
        if self.data < EARLIEST:  # year 1, say: a slip no letter or deadline can be made from
            self._stop(f"{self.called} must be the same as or after {show_date(EARLIEST)}", ("year",))
        if self.past_only and self.data > today_in_england():
            self._stop(f"{self.called} must be today or in the past")
        latest = today_in_england() + FURTHEST_AHEAD
        if self.data > latest:
            self._stop(f"{self.called} must be the same as or before {show_date(latest)}", ("year",))

    def entered(self) -> date:
        """The date given, once the form validated with the date required."""
        if self.data is None:
            raise ValueError(f"{self.called}: no date was entered")
        return self.data

    def _stop(self, message: str, parts: tuple[str, ...] = PARTS) -> NoReturn:
        self.error_parts = parts
        raise StopValidation(message)

    def fail(self, message: str) -> None:
        """Add an error found by a check across fields: the whole date is marked."""
        self.error_parts = PARTS
        self.errors.append(message)


def date_raw(value: str | None) -> list[str]:
    """A stored ISO date as the three boxes of a date input."""
    if not value:
        return []
    d = date.fromisoformat(value)
    return [str(d.day), str(d.month), str(d.year)]
