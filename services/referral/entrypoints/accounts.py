"""Creating a password from an emailed link, and asking for one: "Forgotten your password?".

The sign-in page links here. Asking for a link answers with the same words whether or not
there is an account for the address (nobody learns who has one), as the sign-in page's refusal
does. A link opens the "Create a password" page once; creating the password signs the person in.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length

from services.referral.entrypoints.users import link_url
from services.referral.service_layer import accounts
from shared import audit
from shared.auth import links
from shared.auth.access import sign_in_route
from shared.auth.passwords import MIN_LENGTH
from shared.auth.views import start_session
from shared.errors import InvalidInput

blueprint = Blueprint("accounts", __name__)

SENT = (
    "If there is an account for that email address, we have sent it a link to create a new password."
    " The link works once, for 1 hour. Check your spam folder if it has not arrived in a few minutes."
)


class ForgottenForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class PasswordForm(FlaskForm):
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        description=f"Must be {MIN_LENGTH} characters or more. A good way to make a strong password"
        " is to use three random words.",
    )
    confirm = PasswordField("Confirm password", widget=GovPasswordInput())
    submit = SubmitField("Create password and sign in", widget=GovSubmitInput())


def _secret() -> str:
    key: str = current_app.config["SETTINGS"].SECRET_KEY
    return key


@blueprint.route("/accounts/forgotten-password", methods=["GET", "POST"])
@sign_in_route
def forgotten_password() -> ResponseReturnValue:
    form = ForgottenForm()
    if form.validate_on_submit():
        user = accounts.request_reset(form.email.data, secret_key=_secret(), link_url=link_url)
        audit.record(
            "auth.password_reset_requested",
            outcome="success" if user else "not_found",
            actor_id=user.user_id if user else None,
            board_id=user.default_board() if user else None,
        )
        return render_template("reset_requested.html", title="Check your email", sent=SENT)
    status = 422 if form.errors else 200
    return render_template("forgotten_password.html", title="Forgotten your password?", form=form), status


@blueprint.route("/accounts/invitation/<token>", methods=["GET", "POST"])
@sign_in_route
def invitation(token: str) -> ResponseReturnValue:
    return _create_password(token, links.INVITATION)


@blueprint.route("/accounts/password-reset/<token>", methods=["GET", "POST"])
@sign_in_route
def password_reset(token: str) -> ResponseReturnValue:
    return _create_password(token, links.PASSWORD_RESET)


def _refused(refused: links.LinkRefused, purpose: str) -> ResponseReturnValue:
    audit.record("auth.link_refused", outcome="denied", detail=f"{purpose}: {refused.reason}")
    return render_template("link_refused.html", title="This link cannot be used", purpose=purpose), 410


def _create_password(token: str, purpose: str) -> ResponseReturnValue:
    try:
        opened = links.peek(token, purpose, _secret())
    except links.LinkRefused as refused:
        return _refused(refused, purpose)
    form = PasswordForm()
    errors = None
    if form.validate_on_submit():
        problems = []
        if form.password.data and form.confirm.data != form.password.data:
            problems.append({"field": "confirm", "message": "Enter the same password in both boxes"})
        try:
            if problems:
                accounts.password_problems_or_raise(form.password.data or "", opened.user, problems)
            user = accounts.create_password(token, purpose, form.password.data or "", secret_key=_secret())
        except InvalidInput as exc:
            errors = []
            for p in exc.errors():
                field = getattr(form, p["field"])
                field.errors = [*list(field.errors or []), p["message"]]
                errors.append({"text": p["message"], "href": f"#{field.id}"})
        except links.LinkRefused as refused:
            return _refused(refused, purpose)
        else:
            start_session(user, f"link: {purpose}")
            audit.record("auth.password_created", actor_id=user.user_id, actor_name=user.name, detail=purpose)
            return redirect("/")
    status = 422 if errors or form.errors else 200
    return render_template(
        "create_password.html",
        title="Create a password",
        form=form,
        errors=errors,
        person=opened.user,
        purpose=purpose,
    ), status
