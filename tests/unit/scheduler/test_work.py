"""The work queue: the events that fill it, what each role's home page then lists, and the
counts the navigation reads. Handlers run on the scheduler's fakes (deadlines) with the work
queue in the test store; the pages and the API run in the scheduler's app."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta

import pytest

from services.scheduler.bootstrap import bootstrap
from services.scheduler.domain import work
from services.scheduler.service_layer.work import GetWork
from shared.events.documents import DocumentShared, DocumentShareRevoked
from shared.events.notifications import NotificationFailed, NotificationSent, NotificationUncertain
from shared.events.referral import Referrer, Reviewer
from shared.events.reviews import (
    ContributionAccepted,
    ContributionRequested,
    ContributionReturned,
    ContributionSubmitted,
)
from shared.framework import today_in_england
from tests import events
from tests.events import received
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.scheduler.events import decision_confirmed, decision_recorded
from tests.unit.scheduler.fakes import Scheduler

BOARD = "b1"
POLICE = Referrer(name="Priya", agency="police", email="priya@police.example.org")
HEALTH = Referrer(name="Hal", agency="health", email="hal@health.example.org")


def referred(case_id: str, reference: str, referrer: Referrer = POLICE, **dates: date):
    return received(
        events.referral_submitted(BOARD, case_id, reference=reference, referrer=referrer, **dates)
    )


def screened(case_id: str):
    return received(events.case_screened(BOARD, case_id))


def failed(notification_id: str, case_id: str = "c1", template: str = "ofsted_notification"):
    return received(
        NotificationFailed(
            case_id=case_id,
            board_id=BOARD,
            notification_id=notification_id,
            recipient_role="ofsted",
            template=template,
            reason="The mail server refused it",
        )
    )


def sent(notification_id: str, case_id: str = "c1", template: str = "ofsted_notification"):
    return received(
        NotificationSent(
            case_id=case_id,
            board_id=BOARD,
            notification_id=notification_id,
            recipient_role="ofsted",
            template=template,
            source_event_id="e1",
            sent_on=date(2027, 1, 4),
        )
    )


def sections(scheduler: Scheduler, *roles: str, **who: str) -> dict[str, work.WorkList]:
    found = scheduler.handle(GetWork(BOARD, frozenset(roles), **who))
    return {w.section.key: w for w in found}


def references(found: work.WorkList) -> list[str | None]:
    return [item.reference for item in found.items]


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(today=date(2027, 1, 4))


def test_a_screened_referral_awaits_a_decision_until_one_is_recorded(scheduler):
    scheduler.handle(referred("c1", "B-2026-0001"))
    bu = sections(scheduler, "business_unit")
    assert references(bu["to_screen"]) == ["B-2026-0001"]
    assert bu["decisions_awaited"].count == 0

    scheduler.handle(screened("c1"))
    bu = sections(scheduler, "business_unit")
    assert bu["to_screen"].count == 0
    assert references(bu["decisions_awaited"]) == ["B-2026-0001"]
    assert references(sections(scheduler, "chair")["decisions_to_make"]) == ["B-2026-0001"]

    scheduler.handle(decision_recorded(BOARD, "c1", on=date(2027, 1, 4)))
    assert sections(scheduler, "chair")["decisions_to_make"].count == 0


def test_a_late_event_never_takes_a_case_back(scheduler):
    scheduler.handle(referred("c1", "B-2026-0001"))
    scheduler.handle(screened("c1"))
    scheduler.handle(decision_recorded(BOARD, "c1", on=date(2027, 1, 4)))
    scheduler.handle(screened("c1"))  # delivered again, late
    assert sections(scheduler, "chair")["decisions_to_make"].count == 0


def test_agency_staff_see_their_own_agencys_referrals_only(scheduler):
    scheduler.handle(referred("c1", "B-2026-0001", POLICE))
    scheduler.handle(referred("c2", "B-2026-0002", HEALTH))
    for case_id in ("c1", "c2"):
        scheduler.handle(screened(case_id))
    police = sections(scheduler, "agency_practitioner", agency="police")
    assert list(police) == ["drafts", "agency_referrals", "contributions_requested"]
    assert references(police["agency_referrals"]) == ["B-2026-0001"]
    assert sections(scheduler, "agency_manager")["agency_referrals"].count == 0  # no agency: nothing


def test_reviewers_see_the_cases_in_review_they_are_involved_in(scheduler):
    lead = Reviewer(name="Dr R", organisation="Reviews Ltd", email="R.Lead@example.org")
    for case_id in ("c1", "c2"):
        scheduler.handle(referred(case_id, f"B-2026-000{case_id[1]}"))
        scheduler.handle(screened(case_id))
    decision = decision_recorded(BOARD, "c1", on=date(2027, 1, 4)).data
    scheduler.handle(received(dataclasses.replace(decision, lead_reviewers=[lead])))
    scheduler.handle(decision_recorded(BOARD, "c2", on=date(2027, 1, 4), outcome="no_review"))

    panel = sections(scheduler, "panel_member")["involved"]
    assert references(panel) == ["B-2026-0001"]  # a decision of no review starts no review
    assert panel.items[0].label == "serious_case_review"
    assert references(sections(scheduler, "lead_reviewer", email="r.lead@example.org")["involved"]) == [
        "B-2026-0001"
    ]
    assert sections(scheduler, "lead_reviewer", email="someone@example.org")["involved"].count == 0

    scheduler.handle(decision_confirmed(BOARD, "c1", on=date(2027, 1, 5), outcome="no_review"))
    assert sections(scheduler, "panel_member")["involved"].count == 0


def test_a_failed_notification_needs_attention_until_it_is_sent(scheduler):
    scheduler.handle(referred("c1", "B-2026-0001"))
    scheduler.handle(failed("n1"))
    scheduler.handle(failed("n1"))  # the same event twice lists it once
    found = sections(scheduler, "business_unit")["notifications"]
    assert found.count == 1
    assert (found.items[0].reference, found.items[0].label, found.items[0].detail) == (
        "B-2026-0001",
        "ofsted_notification",
        "failed",
    )
    scheduler.handle(sent("n1"))
    assert sections(scheduler, "business_unit")["notifications"].count == 0


def test_a_notification_that_may_not_have_arrived_needs_checking_until_confirmed(scheduler):
    scheduler.handle(
        received(
            NotificationUncertain(
                case_id="c1",
                board_id=BOARD,
                notification_id="n2",
                recipient_role="dfe",
                template="dfe_notification",
                reason="The connection broke after the message was sent",
            )
        )
    )
    (item,) = sections(scheduler, "business_unit")["notifications"].items
    assert (item.label, item.detail) == ("dfe_notification", "uncertain")
    scheduler.handle(sent("n2", template="dfe_notification"))  # someone confirmed it arrived
    assert sections(scheduler, "business_unit")["notifications"].count == 0


def shared(share_id: str, user_id: str, kind: str = "overview_report"):
    return received(
        DocumentShared(
            case_id="c1",
            board_id=BOARD,
            share_id=share_id,
            document_id=f"d-{share_id}",
            kind=kind,
            user_id=user_id,
        )
    )


def test_a_family_member_sees_the_reports_shared_with_them_until_a_share_is_revoked(scheduler):
    scheduler.handle(shared("s1", "u-family"))
    scheduler.handle(shared("s2", "u-family", kind="action_plan"))
    scheduler.handle(shared("s3", "u-someone-else"))
    reports = sections(scheduler, "family_viewer", user_id="u-family")["shared_reports"]
    assert reports.count == 2
    assert {(i.target, i.label) for i in reports.items} == {("s1", "overview_report"), ("s2", "action_plan")}
    scheduler.handle(
        received(DocumentShareRevoked(case_id="c1", board_id=BOARD, share_id="s1", user_id="u-family"))
    )
    scheduler.handle(
        received(DocumentShareRevoked(case_id="c1", board_id=BOARD, share_id="s1", user_id="u-family"))
    )
    reports = sections(scheduler, "family_viewer", user_id="u-family")["shared_reports"]
    assert [i.target for i in reports.items] == ["s2"]


def contribution(cls, contribution_id: str, agency: str, **fields):
    about = {"case_id": "c1", "board_id": BOARD, "contribution_id": contribution_id, "agency": agency}
    return received(cls(**about, kind="chronology", **fields))


def test_contributions_are_awaited_from_their_agency_until_submitted_and_again_when_returned(scheduler):
    scheduler.handle(referred("c1", "B-2026-0001"))
    day = date(2027, 1, 4)
    scheduler.handle(
        contribution(ContributionRequested, "k1", "police", requested_on=day, due_on=date(2027, 2, 1))
    )
    scheduler.handle(
        contribution(ContributionRequested, "k2", "health", requested_on=day, due_on=date(2027, 1, 20))
    )
    awaited = sections(scheduler, "business_unit")["contributions_awaited"]
    assert [(i.detail, i.on, i.reference) for i in awaited.items] == [
        ("health", date(2027, 1, 20), "B-2026-0001"),  # the soonest due first
        ("police", date(2027, 2, 1), "B-2026-0001"),
    ]
    police = sections(scheduler, "agency_practitioner", agency="police")["contributions_requested"]
    assert [(i.label, i.on) for i in police.items] == [("chronology", date(2027, 2, 1))]

    scheduler.handle(contribution(ContributionSubmitted, "k1", "police", submitted_on=day))
    assert sections(scheduler, "agency_manager", agency="police")["contributions_requested"].count == 0
    scheduler.handle(contribution(ContributionReturned, "k1", "police", returned_on=day, comments="Add May"))
    returned = sections(scheduler, "agency_manager", agency="police")["contributions_requested"]
    assert returned.count == 1 and returned.items[0].on == date(2027, 2, 1)  # its due date stands
    scheduler.handle(contribution(ContributionSubmitted, "k1", "police", submitted_on=day))
    scheduler.handle(contribution(ContributionAccepted, "k1", "police", accepted_on=day))
    assert sections(scheduler, "business_unit")["contributions_awaited"].count == 1  # health's only


def test_deadlines_are_split_into_overdue_and_due_in_the_next_ten_working_days(scheduler):
    today = date(2027, 1, 4)
    # Aware long ago: its deadlines are overdue. Aware yesterday: its first ones fall due soon.
    scheduler.handle(referred("c1", "B-2026-0001"))
    recent = {"incident_on": today - timedelta(days=2), "became_aware_on": today - timedelta(days=1)}
    scheduler.handle(referred("c2", "B-2027-0002", board_notified_on=today - timedelta(days=1), **recent))
    bu = sections(scheduler, "business_unit")
    overdue, due = bu["deadlines_overdue"], bu["deadlines_due"]
    assert overdue.count > 0 and due.count > 0
    assert {i.reference for i in overdue.items} == {"B-2026-0001"}
    assert all(i.on is not None and i.on < today for i in overdue.items)
    until = date(2027, 1, 18)  # ten working days after 4 January 2027
    assert all(i.on is not None and today <= i.on <= until for i in due.items)
    assert [i.on for i in due.items] == sorted(i.on for i in due.items if i.on)


def test_each_role_sees_its_own_sections_and_the_total_counts_the_same_work_once(scheduler):
    scheduler.handle(referred("c1", "B-2026-0001"))
    scheduler.handle(screened("c1"))
    assert [w.section.key for w in scheduler.handle(GetWork(BOARD, frozenset({"family_viewer"})))] == [
        "shared_reports"
    ]
    assert [w.section.key for w in scheduler.handle(GetWork(BOARD, frozenset({"admin"})))] == []
    both = scheduler.handle(GetWork(BOARD, frozenset({"chair", "business_unit"})))
    counts = {w.section.key: w.count for w in both}
    assert counts["decisions_awaited"] == counts["decisions_to_make"] == 1
    assert work.total(both) == sum(counts.values()) - 1


# -- the page and the API ------------------------------------------------------------------------


@pytest.fixture
def service(settings):
    return bootstrap(settings)


@pytest.fixture
def board():
    return make_board()


def as_member(service, board, *roles, agency=None):
    user = make_user(*roles, board=board, agency=agency)
    client = service.app.test_client()
    headers = bearer(make_token(user))
    return lambda path: client.get(path, headers=headers)


def feed(service, board_id: str) -> None:
    """A board with a case awaiting a decision (referred long ago: its deadlines are overdue)
    and a notification that failed."""
    bus = service.extras["bus"]
    today = today_in_england()
    bus.handle(
        received(
            events.referral_submitted(
                board_id,
                "c1",
                reference="B-2026-0001",
                incident_on=today - timedelta(days=40),
                became_aware_on=today - timedelta(days=40),
                board_notified_on=today - timedelta(days=39),
            )
        )
    )
    bus.handle(received(events.case_screened(board_id, "c1")))
    bus.handle(
        received(
            ContributionRequested(
                case_id="c1",
                board_id=board_id,
                contribution_id="k1",
                agency="police",
                kind="chronology",
                requested_on=today,
                due_on=today + timedelta(days=20),
            )
        )
    )
    bus.handle(
        received(
            NotificationFailed(
                case_id="c1",
                board_id=board_id,
                notification_id="n1",
                recipient_role="ofsted",
                template="ofsted_notification",
                reason="refused",
            )
        )
    )


def test_the_business_units_home_page_links_each_item_to_where_the_work_is_done(service, board):
    feed(service, board.board_id)
    resp = as_member(service, board, "business_unit")("/home")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Needs your action" in page
    assert 'href="/cases/c1">B-2026-0001</a>' in page  # the decision awaited
    assert 'href="/schedule/cases/c1">B-2026-0001</a>' in page  # its overdue deadlines
    assert 'href="/notifications/cases/c1">B-2026-0001</a>' in page
    assert "Ofsted notification: failed" in page
    assert "Chronology from Police, due" in page  # the agency by its name
    assert "There are no referrals waiting to be screened." in page  # an empty section says so
    assert 'href="/home"' in page  # Home is in the navigation
    words = re.sub(r"<[^>]+>", " ", page.split('id="main-content"')[1].split("</main>")[0])
    assert "_" not in words and "None" not in words  # no codes shown


def test_a_family_members_home_page_links_to_the_reports_shared_with_them(service, board):
    family = make_user("family_viewer", board=board)
    client = service.app.test_client()
    headers = bearer(make_token(family))
    page = client.get("/home", headers=headers).get_data(as_text=True)
    assert "No report has been shared with you yet." in page and "Decisions awaited" not in page
    service.extras["bus"].handle(
        received(
            DocumentShared(
                case_id="c1",
                board_id=board.board_id,
                share_id="s1",
                document_id="d1",
                kind="overview_report",
                user_id=family.user_id,
            )
        )
    )
    page = client.get("/home", headers=headers).get_data(as_text=True)
    assert 'href="/reports/s1">Overview report</a>' in page
    assert client.get("/api/v1/work/summary", headers=headers).get_json()["links"] == {
        "/home": 1,
        "/reports": 1,
    }


def test_an_administrators_home_page_says_there_is_nothing_to_do(service, board):
    page = as_member(service, board, "admin")("/home").get_data(as_text=True)
    assert "Nothing here needs your action" in page


def test_the_summary_gives_the_counts_the_navigation_shows(service, board):
    feed(service, board.board_id)
    resp = as_member(service, board, "business_unit")("/api/v1/work/summary")
    assert resp.status_code == 200
    body = resp.get_json()
    counts = {s["key"]: s["count"] for s in body["sections"]}
    assert counts["decisions_awaited"] == counts["notifications"] == counts["contributions_awaited"] == 1
    assert body["total"] == sum(counts.values())
    assert body["links"]["/home"] == body["total"]
    assert body["links"]["/notifications/operations"] == 1
    assert body["links"]["/schedule"] == counts["deadlines_overdue"] > 0
    assert "no-store" in resp.headers["Cache-Control"]  # counts of one user's work: never cached


def test_the_home_page_and_summary_are_for_members_only(service, board):
    client = service.app.test_client()
    assert client.get("/api/v1/work/summary").status_code == 401
    assert client.get("/home").status_code in (302, 401)
    assert as_member(service, board, "chair")("/").headers["Location"].endswith("/home")
