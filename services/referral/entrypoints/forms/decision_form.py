"""The decision page: its form and the lead reviewers' rows (records with their declarations)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Email, Length, Optional

from services.referral.domain.decision import MAX_LEAD_REVIEWERS
from services.referral.domain.reviewers import DECLARATIONS
from services.referral.entrypoints.forms.dates import DateParts
from services.referral.entrypoints.forms.widgets import CharacterCount, Checkboxes, Chosen, Radios
from services.referral.entrypoints.forms.words import METHOD_LABELS, OUTCOME_LABELS
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS

NONE_DECLARED = "none"
DECLARATION_LABELS = {key: f"The reviewer {meaning}" for key, meaning in DECLARATIONS.items()}


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
    agency = SelectField(
        "Does the reviewer belong to one of the board's agencies?",
        widget=GovSelect(),
        validate_choice=False,
    )
    qualifications = StringField(
        "Qualifications and experience (required for a Serious Case Review)",
        widget=CharacterCount(),
        validators=[Length(max=2000, message="The qualifications must be 2,000 characters or fewer")],
    )
    declarations = SelectMultipleField(
        "Declarations of independence",
        widget=Checkboxes(),
        choices={**DECLARATION_LABELS, NONE_DECLARED: "None of these applies to the reviewer"},
        validate_choice=True,
        invalid_choice_message="Select the declarations from the list",
    )

    def blank(self) -> bool:
        return not any(
            (f.data or "").strip() for f in (self.name, self.organisation, self.email, self.qualifications)
        ) and not (self.agency.data or self.declarations.data)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.blank():
            if not (self.name.data or "").strip():
                self.name.errors.append("Enter the lead reviewer's full name")
                ok = False
            if not (self.organisation.data or "").strip():
                self.organisation.errors.append("Enter the lead reviewer's organisation")
                ok = False
            ticked = set(self.declarations.data or ())
            if NONE_DECLARED in ticked and len(ticked) > 1:
                self.declarations.errors.append(
                    "Select the declarations that apply, or that none of them applies, not both"
                )
                ok = False
        return ok

    def record(self) -> dict[str, Any]:
        ticked = set(self.declarations.data or ())
        return {
            "name": (self.name.data or "").strip(),
            "organisation": (self.organisation.data or "").strip(),
            "email": (self.email.data or "").strip() or None,
            "agency": self.agency.data or None,
            "qualifications": (self.qualifications.data or "").strip(),
            # Nothing ticked: nothing declared (an SCR then asks for it).
            "declarations": {k: k in ticked for k in DECLARATIONS} if ticked else {},
        }


# One row per lead reviewer the domain allows.
MAX_REVIEWERS = MAX_LEAD_REVIEWERS


class DecisionForm(FlaskForm):
    outcome = RadioField(
        "What has been decided?",
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select the decision")],
    )
    chair = RadioField(
        "Which Chair made the decision?",
        widget=Radios(),
        validate_choice=False,
        description="You are recording the decision for them: letters name the Chair.",
    )
    method = RadioField(
        "Method of the Serious Case Review",
        widget=Radios(),
        choices=METHOD_LABELS,
        validate_choice=False,
        validators=[Optional()],
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
        widget=CharacterCount(),
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

    def offer(
        self, recommended: str, options: list[str], agencies: dict[str, str], chairs: dict[str, str] | None
    ) -> None:
        """The case's pack's outcomes, the screening's recommendation first; the board's agencies;
        the board's Chairs when whoever records the decision is not one (``chairs`` None)."""
        order = [recommended, *(o for o in options if o != recommended)]
        self.outcome.choices = {o: OUTCOME_LABELS[o] for o in order}
        for entry in self.lead_reviewers:
            entry.form.agency.choices = [("", "No, none of them"), *agencies.items()]
        if chairs is None:
            del self.chair
        else:
            self.chair.choices = dict(chairs)
            self.chair.validators = [Chosen("Select the Chair who made the decision")]

    def _rows(self) -> list[int]:
        """The rows given, in order: the decision rules number the lead reviewers by them."""
        return [i for i, entry in enumerate(self.lead_reviewers) if not entry.form.blank()]

    def reviewers(self) -> list[dict[str, Any]]:
        return [self.lead_reviewers[i].form.record() for i in self._rows()]

    def value(self, name: str) -> Any:
        """A field's answer, or None when the page refused it (the rules then skip it)."""
        field = self[name] if name in self else None
        return None if field is None or field.errors else field.data

    def problems(self) -> list[dict[str, Any]]:
        """The page's own refusals, named as the decision rules name fields."""
        out: list[dict[str, Any]] = []
        rows = self._rows()
        for f in self:
            if isinstance(f, FieldList):
                for i, entry in enumerate(f):
                    for sub in entry.form:
                        for message in sub.errors:
                            k = rows.index(i) if i in rows else i
                            out.append({"field": f"lead_reviewers.{k}.{sub.short_name}", "message": message})
                continue
            name = f"proportionality.{f.name}" if f.name in ("case_factors", "context_factors") else f.name
            out += [{"field": name, "message": message} for message in f.errors[:1]]
        return out

    def anchor(self, field_name: str | None) -> tuple[Field | None, str]:
        """The field and element id for a field the decision rules name."""
        parts = (field_name or "").split(".")
        if parts[0] == "lead_reviewers":
            index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            rows = self._rows()
            row = rows[index] if index < len(rows) else min(index, MAX_REVIEWERS - 1)
            sub = parts[2] if len(parts) > 2 else "name"
            entry = self.lead_reviewers[row].form
            target = entry[sub] if sub in entry else entry.name
            return target, target.id
        if parts[0] == "proportionality" and len(parts) > 1 and parts[1] in self:
            return self[parts[1]], self[parts[1]].id
        if parts[0] in ("decided_on", "initiated_on"):
            return self[parts[0]], f"{parts[0]}-day"
        if parts[0] in self:
            return self[parts[0]], self[parts[0]].id
        return None, "outcome"


class CsrfOnlyForm(FlaskForm):
    """A form with nothing to fill in but the CSRF token: the final submit."""
