"""What compute_deadlines refuses (every problem named at once) and where a deadline stands on a day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.scheduler.domain.deadlines import compute_deadlines, deadline_status
from services.scheduler.domain.errors import ScheduleInputError
from tests.unit.scheduler.rule_helpers import ENGLAND, SCOTLAND, fields_of, full_case

# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("later", "earlier"),
    [
        ("became_aware_on", "incident_on"),
        ("board_notified_on", "became_aware_on"),
        ("decided_on", "board_notified_on"),
        ("initiated_on", "decided_on"),
        ("action_plan_agreed_on", "initiated_on"),
    ],
)
def test_a_milestone_before_the_one_it_follows_names_the_later_field(later, earlier):
    case = {earlier: date(2026, 1, 2), later: date(2026, 1, 1)}
    assert fields_of("wt2015", case) == [later]
    # the same day is fine
    case = {earlier: date(2026, 1, 2), later: date(2026, 1, 2)}
    compute_deadlines("wt2015", case, None, ENGLAND)


def test_a_wrong_milestone_in_a_full_case_is_named_alone():
    # initiated before the decision; everything after initiation is still in order
    case = full_case(initiated_on=date(2026, 1, 30))
    assert fields_of("wt2015", case, "serious_case_review") == ["initiated_on"]


def test_published_before_the_decision_names_published_on():
    case = {"decided_on": date(2026, 2, 2), "published_on": date(2026, 2, 1)}
    assert fields_of("wt2015", case) == ["published_on"]


def test_the_order_is_checked_through_missing_milestones():
    # no board_notified_on: decided_on is still compared with became_aware_on
    case = {"became_aware_on": date(2026, 3, 2), "decided_on": date(2026, 3, 1)}
    assert fields_of("wt2015", case) == ["decided_on"]


def test_the_same_day_is_in_order():
    day = date(2026, 3, 2)
    case = dict.fromkeys(full_case(), day)
    assert compute_deadlines("wt2015", case, "serious_case_review", ENGLAND)


def test_every_problem_is_listed_at_once():
    case = {
        "became_aware_on": date(2026, 3, 2),
        "board_notified_on": date(2026, 3, 1),  # before became_aware_on
        "decided_on": datetime(2026, 3, 3, 10, 0),  # an instant, not a day
        "reported_on": date(2026, 3, 3),  # not a milestone
    }
    fields = fields_of("wt2016", case, "serious_case_reviews", occurrences=0)
    assert sorted(fields) == sorted(
        [
            "rule_pack",
            "review_kind",
            "board_notified_on",
            "decided_on",
            "reported_on",
            "occurrences",
        ]
    )


def test_unknown_pack_and_kind_name_their_fields():
    assert fields_of("wt2016", {}) == ["rule_pack"]
    assert fields_of("wt2015", {}, "case_review") == ["review_kind"]


def test_no_review_cannot_have_been_initiated():
    case = {"decided_on": date(2026, 2, 2), "initiated_on": date(2026, 2, 9)}
    assert fields_of("wt2015", case, "no_review") == ["initiated_on"]


def test_validation_errors_follow_the_error_contract():
    with pytest.raises(ScheduleInputError) as caught:
        compute_deadlines("wt2015", {"decided_on": "2026-02-02"}, None, ENGLAND)
    assert caught.value.status == 422
    assert caught.value.errors() == [{"field": "decided_on", "message": "must be a date"}]


# -- status ---------------------------------------------------------------------------------


DUE = date(2026, 4, 10)  # Friday after Easter


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # (Mon 30 Mar, Fri 10 Apr]: 31, 1, 2, 7, 8, 9, 10 = 7 working days away
        (date(2026, 3, 30), "pending"),
        # (Thu 2 Apr, Fri 10 Apr]: 7, 8, 9, 10 = 4 (Good Friday, Easter Monday skipped)
        (date(2026, 4, 2), "pending"),
        # (Tue 7 Apr, Fri 10 Apr]: 8, 9, 10 = 3
        (date(2026, 4, 7), "due_soon"),
        (date(2026, 4, 10), "due_soon"),  # due today: 0 days away
        (date(2026, 4, 13), "overdue"),
    ],
)
def test_status_as_the_days_pass(today, expected):
    assert deadline_status(DUE, today, None, False, 3, ENGLAND) == expected


def test_met_and_waived_win_over_the_dates():
    late = date(2026, 5, 1)
    assert deadline_status(DUE, late, date(2026, 4, 9), False, 3, ENGLAND) == "met"
    assert deadline_status(DUE, late, None, True, 3, ENGLAND) == "waived"
    assert deadline_status(DUE, late, date(2026, 4, 9), True, 3, ENGLAND) == "waived"


def test_due_soon_counts_working_days_of_the_boards_nation():
    due, today = date(2026, 4, 7), date(2026, 4, 2)
    # England: (Thu 2 Apr, Tue 7 Apr] = 7 only (3 and 6 are bank holidays) = 1
    assert deadline_status(due, today, None, False, 1, ENGLAND) == "due_soon"
    # Scotland works on Easter Monday: 6, 7 = 2
    assert deadline_status(due, today, None, False, 1, SCOTLAND) == "pending"


def test_due_soon_zero_means_due_today_only():
    assert deadline_status(DUE, date(2026, 4, 10), None, False, 0, ENGLAND) == "due_soon"
    assert deadline_status(DUE, date(2026, 4, 9), None, False, 0, ENGLAND) == "pending"


def test_negative_due_soon_days_is_refused():
    with pytest.raises(ScheduleInputError) as caught:
        deadline_status(DUE, date(2026, 4, 1), None, False, -1, ENGLAND)
    assert caught.value.fields == ["due_soon_days"]
