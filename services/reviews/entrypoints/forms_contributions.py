"""The forms of the contribution pages: asking an agency for one, a chronology's entry, importing
a chronology from a CSV file, the sections of an analysis report or the answers of a single agency
review, and returning a contribution with comments."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from marshmallow import ValidationError
from marshmallow.validate import Email
from wtforms import Field, RadioField, SelectField
from wtforms.validators import StopValidation

from services.reviews.domain.vocabulary import (
    CONTRIBUTION_KINDS,
    KEY_QUESTIONS,
    SAAR_SECTIONS,
    SIGNIFICANCE_QUESTIONS,
)
from services.reviews.entrypoints.forms_common import (
    DayField,
    Radios,
    Select,
    chosen,
    line,
    text,
)
from services.reviews.entrypoints.schemas import TIME
from shared.words import plain

YES_NO = [("yes", "Yes"), ("no", "No")]
ANSWER = {"yes": True, "no": False}
SHOWN_ANSWER = {True: "yes", False: "no"}


class RequestForm(FlaskForm):
    agency = SelectField(
        "Which agency is asked?",
        widget=Select(),
        validate_choice=False,
        validators=[chosen("Select the agency")],
    )
    kind = RadioField(
        "What is the agency asked for?",
        widget=Radios(),
        choices=[(k, plain(k)) for k in CONTRIBUTION_KINDS],
        validate_choice=False,
        validators=[chosen("Select what the agency is asked for")],
    )
    due_on = DayField("When is it due? (optional)", called="The due date")
    contact_name = line("Contact's name (optional)")
    contact_email = line("Contact's email address (optional)", limit=254)

    def validate_contact_email(self, field: Field) -> None:
        value = (field.data or "").strip()
        if value:
            try:
                Email()(value)  # as the API checks it
            except ValidationError:
                raise StopValidation("Enter an email address like name@example.org") from None

    def offer(self, agencies: dict[str, str]) -> None:
        self.agency.choices = [("", "Choose an agency"), *agencies.items()]


def _time(form: Any, field: Field) -> None:
    value = (field.data or "").strip()
    if value:
        try:
            TIME(value)  # as the API checks it
        except ValidationError as exc:
            raise StopValidation(str(exc.messages[0])) from None


class EntryForm(FlaskForm):
    date = DayField("Date", called="The date of the event", required="Enter the date of the event")
    time = line("Time (optional)", limit=5)
    event = text("What happened", "Say what happened", limit=5000)
    source = line("Source record", "Name the record this comes from")
    significance = text("Why it is significant (optional)")
    changed_assessment = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    pattern = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    statutory_event = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    significant_to_child = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    significant_to_adult = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    learning_point = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time.validators = [*self.time.validators, _time]
        self.time.description = "On the 24-hour clock, for example 09:30"
        for key, words in SIGNIFICANCE_QUESTIONS.items():
            self[key].label.text = words

    def fill(self, entry: dict[str, Any]) -> None:
        self.date.data = date.fromisoformat(entry["date"])
        for key in ("time", "event", "source", "significance"):
            self[key].data = entry.get(key) or ""
        for key in SIGNIFICANCE_QUESTIONS:
            self[key].data = SHOWN_ANSWER.get(entry.get(key))  # type: ignore[arg-type]

    def given(self) -> dict[str, Any]:
        """The entry as the API's body gives it."""
        return {
            "date": self.date.data,
            "time": (self.time.data or "").strip() or None,
            "event": (self.event.data or "").strip(),
            "source": (self.source.data or "").strip(),
            "significance": (self.significance.data or "").strip() or None,
            **{k: ANSWER.get(self[k].data or "") for k in SIGNIFICANCE_QUESTIONS},
        }


class ImportForm(FlaskForm):
    file = FileField("Upload a CSV file", widget=GovFileInput())


def writing_form(kind: str, formdata: bool = True) -> FlaskForm:
    """The form of an analysis report's seven sections (002 Appendix 1) or a single agency
    review's six answers (000 §2): long text fields, any of them left empty while a draft."""
    headings = (
        {k: plain(k) for k in SAAR_SECTIONS}
        if kind == "single_agency_analysis_report"
        else dict(KEY_QUESTIONS)
    )

    class WritingForm(FlaskForm):
        pass

    for key, heading in headings.items():
        setattr(WritingForm, key, text(heading))
    return WritingForm() if formdata else WritingForm(formdata=None)


class ReturnForm(FlaskForm):
    comments = text(
        "What should the agency change?",
        "Say what the agency should change",
        limit=5000,
        description="The agency's author sees these comments at the top of the contribution.",
    )
