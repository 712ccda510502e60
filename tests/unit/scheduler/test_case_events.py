"""Issue 12 through the scheduler's handlers, on fakes: notifiable incidents only, late is not on
time, a decision kept after a challenge, and a wt2018/wt2023 case from referral to rapid review
to the safeguarding partners' decision.

The template and role names are the notifications service's, written out here on purpose.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.service_layer import messages as m
from shared.bus import PermanentError
from tests.unit.scheduler.events import (
    AWARE,
    decision_confirmed,
    decision_recorded,
    notification_sent,
    rapid_review_recorded,
    referral_submitted,
)
from tests.unit.scheduler.fakes import Scheduler

BOARD = "b1"
LCSPR = "local_child_safeguarding_practice_review"


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(today=date(2027, 1, 25))


def statuses(scheduler: Scheduler) -> dict[str, str]:
    return {i["code"]: i["status"] for i in scheduler.handle(m.GetCaseDeadlines(BOARD, "c1")).page.items}


# -- correction 2: the incident-notification duty only for notifiable incidents -----------------------
# 003 "Notifiable Incidents": the local authority reports an incident meeting one of the four
# criteria to Ofsted within five working days; one that meets none is not reported. Before the
# fix a non-notifiable referral got a deadline nothing could meet: overdue, with reminders.


def test_a_non_notifiable_referral_has_no_incident_notification_deadline(scheduler):
    scheduler.handle(referral_submitted(BOARD, notifiable=False))
    assert set(scheduler.deadlines()) == {"scr_decision"}  # the Chair still decides (003 checklist)
    assert scheduler.stored().notifiable is False
    # 30 Dec 2026 would have been the incident notification's date: nothing reminds of it
    assert scheduler.handle(m.SendReminders(on=date(2026, 12, 31))) == 0
    assert scheduler.events() == []


@pytest.mark.parametrize("pack", ["wt2018", "wt2023"])
def test_no_panel_notification_nor_rapid_review_when_not_notifiable(scheduler, pack):
    # s.16C(1): only a serious child safeguarding case is notified to the Panel; a rapid review
    # follows a notification (research W18-3, W23-10).
    scheduler.handle(referral_submitted(BOARD, rule_pack=pack, notifiable=False))
    scheduler.handle(notification_sent(BOARD, "panel_incident_notification", "national_panel", AWARE))
    assert scheduler.deadlines() == {}


# -- correction 6: late is not on time ------------------------------------------------------------------


def test_a_notification_sent_after_the_due_date_is_met_late_and_counted(scheduler):
    scheduler.handle(referral_submitted(BOARD))  # incident notification due Wed 30 Dec 2026
    scheduler.handle(notification_sent(BOARD, "ofsted_incident_notification", "ofsted", date(2027, 1, 4)))
    found = scheduler.handle(m.GetCaseDeadlines(BOARD, "c1"))
    assert {i["code"]: i["status"] for i in found.page.items} == {
        "incident_notification": "met_late",
        "scr_decision": "overdue",  # 22 Dec 2026 + 1 month = Fri 22 Jan; today is Mon 25 Jan
    }
    assert found.counts == {"pending": 0, "due_soon": 0, "overdue": 1, "met": 0, "met_late": 1, "waived": 0}


def test_on_the_due_date_is_on_time(scheduler):
    scheduler.handle(referral_submitted(BOARD))
    scheduler.handle(notification_sent(BOARD, "ofsted_incident_notification", "ofsted", date(2026, 12, 30)))
    assert statuses(scheduler)["incident_notification"] == "met"


# -- decision.confirmed: the board kept its decision after a challenge -----------------------------------
# 003 checklist, "Decisions whether to initiate an SCR": when challenged by the national panel,
# the board tells Ofsted, the DfE and the panel the final outcome. No time limit is given: no
# deadline (DOMAIN note in rules.py).


def test_a_kept_decision_adds_no_deadline_and_moves_none(scheduler):
    scheduler.handle(referral_submitted(BOARD))
    scheduler.handle(decision_recorded(BOARD, outcome="no_review"))
    before = {code: (d.due, d.deadline_id) for code, d in scheduler.deadlines().items()}
    event = decision_confirmed(BOARD, on=date(2027, 1, 20))
    scheduler.handle(event)
    assert {code: (d.due, d.deadline_id) for code, d in scheduler.deadlines().items()} == before
    assert scheduler.stored().review_kind == "no_review"
    version = scheduler.stored().version
    scheduler.handle(event)  # a repeat of the event
    assert scheduler.stored().version == version


def test_a_kept_decision_holds_the_final_outcome(scheduler):
    # Should the schedule not have the outcome (its decision event lost), the final one stands.
    scheduler.handle(referral_submitted(BOARD))
    scheduler.handle(decision_recorded(BOARD, outcome="learning_review"))
    scheduler.handle(decision_confirmed(BOARD, on=date(2027, 1, 20), outcome="serious_case_review"))
    assert scheduler.stored().review_kind == "serious_case_review"
    assert scheduler.deadlines()["review_completion"].source.startswith("003")


def test_a_kept_decision_for_an_unknown_case_is_refused_permanently(scheduler):
    with pytest.raises(PermanentError):
        scheduler.handle(decision_confirmed(BOARD, "never-referred", on=date(2027, 1, 20)))


# -- wt2018 and wt2023: referral, the Panel told, rapid review, the partners' decision ---------------------


def test_a_wt2023_case_from_referral_to_the_partners_decision(scheduler):
    scheduler.handle(referral_submitted(BOARD, rule_pack="wt2023"))
    # Only the notification to the Panel is owed until the Panel has been told.
    assert {c: d.due for c, d in scheduler.deadlines().items()} == {
        "incident_notification": date(2026, 12, 30)
    }

    told = date(2026, 12, 23)
    scheduler.handle(notification_sent(BOARD, "panel_incident_notification", "national_panel", told))
    due = scheduler.deadlines()
    assert due["incident_notification"].met_on == told
    assert scheduler.stored().dated_milestones()["panel_notified_on"] == told
    # Wed 23 Dec 2026 + 15 working days = Mon 18 Jan 2027 (test_current_packs)
    assert due["rapid_review"].due == date(2027, 1, 18) and due["rapid_review"].met_on is None

    scheduler.handle(rapid_review_recorded(BOARD, on=date(2027, 1, 20)))
    assert scheduler.deadlines()["rapid_review"].met_by == "rapid_review.recorded"
    assert statuses(scheduler) == {"incident_notification": "met", "rapid_review": "met_late"}

    scheduler.handle(decision_recorded(BOARD, on=date(2027, 1, 21), outcome=LCSPR, rule_pack="wt2023"))
    assert scheduler.stored().review_kind == LCSPR
    # No completion aim, no notice of the decision (research W23-15, W18-17: not found).
    assert set(scheduler.deadlines()) == {"incident_notification", "rapid_review"}


def test_a_wt2018_rapid_review_counts_from_becoming_aware(scheduler):
    scheduler.handle(referral_submitted(BOARD, rule_pack="wt2018"))
    due = scheduler.deadlines()
    assert {c: d.due for c, d in due.items()} == {
        "incident_notification": date(2026, 12, 30),
        "rapid_review": date(2027, 1, 14),  # Mon 21 Dec 2026 + 15 working days
    }
    scheduler.handle(rapid_review_recorded(BOARD, on=date(2027, 1, 14), rule_pack="wt2018"))
    assert statuses(scheduler)["rapid_review"] == "met"


def test_a_rapid_review_recorded_before_the_panel_was_told_meets_its_deadline_once_dated(scheduler):
    scheduler.handle(referral_submitted(BOARD, rule_pack="wt2023"))
    scheduler.handle(rapid_review_recorded(BOARD, on=date(2027, 1, 6)))
    assert "rapid_review" not in scheduler.deadlines()
    scheduler.handle(
        notification_sent(BOARD, "panel_incident_notification", "national_panel", date(2027, 1, 4))
    )
    assert scheduler.deadlines()["rapid_review"].met_on == date(2027, 1, 6)


def test_the_first_notification_to_the_panel_starts_the_clock(scheduler):
    scheduler.handle(referral_submitted(BOARD, rule_pack="wt2023"))
    scheduler.handle(
        notification_sent(BOARD, "panel_incident_notification", "national_panel", date(2026, 12, 23))
    )
    first = scheduler.deadlines()["rapid_review"].due
    resent = notification_sent(BOARD, "panel_incident_notification", "national_panel", date(2027, 1, 5))
    scheduler.handle(resent)
    assert scheduler.deadlines()["rapid_review"].due == first


@pytest.mark.parametrize(
    "pack, template, role",
    [
        ("wt2015", "panel_incident_notification", "national_panel"),  # WT2015: Ofsted's form
        ("wt2023", "ofsted_incident_notification", "ofsted"),  # WT2023: the Panel
        ("wt2018", "panel_incident_notification", "dfe"),  # the Panel shares it; DfE is not told first
    ],
)
def test_a_notification_meets_the_incident_deadline_only_under_its_own_pack(scheduler, pack, template, role):
    scheduler.handle(referral_submitted(BOARD, rule_pack=pack))
    scheduler.handle(notification_sent(BOARD, template, role, date(2026, 12, 23)))
    assert scheduler.deadlines()["incident_notification"].met_on is None


def test_a_kept_no_review_decision_drops_an_initiation_the_schedule_had(scheduler):
    scheduler.handle(referral_submitted(BOARD))
    scheduler.handle(decision_recorded(BOARD, outcome="serious_case_review"))
    scheduler.handle(decision_confirmed(BOARD, on=date(2027, 1, 20), outcome="no_review"))
    assert "initiated_on" not in scheduler.stored().milestones
    assert "review_completion" not in scheduler.deadlines()


def test_an_outcome_the_scheduler_has_no_rule_for_still_dates_the_decision(scheduler):
    # The referral service may add outcomes; their decision must not be lost for want of a rule.
    scheduler.handle(referral_submitted(BOARD))
    scheduler.handle(decision_recorded(BOARD, outcome="embedded_learning_review"))
    due = scheduler.deadlines()
    assert due["decision_notification"].due == date(2027, 1, 15)  # Fri 8 Jan + 5 working days
    assert due["scr_decision"].met_on == date(2027, 1, 8)
    assert "review_completion" not in due
