"""Signing in and out on the web: sessions, CSRF, lockout and timeouts."""

from datetime import UTC, datetime, timedelta

import time_machine

from shared.audit import AuditEntry
from shared.auth.sessions import COOKIE, WebSession
from tests.factories import PASSWORD, make_user
from tests.unit.auth.conftest import csrf_from, sign_in


def cookie(client):
    c = client.get_cookie(COOKIE)
    return c.value if c else None


def test_sign_in_page_is_govuk_and_carries_a_csrf_token(app):
    resp = app.test_client().get("/sign-in")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'class="govuk-template"' in html and "govuk-button" in html
    assert csrf_from(html)


def test_sign_in_gives_a_new_session_id_with_safe_cookie_flags(app, board):
    user = make_user("business_unit", board=board)
    client = app.test_client()
    client.get("/sign-in")
    before = cookie(client)
    resp = sign_in(client, user.email, next_url="/account")
    assert resp.status_code == 302 and resp.headers["Location"] == "/account"
    after = cookie(client)
    assert before and after and before != after
    set_cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert "Secure" not in set_cookie  # plain HTTP in tests; see the TLS test
    assert client.get("/account").status_code == 200
    # The old id is dead, and the store holds only hashes of ids.
    assert all(after not in (s.session_hash, str(s.data)) for s in WebSession.objects)
    assert AuditEntry.objects(action="auth.sign_in", outcome="success", actor_id=user.user_id).count() == 1


def test_cookie_is_secure_over_tls(app, board):
    user = make_user("chair", board=board)
    client = app.test_client()
    page = client.get("/sign-in", base_url="https://lscb.example.org")
    resp = client.post(
        "/sign-in",
        base_url="https://lscb.example.org",
        headers={"Referer": "https://lscb.example.org/sign-in"},
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 302
    assert "Secure" in resp.headers["Set-Cookie"]
    assert "max-age=31536000" in resp.headers["Strict-Transport-Security"]


def test_wrong_password_shows_the_error_summary_and_is_audited(app, board):
    user = make_user("chair", board=board)
    resp = sign_in(app.test_client(), user.email, password="wrong")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 401
    assert "govuk-error-summary" in html and "Enter a correct email address and password" in html
    entry = AuditEntry.objects(action="auth.sign_in", outcome="denied").first()
    assert entry.actor_id == user.user_id and entry.detail == "wrong password"


def test_sign_in_without_csrf_token_is_refused(app, board):
    user = make_user("chair", board=board)
    resp = app.test_client().post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 403
    assert "form has expired" in resp.get_data(as_text=True)


def test_lockout_after_repeated_failures_then_release(app, board, settings):
    user = make_user("chair", board=board)
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False) as t:
        client = app.test_client()
        for _ in range(settings.LOGIN_MAX_FAILURES):
            assert sign_in(client, user.email, password="guess").status_code == 401
        refused = sign_in(client, user.email)  # the right password, but locked
        assert refused.status_code == 401
        nobody = sign_in(client, "nobody-here@example.org")
        # The same words whether the account is locked or does not exist at all.
        assert _error_summary(refused) == _error_summary(nobody)
        assert "cannot sign in for" in _error_summary(refused)
        # The audit log, for admins, still tells them apart.
        details = {e.detail for e in AuditEntry.objects(action="auth.sign_in", outcome="denied")}
        assert {"locked", "unknown user"} <= details
        t.shift(timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
        assert sign_in(client, user.email).status_code == 302


def _error_summary(resp) -> str:
    html = resp.get_data(as_text=True)
    start = html.index("govuk-error-summary__list")
    return html[start : html.index("</ul>", start)]


def test_idle_timeout_after_30_minutes(signed_in):
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False) as t:
        client, _ = signed_in("chair")
        t.shift(timedelta(minutes=29))
        assert client.get("/account").status_code == 200
        t.shift(timedelta(minutes=29))  # active 29 minutes ago: still fine
        assert client.get("/account").status_code == 200
        t.shift(timedelta(minutes=31))
        resp = client.get("/account")
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/sign-in")
        assert "inactive for 30 minutes" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_absolute_timeout_after_12_hours_despite_activity(signed_in):
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), tick=False) as t:
        client, _ = signed_in("chair")
        for _ in range(35):  # every 20 minutes for 11 h 40 min
            t.shift(timedelta(minutes=20))
            assert client.get("/account").status_code == 200
        t.shift(timedelta(minutes=21))
        assert client.get("/account").status_code == 302


def test_sign_out_ends_the_session_on_the_server(signed_in):
    client, user = signed_in("chair")
    sid = cookie(client)
    page = client.get("/account").get_data(as_text=True)
    assert client.post("/sign-out", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert WebSession.objects(user_id=user.user_id, ended_reason="signed out").count() == 1
    # Replaying the old cookie does not bring the session back.
    client.set_cookie(COOKIE, sid)
    assert client.get("/account").status_code == 302


def test_sign_out_needs_post_with_csrf(signed_in):
    client, _ = signed_in("chair")
    assert client.get("/sign-out").status_code == 405  # no state change on GET
    assert client.post("/sign-out").status_code == 403
    assert client.get("/account").status_code == 200


def test_a_tampered_or_unknown_cookie_is_just_signed_out(app):
    client = app.test_client()
    client.set_cookie(COOKIE, "forged-" + "x" * 40)
    resp = client.get("/account")
    assert resp.status_code == 302


def test_open_redirects_are_refused(app, board):
    user = make_user("chair", board=board)
    resp = sign_in(app.test_client(), user.email, next_url="https://evil.example.com/")
    assert resp.headers["Location"] == "/"
