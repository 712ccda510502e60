"""The Chair's decision page: its form and the lead reviewers' rows."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import Field, FieldList, Form, FormField, RadioField, SelectMultipleField, StringField
from wtforms.validators import Email, Length, Optional

from services.referral.domain import case as rules
from services.referral.entrypoints.forms.dates import DateParts
from services.referral.entrypoints.forms.widgets import Checkboxes, Chosen, Radios
from services.referral.entrypoints.forms.words import OUTCOME_LABELS
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS


class ReviewerForm(Form):
    """One lead reviewer; a row left empty is ignored."""

    name = StringField("Full name", widget=GovTextInput(), validators=[Length(max=200)])
    organisation = StringField("Organisation", widget=GovTextInput(), validators=[Length(max=200)])
    email = StringField(
        "Email address (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=254),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
    )

    def blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.name, self.organisation, self.email))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.blank():
            if not (self.name.data or "").strip():
                self.name.errors.append("Enter the lead reviewer's full name")
                ok = False
            if not (self.organisation.data or "").strip():
                self.organisation.errors.append("Enter the lead reviewer's organisation")
                ok = False
        return ok


# One row per lead reviewer the domain allows.
MAX_REVIEWERS = rules.MAX_LEAD_REVIEWERS


class DecisionForm(FlaskForm):
    outcome = RadioField(
        "What has the Chair decided?",
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select the Chair's decision")],
    )
    decided_on = DateParts(
        "Date of the decision",
        called="The date of the decision",
        required="Enter the date of the decision",
    )
    initiated_on = DateParts(
        "Date the review starts (optional)",
        called="The date the review starts",
        past_only=False,
        description="Leave this empty if the review starts on the day of the decision, or if "
        "there will be no review.",
    )
    rationale = StringField(
        "Reasons for the decision",
        widget=GovTextArea(),
        validators=[Length(max=20000, message="The reasons must be 20,000 characters or fewer")],
    )
    lead_reviewers = FieldList(FormField(ReviewerForm), min_entries=MAX_REVIEWERS, max_entries=MAX_REVIEWERS)
    case_factors = SelectMultipleField(
        "Case factors",
        widget=Checkboxes(),
        choices=dict(CASE_FACTORS),
        validate_choice=True,
        invalid_choice_message="Select case factors from the list",
    )
    context_factors = SelectMultipleField(
        "Context factors",
        widget=Checkboxes(),
        choices=dict(CONTEXT_FACTORS),
        validate_choice=True,
        invalid_choice_message="Select context factors from the list",
    )

    def offer(self, recommended: str) -> None:
        """The domain's outcomes, the screening's recommendation first."""
        order = [recommended, *(o for o in rules.OUTCOMES if o != recommended)]
        self.outcome.choices = {o: OUTCOME_LABELS[o] for o in order}

    def reviewers(self) -> list[dict[str, str | None]]:
        out: list[dict[str, str | None]] = []
        for entry in self.lead_reviewers:
            row: ReviewerForm = entry.form
            if not row.blank():
                out.append(
                    {
                        "name": row.name.data.strip(),
                        "organisation": row.organisation.data.strip(),
                        "email": (row.email.data or "").strip() or None,
                    }
                )
        return out

    def anchor(self, field_name: str | None) -> tuple[Field | None, str]:
        """The field and element id for a field the decision rules name."""
        parts = (field_name or "").split(".")
        if parts[0] == "lead_reviewers":
            index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            sub = parts[2] if len(parts) > 2 else "name"
            entry = self.lead_reviewers[min(index, MAX_REVIEWERS - 1)].form
            return entry[sub], entry[sub].id
        if parts[0] == "proportionality" and len(parts) > 1 and parts[1] in self:
            return self[parts[1]], self[parts[1]].id
        if parts[0] in ("decided_on", "initiated_on"):
            return self[parts[0]], f"{parts[0]}-day"
        if parts[0] in self:
            return self[parts[0]], self[parts[0]].id
        return None, "outcome"


class CsrfOnlyForm(FlaskForm):
    """A form with nothing to fill in but the CSRF token: the final submit."""
