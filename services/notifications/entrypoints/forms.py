"""The web forms of the notifications pages (GOV.UK widgets)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from services.notifications.domain.rules import ROLES

# The roles in plain words, for people choosing one.
ROLE_LABELS = {
    "ofsted": "Ofsted",
    "dfe": "Department for Education (DfE)",
    # One role in every rule pack; what it stands for follows the case's pack (domain/wording.py).
    "national_panel": (
        "National Panel (the Child Safeguarding Practice Review Panel under Working Together 2018 and 2023)"
    ),
    "chair": "Chair of the board",
    "business_unit": "Business unit",
    "panel_member": "Review panel member",
    "lead_reviewer": "Lead reviewer",
    "case_group_member": "Case group member",
    "family_contact": "Family contact",
    "local_authority": "Local authority",
}


class ActionForm(FlaskForm):
    """A button on a notification (resend, mark as delivered): only its CSRF token is checked."""


class RecipientForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[SelectChoice(r, ROLE_LABELS.get(r, r.replace("_", " ").capitalize())) for r in ROLES],
        widget=GovSelect(),
    )
    name = StringField("Name", widget=GovTextInput(), validators=[InputRequired(message="Enter a name")])
    email = StringField(
        "Email address", widget=GovTextInput(), validators=[InputRequired(message="Enter an email address")]
    )
    submit = SubmitField("Add recipient", widget=GovSubmitInput())
