"""The forms of the family pages: a family member, how two of them are related, a contact, support
offered, views given, consent, and the hold. They check what a page sent; the rules (who may be
related to whom, consent withdrawn only once given, a hold needs its reason) stay in the domain."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import Field, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Email, Length, Optional, StopValidation

from services.reviews.domain.family import CONSENT_STATES, CONTACT_WAYS, RELATIONSHIPS_TO_CHILD
from services.reviews.entrypoints.meeting_forms import (
    LATEST,
    DayField,
    Radios,
    Select,
    TextInput,
    chosen,
    line,
    text,
)
from shared.words import plain

SEX_LABELS = {"female": "Female", "male": "Male", "unknown": "Not known"}
RELATION_LABELS = {
    "parent_of": "is a parent of",
    "partner_of": "is the partner of",
    "former_partner_of": "is a former partner of",
    "sibling_of": "is a brother or sister of",
}
YES_NO = {"no": "No", "yes": "Yes"}


class Checkboxes(SelectMultipleField):
    widget = GovCheckboxesInput()

    def pre_validate(self, form: Any) -> None:  # the choices are checked by ``picked``
        return None


def picked(message: str) -> Any:
    def check(form: Any, field: Field) -> None:
        known = dict(field.choices or {})
        if not field.data or any(d not in known for d in field.data):
            raise StopValidation(message)

    return check


def _when(label: str, called: str) -> DayField:
    return DayField(
        label,
        called=called,
        required=f"Enter {called.lower()}",
        ahead=LATEST,
        past_only=True,
        description="For example, 27 3 2026",
    )


class MemberForm(FlaskForm):
    name = line("Full name", "Enter the family member's name")
    relationship_to_child = SelectField(
        "Relationship to the child",
        widget=Select(),
        choices=[("", "Choose a relationship"), *((r, plain(r)) for r in RELATIONSHIPS_TO_CHILD)],
        validate_choice=False,
        validators=[chosen("Select how they are related to the child")],
        description="Choose 'Child' for the child the review is about",
    )
    sex = RadioField(
        "Sex",
        widget=Radios(),
        choices=list(SEX_LABELS.items()),
        default="unknown",
        validate_choice=False,
        validators=[chosen("Select their sex, or 'Not known'")],
    )
    born_on = DayField(
        "Date of birth (optional)",
        called="Their date of birth",
        required=None,
        ahead=LATEST,
        past_only=True,
        description="For example, 27 3 2012",
    )
    deceased = RadioField(
        "Has this person died?",
        widget=Radios(),
        choices=list(YES_NO.items()),
        default="no",
        validate_choice=False,
        validators=[chosen("Select whether this person has died")],
    )
    household = line("Household (optional)", hint="People with the same household live together", limit=200)
    email = StringField(
        "Email address (optional)",
        widget=TextInput(),
        validators=[
            Optional(),
            Length(max=254, message="The email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    phone = StringField(
        "Phone number (optional)",
        widget=TextInput(),
        validators=[Optional(), Length(min=3, max=40, message="Enter a phone number of 3 to 40 characters")],
    )
    address = text("Address (optional)", None, 1000)

    def given(self) -> dict[str, Any]:
        """What the service layer takes."""
        return {
            "name": self.name.data.strip(),
            "relationship_to_child": self.relationship_to_child.data,
            "sex": self.sex.data,
            "born_on": self.born_on.data,
            "deceased": self.deceased.data == "yes",
            "household": (self.household.data or "").strip() or None,
            "email": (self.email.data or "").strip() or None,
            "phone": (self.phone.data or "").strip() or None,
            "address": (self.address.data or "").strip() or None,
        }


class RelationForm(FlaskForm):
    from_ = SelectField("Person", widget=Select(), validate_choice=False)
    kind = SelectField(
        "How are they related?",
        widget=Select(),
        choices=[("", "Choose how"), *RELATION_LABELS.items()],
        validate_choice=False,
        validators=[chosen("Select how they are related")],
    )
    to = SelectField("To whom", widget=Select(), validate_choice=False)

    def offer(self, members: dict[str, str]) -> None:
        choices = [("", "Choose a person"), *members.items()]
        self.from_.choices, self.to.choices = choices, choices
        self.from_.validators = [chosen("Select the first person")]
        self.to.validators = [chosen("Select the second person")]

    def validate_to(self, field: Field) -> None:
        if field.data and field.data == self.from_.data:
            raise StopValidation("Select two different people")


def _members_field(label: str) -> Checkboxes:
    return Checkboxes(label, validators=[picked("Select at least one family member")])


class ContactForm(FlaskForm):
    on = _when("Date of the contact", "The date of the contact")
    how = RadioField(
        "How was the contact made?",
        widget=Radios(),
        choices=[(w, plain(w)) for w in CONTACT_WAYS],
        validate_choice=False,
        validators=[chosen("Select how the contact was made")],
    )
    member_ids = _members_field("Who was contacted?")
    by = line("Who made the contact?", "Enter who made the contact", hint="Their name and role")
    outcome = text("What happened?", "Enter what happened", 5000)


class SupportForm(FlaskForm):
    on = _when("Date offered", "The date the support was offered")
    member_ids = _members_field("Who was it offered to?")
    what = text("What support was offered?", "Enter the support offered", 5000)
    by = line("Who offered it?", "Enter who offered it", hint="A person or an organisation")


class ViewsForm(FlaskForm):
    on = _when("Date given", "The date the views were given")
    member_id = RadioField(
        "Whose views are they?",
        widget=Radios(),
        validate_choice=False,
        validators=[chosen("Select whose views they are")],
    )
    summary = text("Their views", "Enter their views", 20_000, "In their words where you can")


class ConsentForm(FlaskForm):
    status = RadioField(
        "Consent",
        widget=Radios(),
        choices=[(s, plain(s)) for s in CONSENT_STATES],
        validate_choice=False,
        validators=[chosen("Select whether consent was given, refused or withdrawn")],
    )
    on = _when("Date", "The date of the consent")


class HoldForm(FlaskForm):
    reason = text(
        "Which proceedings does the family's involvement wait for?",
        "Enter which proceedings the family's involvement waits for",
        2000,
        "For example, the criminal trial of the child's father, listed for June",
    )
    # Set by the confirmation page: the user saw what holding means and confirmed it.
    confirmed = HiddenField()


def with_members(form: Any, members: dict[str, str]) -> Any:
    """Offer the family's members to the form's member fields."""
    for name in ("member_ids", "member_id"):
        if name in form:
            form[name].choices = list(members.items())
    return form
