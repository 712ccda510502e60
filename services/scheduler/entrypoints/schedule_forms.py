"""The scheduler's forms: waiving a deadline, and planning and changing a review's timetable.

They check what a page sent (a date is real, a reason given); the rules stay in the domain and
the handlers, which the API calls too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, StringField
from wtforms.validators import Length, StopValidation

from shared.forms import CharacterCount, DayField, Radios

__all__ = ["CharacterCount", "DayField", "Radios"]

MAX_REASON = 2000  # as the API takes it
ALIASES = {"process": "held_by"}  # the API's field names that a form calls otherwise


def _reason(label: str, required: str, description: str = "") -> StringField:
    def given(form: Any, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation(required)

    return StringField(
        label,
        widget=CharacterCount(),
        description=description,
        validators=[
            given,
            Length(max=MAX_REASON, message=f"The reason must be {MAX_REASON:,} characters or fewer"),
        ],
    )


class WaiveForm(FlaskForm):
    reason = _reason(
        "Why does this deadline no longer apply?",
        "Enter why the deadline is waived",
        "The reason is kept with the deadline and shown to everyone who reads the schedule.",
    )
    # Set by the confirmation page: the user saw what waiving means and confirmed it.
    confirmed = HiddenField()


class PlanForm(FlaskForm):
    template = RadioField(
        "Which timetable does the review follow?",
        widget=Radios(),
        validate_choice=False,
    )
    start_on = DayField(
        "When does the review start?",
        called="The date the review starts",
        required="Enter the date the review starts",
    )
    review_period_start = DayField(
        "When does the period under review start?",
        called="The start of the period under review",
        required="Enter the start of the period under review",
        past_only=True,
        description="The review looks at what happened from this date up to the incident.",
    )
    exceptional_reason = StringField(
        "Why does the period under review start so long before the incident? (optional)",
        widget=CharacterCount(),
        description="Needed only when the period is longer than the guidance expects.",
        validators=[Length(max=MAX_REASON, message=f"The reason must be {MAX_REASON:,} characters or fewer")],
    )

    def offer(self, templates: dict[str, str]) -> None:
        self.template.choices = templates

        def chosen(form: Any, field: Field) -> None:
            if field.data not in templates:
                raise StopValidation("Select the timetable the review follows")

        self.template.validators = [chosen]


class ReplanForm(FlaskForm):
    planned_on = DayField(
        "When is the stage now planned to finish?",
        called="The new date",
        required="Enter the new date",
    )
    reason = _reason("Why does the date change?", "Enter why the date changes")

    def configure(self, ahead: timedelta) -> None:
        self.planned_on.ahead = ahead


class DoneForm(FlaskForm):
    done_on = DayField(
        "When was the stage finished?",
        called="The date the stage was finished",
        required="Enter the date the stage was finished",
        past_only=True,
    )


def error_list(form: Any) -> list[dict[str, str]]:
    """The error summary's entries, each linking to its field's first box."""
    out = []
    for f in form:
        if f.errors:
            anchor = f"{f.name}-{f.error_part}" if isinstance(f, DayField) else f.id
            out.append({"text": f.errors[0], "href": f"#{anchor}"})
    return out


def add_errors(form: Any, problems: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The handler's problems on the fields they name, and the whole error summary."""
    summary = error_list(form)
    for p in problems:
        name = (p.get("field") or "").split(".")[0]
        name = ALIASES.get(name, name)
        field = form[name] if name in form else None
        if field is None:
            summary.append({"text": p["message"], "href": "#main-content"})
            continue
        field.errors = [*field.errors, p["message"]]
        anchor = f"{field.name}-{field.error_part}" if isinstance(field, DayField) else field.id
        summary.append({"text": p["message"], "href": f"#{anchor}"})
    return summary


SCOPE_LABELS = {
    "review": "The whole review",
    "family_involvement": "Only the stages that involve the family",
}


class PauseForm(FlaskForm):
    # Not ``process``: that is the form's own method. The API's ``process`` is this field.
    held_by = RadioField("Which process holds the review?", widget=Radios(), validate_choice=False)
    paused_on = DayField(
        "From when does it hold the review?",
        called="The date the hold starts",
        required="Enter the date the hold starts",
    )
    scope = RadioField(
        "What does it hold?",
        widget=Radios(),
        choices=SCOPE_LABELS,
        default="review",
        validate_choice=False,
    )
    note = StringField(
        "Notes (optional)",
        widget=CharacterCount(),
        description="For example, the trial date, or who the police contact is.",
        validators=[Length(max=MAX_REASON, message=f"The notes must be {MAX_REASON:,} characters or fewer")],
    )

    def offer(self, processes: dict[str, str]) -> None:
        self.held_by.choices = processes

        def chosen(form: Any, field: Field) -> None:
            if field.data not in processes:
                raise StopValidation("Select the process that holds the review")

        def scoped(form: Any, field: Field) -> None:
            if field.data not in SCOPE_LABELS:
                raise StopValidation("Select what the process holds")

        self.held_by.validators = [chosen]
        self.scope.validators = [scoped]


class ResumeForm(FlaskForm):
    resumed_on = DayField(
        "When did the hold end?",
        called="The date the hold ended",
        required="Enter the date the hold ended",
        past_only=True,
    )
