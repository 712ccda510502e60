"""Forms of the referral service's pages: the referral journey, one question per page, and the
Chair's decision.

The journey is a list of steps (:data:`STEPS`). Each step is a form that knows which answers
it owns, when it applies, how to show stored answers again (:meth:`StepForm.raw`) and how to
read them off a valid form (:meth:`StepForm.answers`). Answers live in the store's ``Draft``
until the final submit; the child's details go to the draft's encrypted ``child`` field.

The rules themselves stay in the domain and the handlers: the forms only make sure each page
was answered in a usable way, and the final submit checks everything again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from werkzeug.datastructures import MultiDict
from wtforms import Field, FieldList, Form, FormField, RadioField, SelectMultipleField, StringField
from wtforms.validators import Email, Length, Optional, Regexp, StopValidation

from services.referral.domain import case as rules
from services.referral.domain.screening import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    DEATH_ONLY_FIELDS,
    INTERAGENCY_CONCERN,
    MAX_CHILD_AGE,
    MIN_CHILD_AGE,
    REGULATED_SETTINGS,
    Facts,
)
from services.referral.service_layer.handlers import SubmitReferral, today
from shared.framework import REVIEW_KIND_LABELS

# -- Words shown for the domain's values ---------------------------------------------------

WHAT_HAPPENED = {
    "died": "The child died",
    "seriously_harmed": "The child was seriously harmed",
    "neither": "Neither: the child did not die and was not seriously harmed",
}
CUSTODY_LABELS = {
    "police_custody": "In police custody",
    "remand": "On remand",
    "following_sentence": "In custody following sentencing",
    "young_offender_institution": "In a Young Offender Institution",
    "secure_training_centre": "In a secure training centre",
    "secure_childrens_home": "In a secure children's home",
    "custody": "In another kind of custody",
}
REGULATED_LABELS = {
    "childcare_domestic": "Childcare on domestic premises",
    "childcare_non_domestic": "Childcare on non-domestic premises",
    "home_childcarer": "A home childcarer",
    "childminder": "A childminder",
    "childrens_home": "A children's home",
    "secure_childrens_home": "A secure children's home",
    "adoption_support_agency": "An adoption support agency",
    "voluntary_adoption_agency": "A voluntary adoption agency",
    "independent_fostering_agency": "An independent fostering agency",
    "residential_family_centre": "A residential family centre",
    "holiday_scheme_disabled_children": "A holiday scheme for disabled children",
}
ABUSE_LABELS = {
    "known": "Known",
    "suspected": "Suspected",
    "not_suspected": "Not suspected",
}
CONCERN_LABELS = {
    "yes": "Yes, there is concern",
    "no": "No, it is clear they worked together well",
    "unclear": "It is not clear yet",
}
OUTCOME_LABELS = REVIEW_KIND_LABELS
NONE = "none"  # the "not in custody" / "not in a regulated setting" answer
YES_NO = {"yes": "Yes", "no": "No"}

assert set(CUSTODY_LABELS) == set(CUSTODY_SETTINGS)
assert set(REGULATED_LABELS) == set(REGULATED_SETTINGS)
assert set(ABUSE_LABELS) == set(ABUSE_OR_NEGLECT)
assert set(CONCERN_LABELS) == set(INTERAGENCY_CONCERN)
assert set(OUTCOME_LABELS) == set(rules.OUTCOMES)


# The scheduler's deadline codes (services/scheduler/domain/rules.py), as the case list shows them.
DEADLINE_LABELS = {
    "incident_notification": "Incident reported to Ofsted and the board",
    "scr_decision": "Chair's decision on a Serious Case Review",
    "decision_notification": "Decision sent to Ofsted, the DfE and the National Panel",
    "national_panel_decision_notification": "Decision sent to the National Panel",
    "review_completion": "Review complete",
    "review_completion_incident_limit": "Review complete within 12 months of the incident",
    "pre_publication_copies": "Final report sent before publication",
    "publication_retention": "Report kept on the board's website",
    "action_plan_progress": "Action plan progress reported",
}


def words(value: str | None) -> str:
    """A code such as ``awaiting_decision`` as words: "Awaiting decision"."""
    return (value or "").replace("_", " ").capitalize()


def sentence(value: str | None) -> str:
    """Text with its first letter in capitals, the rest untouched ("the Chair" stays)."""
    value = value or ""
    return value[:1].upper() + value[1:]


def deadline_label(code: str | None) -> str:
    return DEADLINE_LABELS.get(code or "", words(code))


# -- Widgets and fields in the GOV.UK style ---------------------------------------------------


def _drop_empty_hint(params: dict) -> dict:
    hint = params.get("hint")
    if not hint or not (hint.get("text") or hint.get("html")):
        params.pop("hint", None)
    return params


class Radios(GovRadioInput):
    """GOV.UK radios without the empty hint (and its aria-describedby) a field without one gets."""

    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class Checkboxes(GovCheckboxesInput):
    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class Chosen:
    """The answer must be one of the field's choices; one plain message otherwise."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        choices = field.choices or {}
        allowed = set(choices) if isinstance(choices, dict) else {c[0] for c in choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if not values or any(v not in allowed for v in values):
            raise StopValidation(self.message)


PARTS = ("day", "month", "year")


class DateInput(GovDateInput):
    """Marks only the boxes in error, and lets the browser fill in a birthday."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, part in zip(params["items"], PARTS, strict=True):
            wrong = bool(field.errors) and part in field.error_parts
            item["classes"] = f"govuk-input--width-{4 if part == 'year' else 2}" + (
                " govuk-input--error" if wrong else ""
            )
            if field.autocomplete:
                item["autocomplete"] = f"{field.autocomplete}-{part}"
        return params


class DateParts(Field):
    """A GOV.UK date input: day, month and year in boxes of their own, one message for the date.

    The messages follow the design system's date input guidance: say what is missing, or that
    the date is not real, or that it must be in the past. ``error_parts`` are the boxes marked
    in error; the error summary links to the first.
    """

    widget = DateInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        called: str,
        required: str | None = None,
        past_only: bool = True,
        autocomplete: str | None = None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.called = called  # "The date of the incident": how messages name it
        self.required = required  # message when nothing is entered, or None when optional
        self.past_only = past_only
        self.autocomplete = autocomplete  # "bday" for a date of birth
        self.error_parts: tuple[str, ...] = PARTS

    @property
    def error_part(self) -> str:
        return self.error_parts[0]

    def process_formdata(self, valuelist):
        parts = [str(v).strip() for v in valuelist][:3]
        self.raw_data = parts + [""] * (3 - len(parts))
        self.data = None
        day, month, year = self.raw_data
        if all(p.isdigit() for p in self.raw_data) and len(year) == 4:
            try:
                self.data = date(int(year), int(month), int(day))
            except ValueError:
                self.data = None

    def _value(self):  # the widget reads the boxes from raw_data or data itself
        return ""

    def pre_validate(self, form):
        if self.raw_data is None:  # not submitted: nothing to say
            return
        day, month, year = self.raw_data
        given = {"day": day, "month": month, "year": year}
        missing = tuple(name for name, value in given.items() if not value)
        if len(missing) == 3:
            if self.required:
                self._stop(self.required)
            return
        if missing:
            self._stop(f"{self.called} must include a {' and '.join(missing)}", missing)
        if self.data is None:
            wrong = tuple(n for n, v in given.items() if not v.isdigit())
            if not wrong and len(year) != 4:
                self._stop(f"{self.called} must include a year with 4 numbers", ("year",))
            self._stop(f"{self.called} must be a real date", wrong or PARTS)
        if self.past_only and self.data > today():
            self._stop(f"{self.called} must be today or in the past")

    def _stop(self, message: str, parts: tuple[str, ...] = PARTS):
        self.error_parts = parts
        raise StopValidation(message)

    def fail(self, message: str) -> None:
        """Add an error found by a check across fields: the whole date is marked."""
        self.error_parts = PARTS
        self.errors.append(message)


def date_raw(value: str | None) -> list[str]:
    """A stored ISO date as the three boxes of a date input."""
    if not value:
        return []
    d = date.fromisoformat(value)
    return [str(d.day), str(d.month), str(d.year)]


def show_date(value: date | str | None) -> str:
    if not value:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day} {d.strftime('%B %Y')}"


def error_list(form: Form) -> list[dict[str, str]]:
    """The error summary's entries, in page order, each linking to its field's first box."""
    out: list[dict[str, str]] = []
    for f in form:
        if isinstance(f, FieldList):
            for entry in f:
                out.extend(error_list(entry.form) if isinstance(entry, FormField) else [])
        elif f.errors:
            anchor = f"{f.name}-{f.error_part}" if isinstance(f, DateParts) else f.id
            out.append({"text": f.errors[0], "href": f"#{anchor}"})
    return out


# -- The journey ------------------------------------------------------------------------------


@dataclass(frozen=True)
class JourneyContext:
    """What the pages need to know about the board and the signed-in user."""

    agencies: dict[str, str]
    name: str = ""
    agency: str | None = None
    email: str = ""


@dataclass(frozen=True)
class Problem:
    """Something wrong with the whole referral, and the page and element that own it."""

    slug: str
    anchor: str
    message: str


def always(state: dict) -> bool:
    return True


def died(state: dict) -> bool:
    return state.get("what_happened") == "died"


def deprivation_of_liberty(state: dict) -> bool:
    return died(state) and state.get("deprivation_of_liberty_order") is True


class StepForm(FlaskForm):
    """One page of the referral journey."""

    slug: ClassVar[str] = ""
    title: ClassVar[str] = ""  # the page's question, also its <title>
    keys: ClassVar[tuple[str, ...]] = ()  # the answers it owns
    anchors: ClassVar[dict[str, str]] = {}  # domain or handler field -> element id on the page
    partial: ClassVar[str] = "question.html"
    inline: ClassVar[bool] = False  # yes/no radios side by side
    condition: ClassVar[Callable[[dict], bool]] = staticmethod(always)

    @classmethod
    def applies(cls, state: dict) -> bool:
        return cls.condition(state)

    @classmethod
    def answered(cls, state: dict) -> bool:
        return all(k in state for k in cls.keys)

    def setup(self, ctx: JourneyContext) -> None:
        """Fill in choices that depend on the board."""

    @classmethod
    def raw(cls, state: dict, ctx: JourneyContext) -> MultiDict:
        """Stored answers as the page would post them, to show them again or check them again."""
        return MultiDict({k: str(state[k]) for k in cls.keys if k in state and state[k] is not None})

    def answers(self) -> dict[str, Any]:
        return {k: self[k].data for k in self.keys}

    @classmethod
    def rows(cls, state: dict, ctx: JourneyContext) -> list[tuple[str, str]]:
        """(question, answer) pairs for "Check your answers"."""
        raise NotImplementedError


def radio_step(
    slug: str,
    key: str,
    question: str,
    choices: dict[str, str],
    message: str,
    *,
    short: str,
    hint: str = "",
    condition: Callable[[dict], bool] = always,
    boolean: bool = False,
    anchors: tuple[str, ...] = (),
) -> type[StepForm]:
    """A page asking one question with radios. ``boolean`` stores yes/no as True/False."""

    class Step(StepForm):
        @classmethod
        def raw(cls, state, ctx):
            if key not in state:
                return MultiDict()
            value = state[key]
            return MultiDict({key: ("yes" if value else "no") if boolean else value})

        def answers(self):
            value = self[key].data
            return {key: value == "yes" if boolean else value}

        @classmethod
        def rows(cls, state, ctx):
            if key not in state:
                return [(short, "")]
            value = state[key]
            shown = ("yes" if value else "no") if boolean else value
            return [(short, choices.get(shown, str(shown)))]

    Step.__name__ = Step.__qualname__ = "".join(p.title() for p in slug.split("-")) + "Form"
    Step.slug, Step.title, Step.keys = slug, question, (key,)
    Step.anchors = {name: key for name in (key, *anchors)}
    Step.condition = staticmethod(condition)
    Step.inline = boolean
    setattr(
        Step,
        key,
        RadioField(
            question,
            choices=choices,
            validators=[Chosen(message)],
            widget=Radios(),
            validate_choice=False,
            description=hint,
        ),
    )
    return Step


WhatHappenedForm = radio_step(
    "what-happened",
    "what_happened",
    "What happened to the child?",
    WHAT_HAPPENED,
    "Select what happened to the child",
    short="What happened",
    hint="Serious harm includes a potentially life-threatening injury, and serious or likely "
    "long-term impairment of the child's health or development, even if the child recovered.",
    anchors=("child_died", "seriously_harmed"),
)
SuspectedSuicideForm = radio_step(
    "suspected-suicide",
    "suspected_suicide",
    "Is the child's death a suspected suicide?",
    YES_NO,
    "Select yes if the death is a suspected suicide",
    short="Suspected suicide",
    condition=died,
    boolean=True,
)
CustodyForm = radio_step(
    "custody",
    "custody_setting",
    "Did the child die in custody?",
    {**CUSTODY_LABELS, NONE: "No, the child was not in custody"},
    "Select where the child was in custody, or that the child was not in custody",
    short="Died in custody",
    condition=died,
)
MentalHealthActForm = radio_step(
    "mental-health-act",
    "detained_mental_health_act",
    "Was the child detained under the Mental Health Act 1983 when they died?",
    YES_NO,
    "Select yes if the child was detained under the Mental Health Act 1983",
    short="Detained under the Mental Health Act",
    condition=died,
    boolean=True,
)
DeprivationOfLibertyForm = radio_step(
    "deprivation-of-liberty",
    "deprivation_of_liberty_order",
    "Was the child subject to a deprivation of liberty order when they died?",
    YES_NO,
    "Select yes if the child was subject to a deprivation of liberty order",
    short="Deprivation of liberty order",
    hint="An order under the Mental Capacity Act 2005.",
    condition=died,
    boolean=True,
)
LookedAfterForm = radio_step(
    "looked-after",
    "looked_after",
    "Was the child looked after by a local authority?",
    YES_NO,
    "Select yes if the child was looked after by a local authority",
    short="Looked-after child",
    hint="For example, in foster care, in a children's home, or placed for adoption.",
    boolean=True,
)
RegulatedSettingForm = radio_step(
    "regulated-setting",
    "regulated_setting",
    "Did it happen in a regulated setting or service?",
    {**REGULATED_LABELS, NONE: "No, not in a regulated setting or service"},
    "Select the regulated setting or service, or that it was not in one",
    short="Regulated setting or service",
)
AbuseOrNeglectForm = radio_step(
    "abuse-or-neglect",
    "abuse_or_neglect",
    "Is abuse or neglect known or suspected?",
    ABUSE_LABELS,
    "Select whether abuse or neglect is known, suspected or not suspected",
    short="Abuse or neglect",
)
WorkingTogetherForm = radio_step(
    "working-together",
    "interagency_concern",
    "Is there concern about how the agencies worked together to safeguard the child?",
    CONCERN_LABELS,
    "Select whether there is concern about how the agencies worked together",
    short="Concern about how agencies worked together",
    hint="This includes the local authority, the board's partners and other bodies.",
)


def whole_number(low: int, high: int, required: str, wrong: str) -> Callable:
    def check(form, field):
        text = (field.data or "").strip()
        if not text:
            raise StopValidation(required)
        if not text.isdigit() or not low <= int(text) <= high:
            raise StopValidation(wrong)

    return check


class ChildAgeForm(StepForm):
    slug, title, keys = "child-age", "How old was the child when they died?", ("child_age",)
    anchors = {"child_age": "child_age"}
    partial = "child-age.html"
    condition = staticmethod(deprivation_of_liberty)

    child_age = StringField(
        "How old was the child when they died?",
        widget=GovTextInput(),
        description="In whole years. A Serious Case Review is always required when a child aged 16 "
        "or 17 dies under a deprivation of liberty order.",
        validators=[
            whole_number(
                MIN_CHILD_AGE,
                MAX_CHILD_AGE,
                "Enter the child's age",
                f"The child's age must be a whole number from {MIN_CHILD_AGE} to {MAX_CHILD_AGE}",
            )
        ],
    )

    def answers(self):
        return {"child_age": int(self.child_age.data.strip())}

    @classmethod
    def rows(cls, state, ctx):
        age = state.get("child_age")
        return [("Child's age", "" if age is None else str(age))]


class DatesForm(StepForm):
    slug, title, keys = "dates", "When did it happen?", ("incident_on", "became_aware_on")
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

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        incident, aware = self.incident_on.data, self.became_aware_on.data
        if ok and aware < incident:
            self.became_aware_on.fail(
                "The date the local authority became aware must be the same as or after the "
                "date of the incident"
            )
            ok = False
        return ok

    @classmethod
    def raw(cls, state, ctx):
        return MultiDict({k: date_raw(state.get(k)) for k in cls.keys if state.get(k)})

    def answers(self):
        return {
            "incident_on": self.incident_on.data.isoformat(),
            "became_aware_on": self.became_aware_on.data.isoformat(),
        }

    @classmethod
    def rows(cls, state, ctx):
        return [
            ("Date of the incident", show_date(state.get("incident_on"))),
            ("Date the local authority became aware", show_date(state.get("became_aware_on"))),
        ]


class AgenciesForm(StepForm):
    slug, title, keys = (
        "agencies",
        "Which agencies were involved with the child?",
        ("agencies_involved",),
    )
    anchors = {"agencies_involved": "agencies_involved"}

    agencies_involved = SelectMultipleField(
        "Which agencies were involved with the child?",
        widget=Checkboxes(),
        description="Select all that apply.",
        validate_choice=False,
        validators=[Chosen("Select the agencies that were involved with the child")],
    )

    def setup(self, ctx):
        self.agencies_involved.choices = dict(ctx.agencies)

    @classmethod
    def raw(cls, state, ctx):
        return MultiDict([("agencies_involved", code) for code in state.get("agencies_involved", [])])

    @classmethod
    def rows(cls, state, ctx):
        codes = state.get("agencies_involved") or []
        return [("Agencies involved", ", ".join(ctx.agencies.get(c, c) for c in codes))]


class ReferrerForm(StepForm):
    slug, title, keys = "referrer", "Who is making this referral?", ("referrer",)
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

    def setup(self, ctx):
        self.referrer_agency.choices = dict(ctx.agencies)

    def validate_referrer_name(self, field):
        if not (field.data or "").strip():
            raise StopValidation("Enter your full name")

    def validate_referrer_email(self, field):
        if not (field.data or "").strip():
            raise StopValidation("Enter your email address")
        Email("Enter an email address in the correct format, like name@example.org")(self, field)

    @classmethod
    def raw(cls, state, ctx):
        given = state.get("referrer") or {
            "name": ctx.name,
            "agency": ctx.agency or "",
            "email": ctx.email,
        }
        return MultiDict({f"referrer_{k}": v for k, v in given.items() if v})

    def answers(self):
        return {
            "referrer": {
                "name": self.referrer_name.data.strip(),
                "agency": self.referrer_agency.data,
                "email": self.referrer_email.data.strip(),
            }
        }

    @classmethod
    def rows(cls, state, ctx):
        r = state.get("referrer") or {}
        agency = ctx.agencies.get(r.get("agency"), r.get("agency") or "")
        return [("Referrer", ", ".join(v for v in (r.get("name"), agency, r.get("email")) if v))]


class SummaryForm(StepForm):
    slug, title, keys = "summary", "What happened?", ("summary",)
    anchors = {"summary": "summary"}
    partial = "summary.html"

    summary = StringField(
        "What happened?",
        widget=GovTextArea(),
        description="Describe the incident and what led to it, in plain words. Do not include "
        "the child's name here: you can give it on the next page.",
        validators=[Length(max=10000, message="The summary must be 10,000 characters or fewer")],
    )

    def validate_summary(self, field):
        if not (field.data or "").strip():
            raise StopValidation("Enter a summary of what happened")

    def answers(self):
        return {"summary": self.summary.data.strip()}

    @classmethod
    def raw(cls, state, ctx):
        return MultiDict({"summary": state["summary"]} if "summary" in state else {})

    @classmethod
    def rows(cls, state, ctx):
        return [("Summary of what happened", state.get("summary", ""))]


NHS_NUMBER = r"^\d{3} ?\d{3} ?\d{4}$"  # as the API's ChildSchema


class ChildForm(StepForm):
    """Optional; kept in the draft's encrypted ``child`` field, not with the other answers."""

    slug, title, keys = "child", "The child's details", ()
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
        description="A 10-digit number, like 485 777 3456",
        validators=[
            Optional(),
            Regexp(NHS_NUMBER, message="Enter the NHS number as 10 digits, like 485 777 3456"),
        ],
    )

    @classmethod
    def raw(cls, state, ctx):
        child = state.get("child") or {}
        out = MultiDict()
        for name in ("name", "address", "nhs_number"):
            if child.get(name):
                out.add(f"child_{name}", child[name])
        for part in date_raw(child.get("date_of_birth")):
            out.add("child_date_of_birth", part)
        return out

    def answers(self):
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
    def rows(cls, state, ctx):
        child = state.get("child") or {}
        not_given = "Not given"
        return [
            ("Child's name", child.get("name") or not_given),
            ("Child's date of birth", show_date(child.get("date_of_birth")) or not_given),
            ("Child's address", child.get("address") or not_given),
            ("Child's NHS number", child.get("nhs_number") or not_given),
        ]


STEPS: tuple[type[StepForm], ...] = (
    WhatHappenedForm,
    SuspectedSuicideForm,
    CustodyForm,
    MentalHealthActForm,
    DeprivationOfLibertyForm,
    ChildAgeForm,
    LookedAfterForm,
    RegulatedSettingForm,
    AbuseOrNeglectForm,
    WorkingTogetherForm,
    DatesForm,
    AgenciesForm,
    ReferrerForm,
    SummaryForm,
    ChildForm,
)
BY_SLUG = {step.slug: step for step in STEPS}
SLUGS = tuple(BY_SLUG)
FIRST = STEPS[0]

# Every fact of the screening is asked by exactly one page.
assert set(Facts.__dataclass_fields__) <= {name for step in STEPS for name in step.anchors}


def applicable(state: dict) -> list[type[StepForm]]:
    return [s for s in STEPS if s.applies(state)]


def first_unanswered(state: dict) -> type[StepForm] | None:
    return next((s for s in applicable(state) if not s.answered(state)), None)


def next_step(slug: str, state: dict) -> type[StepForm] | None:
    after = STEPS[SLUGS.index(slug) + 1 :]
    return next((s for s in after if s.applies(state)), None)


def previous_step(slug: str, state: dict) -> type[StepForm] | None:
    before = STEPS[: SLUGS.index(slug)]
    return next((s for s in reversed(before) if s.applies(state)), None)


def tidy(answers: dict) -> dict:
    """Drop answers to pages that no longer apply (the child did not die after all, ...)."""
    stale = {k for s in STEPS if not s.applies(answers) for k in s.keys}
    return {k: v for k, v in answers.items() if k not in stale}


def locate(field_name: str | None) -> tuple[str, str]:
    """The page and element that own a field named by the domain or a handler."""
    name = field_name or ""
    candidates = (name, name.split(".")[0], ".".join(name.split(".")[:2]))
    for step in STEPS:
        for candidate in candidates:
            if candidate in step.anchors:
                return step.slug, step.anchors[candidate]
    return "check", "main-content"


def check_all(state: dict, ctx: JourneyContext) -> list[Problem]:
    """Check every page that applies again, as the final submit must: nothing is trusted."""
    problems = []
    for step in applicable(state):
        form = step(formdata=step.raw(state, ctx), meta={"csrf": False})
        form.setup(ctx)
        if not form.validate():
            for e in error_list(form):
                problems.append(Problem(step.slug, e["href"].lstrip("#"), e["text"]))
    return problems


def facts_from(state: dict) -> Facts:
    """The screening's facts from the answers; raises ``InvalidFacts`` naming the fields."""
    what = state.get("what_happened")
    values: dict[str, Any] = {
        "abuse_or_neglect": state.get("abuse_or_neglect"),
        "child_died": what == "died",
        "seriously_harmed": what == "seriously_harmed",
        "looked_after": state.get("looked_after"),
        "regulated_setting": None
        if state.get("regulated_setting") == NONE
        else state.get("regulated_setting"),
        "interagency_concern": state.get("interagency_concern"),
    }
    if what == "died":
        for name in DEATH_ONLY_FIELDS:
            values[name] = state.get(name)
        if values["custody_setting"] == NONE:
            values["custody_setting"] = None
        values["child_age"] = state.get("child_age")
    return Facts(**values)


def referral_command(state: dict) -> SubmitReferral:
    child = {k: v for k, v in (state.get("child") or {}).items() if v}
    return SubmitReferral(
        facts=facts_from(state),
        incident_on=date.fromisoformat(state["incident_on"]),
        became_aware_on=date.fromisoformat(state["became_aware_on"]),
        summary=state["summary"],
        agencies_involved=list(state["agencies_involved"]),
        referrer=dict(state["referrer"]),
        child=child or None,
    )


def state_from_facts(facts: dict) -> dict:
    """A case's stored facts read back as the journey's answers, to describe them the same way."""
    state = {k: v for k, v in facts.items() if v is not None}
    state["what_happened"] = (
        "died"
        if facts.get("child_died")
        else "seriously_harmed"
        if facts.get("seriously_harmed")
        else "neither"
    )
    state["regulated_setting"] = facts.get("regulated_setting") or NONE
    if facts.get("child_died"):
        state["custody_setting"] = facts.get("custody_setting") or NONE
    return state


FACT_STEPS = STEPS[: SLUGS.index("working-together") + 1]


SECTIONS = (
    ("What happened", FACT_STEPS),
    ("When it happened and who was involved", (DatesForm, AgenciesForm, ReferrerForm, SummaryForm)),
    ("The child's details", (ChildForm,)),
)


def fact_rows(facts: dict) -> list[tuple[str, str]]:
    state = state_from_facts(facts)
    ctx = JourneyContext(agencies={})
    return [
        row
        for step in FACT_STEPS
        if step.applies(state) and step.answered(state)
        for row in step.rows(state, ctx)
    ]


# -- The Chair's decision -----------------------------------------------------------------


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

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.blank():
            if not (self.name.data or "").strip():
                self.name.errors.append("Enter the lead reviewer's full name")
                ok = False
            if not (self.organisation.data or "").strip():
                self.organisation.errors.append("Enter the lead reviewer's organisation")
                ok = False
        return ok


MAX_REVIEWERS = 3


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
        choices=dict(rules.CASE_FACTORS),
        validate_choice=True,
        invalid_choice_message="Select case factors from the list",
    )
    context_factors = SelectMultipleField(
        "Context factors",
        widget=Checkboxes(),
        choices=dict(rules.CONTEXT_FACTORS),
        validate_choice=True,
        invalid_choice_message="Select context factors from the list",
    )

    def offer(self, recommended: str) -> None:
        """The domain's outcomes, the screening's recommendation first."""
        order = [recommended, *(o for o in rules.OUTCOMES if o != recommended)]
        self.outcome.choices = {o: OUTCOME_LABELS[o] for o in order}

    def reviewers(self) -> list[dict]:
        out = []
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


@dataclass
class ScreeningView:
    """A stored screening grouped for reading: each reason with its source."""

    notifiable: bool
    scr_required: bool
    recommended: str
    options: list[str]
    notifiable_reasons: list[dict] = field(default_factory=list)
    scr_reasons: list[dict] = field(default_factory=list)
    recommendation_reasons: list[dict] = field(default_factory=list)
    other_reasons: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, screening: dict) -> ScreeningView:
        view = cls(
            notifiable=screening["notifiable"],
            scr_required=screening["scr_required"],
            recommended=screening["recommended"],
            options=list(screening["options"]),
        )
        groups = {
            "notifiable": view.notifiable_reasons,
            "scr": view.scr_reasons,
            "recommended": view.recommendation_reasons,
            "decision": view.recommendation_reasons,
        }
        for reason in screening["reasons"]:
            groups.get(reason["code"].split(".")[0], view.other_reasons).append(reason)
        return view
