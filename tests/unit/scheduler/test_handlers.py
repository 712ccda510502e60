"""The scheduler's handlers on fakes: no store, no broker, a fixed clock.

Each test goes through ``bootstrap.messagebus`` (the same wiring production uses) with
a :class:`FakeUnitOfWork`, and asserts what a user would notice: the deadlines, their
status, and the typed events the scheduler raises.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.adapters.store import Schedule
from services.scheduler.entrypoints.consumer import CONSUMERS
from services.scheduler.service_layer import messages as m
from services.scheduler.service_layer.feeds import FeedContents
from shared.bus import PermanentError
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from tests.unit.scheduler.events import (
    DECIDED,
    decision_changed,
    decision_recorded,
    notification_sent,
    referral_submitted,
)
from tests.unit.scheduler.fakes import Scheduler

BOARD = "b1"


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler()


@pytest.fixture
def referred(scheduler: Scheduler) -> Scheduler:
    scheduler.handle(referral_submitted(BOARD))
    return scheduler


# -- the queue ----------------------------------------------------------------------------------


def test_one_queue_takes_every_event_the_deadlines_listen_to(scheduler):
    # The work queue: test_work.py; contributions' due dates: test_contribution_deadlines.py;
    # actions' due dates: test_actions_deadlines.py; the dashboard: test_dashboard.py.
    assert set(CONSUMERS) == {
        "scheduler.deadlines",
        "scheduler.work",
        "scheduler.contributions",
        "scheduler.actions",
        "scheduler.dashboard",
    }
    subscription = scheduler.bus.subscriptions[0]
    assert subscription.consumer == "scheduler.deadlines"
    assert set(subscription.event_types) == {
        "referral.submitted",
        "decision.recorded",
        "decision.changed",
        "decision.confirmed",
        "rapid_review.recorded",
        "notification.sent",
        # Publication: test_publication_deadlines.py.
        "publication.planned",
        "publication.copies_sent",
        "report.published",
        "publication.retention_decided",
        "action.added",  # the action plan's quarterly reports: test_actions_deadlines.py
        "board.retention_set",  # the board's retention schedule (shared.retention)
    }


# -- deadlines from events ---------------------------------------------------------------------------


def test_a_referral_opens_the_schedule_with_the_deadlines_its_dates_give(referred):
    due = referred.deadlines()
    # 21 Dec 2026 + 5 working days, skipping 25 Dec and the 28 Dec substitute day
    assert due["incident_notification"].due == date(2026, 12, 30)
    assert due["scr_decision"].due == date(2027, 1, 22)  # 22 Dec + 1 month
    assert "decision_notification" not in due
    assert referred.uow.commits == 1
    assert referred.events() == []
    assert Schedule.objects.count() == 0  # the fakes, not the store


def test_a_repeated_referral_changes_nothing(referred):
    before = referred.stored().to_mongo().to_dict()
    referred.handle(referral_submitted(BOARD))
    assert referred.stored().to_mongo().to_dict() == before
    assert referred.uow.commits == 1


def test_a_decision_meets_the_duty_to_decide_and_adds_its_deadlines(referred):
    first = referred.deadlines()
    referred.handle(decision_recorded(BOARD))
    after = referred.deadlines()
    assert after["scr_decision"].met_on == DECIDED
    assert after["scr_decision"].met_by == "decision.recorded"
    assert after["decision_notification"].due == date(2027, 1, 15)  # 8 Jan + 5 working days
    assert after["review_completion"].due == date(2027, 7, 8)
    assert after["incident_notification"].deadline_id == first["incident_notification"].deadline_id


def test_the_same_decision_event_twice_is_applied_once(referred):
    event = decision_recorded(BOARD)
    referred.handle(event)
    version = referred.stored().version
    referred.handle(event)
    assert referred.stored().version == version


def test_a_changed_decision_recalculates(referred):
    referred.handle(decision_recorded(BOARD, outcome="learning_review"))
    referred.handle(decision_changed(BOARD, on=date(2027, 1, 12)))
    due = referred.deadlines()
    assert due["decision_notification"].due == date(2027, 1, 19)  # 12 Jan + 5 working days
    assert referred.stored().review_kind == "serious_case_review"


def test_a_decision_for_an_unknown_case_is_refused_permanently(scheduler):
    with pytest.raises(PermanentError):
        scheduler.handle(decision_recorded(BOARD, case_id="never-referred"))
    assert scheduler.uow.commits == 0


# -- the link to notifications ------------------------------------------------------------------------
# The template names and roles are the notifications service's: written out here, not
# taken from the scheduler's constants, so that renaming one breaks this test.


@pytest.mark.parametrize(
    "template, roles, rule_pack, met, not_met",
    [
        (
            "decision_notification",
            ("ofsted", "dfe", "national_panel"),
            "wt2015-north-west",
            {"decision_notification", "national_panel_decision_notification"},
            {"incident_notification"},
        ),
        (
            "decision_changed_notification",
            ("ofsted", "dfe", "national_panel"),
            "wt2015-north-west",
            {"decision_notification"},
            {"national_panel_decision_notification", "incident_notification"},
        ),
        (
            "ofsted_incident_notification",
            ("ofsted",),
            "wt2015",
            {"incident_notification"},
            {"decision_notification"},
        ),
    ],
)
def test_each_notification_meets_its_deadline(scheduler, template, roles, rule_pack, met, not_met):
    scheduler.handle(referral_submitted(BOARD, rule_pack=rule_pack))
    scheduler.handle(decision_recorded(BOARD, rule_pack=rule_pack))
    sent_on = date(2027, 1, 11)
    for role in roles:
        scheduler.handle(notification_sent(BOARD, template, role, sent_on))
    due = scheduler.deadlines()
    assert {code: due[code].met_on for code in met} == {code: sent_on for code in met}
    assert {code: due[code].met_by for code in met} == {code: "notification.sent" for code in met}
    assert all(due[code].met_on is None for code in not_met if code in due)


def test_the_decision_is_notified_only_once_all_three_bodies_are_told(referred):
    referred.handle(decision_recorded(BOARD))
    referred.handle(notification_sent(BOARD, "decision_notification", "ofsted", date(2027, 1, 11)))
    referred.handle(notification_sent(BOARD, "decision_notification", "dfe", date(2027, 1, 11)))
    assert referred.deadlines()["decision_notification"].met_on is None
    referred.handle(notification_sent(BOARD, "decision_notification", "national_panel", date(2027, 1, 12)))
    assert referred.deadlines()["decision_notification"].met_on == date(2027, 1, 12)


def test_the_decision_notified_before_the_scheduler_applied_the_decision_is_met_once_it_is(referred):
    # The decision's message was being handled when the scheduler was killed; its claim kept it
    # back until the lease ended, and the three notices sent meanwhile were applied first.
    for role, on in (
        ("ofsted", date(2027, 1, 11)),
        ("dfe", date(2027, 1, 11)),
        ("national_panel", date(2027, 1, 12)),
    ):
        referred.handle(notification_sent(BOARD, "decision_notification", role, on))
    referred.handle(decision_recorded(BOARD))
    met = referred.deadlines()["decision_notification"]
    assert (met.met_on, met.met_by) == (date(2027, 1, 12), "notification.sent")


def test_the_incident_notification_to_someone_else_meets_nothing(referred):
    referred.handle(notification_sent(BOARD, "ofsted_incident_notification", "dfe", date(2026, 12, 23)))
    assert referred.deadlines()["incident_notification"].met_on is None


def test_a_notification_no_deadline_waits_for_writes_nothing(referred):
    referred.handle(notification_sent(BOARD, "deadline_due_soon", "business_unit", date(2026, 12, 29)))
    assert referred.uow.commits == 1  # the referral's only


# -- reminders ---------------------------------------------------------------------------------------


def test_reminders_are_typed_events_raised_once_each(referred):
    # 28 Dec is a bank holiday; on 29 Dec the incident notification (30 Dec) is due soon.
    assert referred.handle(m.SendReminders(on=date(2026, 12, 29))) == 1
    assert referred.handle(m.SendReminders(on=date(2026, 12, 29))) == 0
    (soon,) = referred.events()
    assert isinstance(soon.data, DeadlineDueSoon) and soon.producer == "scheduler"
    assert (soon.data.case_id, soon.data.code, soon.data.due) == (
        "c1",
        "incident_notification",
        date(2026, 12, 30),
    )
    assert soon.data.deadline_id == referred.deadlines()["incident_notification"].deadline_id
    assert soon.data.concerns == "local_authority"

    assert referred.handle(m.SendReminders(on=date(2026, 12, 31))) == 1  # now overdue
    assert referred.handle(m.SendReminders(on=date(2027, 1, 4))) == 0
    overdue = [e for e in referred.events() if isinstance(e.data, DeadlineOverdue)]
    assert [e.data.code for e in overdue] == ["incident_notification"]


def test_no_reminder_for_a_met_or_waived_deadline(referred):
    referred.handle(notification_sent(BOARD, "ofsted_incident_notification", "ofsted", date(2026, 12, 23)))
    scr = referred.deadlines()["scr_decision"].deadline_id
    referred.handle(m.WaiveDeadline(BOARD, "u1", scr, "Decided at the December panel"))
    assert referred.handle(m.SendReminders(on=date(2027, 2, 1))) == 0
    assert referred.events() == []


def test_reminders_default_to_the_clocks_today(referred):
    referred.clock.day = date(2026, 12, 31)
    # The incident notification (30 Dec) is overdue; the Chair's decision (22 Jan) not yet due soon.
    assert referred.handle(m.SendReminders()) == 1
    assert [(type(e.data), e.data.code) for e in referred.events()] == [
        (DeadlineOverdue, "incident_notification")
    ]


# -- deadlines asked for by people -------------------------------------------------------------------------


def test_a_case_s_deadlines_with_their_status_and_a_waiver(referred):
    items = referred.handle(m.GetCaseDeadlines(BOARD, "c1")).page.items
    status = {i["code"]: i["status"] for i in items}
    assert status == {"incident_notification": "overdue", "scr_decision": "pending"}  # today: 4 Jan 2027
    target = next(i["id"] for i in items if i["code"] == "incident_notification")
    with pytest.raises(InvalidInput):
        referred.handle(m.WaiveDeadline(BOARD, "u1", target, "   "))
    waived = referred.handle(m.WaiveDeadline(BOARD, "u1", target, " Told Ofsted by telephone. "))
    assert waived["status"] == "waived" and waived["waived_reason"] == "Told Ofsted by telephone."
    assert referred.deadlines()["incident_notification"].waived_by == "u1"


def test_another_board_sees_nothing_of_the_case(referred):
    with pytest.raises(NotFound):
        referred.handle(m.GetCaseDeadlines("b2", "c1"))
    target = referred.deadlines()["scr_decision"].deadline_id
    with pytest.raises(NotFound):
        referred.handle(m.WaiveDeadline("b2", "u2", target, "not mine"))


def test_preview_counts_on_the_boards_calendar(scheduler):
    deadlines = scheduler.handle(
        m.PreviewDeadlines(BOARD, "wt2015", None, {"became_aware_on": date(2026, 12, 21)})
    )
    assert [(d.code, d.due) for d in deadlines] == [("incident_notification", date(2026, 12, 30))]
    assert scheduler.uow.repos.schedules.stored == {}


def test_the_boards_next_30_days_leave_out_what_is_met(referred):
    later = date(2027, 3, 1)
    referred.handle(referral_submitted(BOARD, "c2", aware=later, notified=later, incident=later))
    referred.handle(notification_sent(BOARD, "ofsted_incident_notification", "ofsted", date(2026, 12, 23)))
    due = referred.handle(m.GetBoardDeadlinesDue(BOARD, days=30))
    assert due.until == date(2027, 2, 3)
    assert [(r["case_id"], r["code"]) for r in due.rows.items] == [("c1", "scr_decision")]


# -- timetables ---------------------------------------------------------------------------------------------


def plan(scheduler: Scheduler, **overrides: object) -> object:
    fields = dict(
        template="below_threshold_seven_weeks",
        start_on=date(2027, 1, 11),
        review_period_start=date(2026, 1, 20),
    )
    fields.update(overrides)
    return scheduler.handle(m.PlanTimetable(BOARD, "c1", **fields))


def test_a_timetable_is_planned_once_and_changed_with_reasons(referred):
    planned = plan(referred)
    assert planned.review_period.end == date(2026, 12, 20)  # the incident
    with pytest.raises(Conflict):
        plan(referred)
    first = planned.timetable.stages[0].code
    referred.handle(m.ReplanStage(BOARD, "c1", first, date(2027, 2, 1), "The police chronology is late"))
    referred.handle(m.MarkStageDone(BOARD, "c1", first, date(2027, 2, 1)))
    again = referred.handle(m.GetTimetable(BOARD, "c1")).timetable.stage(first)
    assert again.status == "done" and again.history[0].reason == "The police chronology is late"


def test_a_pause_holds_the_timetable_until_it_is_resumed(referred):
    plan(referred)
    held = referred.handle(m.PauseTimetable(BOARD, "c1", "criminal_proceedings", date(2027, 1, 12)))
    assert any(s.status == "held" for s in held.timetable.stages)
    resumed = referred.handle(m.ResumeTimetable(BOARD, "c1", "criminal_proceedings", date(2027, 2, 12)))
    assert not any(s.status == "held" for s in resumed.timetable.stages)
    assert resumed.timetable.pauses[0].working_days > 0


def test_a_timetable_needs_the_case_s_schedule_and_a_sound_review_period(referred):
    with pytest.raises(NotFound):
        referred.handle(
            m.PlanTimetable("b2", "c1", "below_threshold_seven_weeks", date(2027, 1, 11), date(2026, 1, 20))
        )
    with pytest.raises(InvalidInput) as caught:
        plan(referred, review_period_start=date(2025, 6, 1))  # 18 months back, no reason
    assert caught.value.errors()[0]["field"] == "exceptional_reason"
    with pytest.raises(NotFound):
        referred.handle(m.GetTimetable(BOARD, "c1"))  # nothing was planned


def test_the_case_schedule_shows_the_timetables_stages(referred):
    plan(referred)
    page = referred.handle(m.GetCaseSchedule(BOARD, "c1"))
    assert page.reference == "B-2026-0001" and page.today == date(2027, 1, 4)
    assert len(page.stages) == 5 and page.stages[0]["opens_on"] <= page.stages[0]["planned_on"]
    assert {d["code"] for d in page.deadlines} == {"incident_notification", "scr_decision"}


# -- calendar feeds -------------------------------------------------------------------------------------


def test_a_feed_shows_open_deadlines_until_it_is_revoked(referred):
    feed = referred.handle(m.CreateCalendarFeed(BOARD, "u1", "c1"))
    referred.handle(notification_sent(BOARD, "ofsted_incident_notification", "ofsted", date(2026, 12, 23)))
    contents = referred.handle(m.ReadCalendarFeed(feed.token))
    assert isinstance(contents, FeedContents) and contents.name == "Case B-2026-0001 deadlines"
    assert [(e.code, e.due) for e in contents.entries] == [("scr_decision", date(2027, 1, 22))]
    assert referred.handle(m.ReadCalendarFeed("not-a-token")) is None
    with pytest.raises(NotFound):
        referred.handle(m.RevokeCalendarFeed("b2", feed.feed_id))
    referred.handle(m.RevokeCalendarFeed(BOARD, feed.feed_id))
    assert referred.handle(m.ReadCalendarFeed(feed.token)) is None


def test_a_feed_only_for_the_boards_own_case(referred):
    with pytest.raises(NotFound):
        referred.handle(m.CreateCalendarFeed("b2", "u2", "c1"))
    assert referred.uow.repos.feeds.stored == {}
