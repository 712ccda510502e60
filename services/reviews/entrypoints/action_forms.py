"""The forms of the action plan pages: adding an action, reporting its progress, closing it with the
evidence of its impact, and the board's response that goes with the plan. They check what a page
sent (a field filled in, a real date, an agency of the board, lengths the API also allows); the
rules (an agency of the board, no progress before the action was added, no closing without
evidence) stay in the domain, whose problems the pages put on the fields they name."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, StringField
from wtforms.validators import Email, Length, StopValidation

from services.reviews.domain.actions import RAG
from services.reviews.entrypoints.meeting_forms import (
    DayField,
    Radios,
    Select,
    TextArea,
    TextInput,
    chosen,
    given,
    text,
)

LIMIT = 20_000  # the longest text the API takes
MEASURE_LIMIT = 2_000
ITEM_LIMIT = 2_000  # each item of a list in the board's response
MOST_ITEMS = 50

# The ratings as the pages say them: the words go with the colour, never the colour alone.
RAG_WORDS = {
    "red": "Red: not on track",
    "amber": "Amber: at risk of slipping",
    "green": "Green: on track",
}
RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}
STATUS_TAGS = {"open": "govuk-tag--blue", "overdue": "govuk-tag--red", "closed": "govuk-tag--grey"}


def long_text(label: str, required: str | None, hint: str = "", limit: int = LIMIT) -> StringField:
    """A text box without a count, for text the API takes up to 20,000 characters of."""
    called = label.split(" (")[0]
    return StringField(
        label,
        widget=TextArea(),
        description=hint,
        validators=[
            given(required) if required else _optional,
            Length(max=limit, message=f"{called} must be {limit:,} characters or fewer"),
        ],
    )


def _optional(form: Any, field: Field) -> None:
    """Nothing to check when the box is empty; the length check still runs when it is not."""


def lines_of(field: Field) -> list[str]:
    """The non-blank lines of a box where each line is one item."""
    return [item.strip() for item in (field.data or "").splitlines() if item.strip()]


def _items(called: str, required: str | None) -> Any:
    def check(form: Any, field: Field) -> None:
        items = lines_of(field)
        if not items and required:
            raise StopValidation(required)
        if len(items) > MOST_ITEMS:
            raise StopValidation(f"{called} can have up to {MOST_ITEMS} lines")
        if any(len(item) > ITEM_LIMIT for item in items):
            raise StopValidation(f"Each line of {called.lower()} must be {ITEM_LIMIT:,} characters or fewer")

    return check


def item_list(label: str, called: str, required: str | None, hint: str) -> StringField:
    return StringField(label, widget=TextArea(), description=hint, validators=[_items(called, required)])


class ActionForm(FlaskForm):
    """One action of the plan: the recommendation it answers, who owns it, when it is due and how
    the board will know it worked."""

    recommendation = long_text(
        "Recommendation",
        "Enter the recommendation the action answers",
        "As the review's report words it",
    )
    action = long_text("Action", "Enter what is to be done", "What will be done, and by whom in the agency")
    owner_agency = SelectField(
        "Agency that owns the action",
        widget=Select(),
        validate_choice=False,
        validators=[chosen("Select the agency that owns the action")],
    )
    owner_email = StringField(
        "Email address of the person who owns the action",
        widget=TextInput(),
        description="The person in the agency who answers for the action",
        validators=[
            given("Enter the email address of the person who owns the action"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
        ],
    )
    due_on = DayField(
        "Due date",
        called="The due date",
        required="Enter the date the action is due",
        description="For example, 30 6 2027. A date in the past is allowed for a plan the board already had.",
    )
    success_measure = text(
        "How will the board know it has worked?",
        "Enter how the board will know the action has worked",
        MEASURE_LIMIT,
        "The measure of success, for example an audit's result",
    )

    def offer(self, agencies: dict[str, str]) -> None:
        self.owner_agency.choices = [("", "Choose an agency"), *agencies.items()]

    def given(self) -> dict[str, Any]:
        """What the service layer takes, as the API's schema loads it."""
        return {
            "recommendation": self.recommendation.data.strip(),
            "action": self.action.data.strip(),
            "owner_agency": self.owner_agency.data,
            "owner_email": self.owner_email.data.strip(),
            "due_on": self.due_on.data,
            "success_measure": self.success_measure.data.strip(),
        }


class ProgressForm(FlaskForm):
    reported_on = DayField(
        "Date of the report (optional)",
        called="The date of the report",
        description="For example, 31 3 2027. Leave it blank for today.",
    )
    rag = RadioField(
        "How is the action going?",
        widget=Radios(),
        choices=[(r, RAG_WORDS[r]) for r in RAG],
        validate_choice=False,
        validators=[chosen("Select red, amber or green")],
    )
    note = long_text("What has been done", "Enter what has been done since the last report")
    evidence = long_text(
        "Evidence (optional)", None, "Where the evidence is kept and what it shows, for example an audit"
    )

    def given(self) -> dict[str, Any]:
        return {
            "reported_on": self.reported_on.data,
            "rag": self.rag.data,
            "note": self.note.data.strip(),
            "evidence": (self.evidence.data or "").strip(),
        }


class CloseForm(FlaskForm):
    """The evidence of the action's impact; left empty, the domain refuses to close it."""

    evidence_of_impact = long_text(
        "Evidence of the action's impact",
        None,
        "What changed for children and families, and how the board knows it",
    )


class ResponseForm(FlaskForm):
    """The board's response that goes with the plan: publication, feedback, dissemination, what has
    been done already, its impact and what more will be done."""

    planned_publication_on = DayField(
        "Planned date of publication (optional)",
        called="The planned date of publication",
        description="For example, 30 9 2027",
    )
    publication_notes = long_text("About the publication (optional)", None, "For example, why it is delayed")
    feedback_practitioners = long_text(
        "Feedback to the practitioners", "Enter how the practitioners will be told the review's findings"
    )
    feedback_family = long_text(
        "Feedback to the family", "Enter how the family will be told the review's findings"
    )
    dissemination = item_list(
        "How the learning is shared with the wider workforce",
        "How the learning is shared",
        "Enter at least one way the learning is shared",
        "One way on each line, for example a briefing for designated leads",
    )
    actions_taken = item_list(
        "Actions already taken (optional)", "Actions already taken", None, "One action on each line"
    )
    impact = long_text("Their impact (optional)", None)
    further_work = long_text("What more will be done (optional)", None)

    def given(self) -> dict[str, Any]:
        return {
            "planned_publication_on": self.planned_publication_on.data,
            "publication_notes": (self.publication_notes.data or "").strip(),
            "feedback_practitioners": self.feedback_practitioners.data.strip(),
            "feedback_family": self.feedback_family.data.strip(),
            "dissemination": lines_of(self.dissemination),
            "actions_taken": lines_of(self.actions_taken),
            "impact": (self.impact.data or "").strip(),
            "further_work": (self.further_work.data or "").strip(),
        }
