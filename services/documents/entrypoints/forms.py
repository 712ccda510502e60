"""The documents pages' forms: generating a document of a case, sharing a report with a family
member, and revoking a share. They check what a page sent; the rules stay in the service layer."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField, Field, RadioField, StringField
from wtforms.validators import Length, StopValidation

from shared.forms import CharacterCount, Radios, TextInput

__all__ = ["CharacterCount", "Radios", "TextInput"]


def _chosen(message: str) -> Any:
    def check(form: Any, field: Field) -> None:
        if field.data not in dict(field.choices or {}):
            raise StopValidation(message)

    return check


def _line(label: str, limit: int = 200) -> StringField:
    return StringField(
        label,
        widget=TextInput(),
        validators=[Length(max=limit, message=f"{label.split(' (')[0]} must be {limit} characters or fewer")],
    )


class GenerateForm(FlaskForm):
    kind = RadioField(
        "Which document do you want to generate?",
        widget=Radios(),
        validate_choice=False,
        validators=[_chosen("Select the document to generate")],
    )
    recipient_name = _line("Recipient's name")
    recipient_role = _line("Recipient's role (optional)")
    recipient_agency = _line("Recipient's agency")
    recipient_address = StringField(
        "Recipient's postal address (optional)",
        widget=CharacterCount(),
        validators=[Length(max=500, message="The address must be 500 characters or fewer")],
    )

    publication = BooleanField(
        "Make a pseudonymised copy for publication",
        widget=GovCheckboxInput(),
        description="Names and other details in the glossary below are replaced by their stand-ins.",
    )
    glossary = StringField(
        "Glossary of stand-ins (for a publication copy)",
        widget=CharacterCount(),
        description="One on each line: the real name, an equals sign, then the stand-in. "
        "For example: Jane Smith = Child A",
        validators=[Length(max=10000, message="The glossary must be 10,000 characters or fewer")],
    )

    # The context paths the service names, and the fields of this form that give them.
    FIELDS = {
        "recipient.name": "recipient_name",
        "recipient.role": "recipient_role",
        "recipient.agency": "recipient_agency",
        "recipient.address": "recipient_address",
        "kind": "kind",
        "glossary": "glossary",
    }

    def offer(self, kinds: dict[str, str]) -> None:
        self.kind.choices = kinds

    def validate_glossary(self, field: Field) -> None:
        for n, line in enumerate((field.data or "").splitlines(), start=1):
            real, equals, stand_in = line.partition("=")
            if line.strip() and not (equals and real.strip() and stand_in.strip()):
                raise StopValidation(
                    f"Line {n} of the glossary: write the real name, an equals sign (=), then the stand-in"
                )

    def stand_ins(self) -> dict[str, str] | None:
        """The glossary as the service takes it: real value -> stand-in."""
        pairs = [line.partition("=") for line in (self.glossary.data or "").splitlines() if line.strip()]
        return {real.strip(): stand_in.strip() for real, _, stand_in in pairs} or None

    def recipient(self) -> dict[str, str] | None:
        given = {
            part: (self[f"recipient_{part}"].data or "").strip()
            for part in ("name", "role", "agency", "address")
        }
        given = {k: v for k, v in given.items() if v}
        return given or None


class ShareForm(FlaskForm):
    user_id = RadioField(
        "Who should read the report?",
        widget=Radios(),
        validate_choice=False,
        validators=[_chosen("Select the family member who should read the report")],
    )

    def offer(self, family: dict[str, str]) -> None:
        self.user_id.choices = family


class ConfirmForm(FlaskForm):
    """Nothing to fill in but the CSRF token: a confirmation."""


def error_list(form: Any) -> list[dict[str, str]]:
    return [{"text": f.errors[0], "href": f"#{f.id}"} for f in form if f.errors]
