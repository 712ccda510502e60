"""The forms of the quality marker self-assessment and of interim learning. A marker's form has a
rating and evidence for each of its questions, made from the marker the service describes; which
ratings need evidence, and that every question is rated, are the domain's rules (004)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, StringField
from wtforms.validators import Length, StopValidation

from services.reviews.domain.quality import RATINGS
from services.reviews.entrypoints.meeting_forms import (
    LATEST,
    CharacterCount,
    DayField,
    Radios,
    Select,
    line,
    text,
)
from shared.words import plain

EVIDENCE_LIMIT = 20_000  # as the API takes it


def _rating(form: Any, field: Field) -> None:
    if field.data and field.data not in RATINGS:
        raise StopValidation("Select one of the ratings")


class MarkerForm(FlaskForm):
    """The questions of one marker: ``<key>_rating`` and ``<key>_evidence`` for each."""

    @classmethod
    def of(cls, questions: list[dict[str, Any]], formdata: bool) -> MarkerForm:
        class Form(cls):  # type: ignore[valid-type,misc]
            pass

        for n, q in enumerate(questions, start=1):
            setattr(
                Form,
                f"{q['key']}_rating",
                RadioField(
                    f"Question {n}: {q['question']}",
                    widget=Radios(),
                    choices=[(r, plain(r)) for r in RATINGS],
                    validate_choice=False,
                    validators=[_rating],
                ),
            )
            setattr(
                Form,
                f"{q['key']}_evidence",
                StringField(
                    f"What shows this rating? (question {n})",
                    widget=CharacterCount(),
                    description="Not needed for 'Not yet assessed'",
                    validators=[
                        Length(
                            max=EVIDENCE_LIMIT,
                            message=f"The evidence must be {EVIDENCE_LIMIT:,} characters or fewer",
                        )
                    ],
                ),
            )
        if formdata:
            form: MarkerForm = Form()
        else:
            form = Form(
                formdata=None,
                data={
                    **{f"{q['key']}_rating": q["rating"] for q in questions},
                    **{f"{q['key']}_evidence": q["evidence"] or "" for q in questions},
                },
            )
        form.question_keys = [q["key"] for q in questions]
        return form

    def answers(self) -> dict[str, dict[str, str]]:
        """The answers given, as the service takes them; an unrated question is left out."""
        out = {}
        for key in self.question_keys:
            rating = self[f"{key}_rating"].data
            if rating:
                out[key] = {"rating": rating, "evidence": (self[f"{key}_evidence"].data or "").strip()}
        return out


def answer_field(problem_field: str) -> str:
    """The form field a service problem names: answers.<key> -> its rating, answers.<key>.evidence."""
    parts = problem_field.split(".")
    if len(parts) == 3 and parts[0] == "answers":
        return f"{parts[1]}_evidence"
    if len(parts) == 2 and parts[0] == "answers":
        return f"{parts[1]}_rating"
    return problem_field


class InterimForm(FlaskForm):
    improvement = text("What improvement was identified?", "Enter the improvement identified", 5000)
    action_taken = text("What action was taken?", "Enter the action taken", 5000)
    owner = line("Who owns the action?", "Enter who owns the action", hint="A person and their role")
    on = DayField(
        "When was the action taken or due?",
        called="The date of the action",
        required="Enter the date of the action",
        ahead=LATEST,
        description="For example, 27 3 2026",
    )
    agency = SelectField("Agency (optional)", widget=Select(), validate_choice=False)

    def offer(self, agencies: dict[str, str]) -> None:
        self.agency.choices = [("", "Not one agency"), *agencies.items()]

        def known(form: Any, field: Field) -> None:
            if field.data and field.data not in agencies:
                raise StopValidation("Select the agency from the list")

        self.agency.validators = [known]

    def given(self) -> dict[str, Any]:
        return {
            "improvement": self.improvement.data.strip(),
            "action_taken": self.action_taken.data.strip(),
            "owner": self.owner.data.strip(),
            "on": self.on.data,
            "agency": self.agency.data or None,
        }
