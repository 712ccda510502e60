"""Every list of the referral service comes a page at a time, with its total, each item slim.

``GET /api/v1/cases`` used to answer every case of the board at once, each in full (10.6 MB
at 3,199 cases, about two seconds a request in process); the lists of drafts, tokens and the
audit log likewise. Now each answers one page (50 by default, at most 200) sliced by the store,
served by an index in the list's order.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import mongomock
import pytest
import time_machine

from services.referral.adapters.repository import CASE_ORDER, MongoCaseRepository
from services.referral.adapters.store import Case, Draft
from tests.unit.auth.conftest import sign_in
from tests.unit.referral.test_api import decide, submit
from tests.unit.referral.test_pages import submitted_case

SUMMARY_KEYS = {
    "id",
    "reference",
    "pseudonym",
    "status",
    "review_kind",
    "referring_agency",
    "incident_on",
    "became_aware_on",
    "board_notified_on",
    "decided_on",
    "next_deadline",
    "created_at",
}


def make_cases(board, n: int, agency: str = "police") -> list[str]:
    """``n`` cases referred by ``agency``, made through the handlers; their ids, oldest first."""
    return [submitted_case(board, agency=agency).case_id for _ in range(n)]


# -- the cases API ----------------------------------------------------------------------------


def test_the_case_list_comes_a_page_at_a_time_newest_first_with_its_total(as_role, board):
    made = make_cases(board, 7)
    bu = as_role("business_unit")
    pages = [bu.get(f"/api/v1/cases?per_page=3&page={n}").get_json() for n in (1, 2, 3, 4)]
    assert [(p["total"], p["page"], p["per_page"], p["pages"]) for p in pages] == [
        (7, 1, 3, 3),
        (7, 2, 3, 3),
        (7, 3, 3, 3),
        (7, 4, 3, 3),
    ]
    listed = [c["id"] for p in pages for c in p["items"]]
    assert listed == made[::-1]  # each case once, the newest first; a page past the last is empty
    default = bu.get("/api/v1/cases").get_json()
    assert (default["per_page"], len(default["items"])) == (50, 7)


def test_a_page_of_cases_is_at_most_its_size_and_each_case_is_slim(as_role, board):
    make_cases(board, 60)
    body = as_role("business_unit").get("/api/v1/cases").get_json()
    assert (body["total"], len(body["items"]), body["pages"]) == (60, 50, 2)
    assert all(set(item) == SUMMARY_KEYS for item in body["items"])
    # Not the facts, the screening, the history, nor the child: the case's own page has them.


def test_the_slim_case_has_the_key_dates_and_the_decision(as_role, board):
    bu = as_role("business_unit")
    case_id = submit(bu)["id"]
    decide(as_role("chair"), case_id)
    full = bu.get(f"/api/v1/cases/{case_id}").get_json()
    (item,) = bu.get("/api/v1/cases").get_json()["items"]
    assert item == {
        "id": case_id,
        "reference": full["reference"],
        "pseudonym": None,
        "status": "decided",
        "review_kind": "serious_case_review",
        "referring_agency": "police",
        "incident_on": full["incident_on"],
        "became_aware_on": full["became_aware_on"],
        "board_notified_on": full["board_notified_on"],
        "decided_on": full["decision"]["decided_on"],
        "next_deadline": full["next_deadline"],
        "created_at": full["created_at"],
    }


def test_filters_and_paging_go_together(as_role, board):
    make_cases(board, 4, agency="police")
    health = make_cases(board, 3, agency="health")
    nurse = as_role("agency_practitioner", agency="health")
    first = nurse.get("/api/v1/cases?per_page=2").get_json()
    second = nurse.get("/api/v1/cases?per_page=2&page=2").get_json()
    assert first["total"] == 3 and [c["id"] for c in first["items"] + second["items"]] == health[::-1]
    waiting = as_role("business_unit").get("/api/v1/cases?status=awaiting_decision&per_page=5").get_json()
    assert (waiting["total"], len(waiting["items"])) == (7, 5)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("per_page=201", "per_page"),
        ("per_page=ten", "per_page"),
        ("colour=red", "colour"),
    ],
)
def test_a_page_out_of_range_is_refused_naming_the_parameter(as_role, query, field):
    resp = as_role("business_unit").get(f"/api/v1/cases?{query}")
    assert resp.status_code == 422 and [e["field"] for e in resp.get_json()["errors"]] == [field]


def test_the_store_slices_the_page_and_sends_only_the_summaries_fields(board, monkeypatch):
    make_cases(board, 5)
    asked: dict[str, object] = {}
    real_find = mongomock.collection.Collection.find

    def spying_find(self, *args, **kwargs):
        cursor = real_find(self, *args, **kwargs)
        if self.name == "cases":
            asked["projection"] = kwargs.get("projection", args[1] if len(args) > 1 else None)
            for name in ("skip", "limit"):
                real = getattr(cursor, name)
                setattr(
                    cursor, name, lambda n, name=name, real=real: (asked.__setitem__(name, n), real(n))[1]
                )
        return cursor

    monkeypatch.setattr(mongomock.collection.Collection, "find", spying_find)
    page = MongoCaseRepository().list(board.board_id, page=2, per_page=2)
    assert (page.total, len(page.items), asked["skip"], asked["limit"]) == (5, 2, 2, 2)
    assert "child" not in asked["projection"] and "history" not in asked["projection"]


def test_an_index_serves_each_filter_of_the_case_list_in_its_order():
    """The list is read from an index in its order, not sorted in memory: for each filter, an
    index on the board, then that filter, then the list's order (read forwards or backwards;
    the direction of a field matched for equality does not matter)."""
    order = [(name.lstrip("-"), -1 if name.startswith("-") else 1) for name in CASE_ORDER]

    def serves(index, equal: list[str]) -> bool:
        names = [name for name, _ in index]
        if names != [*equal, *(name for name, _ in order)]:
            return False
        directions = [way for _, way in index[len(equal) :]]
        wanted = [way for _, way in order]
        return directions in (wanted, [-way for way in wanted])

    indexes = [spec["fields"] for spec in Case._meta["index_specs"]]
    for narrowed_by in (
        None,
        "status",
        "decision.outcome",
        "next_deadline.status",
        "referring_agency",
        "shared_with",
    ):
        equal = ["board_id", *([narrowed_by] if narrowed_by else [])]
        assert any(serves(index, equal) for index in indexes), narrowed_by
    drafts = [spec["fields"] for spec in Draft._meta["index_specs"]]
    assert [("board_id", 1), ("user_id", 1), ("updated_at", -1), ("_id", -1)] in drafts


# -- drafts -----------------------------------------------------------------------------------


def test_the_list_of_drafts_is_paged_and_holds_no_answers_or_child(as_role):
    police = as_role("agency_practitioner", agency="police")
    made = []
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        for _ in range(3):
            clock.shift(timedelta(seconds=1))
            answers = {"what_happened": "died", "child": {"name": "Jane Doe"}}
            made.append(police.post("/api/v1/referral-drafts", json={"answers": answers}).get_json()["id"])
    first = police.get("/api/v1/referral-drafts?per_page=2").get_json()
    second = police.get("/api/v1/referral-drafts?per_page=2&page=2").get_json()
    assert (first["total"], first["pages"]) == (3, 2)
    assert [d["id"] for d in first["items"] + second["items"]] == made[::-1]
    item = first["items"][0]
    assert set(item) == {"id", "what_happened", "unanswered", "complete", "created_at", "updated_at"}
    assert item["what_happened"] == "died" and item["complete"] is False
    assert item["unanswered"][0] == "suspected_suicide"


# -- the pages --------------------------------------------------------------------------------


def pagination_links(body: str) -> list[str]:
    nav = re.search(r'<nav class="govuk-pagination.*?</nav>', body, re.S)
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', nav.group(0))] if nav else []


def test_the_cases_page_shows_a_page_its_total_and_the_govuk_pagination(app, board):
    from tests.factories import make_user

    make_cases(board, 53)
    client = app.test_client()
    sign_in(client, make_user("business_unit", board=board).email)
    body = client.get("/cases?status=awaiting_decision").get_data(as_text=True)
    assert "Showing 1 to 50 of 53 cases that are awaiting decision" in html.unescape(body)
    assert body.count('<tr class="govuk-table__row">') == 50 + 1  # and the heading row
    links = pagination_links(body)
    assert "/cases?status=awaiting_decision&page=2" in links  # the filter is kept
    second = client.get("/cases?status=awaiting_decision&page=2").get_data(as_text=True)
    assert "Showing 51 to 53 of 53" in second and second.count('<tr class="govuk-table__row">') == 3 + 1
    assert client.get("/cases?page=nonsense").status_code == 200  # an edited address: the first page


def test_the_saved_referrals_page_is_paged(app, board):
    from tests.factories import make_user

    user = make_user("agency_practitioner", agency="police", board=board)
    for _ in range(3):
        Draft(board_id=board.board_id, user_id=user.user_id, answers={"what_happened": "died"}).save()
    client = app.test_client()
    sign_in(client, user.email)
    body = html.unescape(client.get("/referrals?per_page=2").get_data(as_text=True))
    assert "Showing 1 to 2 of 3 saved referrals" in body
    assert "/referrals?per_page=2&page=2" in pagination_links(body)
