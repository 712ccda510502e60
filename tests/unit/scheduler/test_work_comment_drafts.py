"""Drafts to comment on, on the home pages of a review's panel members and lead reviewers: the
terms of reference from their first save until agreed, and the latest version of the final
report until signed off. Filled from the reviews service's events, for those who sit on the
review's panel (by email, as the draft of the terms named them); events arriving late or twice
change nothing; the navigation's summary counts them."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.service_layer import commands, handlers
from services.reviews.service_layer.access import Viewer
from services.scheduler.bootstrap import bootstrap
from services.scheduler.domain import work
from services.scheduler.service_layer.work import GetWork
from shared.events import parse_envelope
from shared.events.report import ReportSignedOff, ReportVersionSaved
from shared.events.reviews import TermsOfReferenceAgreed, TermsOfReferenceDrafted
from tests import events
from tests.events import received
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.reviews.fakes import FakeUnitOfWork
from tests.unit.scheduler.fakes import Scheduler

BOARD = "b1"
PAT = "pat@panel.example.org"
LEE = "lee@reviews.example.org"
SAM = "sam@panel.example.org"  # sits on another review's panel


def drafted(
    case_id="c1", panel=(PAT, LEE), sequence=2, on=date(2027, 1, 4), board=BOARD, reference="B-2026-0001"
):
    return received(
        TermsOfReferenceDrafted(
            case_id=case_id,
            board_id=board,
            reference=reference,
            drafted_on=on,
            sequence=sequence,
            panel_emails=list(panel),
        )
    )


def agreed(case_id="c1", board=BOARD):
    return received(
        TermsOfReferenceAgreed(
            case_id=case_id,
            board_id=board,
            review_kind="serious_case_review",
            reference="B-2026-0001",
            agreed_on=date(2027, 1, 20),
            method="systems",
            breadth_and_depth="Agency practice in the year before the incident",
            focus_questions=["How was the risk of neglect recognised?"],
            period_from=date(2025, 11, 3),
            period_to=date(2026, 11, 3),
            agencies=["police"],
            proportionality_rationale="Grave concerns about how agencies worked together",
        )
    )


def saved(version, case_id="c1", on=date(2027, 3, 1), board=BOARD, reference="B-2026-0001"):
    return received(
        ReportVersionSaved(
            case_id=case_id,
            board_id=board,
            reference=reference,
            version=version,
            saved_on=on,
            sections={"summary": "What happened"},
        )
    )


def signed_off(version, case_id="c1", board=BOARD):
    return received(
        ReportSignedOff(
            case_id=case_id,
            board_id=board,
            reference="B-2026-0001",
            version=version,
            signed_off_on=date(2027, 4, 1),
        )
    )


def to_comment(scheduler: Scheduler, email: str | None, role: str = "panel_member") -> work.WorkList:
    found = scheduler.handle(GetWork(BOARD, frozenset({role}), email=email))
    return next(w for w in found if w.section.key == "comment_drafts")


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(today=date(2027, 1, 4))


def test_the_panel_sees_the_draft_terms_of_reference_until_they_are_agreed(scheduler):
    scheduler.handle(drafted(on=date(2027, 1, 4)))
    scheduler.handle(drafted(on=date(2027, 1, 6), sequence=3))  # saved again: one draft, its last date
    scheduler.handle(drafted(case_id="c2", panel=(SAM,), reference="B-2026-0002"))

    pat = to_comment(scheduler, "Pat@Panel.example.org")  # the address in any case
    assert pat.count == 1
    item = pat.items[0]
    assert (item.case_id, item.reference, item.label, item.on) == (
        "c1",
        "B-2026-0001",
        work.TERMS_OF_REFERENCE,
        date(2027, 1, 6),
    )
    assert item.target == "c1/terms-of-reference"
    assert to_comment(scheduler, LEE, "lead_reviewer").count == 1
    # Sam sits on another review's panel only; someone on no panel, or without an email, sees none.
    assert [i.case_id for i in to_comment(scheduler, SAM).items] == ["c2"]
    assert to_comment(scheduler, "nobody@panel.example.org").count == 0
    assert to_comment(scheduler, None).count == 0

    scheduler.handle(agreed())
    assert to_comment(scheduler, PAT).count == 0
    # A draft arriving after the agreement (delivered late, or again) does not reopen them.
    scheduler.handle(drafted(on=date(2027, 1, 6), sequence=3))
    assert to_comment(scheduler, PAT).count == 0
    assert to_comment(scheduler, SAM).count == 1


def test_a_later_panel_replaces_the_earlier_one_and_an_older_one_arriving_late_does_not(scheduler):
    scheduler.handle(drafted(panel=(PAT,), sequence=2))
    scheduler.handle(drafted(panel=(LEE,), sequence=4, on=date(2027, 1, 8)))
    scheduler.handle(drafted(panel=(PAT,), sequence=3, on=date(2027, 1, 6)))  # late
    assert to_comment(scheduler, PAT).count == 0
    assert to_comment(scheduler, LEE, "lead_reviewer").items[0].on == date(2027, 1, 8)


def test_the_panel_sees_the_latest_version_of_the_report_until_it_is_signed_off(scheduler):
    scheduler.handle(drafted())
    scheduler.handle(agreed())
    scheduler.handle(saved(1, on=date(2027, 3, 1)))
    scheduler.handle(saved(2, on=date(2027, 3, 8)))
    pat = to_comment(scheduler, PAT)
    assert pat.count == 1
    item = pat.items[0]
    assert (item.label, item.detail, item.on, item.target) == (
        work.FINAL_REPORT,
        "2",
        date(2027, 3, 8),
        "c1/report/versions/2",
    )
    scheduler.handle(saved(1, on=date(2027, 3, 1)))  # delivered again, late: still version 2
    assert to_comment(scheduler, PAT).items[0].detail == "2"
    assert to_comment(scheduler, SAM).count == 0

    scheduler.handle(signed_off(2))
    assert to_comment(scheduler, PAT).count == 0
    assert to_comment(scheduler, LEE, "lead_reviewer").count == 0

    # A version saved after the sign-off is open again, until it is signed off in turn.
    scheduler.handle(saved(3, on=date(2027, 4, 5)))
    assert [i.target for i in to_comment(scheduler, PAT).items] == ["c1/report/versions/3"]
    scheduler.handle(signed_off(3))
    scheduler.handle(saved(3, on=date(2027, 4, 5)))  # late: signed off all the same
    assert to_comment(scheduler, PAT).count == 0


def test_a_sign_off_arriving_before_the_version_leaves_nothing_open(scheduler):
    scheduler.handle(drafted())
    scheduler.handle(signed_off(1))
    scheduler.handle(saved(1))
    assert [i.label for i in to_comment(scheduler, PAT).items] == [work.TERMS_OF_REFERENCE]


def test_only_panel_members_and_lead_reviewers_have_the_section(scheduler):
    scheduler.handle(drafted(panel=(PAT, "priya@police.example.org")))
    for roles in ({"agency_practitioner"}, {"business_unit"}, {"chair"}, {"family_viewer"}):
        found = scheduler.handle(GetWork(BOARD, frozenset(roles), email="priya@police.example.org"))
        assert "comment_drafts" not in {w.section.key for w in found}


def test_saving_the_terms_tells_the_scheduler_who_may_comment(scheduler):
    """The reviews service emits ``terms_of_reference.drafted`` in the write that saves the draft,
    with the panel's addresses and none of the draft; the scheduler lists it for the panel."""
    reviews = FakeUnitOfWork()
    handlers.on_referral_submitted(received(events.referral_submitted(BOARD)), reviews)
    handlers.on_decision(received(events.decision_recorded(BOARD)), reviews)
    business = Viewer("u-bu", "Bea", BOARD, frozenset({"business_unit"}))
    member = {"role": "member", "name": "Pat", "email": "Pat@panel.example.org", "organisation": "Education"}
    commands.add_panel_member(reviews, business, "c1", member, date(2027, 1, 4))
    terms = {
        "breadth_and_depth": "Agency practice in the year before the incident",
        "focus_questions": ["How was the risk of neglect recognised?"],
        "method": "systems",
        "period_from": "2024-11-03",
        "period_to": "2025-11-03",
        "agencies": ["police"],
        "proportionality_rationale": "Grave concerns about how agencies worked together",
        "case_factors": ["practice_concern_gravity_complexity"],
        "context_factors": ["public_interest"],
        "reviewer_skills": "Systems approach; knowledge of neglect",
    }
    before = len(reviews.published)
    commands.put_terms(reviews, business, "c1", terms, today=date(2027, 1, 5))
    assert reviews.types()[before:] == ["terms_of_reference.drafted"]
    data = reviews.published[-1]["data"]
    assert data["panel_emails"] == [PAT] and data["drafted_on"] == "2027-01-05"
    assert not {"breadth_and_depth", "focus_questions", "agencies"} & data.keys()

    scheduler.handle(parse_envelope(reviews.published[-1]))
    item = to_comment(scheduler, PAT).items[0]
    assert (item.case_id, item.reference, item.on) == ("c1", "SCR-2025-0001", date(2027, 1, 5))

    commands.agree_terms(reviews, business, "c1", date(2027, 1, 20))
    (agreement,) = [e for e in reviews.published if e["event_type"] == "terms_of_reference.agreed"]
    scheduler.handle(parse_envelope(agreement))
    assert to_comment(scheduler, PAT).count == 0


def test_a_member_who_joins_after_the_terms_were_agreed_sees_the_report_drafts(scheduler):
    """Each change to the panel tells the scheduler who sits on it (``review.panel_changed``), so
    someone added after the last draft of the terms sees the report's versions all the same, and
    someone removed stops seeing them."""
    reviews = FakeUnitOfWork()
    handlers.on_referral_submitted(received(events.referral_submitted(BOARD)), reviews)
    handlers.on_decision(received(events.decision_recorded(BOARD)), reviews)
    scheduler.handle(drafted(panel=(PAT,), case_id="c1", reference="SCR-2025-0001"))
    scheduler.handle(agreed())
    scheduler.handle(saved(1, reference="SCR-2025-0001"))
    assert to_comment(scheduler, SAM).count == 0

    business = Viewer("u-bu", "Bea", BOARD, frozenset({"business_unit"}))
    member = {"role": "member", "name": "Sam", "email": "Sam@Panel.example.org", "organisation": "Health"}
    added = commands.add_panel_member(reviews, business, "c1", member, date(2027, 3, 2))
    assert reviews.types()[-1] == "review.panel_changed"
    data = reviews.published[-1]["data"]
    assert data["panel_emails"] == [SAM] and not {"name", "organisation", "role"} & data.keys()
    scheduler.handle(parse_envelope(reviews.published[-1]))
    assert [i.target for i in to_comment(scheduler, SAM).items] == ["c1/report/versions/1"]
    assert to_comment(scheduler, PAT).count == 0  # the panel as it is now: Pat is not on it

    commands.change_panel_member(reviews, business, "c1", added["id"], None)
    assert reviews.published[-1]["data"]["panel_emails"] == []
    scheduler.handle(parse_envelope(reviews.published[-1]))
    assert to_comment(scheduler, SAM).count == 0


def test_the_lead_reviewers_the_decision_named_see_the_report_drafts_without_any_other_change(scheduler):
    """A review opens with the lead reviewers the Chair named on its panel: the scheduler is told
    then, so their home pages list the report's versions before anyone touches the panel."""
    import dataclasses

    from shared.events.referral import Reviewer

    lead = Reviewer(
        name="Lee",
        organisation="Independent Reviews Ltd",
        role="lead_reviewer",
        email="Lee@Reviews.example.org",
    )
    decision = dataclasses.replace(events.decision_recorded(BOARD), lead_reviewers=[lead])
    reviews = FakeUnitOfWork()
    handlers.on_referral_submitted(received(events.referral_submitted(BOARD)), reviews)
    handlers.on_decision(received(decision), reviews)
    [told] = [e for e in reviews.published if e["event_type"] == "review.panel_changed"]
    assert told["data"]["panel_emails"] == [LEE]
    scheduler.handle(parse_envelope(told))
    scheduler.handle(saved(1, reference="SCR-2025-0001"))
    assert [i.target for i in to_comment(scheduler, LEE, "lead_reviewer").items] == ["c1/report/versions/1"]


# -- the page and the API ------------------------------------------------------------------------


def test_the_home_page_links_each_draft_to_where_the_panel_comments_and_the_summary_counts_them(settings):
    service = bootstrap(settings)
    board = make_board()
    member = make_user("panel_member", board=board)
    lead = make_user("lead_reviewer", board=board)
    other = make_user("panel_member", board=board)
    agency = make_user("agency_practitioner", board=board, agency="police")
    bus = service.extras["bus"]
    b = board.board_id
    panel = (member.email, lead.email, agency.email)
    bus.handle(drafted(case_id="c1", board=b, panel=panel, reference="B-2026-0001"))
    bus.handle(drafted(case_id="c2", board=b, panel=panel, reference="B-2026-0002"))
    bus.handle(agreed(case_id="c2", board=b))
    bus.handle(saved(1, case_id="c2", board=b, reference="B-2026-0002"))
    bus.handle(saved(2, case_id="c2", board=b, on=date(2027, 3, 8), reference="B-2026-0002"))
    client = service.app.test_client()

    for user in (member, lead):
        page = client.get("/home", headers=bearer(make_token(user))).get_data(as_text=True)
        assert "Drafts to comment on" in page
        assert 'href="/reviews/c1/terms-of-reference">B-2026-0001</a>' in page
        assert "Terms of reference, drafted on 4 January 2027" in page
        assert 'href="/reviews/c2/report/versions/2">B-2026-0002</a>' in page
        assert "Final report, version 2, saved on 8 March 2027" in page
        assert "/reviews/c2/report/versions/1" not in page
        summary = client.get("/api/v1/work/summary", headers=bearer(make_token(user))).get_json()
        counts = {s["key"]: s["count"] for s in summary["sections"]}
        assert counts["comment_drafts"] == 2
        assert summary["links"]["/home"] == summary["total"] == sum(counts.values())

    page = client.get("/home", headers=bearer(make_token(other))).get_data(as_text=True)
    assert "No draft of a review you sit on is waiting for your comments." in page
    assert "/reviews/c1/terms-of-reference" not in page
    summary = client.get("/api/v1/work/summary", headers=bearer(make_token(other))).get_json()
    assert {s["key"]: s["count"] for s in summary["sections"]}["comment_drafts"] == 0

    # Agency staff comment on no draft, even when their address is on the list.
    page = client.get("/home", headers=bearer(make_token(agency))).get_data(as_text=True)
    assert "Drafts to comment on" not in page and "/reviews/c1/terms-of-reference" not in page
    summary = client.get("/api/v1/work/summary", headers=bearer(make_token(agency))).get_json()
    assert "comment_drafts" not in {s["key"] for s in summary["sections"]}
