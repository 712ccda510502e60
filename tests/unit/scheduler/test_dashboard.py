"""The board dashboard: figures from the events the scheduler hears (referrals, decisions, reviews'
stages and themes, publication, actions, deadlines), the page with its accessible SVG charts and
data tables, the year filter, the CSV export, who may see it, and another board's cases kept out."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from services.scheduler.bootstrap import bootstrap
from services.scheduler.domain.dashboard import ActionFacts, CaseFacts, DeadlineFacts, build
from shared.events.reviews import (
    ActionAdded,
    ActionClosed,
    LearningSummaryCompleted,
    ReviewOpened,
    ReviewStageChanged,
)
from tests import events
from tests.events import received
from tests.factories import bearer, make_board, make_token, make_user

TODAY = date(2027, 5, 10)


def test_the_figures_count_each_case_deadline_and_action_once():
    cases = [
        CaseFacts("a", referred_on=date(2027, 1, 4)),  # awaiting the decision
        CaseFacts(
            "b",
            referred_on=date(2027, 1, 4),
            decided_on=date(2027, 2, 1),
            outcome="serious_case_review",
            review_kind="serious_case_review",
            opened_on=date(2027, 2, 1),
            stage="analysis",
            themes=("neglect", "mental_health"),
        ),
        CaseFacts(
            "c",
            referred_on=date(2026, 11, 2),
            decided_on=date(2026, 11, 30),
            review_kind="learning_review",
            opened_on=date(2026, 11, 30),
            themes=("neglect",),
            published_on=date(2027, 4, 30),
        ),
        CaseFacts("d", referred_on=date(2027, 1, 1), decided_on=date(2027, 1, 21), outcome="no_review"),
    ]
    deadlines = [
        DeadlineFacts(date(2027, 1, 10), date(2027, 1, 9), False),  # on time
        DeadlineFacts(date(2027, 2, 10), date(2027, 2, 12), False),  # late
        DeadlineFacts(date(2027, 3, 10), None, False),  # overdue
        DeadlineFacts(date(2027, 6, 10), None, False),  # to come
        DeadlineFacts(date(2027, 3, 11), None, True),  # waived: in no count
        DeadlineFacts(date(2026, 3, 10), None, False),  # another year
    ]
    actions = [
        ActionFacts("health", date(2027, 3, 1), None),
        ActionFacts("health", date(2027, 8, 1), None),
        ActionFacts("police", date(2027, 4, 1), date(2027, 3, 30)),
    ]
    board = build(2027, TODAY, cases, deadlines, actions)
    assert board.table("open_by_stage").rows == [("awaiting_decision", 1.0), ("analysis", 1.0)]
    assert board.table("deadlines").rows == [
        ("on_time", 1.0),
        ("late", 1.0),
        ("overdue", 1.0),
        ("to_come", 1.0),
    ]
    assert board.table("actions_by_status").rows == [("open", 1.0), ("overdue", 1.0), ("closed", 1.0)]
    assert board.table("actions_by_agency").rows == [("health", 2.0), ("police", 1.0)]
    assert board.table("reviews_by_kind").rows == [("serious_case_review", 1.0)]  # opened in 2027
    assert board.table("reviews_by_theme").rows == [("mental_health", 1.0), ("neglect", 1.0)]
    # Referral to decision: 28 days (b) and 20 days (d); decision to publication: 151 days (c).
    assert board.table("durations").rows == [
        ("referral_to_decision", 24.0),
        ("decision_to_publication", 151.0),
    ]
    assert build(2026, TODAY, cases, deadlines, actions).table("reviews_by_kind").rows == [
        ("learning_review", 1.0)
    ]


@pytest.fixture
def service(settings, monkeypatch):
    # The page's today, fixed: the figures are for the year of a day, and a day near the end of a
    # year would put an action due a month on in the next one.
    monkeypatch.setattr("services.scheduler.entrypoints.dashboard.today_in_england", lambda: TODAY)
    return bootstrap(settings)


@pytest.fixture
def board():
    return make_board(agencies=("police", "health"))


def fill(service, board_id: str, case_id: str = "c1") -> None:
    bus = service.extras["bus"]
    today = TODAY
    referred = today - timedelta(days=40)
    decided = today - timedelta(days=10)
    for payload in (
        events.referral_submitted(
            board_id, case_id, incident_on=referred, became_aware_on=referred, board_notified_on=referred
        ),
        events.decision_recorded(board_id, case_id, decided_on=decided),
        ReviewOpened(
            case_id=case_id, board_id=board_id, review_kind="serious_case_review", opened_on=decided
        ),
        ReviewStageChanged(
            case_id=case_id,
            board_id=board_id,
            review_kind="serious_case_review",
            stage="information_gathering",
            previous_stage="scoping",
            changed_on=decided,
        ),
        LearningSummaryCompleted(
            case_id=case_id,
            board_id=board_id,
            review_kind="serious_case_review",
            board_area="North",
            completed_on=today,
            review_type="Systems",
            summary="s",
            case_learning="c",
            method_learning="m",
            single_agency_recommendations="s",
            multi_agency_recommendations="m",
            changes="c",
            impact_audit="i",
            themes=["neglect", "substance_misuse"],
        ),
    ):
        bus.handle(received(payload))
    about = {
        "case_id": case_id,
        "board_id": board_id,
        "recommendation": "r",
        "action": "a",
        "owner_agency": "health",
        "owner_email": "o@example.org",
        "success_measure": "m",
    }
    bus.handle(
        received(
            ActionAdded(
                **about,
                action_id=f"{case_id}-a1",
                due_on=today - timedelta(days=1),
                added_on=decided,
                plan_agreed_on=decided,
            )
        )
    )
    bus.handle(
        received(
            ActionAdded(
                **about,
                action_id=f"{case_id}-a2",
                due_on=today + timedelta(days=30),
                added_on=decided,
                plan_agreed_on=decided,
            )
        )
    )
    bus.handle(
        received(
            ActionClosed(
                **about,
                action_id=f"{case_id}-a2",
                due_on=today + timedelta(days=30),
                closed_on=today,
                evidence_of_impact="e",
            )
        )
    )


def get(service, board, path: str, role: str = "business_unit"):
    headers = bearer(make_token(make_user(role, board=board)))
    return service.app.test_client().get(path, headers=headers)


def test_the_page_draws_each_figure_as_an_accessible_chart_with_its_table(service, board):
    fill(service, board.board_id)
    resp = get(service, board, "/dashboard")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    charts = re.findall(r'<svg[^>]*role="img"[^>]*aria-labelledby="(chart-[a-z_]+)-title \1-desc"', html)
    assert len(charts) == 7
    for ident in charts:
        assert f'<title id="{ident}-title">' in html and f'<desc id="{ident}-desc">' in html
    assert html.count('<table class="govuk-table">') >= 6
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # no inline script
    # Codes in plain words, agencies by name.
    assert "Information gathering" in html and "Substance misuse" in html and "Health" in html
    assert "information_gathering" not in html.replace('id="', "")
    assert "Referral to decision" in html and "30 days" in html
    desc = re.search(r'<desc id="chart-actions_by_status-desc">([^<]*)</desc>', html).group(1)
    assert "Overdue: 1" in desc and "Closed: 1" in desc


def test_the_year_filter_and_a_wrong_year(service, board):
    fill(service, board.board_id)
    last_year = TODAY.year - 1
    html = get(service, board, f"/dashboard?year={last_year}").get_data(as_text=True)
    assert f"Reviews opened in {last_year} by kind" in html and f"No figures for {last_year}" in html
    wrong = get(service, board, "/dashboard?year=1999")
    assert wrong.status_code == 400
    assert "govuk-error-summary" in wrong.get_data(as_text=True)


def test_next_year_can_be_chosen_for_what_falls_due_in_it(service, board):
    fill(service, board.board_id)
    about = {
        "case_id": "c1",
        "board_id": board.board_id,
        "recommendation": "r",
        "action": "a",
        "owner_agency": "police",
        "owner_email": "o@example.org",
        "success_measure": "m",
    }
    next_year = TODAY.year + 1
    added = ActionAdded(
        **about, action_id="c1-a3", due_on=date(next_year, 1, 15), added_on=TODAY, plan_agreed_on=TODAY
    )
    service.extras["bus"].handle(received(added))
    html = get(service, board, f"/dashboard?year={next_year}").get_data(as_text=True)
    assert f'<option value="{next_year}" selected>' in html
    desc = re.search(r'<desc id="chart-actions_by_status-desc">([^<]*)</desc>', html).group(1)
    assert "Open: 1" in desc and "Overdue" not in desc
    this_year = get(service, board, "/dashboard").get_data(as_text=True)
    assert f'<option value="{next_year}">' in this_year
    too_far = get(service, board, f"/dashboard?year={next_year + 1}")
    assert too_far.status_code == 400
    assert f"Choose a year from {TODAY.year - 5} to {next_year}" in too_far.get_data(as_text=True)


def test_the_csv_export_holds_the_same_figures(service, board):
    fill(service, board.board_id)
    resp = get(service, board, "/dashboard.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    by_status = {
        r["Row"]: r["Value"]
        for r in rows
        if r["Figure"].startswith("Actions due") and "status" in r["Figure"]
    }
    assert by_status == {"Overdue": "1", "Closed": "1"}
    assert {r["Row"] for r in rows if "by theme" in r["Figure"]} == {"Neglect", "Substance misuse"}
    # The schedule's deadlines, kept whenever the case's schedule is saved.
    deadlines = [r for r in rows if r["Figure"].startswith("Deadlines due")]
    assert deadlines and sum(int(r["Value"]) for r in deadlines) >= 1


def test_who_sees_it_and_another_boards_cases_stay_out(service, board):
    fill(service, board.board_id)
    other = make_board(agencies=("police",))
    fill(service, other.board_id, case_id="o1")
    for role in ("business_unit", "chair", "admin"):
        assert get(service, board, "/dashboard", role).status_code == 200
    for role in ("panel_member", "agency_practitioner", "family_viewer"):
        assert get(service, board, "/dashboard", role).status_code == 403
    rows = list(csv.DictReader(io.StringIO(get(service, board, "/dashboard.csv").get_data(as_text=True))))
    kinds = [r for r in rows if "by kind" in r["Figure"]]
    assert [(r["Row"], r["Value"]) for r in kinds] == [("Serious case review", "1")]


def test_each_case_is_kept_in_its_bucket_over_what_a_store_made_before_the_buckets_kept(service, board):
    import json

    from services.scheduler.adapters.dashboard_store import (
        BUCKETS,
        DashboardPart,
        facts_of,
        note,
        note_deadlines,
    )

    # A store made before the buckets: each part in one document.
    old = {
        "cases": {
            "c1": {"referred_on": "2027-01-04", "outcome": "no_review"},
            "c2": {"referred_on": "2027-02-01"},
        },
        "deadlines": {"c1": [date(2027, 1, 10).toordinal(), 0, 0]},
    }
    DashboardPart._get_collection().insert_many(
        [{"_id": f"{board.board_id}|{k}", "data": json.dumps(v), "version": 3} for k, v in old.items()]
    )
    note("c1", board.board_id, decided_on=date(2027, 1, 20))
    note("c3", board.board_id, referred_on=date(2027, 3, 1))
    note_deadlines("c1", board.board_id, [(date(2027, 1, 11), date(2027, 1, 9), False)])
    cases, _, deadlines = facts_of(board.board_id, 2027)
    by_id = {c.case_id: c for c in cases}
    assert by_id["c1"].referred_on == date(2027, 1, 4) and by_id["c1"].decided_on == date(2027, 1, 20)
    assert by_id["c1"].outcome == "no_review" and by_id["c2"].referred_on == date(2027, 2, 1)
    assert by_id["c3"].referred_on == date(2027, 3, 1)
    assert [(d.due, d.met_on) for d in deadlines] == [(date(2027, 1, 11), date(2027, 1, 9))]
    # A change rewrites its own bucket only.
    kept = {d["_id"]: d for d in DashboardPart._get_collection().find({})}
    buckets = [k for k in kept if k.startswith(f"{board.board_id}|cases|")]
    assert 1 <= len(buckets) <= 2 and BUCKETS >= 32
    for key in buckets:
        assert set(json.loads(kept[key]["data"])) <= {"c1", "c3"}
