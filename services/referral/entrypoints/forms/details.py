"""The pages asking when it happened, who was involved, who refers, what happened in words,
and the child's details."""

from __future__ import annotations

from datetime import date
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectMultipleField, StringField
from wtforms.validators import Email, Length, Optional, Regexp, StopValidation

from services.referral.domain.journey import NONE
from services.referral.domain.referral import child_problems, date_problems, summary_problems
from services.referral.entrypoints.forms.dates import DateParts, date_raw
from services.referral.entrypoints.forms.steps import State, StepForm
from services.referral.entrypoints.forms.widgets import CharacterCount, Checkboxes, Chosen, Radios
from services.referral.entrypoints.forms.words import show_date
from services.referral.service_layer.drafts import JourneyContext

NO_AGENCY = "None: no agency was involved with the child"


class DatesForm(StepForm):
    slug = "dates"
    title = "When did it happen?"
    anchors = {
        "incident_on": "incident_on-day",
        "became_aware_on": "became_aware_on-day",
        "board_notified_on": "became_aware_on-day",
    }
    partial = "dates.html"

    incident_on = DateParts(
        "When did the incident happen?",
        called="The date of the incident",
        required="Enter the date of the incident",
        description="For example, 27 3 2025",
    )
    became_aware_on = DateParts(
        "When did the local authority become aware of it?",
        called="The date the local authority became aware",
        required="Enter the date the local authority became aware of the incident",
        description="For example, 28 3 2025",
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        incident, aware = self.incident_on.data, self.became_aware_on.data
        if ok and incident is not None and aware is not None:
            for problem in date_problems(incident, aware):
                self[problem["field"]].fail(problem["message"])
                ok = False
        return bool(ok)

    @classmethod
    def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
        return MultiDict({k: date_raw(state.get(k)) for k in cls.keys if state.get(k)})

    def answers(self) -> dict[str, Any]:
        return {
            "incident_on": self.incident_on.entered().isoformat(),
            "became_aware_on": self.became_aware_on.entered().isoformat(),
        }

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        return [
            ("Date of the incident", show_date(state.get("incident_on"))),
            ("Date the local authority became aware", show_date(state.get("became_aware_on"))),
        ]


class AgenciesForm(StepForm):
    slug = "agencies"
    title = "Which agencies were involved with the child?"
    anchors = {"agencies_involved": "agencies_involved"}

    agencies_involved = SelectMultipleField(
        "Which agencies were involved with the child?",
        widget=Checkboxes(),
        description="Select all that apply.",
        validate_choice=False,
        validators=[Chosen("Select the agencies that were involved with the child")],
    )

    def prepare(self, ctx: JourneyContext) -> None:
        self.agencies_involved.choices = {**ctx.agencies, NONE: NO_AGENCY}

    def validate_agencies_involved(self, field: Field) -> None:
        if NONE in (field.data or []) and len(field.data) > 1:
            raise StopValidation("Select the agencies that were involved, or that none was, not both")

    def answers(self) -> dict[str, Any]:
        return {"agencies_involved": [c for c in self.agencies_involved.data if c != NONE]}

    @classmethod
    def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
        if "agencies_involved" in state and not state["agencies_involved"]:
            return MultiDict([("agencies_involved", NONE)])  # answered: known to no agency
        return MultiDict([("agencies_involved", code) for code in state.get("agencies_involved", [])])

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        if "agencies_involved" not in state:
            return [("Agencies involved", "")]
        codes = state["agencies_involved"]
        return [("Agencies involved", ", ".join(ctx.agencies.get(c, c) for c in codes) or NO_AGENCY)]


class ReferrerForm(StepForm):
    slug = "referrer"
    title = "Who is making this referral?"
    anchors = {
        "referrer.name": "referrer_name",
        "referrer.agency": "referrer_agency",
        "referrer.email": "referrer_email",
        "referrer": "referrer_name",
    }
    partial = "referrer.html"

    referrer_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[Length(max=200, message="Your name must be 200 characters or fewer")],
    )
    referrer_agency = RadioField(
        "Your agency",
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select your agency")],
    )
    referrer_email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[Length(max=254, message="The email address must be 254 characters or fewer")],
    )

    def prepare(self, ctx: JourneyContext) -> None:
        self.referrer_agency.choices = dict(ctx.agencies)

    def validate_referrer_name(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation("Enter your full name")

    def validate_referrer_email(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation("Enter your email address")
        Email("Enter an email address in the correct format, like name@example.org")(self, field)

    @classmethod
    def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
        given = state.get("referrer") or {
            "name": ctx.name,
            "agency": ctx.agency or "",
            "email": ctx.email,
        }
        return MultiDict({f"referrer_{k}": v for k, v in given.items() if v})

    def answers(self) -> dict[str, Any]:
        return {
            "referrer": {
                "name": self.referrer_name.data.strip(),
                "agency": self.referrer_agency.data,
                "email": self.referrer_email.data.strip(),
            }
        }

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        r = state.get("referrer") or {}
        code = str(r.get("agency") or "")
        agency = ctx.agencies.get(code, code)
        return [("Referrer", ", ".join(v for v in (r.get("name"), agency, r.get("email")) if v))]


class SummaryForm(StepForm):
    slug = "summary"
    title = "What happened?"
    anchors = {"summary": "summary"}
    partial = "summary.html"

    summary = StringField(
        "What happened?",
        widget=CharacterCount(),
        description="Describe the incident and what led to it, in plain words. Do not include "
        "the child's name here: you can give it on the next page.",
        validators=[Length(max=10000, message="The summary must be 10,000 characters or fewer")],
    )

    def validate_summary(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation("Enter a summary of what happened")
        for problem in summary_problems(field.data):
            raise StopValidation(problem["message"])

    def answers(self) -> dict[str, Any]:
        return {"summary": self.summary.data.strip()}

    @classmethod
    def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
        return MultiDict({"summary": state["summary"]} if "summary" in state else {})

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        return [("Summary of what happened", state.get("summary", ""))]


NHS_NUMBER = r"^\d{3} ?\d{3} ?\d{4}$"  # as the API's ChildSchema
NHS_EXAMPLE = "943 476 5919"  # a number whose check digit is right


class ChildForm(StepForm):
    """Optional; kept in the draft's encrypted ``child`` field, not with the other answers."""

    slug = "child"
    title = "The child's details"
    anchors = {
        "child.name": "child_name",
        "child.date_of_birth": "child_date_of_birth-day",
        "child.address": "child_address",
        "child.nhs_number": "child_nhs_number",
        "child": "child_name",
    }
    partial = "child.html"

    child_name = StringField(
        "Full name (optional)",
        widget=GovTextInput(),
        validators=[Length(max=200, message="The child's name must be 200 characters or fewer")],
    )
    child_date_of_birth = DateParts(
        "Date of birth (optional)",
        called="The child's date of birth",
        autocomplete="bday",
        description="For example, 27 3 2012",
    )
    child_address = StringField(
        "Address (optional)",
        widget=GovTextArea(),
        validators=[Length(max=500, message="The address must be 500 characters or fewer")],
    )
    child_nhs_number = StringField(
        "NHS number (optional)",
        widget=GovTextInput(),
        description=f"A 10-digit number, like {NHS_EXAMPLE}",
        validators=[
            Optional(),
            Regexp(NHS_NUMBER, message=f"Enter the NHS number as 10 digits, like {NHS_EXAMPLE}"),
        ],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not ok:
            return False
        incident = self.state.get("incident_on")
        dob = self.child_date_of_birth.data
        given = {"nhs_number": (self.child_nhs_number.data or "").strip(), "date_of_birth": dob}
        for problem in child_problems(given, date.fromisoformat(incident) if incident else None):
            field = self["child_" + problem["field"].split(".")[1]]
            if isinstance(field, DateParts):
                field.fail(problem["message"])
            else:
                field.errors = [*field.errors, problem["message"]]
            ok = False
        return ok

    @classmethod
    def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
        child = state.get("child") or {}
        out: MultiDict[str, Any] = MultiDict()
        for name in ("name", "address", "nhs_number"):
            if child.get(name):
                out.add(f"child_{name}", child[name])
        for part in date_raw(child.get("date_of_birth")):
            out.add("child_date_of_birth", part)
        return out

    def answers(self) -> dict[str, Any]:
        dob = self.child_date_of_birth.data
        return {
            "child": {
                "name": (self.child_name.data or "").strip() or None,
                "date_of_birth": dob.isoformat() if dob else None,
                "address": (self.child_address.data or "").strip() or None,
                "nhs_number": (self.child_nhs_number.data or "").strip() or None,
            }
        }

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        child = state.get("child") or {}
        not_given = "Not given"
        return [
            ("Child's name", child.get("name") or not_given),
            ("Child's date of birth", show_date(child.get("date_of_birth")) or not_given),
            ("Child's address", child.get("address") or not_given),
            ("Child's NHS number", child.get("nhs_number") or not_given),
        ]
