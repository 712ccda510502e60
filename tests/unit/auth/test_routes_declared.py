"""Deny by default: every route of every service declares who may use it."""

import pytest

from services import NAMES
from services.embedded import bootstrap_all
from shared.auth.access import access_for

OPEN = {"healthz", "readyz", "prometheus_metrics"}
SIGN_IN = {
    "auth.sign_in",
    "auth.sign_out",
    "auth.sso_start",
    "auth.sso_callback",
    # Before signing in: asking for a password link, and using one (the link is the proof).
    "accounts.forgotten_password",
    "accounts.invitation",
    "accounts.password_reset",
    "govuk_assets",
    "govuk_static",
    "lscb_static",
    "static",
}
# The caller proves itself with a secret of its own, not a session or API token:
# a calendar subscription's URL, GOV.UK Notify's callback bearer token.
CAPABILITY = {"calendar_feeds.feed", "notifications_api.notify_callback"}


@pytest.fixture(scope="module")
def services():
    from shared.config import load_settings

    return bootstrap_all(load_settings(APP_ENV="test"))


@pytest.mark.parametrize("name", NAMES)
def test_every_route_declares_its_access(services, name):
    app = next(s for s in services if s.name == name).app
    undeclared, wrongly_open = [], []
    for rule in app.url_map.iter_rules():
        access = access_for(app, rule.endpoint)
        if access is None:
            undeclared.append(rule.rule)
        elif access.kind == "open" and rule.endpoint not in OPEN:
            wrongly_open.append(rule.rule)
        elif access.kind == "sign_in" and rule.endpoint not in SIGN_IN:
            wrongly_open.append(rule.rule)
        elif access.kind == "capability" and rule.endpoint not in CAPABILITY:
            wrongly_open.append(rule.rule)
    assert undeclared == [], f"{name}: routes without an access rule"
    assert wrongly_open == [], f"{name}: routes reachable without signing in"


def test_an_undeclared_route_is_refused(app):
    @app.get("/api/v1/forgotten")
    def forgotten():
        return {"leak": True}

    resp = app.test_client().get("/api/v1/forgotten")
    assert resp.status_code == 403
    assert "leak" not in resp.get_data(as_text=True)


def test_only_health_readiness_and_metrics_answer_anonymously(app):
    client = app.test_client()
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200
    assert client.get("/account").status_code == 302  # to the sign-in page
    assert client.get("/api/v1/tokens").status_code == 401
