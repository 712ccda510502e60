"""The forms that move a case on: its next status, and another agency of the board let in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import Length

from services.referral.entrypoints.forms.widgets import CharacterCount, Chosen, Radios

MAX_REASON = 2000  # as the API takes it (StatusSchema)

# What each status a case can be moved on to means, for the radios' hints.
STATUS_HINTS = {
    "in_review": "The review has started: the lead reviewers are at work.",
    "report": "The review is finished and its report is being written or approved.",
    "published": "The board has published the report.",
    "not_published": "The board decided not to publish the report, and can say why.",
    "action_plan": "The board is carrying out the action plan that answers the report.",
    "closed": "Nothing more is to be done on the case.",
}


class StatusForm(FlaskForm):
    status = RadioField(
        "What has happened to the case?",
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select what has happened to the case")],
    )
    reason = StringField(
        "Why is the case moving on? (optional)",
        widget=CharacterCount(),
        description="This goes in the case's history, for everyone who reads the case.",
        validators=[Length(max=MAX_REASON, message=f"The reason must be {MAX_REASON:,} characters or fewer")],
    )

    def offer(self, statuses: dict[str, str]) -> None:
        self.status.choices = statuses


class AgencyForm(FlaskForm):
    agency = RadioField(
        "Which agency should also see the case?",
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select the agency that should see the case")],
    )

    def offer(self, agencies: dict[str, str]) -> None:
        self.agency.choices = agencies
