"""A month and year in a page's form (the month of an incident, as a learning summary gives it):
the GOV.UK date input with only its month and year boxes, taking a month as a number or a name."""

from __future__ import annotations

import re
from typing import Any

from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field
from wtforms.validators import StopValidation

from shared.forms import no_empty_hint

MONTH_NAMES = tuple(
    "january february march april may june july august september october november december".split()
)


class MonthInput(GovDateInput):
    """The GOV.UK date input with only its month and year boxes."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = no_empty_hint(GovFormBase.map_gov_params(self, field, **kwargs))
        month, year = field.shown()
        params.setdefault("fieldset", {"legend": {"text": field.label.text}})
        wrong = " govuk-input--error" if field.errors else ""
        params["items"] = [
            {
                "label": "Month",
                "id": f"{field.name}-month",
                "name": field.name,
                "classes": f"govuk-input--width-2{wrong}",
                "value": month,
            },
            {
                "label": "Year",
                "id": f"{field.name}-year",
                "name": field.name,
                "classes": f"govuk-input--width-4{wrong}",
                "value": year,
            },
        ]
        return params


def read_month(month: str) -> int | None:
    """A month as people write it: 11, 03, Nov, Sept or November; None if it is not one."""
    given = month.strip().lower().rstrip(".")
    if given.isdigit():
        return int(given) if 1 <= int(given) <= 12 else None
    for number, name in enumerate(MONTH_NAMES, start=1):
        if len(given) >= 3 and name.startswith(given):
            return number
    return None


class MonthField(Field):
    """A month and year (``data`` "YYYY-MM", as the API takes it), optional; ``error_part`` is the
    box an error points to."""

    widget = MonthInput()
    data: str | None

    def __init__(self, label: str, *, called: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.called = called
        self.error_part = "month"

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(v).strip() for v in valuelist][:2]
        self.raw_data = parts + [""] * (2 - len(parts))
        month, year = self.raw_data
        number = read_month(month) if month else None
        good_year = len(year) == 4 and year.isdigit() and 1900 <= int(year) <= 2099
        self.data = f"{year}-{number:02d}" if number and good_year else None

    def shown(self) -> tuple[str, str]:
        raw = getattr(self, "raw_data", None)
        if raw:
            return raw[0], raw[1]
        if self.data and re.match(r"^\d{4}-\d{2}$", self.data):
            return str(int(self.data[5:])), self.data[:4]
        return "", ""

    def _value(self) -> str:
        return ""

    def pre_validate(self, form: Any) -> None:
        month, year = (getattr(self, "raw_data", None) or ["", ""])[:2]
        if not month and not year:
            self.data = None
            return
        if not month or not year:
            self.error_part = "month" if not month else "year"
            raise StopValidation(f"{self.called} must include a {'month' if not month else 'year'}")
        if read_month(month) is None:
            self.error_part = "month"
            raise StopValidation(f"{self.called} must be a real month, like 11 or November")
        if self.data is None:
            self.error_part = "year"
            raise StopValidation(f"{self.called} must have a year between 1900 and 2099, like 2025")
