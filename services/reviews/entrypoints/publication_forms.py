"""The forms of the publication pages. They check what a page sent (a real date, a web address,
lengths the API also allows, a choice made); the rules of publishing stay in the domain
(:mod:`services.reviews.domain.publication`), whose refusals the pages show on the fields they name."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField, Field, RadioField, StringField
from wtforms.validators import Length, StopValidation

from services.reviews.domain.publication import KEEP, WITHDRAW
from services.reviews.entrypoints.meeting_forms import LATEST, chosen, text
from shared.forms import CharacterCount, DayField, Radios, TextInput
from shared.framework import today_in_england

# The API's limits (report_schemas: reasons and advice 5,000 characters, addresses 2,000).
REASON_LIMIT = 5000
URL_LIMIT = 2000
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.I)

# What the domain's problems name, and the field of these forms that gives each.
ALIASES = {"planned_publication_on": "planned_on"}

# The final decision after the Panel's advice, as the radios offer it.
NOT_YET, PUBLISH, NOT_PUBLISH = "not_yet", "publish", "not_publish"
FINAL_CHOICES = [
    (NOT_YET, "The board has not taken its final decision yet"),
    (PUBLISH, "Publish the report after all"),
    (NOT_PUBLISH, "Do not publish the report"),
]
RETENTION_CHOICES = [
    (KEEP, "Keep the report on the website"),
    (WITHDRAW, "Withdraw the report from the website"),
]


def _reason(label: str, hint: str) -> StringField:
    """A reason asked for only with some answers: the form's ``validate_...`` says when."""
    called = label.split(" (")[0]
    return StringField(
        label,
        widget=CharacterCount(),
        description=hint,
        validators=[
            Length(max=REASON_LIMIT, message=f"{called} must be {REASON_LIMIT:,} characters or fewer")
        ],
    )


def _past_day(label: str, called: str, required: str, hint: str = "For example, 27 3 2027") -> DayField:
    return DayField(label, called=called, required=required, past_only=True, description=hint)


class PlanForm(FlaskForm):
    planned_on = DayField(
        "When will the report be published?",
        called="The publication date",
        required="Enter the date the report will be published",
        ahead=LATEST,
        description="The copies go to Ofsted, the DfE and the National Panel 7 working days before "
        "it. For example, 27 3 2027",
    )


class SentOutsideForm(FlaskForm):
    sent_on = _past_day(
        "When were the copies sent?",
        "The date the copies were sent",
        "Enter the date the copies were sent",
    )


class ReasonForm(FlaskForm):
    reason = text(
        "Why should the report not be published?",
        "Say why the report should not be published",
        REASON_LIMIT,
        "For example, publishing it would identify a child or harm their welfare. "
        "The DfE and the National Panel are told this reason.",
    )


class PanelAdviceForm(FlaskForm):
    advice = text("What did the National Panel advise?", "Enter the Panel's advice", REASON_LIMIT)
    received_on = _past_day(
        "When did the advice come?",
        "The date the advice came",
        "Enter the date the advice came",
    )
    final = RadioField(
        "The board's final decision",
        widget=Radios(),
        choices=FINAL_CHOICES,
        validate_choice=False,
        validators=[chosen("Select the board's final decision, or that it has not taken it yet")],
    )
    final_reason = _reason(
        "Why will the report not be published? (if the board decided not to publish)",
        "Ofsted, the DfE and the National Panel are told the final decision.",
    )

    def final_publish(self) -> bool | None:
        return {PUBLISH: True, NOT_PUBLISH: False}.get(self.final.data or "")

    def validate_final_reason(self, field: Field) -> None:
        if self.final.data == NOT_PUBLISH and not (field.data or "").strip():
            raise StopValidation("Say why the report will not be published")


def _web_address(form: Any, field: Field) -> None:
    given = (field.data or "").strip()
    if not given:
        raise StopValidation("Enter the web address of the published report")
    if len(given) > URL_LIMIT:
        raise StopValidation(f"The web address must be {URL_LIMIT:,} characters or fewer")
    if not _URL.match(given):
        raise StopValidation("Enter the web address in full, like https://www.example.org/reviews/child-a")


def _happened(form: Any, field: DayField) -> None:
    """Not after the reviews service's today (the page gives it as ``form.today``), which the
    domain also measures the publication against."""
    today = getattr(form, "today", None) or today_in_england()
    if field.data is not None and field.data > today:
        raise StopValidation(f"{field.called} must be today or in the past")


class PublishedForm(FlaskForm):
    today: date | None = None  # the reviews service's today, given by the page
    published_on = DayField(
        "When was the report published?",
        called="The publication date",
        required="Enter the date the report was published",
        description="For example, 27 3 2027",
        validators=[_happened],
    )
    url = StringField(
        "Web address of the published report",
        widget=TextInput(),
        description="Where it is on the board's website, starting https://",
        validators=[_web_address],
    )
    reviewed = BooleanField(
        "I have checked what the published copy replaced (names, dates of birth, addresses and "
        "NHS numbers) and nothing in it identifies the child or the family",
        widget=GovCheckboxInput(),
    )

    def validate_reviewed(self, field: Field) -> None:
        if not field.data:
            raise StopValidation("Confirm that you checked the replacements in the published copy")


class RetentionForm(FlaskForm):
    decision = RadioField(
        "Should the report stay on the board's website?",
        widget=Radios(),
        choices=RETENTION_CHOICES,
        validate_choice=False,
        validators=[chosen("Select whether to keep the report on the website or withdraw it")],
    )
    decided_on = _past_day(
        "When was this decided?",
        "The date of the decision",
        "Enter the date of the decision",
    )
    reason = _reason(
        "Why? (needed to withdraw it)",
        "A withdrawn report is still given to anyone who asks for it.",
    )

    def validate_reason(self, field: Field) -> None:
        if self.decision.data == WITHDRAW and not (field.data or "").strip():
            raise StopValidation("Say why the report is withdrawn from the website")
