"""The forms around the decision: the rapid review before it, a challenge, and keeping the
decision after a challenge."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, StringField
from wtforms.validators import Length, Optional, StopValidation

from services.referral.entrypoints.forms.dates import DateParts
from services.referral.entrypoints.forms.widgets import CharacterCount, Chosen, Radios
from services.referral.entrypoints.forms.words import YES_NO


def _text(label: str, required: str, *, description: str = "") -> StringField:
    def given(form: FlaskForm, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation(required)

    return StringField(
        label,
        widget=CharacterCount(),
        description=description,
        validators=[given, Length(max=20000, message="Enter 20,000 characters or fewer")],
    )


class RapidReviewForm(FlaskForm):
    completed_on = DateParts(
        "When did the safeguarding partners complete the rapid review?",
        called="The date the rapid review was completed",
        required="Enter the date the rapid review was completed",
    )
    recommends_local_review = RadioField(
        "Does the rapid review recommend a local child safeguarding practice review?",
        choices=YES_NO,
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select yes if the rapid review recommends a local review")],
    )
    suggests_national_review = RadioField(
        "Does it suggest the case may need a national review by the Panel?",
        choices=YES_NO,
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select yes if the rapid review suggests a national review")],
    )
    summary = _text(
        "What did the rapid review find?",
        "Enter what the rapid review found",
        description="The facts established, any immediate action taken, the learning it points to, "
        "and why it recommends what it does. It goes to the Child Safeguarding Practice Review Panel.",
    )


class ChallengeForm(FlaskForm):
    challenged_by = RadioField(
        "Who challenged the decision?",
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select who challenged the decision")],
    )
    challenged_on = DateParts(
        "Date of the challenge",
        called="The date of the challenge",
        required="Enter the date of the challenge",
    )
    summary = _text("What did the challenge say?", "Enter what the challenge said")

    def offer(self, decided: bool, panel: str) -> None:
        """Before the decision, only a peer Chair's challenge (003 checklist)."""
        peer = "Another board's Chair (peer challenge)"
        self.challenged_by.choices = {"peer": peer, "national_panel": panel} if decided else {"peer": peer}


class ConfirmForm(FlaskForm):
    confirmed_on = DateParts(
        "Date the decision was kept",
        called="The date the decision was kept",
        required="Enter the date the decision was kept",
    )
    rationale = _text(
        "Why does the decision stand?",
        "Enter why the decision stands",
        description="Those who were told of the decision are told the final outcome with these reasons.",
    )
    chair = RadioField(
        "Which Chair kept the decision?",
        widget=Radios(),
        validate_choice=False,
        validators=[Optional()],
    )

    def offer(self, chairs: dict[str, str] | None) -> None:
        if chairs is None:
            del self.chair
        else:
            self.chair.choices = dict(chairs)
            self.chair.validators = [Chosen("Select the Chair who kept the decision")]
