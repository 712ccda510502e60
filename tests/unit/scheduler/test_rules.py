"""Statutory deadlines (DOMAIN.md "Timescales") computed from a case's milestones.

Expected dates are counted by hand in the comment beside each: "(1)" is the first
working day counted, "hol" a bank holiday, "sub" a substitute day, "wknd" a weekend.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.deadlines import compute_deadlines
from services.scheduler.domain.rules import RULE_PACKS
from tests.unit.scheduler.rule_helpers import ENGLAND, SCOTLAND, deadline, due_dates, full_case

# -- incident_notification: 5 working days from becoming aware (003) -----------------------


@pytest.mark.parametrize(
    ("became_aware_on", "expected"),
    [
        # Wed 24 Dec 2025: 25-26 hol, 27-28 wknd, 29 (1), 30 (2), 31 (3), 1 Jan hol,
        # 2 (4), 3-4 wknd, Mon 5 Jan 2026 (5)
        (date(2025, 12, 24), date(2026, 1, 5)),
        # Fri 24 Dec 2027: 25-26 wknd, 27 sub, 28 sub, 29 (1), 30 (2), 31 (3), 1-2 wknd,
        # 3 Jan sub (New Year's Day on a Saturday), 4 (4), Wed 5 Jan 2028 (5)
        (date(2027, 12, 24), date(2028, 1, 5)),
        # Tue 31 Mar 2026: 1 Apr (1), 2 (2), 3 Good Friday, 4-5 wknd, 6 Easter Monday,
        # 7 (3), 8 (4), Thu 9 Apr (5)
        (date(2026, 3, 31), date(2026, 4, 9)),
        # Wed 29 Apr 2026: 30 (1), 1 May (2), 2-3 wknd, 4 hol (early May), 5 (3), 6 (4),
        # Thu 7 May (5)
        (date(2026, 4, 29), date(2026, 5, 7)),
        # Sat 4 Apr 2026 (day 0 on a weekend): 5 Sun, 6 Easter Monday, 7 (1), 8 (2),
        # 9 (3), 10 (4), 11-12 wknd, Mon 13 Apr (5)
        (date(2026, 4, 4), date(2026, 4, 13)),
    ],
)
def test_incident_notification(became_aware_on, expected):
    assert due_dates({"became_aware_on": became_aware_on}) == {"incident_notification": expected}


def test_incident_notification_explains_itself_with_the_dates():
    d = deadline("incident_notification", {"became_aware_on": date(2025, 12, 24)})
    assert d.concerns == "local_authority"
    assert "003" in d.source
    assert "5 working days" in d.rule
    assert "Wednesday 24 December 2025" in d.rule
    assert "Monday 5 January 2026" in d.rule


# -- scr_decision: one calendar month from the board's notification (003; 001 §3) ----------


@pytest.mark.parametrize(
    ("board_notified_on", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),  # 31 Jan + 1 month: end of February
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2028, 2, 29), date(2028, 3, 29)),
        (date(2025, 12, 31), date(2026, 1, 31)),  # a Saturday: months are not rolled on
    ],
)
def test_scr_decision(board_notified_on, expected):
    got = due_dates({"board_notified_on": board_notified_on})
    assert got == {"scr_decision": expected}


def test_scr_decision_concerns_the_chair_and_cites_both_sources():
    d = deadline("scr_decision", {"board_notified_on": date(2026, 1, 31)})
    assert d.concerns == "chair"
    assert "003" in d.source and "001 §3" in d.source


# -- decision_notification: 5 working days from the Chair's decision (003; 001 §3) ---------


@pytest.mark.parametrize(
    ("decided_on", "expected"),
    [
        # Tue 22 Dec 2026: 23 (1), 24 (2), 25 hol, 26-27 wknd, 28 sub (Boxing Day Sat),
        # 29 (3), 30 (4), Thu 31 Dec (5)
        (date(2026, 12, 22), date(2026, 12, 31)),
        # Thu 23 Dec 2032: 24 (1), 25-26 wknd, 27 sub, 28 sub, 29 (2), 30 (3), 31 (4),
        # 1-2 Jan wknd, 3 Jan sub, Tue 4 Jan 2033 (5)
        (date(2032, 12, 23), date(2033, 1, 4)),
        # Fri 22 May 2026: 23-24 wknd, 25 hol (spring), 26 (1), 27 (2), 28 (3), 29 (4),
        # 30-31 wknd, Mon 1 Jun (5)
        (date(2026, 5, 22), date(2026, 6, 1)),
        # Thu 27 Aug 2026: 28 (1), 29-30 wknd, 31 hol (summer), 1 Sep (2), 2 (3), 3 (4),
        # Fri 4 Sep (5)
        (date(2026, 8, 27), date(2026, 9, 4)),
    ],
)
def test_decision_notification(decided_on, expected):
    assert due_dates({"decided_on": decided_on}) == {"decision_notification": expected}


# -- review_completion: 6 months from initiation; CIR/LR also 12 months from the incident --


CAPPED = {
    "incident_on": date(2026, 1, 15),
    "initiated_on": date(2026, 8, 31),
}


def test_review_completion_for_an_scr_is_six_months_without_the_incident_limit():
    # 31 Aug 2026 + 6 months = 28 Feb 2027 (no 31 Feb); the 12-month limit from the
    # incident (15 Jan 2027) is for reviews below the threshold only (000 §7)
    assert due_dates(CAPPED, "serious_case_review")["review_completion"] == date(2027, 2, 28)


@pytest.mark.parametrize("kind", ["critical_incident_review", "learning_review"])
def test_review_completion_below_threshold_takes_the_earlier_date(kind):
    # 6 months after initiation: 28 Feb 2027; 12 months after the incident: 15 Jan 2027
    assert due_dates(CAPPED, kind)["review_completion"] == date(2027, 1, 15)
    d = deadline("review_completion", CAPPED, kind)
    assert "12 months after the incident" in d.rule
    assert "Friday 15 January 2027" in d.rule
    assert "000 §7" in d.source


def test_review_completion_below_threshold_when_six_months_comes_first():
    # initiated Mon 2 Feb 2026 + 6 months = Sun 2 Aug 2026; the incident limit
    # (1 Dec 2025 + 12 months = 1 Dec 2026) is later, so 2 Aug stands
    case = {"incident_on": date(2025, 12, 1), "initiated_on": date(2026, 2, 2)}
    assert due_dates(case, "critical_incident_review")["review_completion"] == date(2026, 8, 2)


def test_review_completion_cap_over_a_leap_day():
    # incident 29 Feb 2028 + 12 months = 28 Feb 2029; initiated 10 Dec 2028 + 6 months =
    # 10 Jun 2029: the earlier, 28 Feb 2029, wins
    case = {"incident_on": date(2028, 2, 29), "initiated_on": date(2028, 12, 10)}
    assert due_dates(case, "learning_review")["review_completion"] == date(2029, 2, 28)


@pytest.mark.parametrize("kind", ["multi_agency_concise_review", "single_agency_review", None])
def test_review_completion_only_where_a_seed_sets_it(kind):
    # Issue 12, correction 11: no seed gives concise reviews (001 §4.2) or single / individual
    # agency reviews (000 §2; 001 §4.3) a completion time; a review not yet decided has no kind.
    assert "review_completion" not in due_dates(CAPPED, kind)


# -- pre_publication_copies: at least 7 working days before publication (003) --------------


@pytest.mark.parametrize(
    ("planned_publication_on", "expected"),
    [
        # Fri 10 Apr 2026: 9 (1), 8 (2), 7 (3), 6 Easter Monday, 5-4 wknd, 3 Good Friday,
        # 2 (4), 1 (5), 31 Mar (6), Mon 30 Mar (7)
        (date(2026, 4, 10), date(2026, 3, 30)),
        # Tue 5 Jan 2027: 4 (1), 3-2 wknd, 1 hol, 31 (2), 30 (3), 29 (4), 28 sub,
        # 27-26 wknd, 25 hol, 24 (5), 23 (6), Tue 22 Dec 2026 (7)
        (date(2027, 1, 5), date(2026, 12, 22)),
        # Mon 3 Jan 2028, itself a substitute day: 31 (1), 30 (2), 29 (3), 28 sub, 27 sub,
        # 26-25 wknd, 24 (4), 23 (5), 22 (6), Tue 21 Dec 2027 (7)
        (date(2028, 1, 3), date(2027, 12, 21)),
    ],
)
def test_pre_publication_copies(planned_publication_on, expected):
    got = due_dates({"planned_publication_on": planned_publication_on})
    assert got == {"pre_publication_copies": expected}


# -- publication_retention: on the website for at least 12 months (003) --------------------


@pytest.mark.parametrize(
    ("published_on", "expected"),
    [
        (date(2028, 2, 29), date(2029, 2, 28)),
        (date(2026, 1, 31), date(2027, 1, 31)),
    ],
)
def test_publication_retention(published_on, expected):
    assert due_dates({"published_on": published_on}) == {"publication_retention": expected}
    d = deadline("publication_retention", {"published_on": published_on})
    assert "until at least" in d.rule


# -- action_plan_progress: quarterly from the action plan's agreement (000 §9) -------------


def test_action_plan_progress_first_quarter():
    # 31 Jan 2026 + 3 months = 30 Apr 2026
    assert due_dates({"action_plan_agreed_on": date(2026, 1, 31)}) == {
        "action_plan_progress": date(2026, 4, 30)
    }


def test_action_plan_progress_counts_each_quarter_from_the_agreement():
    # +3, +6, +9, +12 months from 31 Jan 2026; counting from the previous date instead
    # would drift to 30 Jul and 30 Oct
    got = due_dates({"action_plan_agreed_on": date(2026, 1, 31)}, occurrences=4)
    assert got["action_plan_progress"] == [
        date(2026, 4, 30),
        date(2026, 7, 31),
        date(2026, 10, 31),
        date(2027, 1, 31),
    ]


def test_action_plan_progress_over_a_leap_day():
    # 30 Nov 2027 + 3 months = 29 Feb 2028; + 6 months = 30 May 2028
    got = due_dates({"action_plan_agreed_on": date(2027, 11, 30)}, occurrences=2)
    assert got["action_plan_progress"] == [date(2028, 2, 29), date(2028, 5, 30)]


def test_action_plan_progress_next_reports_from_a_date():
    agreed = {"action_plan_agreed_on": date(2026, 1, 31)}
    # reports fall on 30 Apr, 31 Jul, 31 Oct 2026, 31 Jan 2027 ...
    got = compute_deadlines("wt2015", agreed, None, ENGLAND, occurrences=2, not_before=date(2026, 8, 1))
    assert [(d.due, d.occurrence) for d in got] == [(date(2026, 10, 31), 3), (date(2027, 1, 31), 4)]
    # a report due on the day itself is still to come
    got = compute_deadlines("wt2015", agreed, None, ENGLAND, not_before=date(2026, 7, 31))
    assert [(d.due, d.occurrence) for d in got] == [(date(2026, 7, 31), 2)]


# -- the North West variant: National Panel within 14 days (001 §3) ------------------------


def test_north_west_adds_the_fourteen_day_national_panel_notice():
    # Wed 17 Dec 2025 + 14 calendar days = Wed 31 Dec 2025 (holidays count as days)
    decided = {"decided_on": date(2025, 12, 17)}
    assert due_dates(decided, pack="wt2015-north-west") == {
        # 18 (1), 19 (2), 22 (3), 23 (4), Wed 24 Dec (5)
        "decision_notification": date(2025, 12, 24),
        "national_panel_decision_notification": date(2025, 12, 31),
    }
    d = deadline("national_panel_decision_notification", decided, pack="wt2015-north-west")
    assert d.source == "001 §3"


def test_the_national_pack_has_no_fourteen_day_notice():
    got = due_dates({"decided_on": date(2025, 12, 17)}, pack="wt2015")
    assert "national_panel_decision_notification" not in got


def test_north_west_keeps_every_national_rule():
    national = {r.code for r in RULE_PACKS["wt2015"].rules}
    north_west = {r.code for r in RULE_PACKS["wt2015-north-west"].rules}
    assert national < north_west


# -- calendars: nation and board closures ----------------------------------------------------


def test_a_scottish_board_counts_the_second_of_january():
    aware = {"became_aware_on": date(2025, 12, 31)}
    # England: 1 Jan hol, 2 (1), 5 (2), 6 (3), 7 (4), Thu 8 Jan (5)
    assert due_dates(aware)["incident_notification"] == date(2026, 1, 8)
    # Scotland: 1-2 Jan hol, 5 (1), 6 (2), 7 (3), 8 (4), Fri 9 Jan (5)
    assert due_dates(aware, calendar=SCOTLAND)["incident_notification"] == date(2026, 1, 9)


def test_board_closure_days_push_working_day_deadlines():
    board = WorkingCalendar(closures={date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)})
    # Wed 24 Dec 2025: 25-26 hol, 27-28 wknd, 29-31 closed, 1 Jan hol, 2 (1), 5 (2),
    # 6 (3), 7 (4), Thu 8 Jan (5)
    got = due_dates({"decided_on": date(2025, 12, 24)}, calendar=board)
    assert got["decision_notification"] == date(2026, 1, 8)


# -- a whole case ------------------------------------------------------------------------------


def test_a_whole_case_gives_every_deadline_earliest_first():
    got = compute_deadlines("wt2015", full_case(), "learning_review", ENGLAND)
    assert [(d.code, d.due) for d in got] == [
        # Wed 24 Dec 2025 + 5 working days (see test_incident_notification)
        ("incident_notification", date(2026, 1, 5)),
        # 5 Jan 2026 + 1 month
        ("scr_decision", date(2026, 2, 5)),
        # Mon 2 Feb 2026: 3 (1), 4 (2), 5 (3), 6 (4), Mon 9 Feb (5)
        ("decision_notification", date(2026, 2, 9)),
        # 10 Apr 2026 - 7 working days (see test_pre_publication_copies)
        ("pre_publication_copies", date(2026, 3, 30)),
        # 31 Mar 2026 + 3 months
        ("action_plan_progress", date(2026, 6, 30)),
        # 9 Feb 2026 + 6 months = 9 Aug 2026, before 20 Dec 2025 + 12 months
        ("review_completion", date(2026, 8, 9)),
        # 10 Apr 2026 + 12 months
        ("publication_retention", date(2027, 4, 10)),
    ]


def test_only_deadlines_whose_milestones_are_given():
    assert compute_deadlines("wt2015", {}, None, ENGLAND) == []
    assert set(due_dates({"incident_on": date(2026, 1, 5)})) == set()  # nothing hangs from it


def test_every_rule_carries_a_source_and_who_it_concerns():
    for pack in RULE_PACKS.values():
        for rule in pack.rules:
            assert rule.source and rule.concerns and rule.description, rule.code


def test_a_milestone_not_reached_yet_may_be_given_as_none():
    case = {"became_aware_on": date(2025, 12, 24), "board_notified_on": None}
    assert due_dates(case) == {"incident_notification": date(2026, 1, 5)}


def test_review_completion_without_the_incident_date_has_no_limit():  # 000 §7
    # a learning review whose incident date is not recorded: 6 months only
    case = {"incident_on": None, "initiated_on": date(2026, 8, 31)}
    assert due_dates(case, "learning_review")["review_completion"] == date(2027, 2, 28)
