"""Single sign-on with OpenID Connect, against a provider running on loopback."""

import pytest
import requests
from joserfc.jwk import RSAKey

from services.referral.bootstrap import bootstrap
from shared.audit import AuditEntry
from shared.auth.models import User
from tests.factories import make_board, make_user
from tests.oidc_provider import OidcProvider


@pytest.fixture(scope="module")
def provider():
    p = OidcProvider().start()
    yield p
    p.stop()


@pytest.fixture
def sso_app(settings, provider):
    sso_settings = settings.with_overrides(
        OIDC_ISSUER=provider.issuer,
        OIDC_CLIENT_ID=provider.client_id,
        OIDC_CLIENT_SECRET=provider.client_secret,
    )
    return bootstrap(sso_settings).app


def run_flow(app):
    """Browser steps: our app -> provider -> back to our app."""
    client = app.test_client()
    assert "Sign in with Microsoft Entra ID" in client.get("/sign-in").get_data(as_text=True)
    start = client.get("/sign-in/sso?next=/account")
    assert start.status_code == 302
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    callback = at_provider.headers["Location"].replace("http://localhost", "")
    return client, client.get(callback)


def test_an_admin_created_account_signs_in_with_the_provider_and_is_linked(sso_app, provider):
    board = make_board()
    user = make_user("chair", board=board, email="pat@example.org", password=None)
    provider.identity = {
        "sub": "entra-123",
        "email": "pat@example.org",
        "name": "Pat",
        "email_verified": True,
    }
    client, done = run_flow(sso_app)
    assert done.status_code == 302 and done.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    linked = User.objects(user_id=user.user_id).first()
    assert (linked.oidc_issuer, linked.oidc_subject) == (provider.issuer, "entra-123")
    assert AuditEntry.objects(action="auth.sign_in", actor_id=user.user_id, detail="sso").count() == 1
    # Next time the subject alone finds the account, even if the email changed.
    provider.identity = {**provider.identity, "email": "pat.new@example.org"}
    client2, again = run_flow(sso_app)
    assert again.headers["Location"] == "/account"


def test_an_identity_with_no_account_is_refused(sso_app, provider):
    provider.identity = {
        "sub": "stranger",
        "email": "nobody@example.org",
        "name": "N",
        "email_verified": True,
    }
    client, done = run_flow(sso_app)
    assert done.headers["Location"] == "/sign-in"
    assert "no account for you" in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert AuditEntry.objects(action="auth.sign_in", outcome="denied").count() == 1


def test_an_id_token_signed_by_someone_else_is_refused(sso_app, provider):
    make_user("chair", board=make_board(), email="pat@example.org", password=None)
    provider.identity = {
        "sub": "entra-123",
        "email": "pat@example.org",
        "name": "Pat",
        "email_verified": True,
    }
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    try:
        client, done = run_flow(sso_app)
    finally:
        provider.signing_key = provider.key
    assert done.headers["Location"] == "/sign-in"
    assert client.get("/account").status_code == 302
