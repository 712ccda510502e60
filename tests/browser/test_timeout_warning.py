"""The session timeout warning, on a product whose sessions end after 20 seconds without activity.

The page's script warns half-way (two minutes before the end of a normal session), lets the
user stay signed in, and when the time runs out saves a form that can be saved, then signs out.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _page, assert_accessible, sign_in, start_server, stop_server

IDLE_SECONDS = 20
HTML = {"Accept": "text/html"}  # a browser's request: a signed-out one is sent to the sign-in page


@pytest.fixture(scope="module")
def short_sessions():
    server = start_server(SESSION_IDLE_MINUTES=IDLE_SECONDS / 60)
    yield server
    stop_server(server)


@pytest.fixture
def page(request, browser, short_sessions):
    yield from _page(request, browser, short_sessions)


def dialog(page):
    return page.locator("dialog.lscb-timeout-dialog")


def test_the_warning_lets_the_user_stay_signed_in(page):
    sign_in(page, "business_unit")
    page.goto("/account")
    loaded = time.monotonic()

    dialog(page).wait_for(state="visible", timeout=IDLE_SECONDS * 1000)
    assert page.get_by_role("dialog", name="You are about to be signed out").is_visible()
    assert re.search(r"You will be signed out in \d+ seconds?", dialog(page).inner_text())
    assert page.evaluate("() => document.activeElement.id") == "lscb-timeout-dialog"
    countdown = dialog(page).locator(".lscb-timeout-dialog__countdown")
    expect(countdown).not_to_have_text(countdown.inner_text())  # it counts down
    assert_accessible(page)  # with the modal dialog open

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Stay signed in"
    with page.expect_response("**/account/keep-alive") as kept:
        page.keyboard.press("Enter")
    assert kept.value.status == 200 and kept.value.json()["expires_in"] > IDLE_SECONDS - 2
    assert not dialog(page).is_visible()

    # Past the time the session would have ended without "Stay signed in", it is still alive.
    page.goto("about:blank")  # no script of ours counting down any more
    time.sleep(max(0.0, loaded + IDLE_SECONDS + 2 - time.monotonic()))
    still = page.request.get("/account", max_redirects=0, headers=HTML)
    assert still.status == 200, "the session ended although the user chose to stay signed in"


def test_when_the_time_runs_out_the_answers_are_saved_then_the_user_is_signed_out(page):
    sign_in(page, "agency_practitioner")
    page.goto("/referrals/new")
    page.check("input[name=what_happened][value=seriously_harmed]")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    draft_url = page.url.rsplit("/", 1)[0]
    page.goto(f"{draft_url}/summary")
    assert page.url.endswith("/summary"), page.url
    typed = "Typed just before the session ended: never lost."
    page.locator("#summary").focus()
    page.keyboard.type(typed)

    saves = []
    page.on("response", lambda r: r.request.method == "POST" and saves.append((r.url, r.status)))
    dialog(page).wait_for(state="visible", timeout=IDLE_SECONDS * 1000)
    assert "Your answers on this page will be saved" in dialog(page).inner_text()
    page.wait_for_url("**/sign-in?timeout=idle", timeout=IDLE_SECONDS * 1000)
    assert "You were signed out because you were inactive" in page.locator("main").inner_text()
    assert page.request.get("/account", max_redirects=0, headers=HTML).status == 302  # the session has ended

    sign_in(page, "agency_practitioner")
    page.goto(f"{draft_url}/summary")
    assert (f"{draft_url}/summary", 302) in saves, saves  # saved before signing out
    assert page.locator("#summary").input_value() == typed


def test_sign_out_in_the_warning_signs_out_at_once(page):
    sign_in(page, "chair")
    page.goto("/account")
    dialog(page).wait_for(state="visible", timeout=IDLE_SECONDS * 1000)
    with page.expect_navigation():
        dialog(page).get_by_role("button", name="Sign out").click()
    assert "/sign-in" in page.url
    assert page.request.get("/account", max_redirects=0, headers=HTML).status == 302


def test_escape_is_stay_signed_in(page):
    sign_in(page, "panel_member")
    page.goto("/account")
    dialog(page).wait_for(state="visible", timeout=IDLE_SECONDS * 1000)
    with page.expect_response("**/account/keep-alive") as kept:
        page.keyboard.press("Escape")
    assert kept.value.status == 200
    assert not dialog(page).is_visible()


def test_pages_of_a_signed_out_user_have_no_warning(page):
    page.goto("/sign-in")
    assert page.locator("body").get_attribute("data-session-expires-in") is None
    assert page.evaluate("() => window.lscbTimeoutWarning === undefined")
    sign_in(page, "family_viewer")
    assert page.evaluate("() => window.lscbTimeoutWarning !== undefined")  # the script runs when signed in
