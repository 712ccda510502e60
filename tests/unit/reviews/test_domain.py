"""The review's rules on their own: the contribution's states, the panel's independence, the
terms of reference, the merged chronology and the default due date."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.domain.contributions import Contribution
from services.reviews.domain.panel import PanelMember
from services.reviews.domain.review import Review
from services.reviews.domain.terms import Terms, months_before
from shared.errors import Conflict, InvalidInput
from shared.events.reviews import ChronologyEntry
from shared.working_days import WorkingDays

from .fakes import AGENCIES

TODAY = date(2026, 3, 2)


def entry(day: date, event: str = "Home visit", time: str | None = None) -> ChronologyEntry:
    return ChronologyEntry(date=day, time=time, event=event, source="case file")


def review(kind: str = "serious_case_review") -> Review:
    r = Review.open(
        case_id="c1",
        board_id="b1",
        review_kind=kind,
        opened_on=date(2026, 1, 5),
        method="intensive",
        reference="SCR-1",
        incident_on=date(2025, 11, 3),
        agencies=["police", "health"],
    )
    r.events.clear()
    return r


def chronology() -> Contribution:
    return Contribution("x1", "police", "chronology", TODAY, date(2026, 3, 23))


def fields_of(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e["field"] for e in exc.value.errors()}


# -- contributions --------------------------------------------------------------------------------


def test_a_chronology_goes_from_requested_to_draft_to_submitted_to_accepted():
    c = chronology()
    c.save_chronology([entry(date(2025, 6, 1))], TODAY, "Priya")
    assert c.status == "draft"
    c.submit(TODAY, "Priya")
    assert c.status == "submitted"
    c.accept(TODAY, "Bea")
    assert c.status == "accepted"
    assert [s.status for s in c.history] == ["draft", "submitted", "accepted"]


def test_a_returned_contribution_keeps_its_comments_and_can_be_changed_and_resubmitted():
    c = chronology()
    c.save_chronology([entry(date(2025, 6, 1))], TODAY, "Priya")
    c.submit(TODAY, "Priya")
    c.send_back("Add the strategy meeting", TODAY, "Bea")
    assert (c.status, c.comments) == ("returned", "Add the strategy meeting")
    c.save_chronology([entry(date(2025, 6, 1)), entry(date(2025, 6, 3), "Strategy meeting")], TODAY, "Priya")
    assert c.status == "returned"
    c.submit(TODAY, "Priya")
    assert c.status == "submitted"


@pytest.mark.parametrize("move", ["accept", "return"])
def test_only_a_submitted_contribution_is_accepted_or_returned(move):
    c = chronology()
    c.save_chronology([entry(date(2025, 6, 1))], TODAY, "Priya")
    with pytest.raises(Conflict):
        c.accept(TODAY, "Bea") if move == "accept" else c.send_back("why", TODAY, "Bea")


def test_nothing_written_cannot_be_submitted_and_accepted_work_cannot_change():
    c = chronology()
    with pytest.raises(Conflict):
        c.submit(TODAY, "Priya")
    c.save_chronology([entry(date(2025, 6, 1))], TODAY, "Priya")
    c.submit(TODAY, "Priya")
    with pytest.raises(Conflict):
        c.save_chronology([], TODAY, "Priya")
    c.accept(TODAY, "Bea")
    with pytest.raises(Conflict):
        c.submit(TODAY, "Priya")


def test_an_entry_in_the_future_is_refused_naming_it():
    c = chronology()
    with pytest.raises(InvalidInput) as exc:
        c.save_chronology([entry(date(2025, 6, 1)), entry(date(2026, 3, 3))], TODAY, "Priya")
    assert fields_of(exc) == {"entries.1.date"}


def test_an_empty_chronology_cannot_be_submitted():
    c = chronology()
    c.save_chronology([], TODAY, "Priya")
    with pytest.raises(InvalidInput) as exc:
        c.submit(TODAY, "Priya")
    assert fields_of(exc) == {"entries"}


def test_a_saar_is_saved_a_section_at_a_time_and_submitted_only_when_every_heading_is_written():
    c = Contribution("x2", "health", "single_agency_analysis_report", TODAY, TODAY)
    c.save_sections({"introduction": "Why health was involved"}, TODAY, "Hana")
    c.save_sections({"facts": "Family background"}, TODAY, "Hana")
    assert set(c.sections) == {"introduction", "facts"}
    with pytest.raises(InvalidInput) as exc:
        c.submit(TODAY, "Hana")
    assert fields_of(exc) == {
        "sections.analysis",
        "sections.key_issues",
        "sections.learning_points",
        "sections.recommendations",
        "sections.action_plan",
    }


def test_a_single_agency_review_answers_the_six_key_questions():
    c = Contribution("x3", "health", "single_agency_review", TODAY, TODAY)
    c.save_answers({"went_well": "Early help"}, TODAY, "Hana")
    with pytest.raises(InvalidInput) as exc:
        c.submit(TODAY, "Hana")
    assert len(fields_of(exc)) == 5
    with pytest.raises(Conflict):
        c.save_chronology([], TODAY, "Hana")


# -- the panel ------------------------------------------------------------------------------------


def member(**overrides) -> PanelMember:
    given = {
        "member_id": "m1",
        "role": "member",
        "name": "Sam Senior",
        "email": "sam@example.org",
        "organisation": "Health",
        "agency": "health",
    }
    given.update(overrides)
    return PanelMember(**given)


def test_a_panel_member_involved_in_the_case_is_refused():
    r = review()
    with pytest.raises(InvalidInput) as exc:
        r.add_member(member(declarations={"involved_in_case": True}), AGENCIES)
    assert fields_of(exc) == {"declarations.involved_in_case"}


def test_an_scr_lead_reviewer_must_declare_independence_and_be_qualified():
    r = review()
    lead = member(role="lead_reviewer", agency="police", declarations={"works_for_board_agency": True})
    with pytest.raises(InvalidInput) as exc:
        r.add_member(lead, AGENCIES)
    assert fields_of(exc) == {
        "declarations",
        "declarations.works_for_board_agency",
        "agency",
        "qualifications",
    }


def test_a_learning_review_may_have_an_internal_lead_reviewer():
    r = review("learning_review")
    r.add_member(member(role="lead_reviewer", agency="police"), AGENCIES)
    assert [m.role for m in r.panel] == ["lead_reviewer"]


def test_the_same_email_sits_on_a_panel_once():
    r = review()
    r.add_member(member(), AGENCIES)
    with pytest.raises(InvalidInput) as exc:
        r.add_member(member(member_id="m2", email="SAM@example.org"), AGENCIES)
    assert fields_of(exc) == {"email"}
    assert r.sits_on_panel("Sam@Example.org")


# -- terms of reference ---------------------------------------------------------------------------


def terms(**overrides) -> Terms:
    given = {
        "breadth_and_depth": "Agency practice in the year before the incident",
        "focus_questions": ("How was neglect recognised?",),
        "method": "systems",
        "period_from": date(2024, 11, 3),
        "period_to": date(2025, 11, 3),
        "agencies": ("police", "health"),
        "proportionality_rationale": "Grave concerns about practice",
        "case_factors": ("practice_concern_gravity_complexity",),
        "context_factors": ("public_interest",),
        "reviewer_skills": "Systems approach; health visiting",
    }
    given.update(overrides)
    return Terms(**given)


def test_terms_name_every_problem_at_once():
    r = review()
    with pytest.raises(InvalidInput) as exc:
        r.draft_terms(
            terms(
                breadth_and_depth=" ",
                focus_questions=(),
                method="guesswork",
                agencies=("police", "fire"),
                period_from=date(2023, 1, 1),
                period_to=date(2022, 12, 1),
                case_factors=(),
                context_factors=(),
                reviewer_skills=None,
            ),
            AGENCIES,
        )
    assert fields_of(exc) == {
        "breadth_and_depth",
        "focus_questions",
        "method",
        "agencies.1",
        "case_factors",
        "context_factors",
        "reviewer_skills",
        "period_to",
        "period_from",
    }


def test_a_period_over_twelve_months_before_the_incident_needs_its_reason():
    r = review()
    with pytest.raises(InvalidInput) as exc:
        r.draft_terms(terms(period_from=date(2024, 6, 1)), AGENCIES)
    assert fields_of(exc) == {"extended_period_reason"}
    r.draft_terms(terms(period_from=date(2024, 6, 1), extended_period_reason="Earlier neglect"), AGENCIES)
    assert r.method == "systems"


def test_agreed_terms_raise_their_content_and_move_the_review_on_and_then_stay_fixed():
    r = review()
    r.draft_terms(terms(), AGENCIES)
    r.add_member(
        PanelMember(
            "m1",
            "lead_reviewer",
            "Dr Lee",
            "lee@example.org",
            "Independent",
            None,
            "Accredited",
            {
                k: False
                for k in (
                    "works_for_involved_agency",
                    "line_manages_involved_staff",
                    "involved_in_case",
                    "works_for_board_agency",
                )
            },
        ),
        AGENCIES,
    )
    r.agree_terms(TODAY)
    agreed, moved = r.events
    assert agreed.focus_questions == ["How was neglect recognised?"] and agreed.method == "systems"
    assert [(p.name, p.role) for p in agreed.panel] == [("Dr Lee", "lead_reviewer")]
    assert (moved.previous_stage, moved.stage) == ("scoping", "information_gathering")
    with pytest.raises(Conflict):
        r.draft_terms(terms(), AGENCIES)
    with pytest.raises(Conflict):
        r.agree_terms(TODAY)


def test_months_before_clamps_to_the_month_end():
    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2025, 11, 3), 24) == date(2023, 11, 3)


# -- the review ------------------------------------------------------------------------------------


def test_the_merged_chronology_holds_submitted_and_accepted_entries_in_date_and_time_order():
    r = review()
    police = r.request(
        agency="police", kind="chronology", requested_on=TODAY, due_on=TODAY, board_agencies=AGENCIES
    )
    health = r.request(
        agency="health", kind="chronology", requested_on=TODAY, due_on=TODAY, board_agencies=AGENCIES
    )
    police.save_chronology(
        [entry(date(2025, 6, 2), "Arrest", "14:00"), entry(date(2025, 6, 1), "Call")], TODAY, "P"
    )
    health.save_chronology([entry(date(2025, 6, 2), "GP visit", "09:15")], TODAY, "H")
    r.submit(police, TODAY, "P")
    assert [m.entry.event for m in r.merged_chronology()] == ["Call", "Arrest"]  # health's is a draft
    r.submit(health, TODAY, "H")
    r.accept(health, TODAY, "B")
    merged = r.merged_chronology()
    assert [(m.agency, m.entry.event) for m in merged] == [
        ("police", "Call"),
        ("health", "GP visit"),
        ("police", "Arrest"),
    ]
    assert [m.entry.event for m in r.merged_chronology(agency="health")] == ["GP visit"]
    assert [m.entry.event for m in r.merged_chronology(since=date(2025, 6, 2))] == ["GP visit", "Arrest"]


def test_accepting_every_contribution_moves_the_review_to_analysis():
    r = review()
    r.draft_terms(terms(), AGENCIES)
    r.agree_terms(TODAY)
    c = r.request(
        agency="police", kind="chronology", requested_on=TODAY, due_on=TODAY, board_agencies=AGENCIES
    )
    c.save_chronology([entry(date(2025, 6, 1))], TODAY, "P")
    r.submit(c, TODAY, "P")
    r.accept(c, TODAY, "B")
    assert r.stage == "analysis"
    with pytest.raises(Conflict):
        r.request(
            agency="police", kind="chronology", requested_on=TODAY, due_on=TODAY, board_agencies=AGENCIES
        )


def test_a_request_names_every_wrong_field():
    r = review()
    with pytest.raises(InvalidInput) as exc:
        r.request(
            agency="fire", kind="poem", requested_on=TODAY, due_on=date(2026, 3, 1), board_agencies=AGENCIES
        )
    assert fields_of(exc) == {"agency", "kind", "due_on"}


def test_a_withdrawn_review_refuses_changes():
    r = review()
    r.decision_changed(None, None, TODAY)
    assert r.stage == "withdrawn"
    with pytest.raises(Conflict):
        r.add_member(member(), AGENCIES)


def test_working_days_skip_weekends_bank_holidays_and_closures():
    days = WorkingDays("england_wales", [date(2026, 4, 7)])
    # Thursday 2 April 2026 + 3: Good Friday, Easter Monday and the closure are skipped.
    assert days.add(date(2026, 4, 2), 3) == date(2026, 4, 10)
    assert days.add(date(2026, 3, 2), 15) == date(2026, 3, 23)
