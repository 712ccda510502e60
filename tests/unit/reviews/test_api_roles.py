"""Who reaches what: the list of reviews each role sees, and the routes each role is refused."""

from __future__ import annotations

from datetime import date

import pytest

from services import deadletters
from tests.events import decision_recorded, referral_submitted

from .conftest import PANEL_EMAIL, feed

BASE = "/api/v1/reviews/c1"


@pytest.fixture
def reviews(service, board, client, users, review) -> None:
    """Three reviews of the board: c1 (police and health, Pat on its panel), c2 (education), c3
    (police, newest); and one of another board."""
    feed(
        service,
        referral_submitted(board.board_id, case_id="c2", agencies_involved=["education"]),
        decision_recorded(board.board_id, case_id="c2", outcome="learning_review"),
        referral_submitted(board.board_id, case_id="c3", agencies_involved=["police"]),
        decision_recorded(
            board.board_id,
            case_id="c3",
            outcome="critical_incident_review",
            decided_on=date(2025, 12, 20),
        ),
        referral_submitted("other-board", case_id="c4"),
        decision_recorded("other-board", case_id="c4"),
    )
    member = {"role": "member", "name": "Pat", "email": PANEL_EMAIL, "organisation": "Education"}
    assert client.post(f"{BASE}/panel", json=member, headers=users["business"]).status_code == 201
    asked = {"agency": "health", "kind": "chronology"}
    assert (
        client.post("/api/v1/reviews/c2/contributions", json=asked, headers=users["business"]).status_code
        == 201
    )


def listed(client, headers) -> list[str]:
    resp = client.get("/api/v1/reviews", headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return [r["case_id"] for r in resp.get_json()["items"]]


def test_each_role_lists_the_reviews_it_may_see(client, users, reviews):
    assert listed(client, users["business"]) == ["c3", "c1", "c2"]
    assert listed(client, users["chair"]) == ["c3", "c1", "c2"]
    assert listed(client, users["panel"]) == ["c1"]
    assert listed(client, users["outsider"]) == []
    assert listed(client, users["police"]) == ["c3", "c1"]
    # Health was asked for a chronology in c2 although the referral did not name it.
    assert listed(client, users["health"]) == ["c1", "c2"]
    assert client.get("/api/v1/reviews", headers=users["family"]).status_code == 403


def test_an_agency_sees_its_own_share_of_a_listed_review(client, users, reviews):
    (c2,) = [
        r
        for r in client.get("/api/v1/reviews", headers=users["health"]).get_json()["items"]
        if r["case_id"] == "c2"
    ]
    assert (c2["review_kind"], c2["contributions"]) == ("learning_review", 1)
    assert (
        client.get("/api/v1/reviews?per_page=1&page=2", headers=users["business"]).get_json()["items"][0][
            "case_id"
        ]
        == "c1"
    )


REFUSED = [
    ("chair", "POST", f"{BASE}/panel"),
    ("chair", "POST", f"{BASE}/contributions"),
    ("chair", "PUT", f"{BASE}/terms-of-reference"),
    ("panel", "PUT", f"{BASE}/terms-of-reference"),
    ("panel", "POST", f"{BASE}/terms-of-reference/agree"),
    ("panel", "POST", f"{BASE}/contributions"),
    ("reviewer", "GET", BASE),
    ("outsider", "GET", BASE),
    ("police", "PUT", f"{BASE}/terms-of-reference"),
    ("police", "POST", f"{BASE}/terms-of-reference/comments"),
    ("police", "GET", f"{BASE}/chronology"),
    ("family", "GET", BASE),
    ("family", "GET", "/api/v1/reviews"),
]


@pytest.mark.parametrize(("who", "method", "url"), REFUSED)
def test_each_role_is_refused_what_it_may_not_do(client, users, reviews, who, method, url):
    resp = client.open(url, method=method, json={}, headers=users[who])
    assert resp.status_code == 403, resp.get_json()


def test_the_reviews_queue_is_among_those_that_hold_dead_letters():
    assert "reviews.cases" in deadletters.consumers()
