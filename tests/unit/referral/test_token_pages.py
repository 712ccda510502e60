"""API tokens in the browser: made (its secret shown once), listed and revoked after confirming,
by the roles that use tokens only; every problem of the form named at once."""

from __future__ import annotations

import html
import re

from shared.audit import AuditEntry
from shared.auth import tokens
from shared.auth.models import ApiToken


def text(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_a_manager_makes_a_token_sees_it_once_and_revokes_it(browser):
    manager = browser("agency_manager", agency="police")
    assert 'href="/account/tokens"' in manager.page("/account")
    assert "You have no API tokens." in manager.page("/account/tokens")

    made = manager.submit("/account/tokens", {"name": "Nightly export", "days": "30"}, action=None)
    assert made.status_code == 200
    body = made.get_data(as_text=True)
    secret = re.search(r'id="token-secret">([^<]+)<', body).group(1)
    assert tokens.authenticate(secret) is not None  # the secret works
    token = ApiToken.objects.get(name="Nightly export")
    assert (token.expires_at - token.created_at).days == 30
    listing = manager.page("/account/tokens")
    assert secret not in listing and "Nightly export" in listing and "Active" in listing
    assert any(e.action == "token.created" and e.resource_id == token.token_id for e in AuditEntry.objects)

    confirm = text(manager.page(f"/account/tokens/{token.token_id}/revoke"))
    assert "Revoke the token Nightly export?" in confirm
    done = manager.submit(f"/account/tokens/{token.token_id}/revoke", {}, action=None)
    assert done.status_code == 302 and done.headers["Location"] == "/account/tokens"
    assert tokens.authenticate(secret) is None
    after = text(manager.page("/account/tokens"))
    assert "The token Nightly export is revoked" in after and "Revoked" in after


def test_every_problem_of_the_form_is_named(browser):
    bu = browser("business_unit")
    resp = bu.submit("/account/tokens", {"name": "", "days": "400"}, action=None)
    assert resp.status_code == 422
    summary = text(resp.get_data(as_text=True).split('class="govuk-error-summary"')[1].split("</ul>")[0])
    assert "Enter a name for the token" in summary and "The token must last from 1 to 365 days" in summary
    assert ApiToken.objects.count() == 0


def test_roles_without_tokens_and_other_peoples_tokens_are_refused(browser):
    for role in ("agency_practitioner", "chair", "family_viewer"):
        who = browser(role, agency="police" if role == "agency_practitioner" else None)
        assert who.get("/account/tokens").status_code == 403
        assert 'href="/account/tokens"' not in who.page("/account")
    owner = browser("business_unit")
    owner.submit("/account/tokens", {"name": "Mine"}, action=None)
    token = ApiToken.objects.get()
    other = browser("business_unit")
    assert other.get(f"/account/tokens/{token.token_id}/revoke").status_code == 404
    assert "Mine" not in other.page("/account/tokens")
