""" "Forgotten your password?" and "Create a password": the pages around the emailed links."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine
from werkzeug.test import Client

from services.notifications.adapters.account_mail import AccountMail
from services.notifications.adapters.channels.outbox import OutboxMail, open_mail
from shared.auth import links
from shared.auth.models import User, now
from shared.crypto import open_json
from shared.events import parse_envelope
from tests.factories import PASSWORD, make_user
from tests.support import wait_for
from tests.unit.auth.conftest import csrf_from, sign_in

FORGOTTEN = "/accounts/forgotten-password"
NEW_PASSWORD = "tulip harbour kettle"


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def ask_for_link(client, email):
    page = client.get(FORGOTTEN)
    return client.post(FORGOTTEN, data={"email": email, "csrf_token": csrf_from(page.get_data(as_text=True))})


def emailed_links(user: User) -> list[str]:
    found = []
    for link in links.AccountLink.objects(user_id=user.user_id).order_by("created_at"):
        found += [open_json(parse_envelope(e.envelope).data.link_sealed)["url"] for e in link.outbox]
    return found


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def create(client, path, password=NEW_PASSWORD, confirm=None):
    page = client.get(path)
    assert page.status_code == 200, text(page)[:500]
    data = {"password": password, "confirm": password if confirm is None else confirm}
    return client.post(path, data={**data, "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_the_sign_in_page_links_to_forgotten_password(app):
    page = app.test_client().get("/sign-in").get_data(as_text=True)
    assert 'href="/accounts/forgotten-password"' in page and "Forgotten your password?" in page


def test_the_answer_is_the_same_whether_or_not_there_is_an_account(app, board):
    known = make_user("chair", board=board, email="known@example.org")
    gone = make_user("chair", board=board, email="gone@example.org")
    gone.memberships[0].active = False
    gone.save()
    answers = []
    for email in ("known@example.org", "nobody@example.org", "gone@example.org"):
        resp = ask_for_link(app.test_client(), email)
        assert resp.status_code == 200
        body = text(resp)
        answers.append(body[body.index("<main") :].replace(email, "EMAIL"))
    assert answers[0] == answers[1] == answers[2]
    assert "If there is an account for that email address" in answers[0]
    assert len(emailed_links(known)) == 1 and emailed_links(gone) == []


def test_asking_without_an_address_shows_the_error(app):
    resp = ask_for_link(app.test_client(), "")
    assert resp.status_code == 422 and "Enter your email address" in text(resp)


def test_a_reset_link_creates_a_password_signs_in_and_works_once(app, board):
    user = make_user(
        "chair", board=board, email="reset@example.org", locked_until=now() + timedelta(minutes=5)
    )
    ask_for_link(app.test_client(), "reset@example.org")
    [url] = emailed_links(user)
    path = path_of(url)
    assert path.startswith("/accounts/password-reset/")
    client = app.test_client()
    page = text(client.get(path))
    assert "Create a password" in page and "reset@example.org" in page
    done = create(client, path)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/account").status_code == 200  # signed in
    assert sign_in(app.test_client(), "reset@example.org", NEW_PASSWORD).status_code == 302  # unlocked too
    assert sign_in(app.test_client(), "reset@example.org", PASSWORD).status_code == 401
    again = app.test_client().get(path)
    assert again.status_code == 410 and "This link cannot be used" in text(again)


def test_every_problem_with_the_new_password_shows_at_once(app, board):
    user = make_user("chair", board=board, email="short@example.org")
    ask_for_link(app.test_client(), "short@example.org")
    path = path_of(emailed_links(user)[0])
    client = app.test_client()
    resp = create(client, path, password="short", confirm="different")
    assert resp.status_code == 422
    page = text(resp)
    assert page.count("Password must be 12 characters or more") == 2
    assert page.count("Enter the same password in both boxes") == 2
    assert create(client, path, password="short@example.org").status_code == 422  # their own address
    assert create(client, path).status_code == 302  # the link was not used up by the refusals


def test_an_invitation_link_does_not_open_the_reset_page_nor_the_other_way(app, board):
    user = make_user("chair", board=board, email="both@example.org")
    ask_for_link(app.test_client(), "both@example.org")
    reset = path_of(emailed_links(user)[0])
    token = reset.rsplit("/", 1)[1]
    assert app.test_client().get(f"/accounts/invitation/{token}").status_code == 410
    assert app.test_client().get(reset).status_code == 200


def test_an_expired_link_is_refused(app, board):
    user = make_user("chair", board=board, email="late@example.org")
    ask_for_link(app.test_client(), "late@example.org")
    path = path_of(emailed_links(user)[0])
    with time_machine.travel(now() + timedelta(hours=1, minutes=1), tick=False):
        resp = app.test_client().get(path)
    assert resp.status_code == 410 and "Ask for a new link" in text(resp)


# -- the whole product: an invitation reaches the outbox, and its link makes the account ------


@pytest.fixture
def product(settings):
    from services.embedded import EmbeddedApp, bootstrap_all

    services = bootstrap_all(settings.with_overrides(MAIL_OUTBOX="1"))
    for service in services:
        service.start()
    yield Client(EmbeddedApp(services), use_cookies=True)
    for service in services:
        service.stop()


def test_an_invitation_is_emailed_through_notifications_and_its_link_makes_the_account(product, board):
    admin = make_user("admin", board=board, email="boss@example.org")
    assert sign_in(product, admin.email).status_code == 302
    form = product.get("/admin/users/invite").get_data(as_text=True)
    sent = product.post(
        "/admin/users/invite",
        data={
            "name": "Nia New",
            "email": "nia@example.org",
            "roles": ["panel_member"],
            "csrf_token": csrf_from(form),
        },
    )
    assert sent.status_code == 302, text(sent)[:1000]
    mail = wait_for(lambda: OutboxMail.objects(to="nia@example.org").first(), timeout=15)
    opened = open_mail(mail)
    assert "invited" in mail.subject and "Dear Nia New" in opened.text
    assert AccountMail.objects.get(address="nia@example.org").status == "delivered"
    [url] = re.findall(r"https?://\S+/accounts/invitation/\S+", opened.text)
    product.post("/sign-out", data={"csrf_token": csrf_from(product.get("/account").get_data(as_text=True))})
    assert create(product, path_of(url)).status_code == 302
    assert "Nia New" in product.get("/account").get_data(as_text=True)
    assert User.objects.get(email="nia@example.org").password_hash
