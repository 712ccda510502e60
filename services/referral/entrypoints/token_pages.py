"""API tokens in the browser (``/account/tokens``): a member whose role uses tokens (the business
unit, admins, agency managers: :mod:`..domain.api_tokens`) makes one, sees its secret once, lists
their tokens and revokes one after confirming. The same rules and service as the API's
``/api/v1/tokens`` (:mod:`.admin`); each change is audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, flash, g, get_flashed_messages, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from services.referral.domain.api_tokens import TOKEN_ROLES
from services.referral.entrypoints import forms
from services.referral.service_layer import api_tokens
from shared import audit
from shared.auth import tokens
from shared.auth.access import members
from shared.auth.models import ApiToken
from shared.errors import NotFound

blueprint = Blueprint("token_pages", __name__)
MAX_DAYS = 365


class TokenForm(FlaskForm):
    name = StringField(
        "Name of the token",
        widget=GovTextInput(),
        description="What it is for, so you know which to revoke: for example, nightly export",
        validators=[
            InputRequired("Enter a name for the token"),
            Length(max=100, message="The name must be 100 characters or fewer"),
        ],
    )
    days = IntegerField(
        "How many days should it last? (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_DAYS, message=f"The token must last from 1 to {MAX_DAYS} days"),
        ],
    )


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _state(token: ApiToken, now: datetime) -> str:
    if token.revoked_at:
        return "Revoked"
    expires = _aware(token.expires_at)
    return "Expired" if expires is not None and expires <= now else "Active"


def _mine(token_id: str) -> ApiToken:
    token = ApiToken.objects(
        token_id=token_id, board_id=g.principal.board_id, user_id=g.principal.user_id
    ).first()
    if token is None:
        raise NotFound("There is no such token", field="token_id")
    return token


def _render(
    form: TokenForm, status: int = 200, secret: str | None = None, made: Any = None
) -> ResponseReturnValue:
    now = datetime.now(UTC)
    own = ApiToken.objects(board_id=g.principal.board_id, user_id=g.principal.user_id).order_by(
        "-created_at", "-token_id"
    )
    rows = [
        {
            "token": t,
            "state": _state(t, now),
            "created": _aware(t.created_at),
            "expires": _aware(t.expires_at),
            "last_used": _aware(t.last_used_at),
        }
        for t in own.limit(100)
    ]
    return render_template(
        "referral/tokens.html",
        title="Your API tokens",
        form=form,
        rows=rows,
        secret=secret,
        made=made,
        default_days=current_app.config["SETTINGS"].API_TOKEN_DAYS,
        done=get_flashed_messages(category_filter=["tokens"]),
        errors=forms.error_list(form),
    ), status


@blueprint.get("/account/tokens")
@members(*TOKEN_ROLES)
def tokens_page() -> ResponseReturnValue:
    return _render(TokenForm(formdata=None))


@blueprint.post("/account/tokens")
@members(*TOKEN_ROLES)
@audit.audited("token.created", "api_token")
def create_token() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate():
        return _render(form, 422)
    days = form.days.data or current_app.config["SETTINGS"].API_TOKEN_DAYS
    secret, token = api_tokens.make_token(g.principal, form.name.data.strip(), days)
    g.audit_resource_id = token.token_id
    # The secret is on this page alone, never in a redirect or the session: it is shown once.
    return _render(TokenForm(formdata=None), 200, secret=secret, made=token)


@blueprint.get("/account/tokens/<token_id>/revoke")
@members(*TOKEN_ROLES)
def revoke_page(token_id: str) -> ResponseReturnValue:
    token = _mine(token_id)
    return render_template(
        "referral/token_revoke.html",
        title=f"Revoke the token {token.name}?",
        token=token,
        form=forms.CsrfOnlyForm(),
        errors=[],
    )


@blueprint.post("/account/tokens/<token_id>/revoke")
@members(*TOKEN_ROLES)
def revoke_token(token_id: str) -> ResponseReturnValue:
    token = _mine(token_id)
    form = forms.CsrfOnlyForm()
    if not form.validate():
        return redirect(url_for(".revoke_page", token_id=token_id))
    if not token.revoked_at:
        tokens.revoke(token)
        audit.record("token.revoked", resource=("api_token", token.token_id))
    flash(f"The token {token.name} is revoked: it no longer works", "tokens")
    return redirect(url_for(".tokens_page"))
