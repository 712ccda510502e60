"""The forms of the meetings pages, and the GOV.UK widgets the reviews pages of meetings, the family,
quality markers and interim learning share. The forms check what a page sent (a real date, a
time, lengths the API also allows); the rules stay in the domain and the service layer."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, StringField
from wtforms.validators import Email, Length, Optional, StopValidation

from shared.forms import CharacterCount, DayField, Radios, Select, TextArea, TextInput
from shared.validation import FURTHEST_AHEAD

__all__ = ["CharacterCount", "DayField", "Radios", "Select", "TextArea", "TextInput"]

LATEST = FURTHEST_AHEAD * 2  # how far ahead a date on these pages may be


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.I)


def read_time(text: str) -> time | None:
    """A time as people write it: 14:30, 9:05, 2pm, 2.30pm, 12am; None if it is not one."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if match.group(2) is None and not half:
        return None  # "14" alone is not a time
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _time_field(label: str, called: str) -> StringField:
    def check(form: Any, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation(f"Enter the time the meeting {called}")
        if read_time(field.data) is None:
            raise StopValidation(f"Enter the time the meeting {called} like 9:30am, 14:00 or 2pm")

    return StringField(
        label,
        widget=TextInput(),
        description="For example, 9:30am or 14:00",
        validators=[check],
    )


def given(message: str) -> Any:
    def check(form: Any, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation(message)

    return check


def line(label: str, required: str | None = None, limit: int = 500, hint: str = "") -> StringField:
    called = label.split(" (")[0]
    return StringField(
        label,
        widget=TextInput(),
        description=hint,
        validators=[
            given(required) if required else Optional(),
            Length(max=limit, message=f"{called} must be {limit:,} characters or fewer"),
        ],
    )


def text(label: str, required: str | None, limit: int, hint: str = "") -> StringField:
    called = label.split(" (")[0]
    return StringField(
        label,
        widget=CharacterCount(),
        description=hint,
        validators=[
            given(required) if required else Optional(),
            Length(max=limit, message=f"{called} must be {limit:,} characters or fewer"),
        ],
    )


def chosen(message: str) -> Any:
    def check(form: Any, field: Field) -> None:
        if not field.data or field.data not in dict(field.choices or {}):
            raise StopValidation(message)

    return check


# -- meetings ----------------------------------------------------------------------------------


class MeetingForm(FlaskForm):
    """When and where a meeting is, and its agenda; its kind only when it is first scheduled."""

    kind = RadioField(
        "What kind of meeting is it?",
        widget=Radios(),
        validate_choice=False,
        validators=[chosen("Select the kind of meeting")],
    )
    held_on = DayField(
        "Date",
        called="The date of the meeting",
        required="Enter the date of the meeting",
        ahead=LATEST,
        description="For example, 27 3 2027",
    )
    start_time = _time_field("Start time (London time)", "starts")
    end_time = _time_field("End time (London time)", "ends")
    place = line("Where is it? (optional if you give a link)", hint="The building and room")
    link = line("Link to join online (optional if you say where it is)", limit=2000, hint="Starting https://")
    agenda = StringField(
        "Agenda (optional)",
        widget=TextArea(),
        description="One item on each line",
        validators=[Length(max=20_000, message="The agenda must be 20,000 characters or fewer")],
    )

    def agenda_items(self) -> list[str]:
        return [item.strip() for item in (self.agenda.data or "").splitlines() if item.strip()]

    def validate_agenda(self, field: Field) -> None:
        items = self.agenda_items()
        if len(items) > 50:
            raise StopValidation("The agenda can have up to 50 items")
        if any(len(item) > 500 for item in items):
            raise StopValidation("Each agenda item must be 500 characters or fewer")

    def validate_link(self, field: Field) -> None:
        if field.data and not re.match(r"^https?://[^\s/]+\.[^\s]+$", field.data.strip()):
            raise StopValidation("Enter the link in full, starting https://")


class AttendeeForm(FlaskForm):
    name = line("Full name", "Enter the attendee's name")
    email = StringField(
        "Email address",
        widget=TextInput(),
        description="The invitation is sent here",
        validators=[
            given("Enter the attendee's email address"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    agency = SelectField("Agency (optional)", widget=Select(), validate_choice=False)
    role = line("Role (optional)", hint="For example, designated nurse or social work team manager")

    def offer(self, agencies: dict[str, str]) -> None:
        self.agency.choices = [("", "Not from an agency"), *agencies.items()]

        def known(form: Any, field: Field) -> None:
            if field.data and field.data not in agencies:
                raise StopValidation("Select the attendee's agency from the list")

        self.agency.validators = [known]


class NotesForm(FlaskForm):
    notes = text(
        "Notes of the meeting",
        None,
        20_000,
        "What was discussed and decided. The notes of a learning event go to the next panel meeting.",
    )


class ActionForm(FlaskForm):
    what = text("What is to be done?", "Enter what is to be done", 2000)
    owner = line("Who will do it?", "Enter who will do it")
    due_on = DayField(
        "By when? (optional)",
        called="The date it is due",
        required=None,
        ahead=LATEST,
        description="For example, 27 3 2027",
    )


class ConfirmForm(FlaskForm):
    """A confirmation page's button: only the CSRF token."""


# -- the error summary --------------------------------------------------------------------------


def anchor(field: Field) -> str:
    """Where an error summary entry links: a date's (or month's) box in error, or the field."""
    part = getattr(field, "error_part", None)
    return f"{field.name}-{part}" if part else str(field.id)


def error_list(form: Any) -> list[dict[str, str]]:
    """The error summary's entries, each linking to its field (a date: its first box in error)."""
    return [{"text": f.errors[0], "href": f"#{anchor(f)}"} for f in form if f.errors]


def add_errors(
    form: Any, problems: list[dict[str, Any]], aliases: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The service's problems on the fields they name, and the whole error summary."""
    summary = error_list(form)
    for p in problems:
        name = (p.get("field") or "").split(".")[0]
        name = (aliases or {}).get(name, name)
        field = form[name] if name and name in form else None
        if field is None:
            summary.append({"text": p["message"], "href": "#main-content"})
            continue
        if not field.errors:  # a field already in error has its line in the summary
            summary.append({"text": p["message"], "href": f"#{anchor(field)}"})
        field.errors = [*field.errors, p["message"]]
    return summary
