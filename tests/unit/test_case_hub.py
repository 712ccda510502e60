"""The case hub under one address (``make run``): each service's page of a case carries the same
tabs, and every tab reaches its page; the product's front door is the home page."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

from services.embedded import EmbeddedApp, bootstrap_all
from services.referral.domain.screening import Facts
from services.referral.service_layer.messages import SubmitReferral
from shared.auth.principal import Principal
from shared.framework import today_in_england
from tests.factories import DEMO_AGENCIES, bearer, make_board, make_token, make_user
from tests.support import wait_for


@pytest.fixture
def product(settings):
    services = bootstrap_all(settings)
    yield EmbeddedApp(services), {s.name: s for s in services}
    for s in services:
        s.stop()


def referred_case(services, board_id: str) -> tuple[str, str]:
    """A case referred to the referral service; the bus carries its events to the others."""
    principal = Principal(
        user_id="u1",
        name="Referrer",
        board_id=board_id,
        roles=frozenset({"agency_practitioner"}),
        agency="police",
    )
    today = today_in_england()
    case = (
        services["referral"]
        .extras["bus"]
        .handle(
            SubmitReferral(
                actor=principal,
                facts=Facts(child_died=True, abuse_or_neglect="suspected"),
                incident_on=today,
                became_aware_on=today,
                summary="Found unresponsive.",
                agencies_involved=["police"],
                referrer={"name": "Referrer", "agency": "police", "email": "r@example.org"},
            )
        )
    )
    return case.case_id, case.reference


def tab_links(body: str) -> dict[str, str]:
    nav = re.search(r'<nav class="govuk-tabs app-case-tabs.*?</nav>', body, re.S)
    assert nav, "no case tabs"
    return {text.strip(): href for href, text in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0))}


def test_every_page_of_a_case_links_to_every_other_and_each_link_works(product):
    app, services = product
    for service in services.values():
        service.start()
    board = make_board(agencies=DEMO_AGENCIES)
    case_id, reference = referred_case(services, board.board_id)
    client = Client(app)
    token = bearer(make_token(make_user("business_unit", board=board)))
    pages = {
        "Case": f"/cases/{case_id}",
        "Timetable and deadlines": f"/schedule/cases/{case_id}",
        "Documents": f"/documents/cases/{case_id}",
        "Notifications": f"/notifications/cases/{case_id}",
    }
    for path in pages.values():
        # Each service knows the case once its events have reached it.
        resp = wait_for(lambda p=path: (r := client.get(p, headers=token)).status_code == 200 and r)
        body = resp.get_data(as_text=True)
        # The Review tab too; its page answers once a decision opens a review (tested in tests/unit/reviews).
        assert tab_links(body) == {**pages, "Review": f"/reviews/{case_id}"}, path
        current = re.search(r'href="([^"]+)" aria-current="page"', body)
        assert current and current.group(1) == path
    schedule = client.get(pages["Timetable and deadlines"], headers=token).get_data(as_text=True)
    assert f"Case {reference}" in schedule  # the header names the case


def test_the_front_door_is_the_home_page(product):
    app, _ = product
    client = Client(app)
    assert client.get("/").headers["Location"] == "/home"
    token = bearer(make_token(make_user("chair", board=make_board())))
    home = client.get("/home", headers=token)
    assert home.status_code == 200 and "Decisions to make" in home.get_data(as_text=True)
    assert client.get("/api/v1/work/summary", headers=token).get_json()["total"] == 0
