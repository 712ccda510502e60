"""The service layer on fakes: who may do what, the default due date, the merged chronology."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.service_layer import commands, handlers
from services.reviews.service_layer.access import Viewer
from shared.errors import Forbidden, NotFound
from shared.events.reviews import ChronologyEntry
from tests.events import decision_recorded, received, referral_submitted

from .fakes import FakeDirectory, FakeUnitOfWork

TODAY = date(2026, 3, 2)
BOARD = "b1"


def viewer(role: str, agency: str | None = None, email: str | None = None, board: str = BOARD) -> Viewer:
    return Viewer(f"u-{role}", role.title(), board, frozenset({role}), agency, email)


BUSINESS = viewer("business_unit")
POLICE = viewer("agency_practitioner", "police")
HEALTH = viewer("agency_manager", "health")
PANEL = viewer("panel_member", email="pat@panel.example.org")
OUTSIDER = viewer("panel_member", email="other@panel.example.org")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(FakeDirectory(closures=(date(2026, 3, 16),)))
    handlers.on_referral_submitted(received(referral_submitted(BOARD)), uow)
    handlers.on_decision(received(decision_recorded(BOARD)), uow)
    commands.add_panel_member(
        uow,
        BUSINESS,
        "c1",
        {"role": "member", "name": "Pat", "email": "Pat@panel.example.org", "organisation": "Education"},
        TODAY,
    )
    return uow


def request(uow: FakeUnitOfWork, agency: str) -> str:
    made = commands.request_contribution(
        uow, BUSINESS, "c1", agency=agency, kind="chronology", due_on=None, today=TODAY
    )
    return str(made["id"])


def test_a_request_is_due_fifteen_working_days_on_the_boards_calendar(uow):
    made = commands.request_contribution(
        uow, BUSINESS, "c1", agency="police", kind="chronology", due_on=None, today=TODAY
    )
    # 2 March 2026 + 15 working days is 23 March; the board's closure on 16 March adds one.
    assert (made["status"], made["due_on"]) == ("requested", "2026-03-24")
    assert uow.types()[-1] == "contribution.requested"
    assert uow.published[-1]["data"]["due_on"] == "2026-03-24"


def test_another_boards_review_is_not_found(uow):
    with pytest.raises(NotFound):
        commands.get_review(uow, viewer("business_unit", board="b2"), "c1")


def test_agency_staff_see_only_their_agencys_contributions(uow):
    police_id, health_id = request(uow, "police"), request(uow, "health")
    seen = commands.get_review(uow, POLICE, "c1")
    assert [c["agency"] for c in seen["contributions"]] == ["police"]
    assert seen["panel"] == [] and seen["terms_of_reference"] is None
    with pytest.raises(NotFound):
        commands.get_contribution(uow, POLICE, "c1", health_id)
    with pytest.raises(NotFound):
        commands.write_contribution(uow, HEALTH, "c1", police_id, today=TODAY, entries=[])
    with pytest.raises(Forbidden):
        commands.merged_chronology(uow, POLICE, "c1")


def test_an_agency_not_involved_sees_nothing(uow):
    with pytest.raises(Forbidden):
        commands.get_review(uow, viewer("agency_practitioner", "education"), "c1")


def test_panel_members_read_the_reviews_they_sit_on_and_accept_but_do_not_write(uow):
    police_id = request(uow, "police")
    assert commands.get_review(uow, PANEL, "c1")["panel"][-1]["name"] == "Pat"
    with pytest.raises(Forbidden):
        commands.get_review(uow, OUTSIDER, "c1")
    with pytest.raises(Forbidden):
        commands.write_contribution(uow, PANEL, "c1", police_id, today=TODAY, entries=[])
    entries = [ChronologyEntry(date=date(2025, 10, 1), event="Referral", source="PNC")]
    commands.write_contribution(uow, POLICE, "c1", police_id, today=TODAY, entries=entries)
    commands.move_contribution(uow, POLICE, "c1", police_id, "submit", TODAY)
    with pytest.raises(Forbidden):
        commands.move_contribution(uow, OUTSIDER, "c1", police_id, "accept", TODAY)
    found = commands.move_contribution(uow, PANEL, "c1", police_id, "accept", TODAY)
    assert found["status"] == "accepted"
    assert uow.published[-1]["data"]["entries"][0]["event"] == "Referral"


def test_only_the_business_unit_forms_the_panel_and_requests_contributions(uow):
    with pytest.raises(Forbidden):
        commands.request_contribution(
            uow, PANEL, "c1", agency="police", kind="chronology", due_on=None, today=TODAY
        )
    with pytest.raises(Forbidden):
        commands.add_panel_member(uow, POLICE, "c1", {}, TODAY)


def test_a_repeated_request_with_the_same_id_answers_the_first(uow):
    first = commands.request_contribution(
        uow,
        BUSINESS,
        "c1",
        agency="police",
        kind="chronology",
        due_on=None,
        today=TODAY,
        contribution_id="k1",
    )
    again = commands.request_contribution(
        uow,
        BUSINESS,
        "c1",
        agency="police",
        kind="chronology",
        due_on=None,
        today=TODAY,
        contribution_id="k1",
    )
    assert first == again
    assert uow.types().count("contribution.requested") == 1
