"""Signing in and out: the GOV.UK sign-in page, single sign-on with OpenID Connect, the account page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from authlib.integrations.flask_client import OAuth
from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length

from shared import audit
from shared.auth.access import current_principal, members, sign_in_route
from shared.auth.models import Board, User
from shared.auth.passwords import SignInRefused, check_password
from shared.auth.principal import Principal
from shared.auth.sessions import ServerSession

blueprint = Blueprint("auth", __name__)


def _session() -> ServerSession:
    assert isinstance(session, ServerSession), "the product's session interface is installed"
    return session


class SignInForm(FlaskForm):  # type: ignore[misc]
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=200)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def start_session(user: User, how: str) -> None:
    """Sign ``user`` in to their first board where they are active, and audit it."""
    board_id = user.default_board()
    _session().sign_in(user.user_id, board_id)
    principal = Principal.for_user(user, board_id, via="session") if board_id else None
    audit.record(
        "auth.sign_in",
        principal=principal,
        actor_id=user.user_id,
        actor_name=user.name,
        board_id=board_id,
        detail=how,
    )


@blueprint.route("/sign-in", methods=["GET", "POST"])
@sign_in_route
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    settings = current_app.config["SETTINGS"]
    next_url = safe_next(request.values.get("next"))
    timeout = getattr(session, "expired_reason", None) or request.args.get("timeout")
    notice = {
        "idle": f"You were signed out because you were inactive for {settings.SESSION_IDLE_MINUTES} minutes.",
        "absolute": f"You were signed out after {settings.SESSION_ABSOLUTE_HOURS} hours. Sign in again.",
    }.get(str(timeout))
    error = None
    if form.validate_on_submit():
        try:
            user = check_password(
                form.email.data,
                form.password.data,
                max_failures=settings.LOGIN_MAX_FAILURES,
                lockout_minutes=settings.LOGIN_LOCKOUT_MINUTES,
            )
        except SignInRefused as refused:
            audit.record(
                "auth.sign_in",
                outcome="denied",
                actor_id=refused.user.user_id if refused.user else None,
                detail=refused.reason,
            )
            error = str(refused)
        else:
            start_session(user, "password")
            return redirect(next_url)
    errors = [{"text": error, "href": "#email"}] if error else None
    status = 401 if error else (422 if form.errors else 200)
    return render_template(
        "sign_in.html",
        title="Sign in",
        form=form,
        errors=errors,
        next_url=next_url,
        notice=notice,
        messages=get_flashed_messages(),
        sso=settings.oidc_enabled,
        sso_name=settings.OIDC_DISPLAY_NAME,
    ), status


@blueprint.post("/sign-out")
@sign_in_route
def sign_out() -> ResponseReturnValue:
    principal = current_principal()
    if principal is not None:
        audit.record("auth.sign_out", principal=principal)
    _session().end()
    flash("You have been signed out.")
    return redirect(url_for("auth.sign_in"))


@blueprint.get("/account")
@members()
def account() -> ResponseReturnValue:
    principal = current_principal()
    board = Board.objects(board_id=principal.board_id).first() if principal else None
    return render_template("account.html", title="Your account", board=board)


# -- single sign-on -------------------------------------------------------------------


def init_sso(app: Flask) -> None:
    """One OpenID Connect client per app, configured from OIDC_ISSUER and OIDC_CLIENT_*."""
    settings = app.config["SETTINGS"]
    oauth = OAuth(app)
    app.extensions["lscb_oauth"] = oauth
    if settings.oidc_enabled:
        oauth.register(
            "sso",
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            server_metadata_url=settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile"},
        )


def _sso() -> Any:
    return current_app.extensions["lscb_oauth"].sso


@blueprint.get("/sign-in/sso")
@sign_in_route
def sso_start() -> ResponseReturnValue:
    if not current_app.config["SETTINGS"].oidc_enabled:
        return redirect(url_for("auth.sign_in"))
    session["sso_next"] = safe_next(request.args.get("next"))
    response: ResponseReturnValue = _sso().authorize_redirect(url_for("auth.sso_callback", _external=True))
    return response


@blueprint.get("/sign-in/sso/callback")
@sign_in_route
def sso_callback() -> ResponseReturnValue:
    settings = current_app.config["SETTINGS"]
    if not settings.oidc_enabled:
        return redirect(url_for("auth.sign_in"))
    try:
        token = _sso().authorize_access_token()
    except Exception as exc:  # noqa: BLE001 - any failure of the provider's answer
        audit.record("auth.sign_in", outcome="denied", detail=f"sso: {type(exc).__name__}")
        flash("Single sign-on did not complete. Try again or sign in with your password.")
        return redirect(url_for("auth.sign_in"))
    claims = token.get("userinfo") or {}
    issuer, subject = claims.get("iss"), claims.get("sub")
    user = User.objects(oidc_issuer=issuer, oidc_subject=subject).first() if subject else None
    email = (claims.get("email") or "").strip().lower()
    if user is None and email and claims.get("email_verified", True):
        # First single sign-on of an account an admin created: link it to the provider.
        candidate = User.objects(email=email, oidc_subject=None).first()
        if candidate is not None:
            User.objects(user_id=candidate.user_id).update_one(
                set__oidc_issuer=issuer, set__oidc_subject=subject
            )
            user = User.objects(user_id=candidate.user_id).first()
    if user is None or not user.active or user.default_board() is None:
        audit.record("auth.sign_in", outcome="denied", detail="sso: no account for this identity")
        flash("There is no account for you here. Ask your board's business unit to add you.")
        return redirect(url_for("auth.sign_in"))
    next_url = session.pop("sso_next", "/")
    start_session(user, "sso")
    return redirect(safe_next(next_url))
