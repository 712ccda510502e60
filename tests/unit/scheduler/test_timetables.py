"""Review timetables (DOMAIN.md "Review timetables") and the period under review (002 §2.1).

Planned dates are counted by hand in the comment beside each: "(n)" is the n-th
working day after the start (day 0), "hol" a bank holiday.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.errors import ScheduleInputError, StageConflict, StageNotFound
from services.scheduler.domain.review_period import check_review_period
from services.scheduler.domain.timetable_templates import TIMETABLE_TEMPLATES
from services.scheduler.domain.timetables import Timetable, plan_timetable

ENGLAND = WorkingCalendar()
EASTER_START = date(2026, 3, 27)  # Friday; week 1 of a plan starts on Mon 30 Mar


def seven_weeks(start=EASTER_START, calendar=ENGLAND) -> Timetable:
    return Timetable("below_threshold_seven_weeks", start, calendar)


def planned(timetable: Timetable) -> dict[str, date]:
    return {s.code: s.planned_on for s in timetable.stages}


# -- planning --------------------------------------------------------------------------------


def test_seven_week_plan_over_easter_and_early_may():
    stages = plan_timetable("below_threshold_seven_weeks", EASTER_START, ENGLAND)
    assert [(s.code, s.opens_on, s.planned_on) for s in stages] == [
        # weeks 1-2, days 1-10: 30 Mar (1), 31 (2), 1 Apr (3), 2 (4), 3 and 6 Apr hol,
        # 7 (5), 8 (6), 9 (7), 10 (8), 13 (9), Tue 14 Apr (10)
        ("case_group_letters", date(2026, 3, 30), date(2026, 4, 14)),
        # weeks 3-4, days 11-20: 15 (11), 16, 17, 20, 21, 22, 23, 24, 27, Tue 28 Apr (20)
        ("information_analysed", date(2026, 4, 15), date(2026, 4, 28)),
        # week 5, days 21-25: 29 (21), 30 (22), 1 May (23), 4 May hol, 5 (24), Wed 6 (25)
        ("preparatory_meetings", date(2026, 4, 29), date(2026, 5, 6)),
        # week 6, days 26-30: 7 (26), 8, 11, 12, Wed 13 May (30)
        ("review_meeting", date(2026, 5, 7), date(2026, 5, 13)),
        # week 7, days 31-35: 14 (31), 15, 18, 19, Wed 20 May (35); without the three
        # bank holidays it would have been Fri 15 May
        ("action_plan_published", date(2026, 5, 14), date(2026, 5, 20)),
    ]


def test_seven_week_plan_in_scotland_keeps_easter_monday():
    # Scotland works on Easter Monday but not on 4 May: two bank holidays instead of
    # three, so week 7 ends a day earlier than in England, on Tue 19 May 2026
    plan = seven_weeks(calendar=WorkingCalendar("scotland"))
    assert plan.stage("action_plan_published").planned_on == date(2026, 5, 19)


def test_scr_templates_finish_inside_six_months():
    start = date(2026, 6, 1)  # Monday, day 0
    # June: 2-30 = 21 working days; July 23 (44); August 21 less 31 Aug hol (64);
    # September 22 (86); October 22 (108); November: 2-6 (113), 9-13 (118), 16 (119),
    # Tue 17 Nov (120) ... 18, 19, 20, 23, Tue 24 Nov (125)
    # October, counting on from 86: 1, 2, 5, 6, 7, 8, 9, 12, Tue 13 Oct (95)
    # Six months after 1 Jun 2026 is 1 Dec 2026: all three finish before it.
    last = {code: plan_timetable(code, start, ENGLAND)[-1] for code in TIMETABLE_TEMPLATES}
    assert last["scr_intensive"].planned_on == date(2026, 11, 17)  # day 120
    assert last["scr_targeted"].planned_on == date(2026, 10, 13)  # day 95
    assert last["greater_manchester_scr"].planned_on == date(2026, 11, 24)  # day 125


def test_templates_carry_their_sources():
    seven = TIMETABLE_TEMPLATES["below_threshold_seven_weeks"]
    assert {s.source for s in seven.stages} == {"000 §6"}
    for code in ("scr_intensive", "scr_targeted"):
        t = TIMETABLE_TEMPLATES[code]
        assert t.source == "001 §6"
        assert all(s.source.startswith("001 §6") for s in t.stages)
        assert "product defaults" in t.timing_source
    gm = TIMETABLE_TEMPLATES["greater_manchester_scr"]
    assert all(s.source.startswith("002 §2") for s in gm.stages)


def test_greater_manchester_has_at_least_two_further_panel_meetings():
    gm = TIMETABLE_TEMPLATES["greater_manchester_scr"]
    panels = [s for s in gm.stages if s.source == "002 §2.7"]
    assert len(panels) >= 2
    # they come after the learning event and before the final report
    order = [s.code for s in gm.stages]
    assert all(order.index("learning_event") < order.index(p.code) for p in panels)
    assert all(order.index(p.code) < order.index("final_report_to_panel") for p in panels)


def test_intensive_and_targeted_differ_in_session_lengths():
    intensive = {s.code: s for s in TIMETABLE_TEMPLATES["scr_intensive"].stages}
    targeted = {s.code: s for s in TIMETABLE_TEMPLATES["scr_targeted"].stages}
    assert intensive["case_group_spe_forums"].effort == "1 day"
    assert targeted["case_group_spe_forums"].effort == "up to 1 day"
    assert intensive["spe_analysis_meetings"].effort == "2 or more half-day sessions"
    assert targeted["spe_analysis_meetings"].effort == "1 or 2 half-day sessions"
    assert intensive["family_involvement"].family_involvement


def test_unknown_template_names_the_field():
    with pytest.raises(ScheduleInputError) as caught:
        plan_timetable("two_weeks", EASTER_START, ENGLAND)
    assert caught.value.fields == ["template"]


# -- re-planning and marking done ------------------------------------------------------------


def test_replan_needs_a_reason():
    plan = seven_weeks()
    for reason in ("", "   "):
        with pytest.raises(ScheduleInputError) as caught:
            plan.replan("review_meeting", date(2026, 5, 20), reason)
        assert caught.value.fields == ["reason"]
    assert plan.stage("review_meeting").planned_on == date(2026, 5, 13)
    assert plan.stage("review_meeting").history == []


def test_replan_keeps_the_history():
    plan = seven_weeks()
    plan.replan("review_meeting", date(2026, 5, 20), "lead reviewer ill")
    plan.replan("review_meeting", date(2026, 5, 22), "venue unavailable")
    stage = plan.stage("review_meeting")
    assert stage.planned_on == date(2026, 5, 22)
    assert [(h.previous_on, h.new_on, h.reason, h.kind) for h in stage.history] == [
        (date(2026, 5, 13), date(2026, 5, 20), "lead reviewer ill", "replanned"),
        (date(2026, 5, 20), date(2026, 5, 22), "venue unavailable", "replanned"),
    ]
    assert stage.first_planned_on == date(2026, 5, 13)
    # the other stages have not moved
    assert plan.stage("action_plan_published").planned_on == date(2026, 5, 20)


def test_mark_done_and_no_replanning_after():
    plan = seven_weeks()
    stage = plan.mark_done("case_group_letters", date(2026, 4, 13))
    assert stage.status == "done" and stage.done_on == date(2026, 4, 13)
    with pytest.raises(StageConflict):
        plan.mark_done("case_group_letters", date(2026, 4, 14))
    with pytest.raises(StageConflict):
        plan.replan("case_group_letters", date(2026, 4, 20), "too late")


def test_unknown_stage_names_the_field():
    with pytest.raises(StageNotFound) as caught:
        seven_weeks().mark_done("publication", date(2026, 4, 13))
    assert caught.value.field == "stage" and caught.value.status == 404


# -- parallel processes ------------------------------------------------------------------------


def test_a_pause_moves_later_undone_stages_by_the_working_days_paused():
    plan = seven_weeks()
    plan.mark_done("case_group_letters", date(2026, 4, 14))
    plan.pause("inquest", date(2026, 4, 15))
    assert plan.stage("information_analysed").status == "held"
    pause = plan.resume("inquest", date(2026, 4, 29))
    # (Wed 15 Apr, Wed 29 Apr]: 16, 17, 20, 21, 22, 23, 24, 27, 28, 29 = 10 working days
    assert pause.working_days == 10
    assert planned(plan) == {
        "case_group_letters": date(2026, 4, 14),  # done: not moved
        # Tue 28 Apr + 10: 29 (1), 30 (2), 1 May (3), 4 May hol, 5 (4), 6, 7, 8, 11,
        # 12 (9), Wed 13 May (10)
        "information_analysed": date(2026, 5, 13),
        # Wed 6 May + 10: 7 (1), 8, 11, 12, 13, 14, 15, 18, 19 (9), Wed 20 May (10)
        "preparatory_meetings": date(2026, 5, 20),
        # Wed 13 May + 10: 14 (1), 15, 18, 19, 20, 21, 22 (7), 25 May hol, 26 (8),
        # 27 (9), Thu 28 May (10)
        "review_meeting": date(2026, 5, 28),
        # Wed 20 May + 10: 21 (1), 22 (2), 25 May hol, 26 (3), 27, 28, 29, 1 Jun (7),
        # 2 (8), 3 (9), Thu 4 Jun (10)
        "action_plan_published": date(2026, 6, 4),
    }
    moved = plan.stage("information_analysed")
    assert moved.status == "planned"
    assert [(h.previous_on, h.new_on, h.kind) for h in moved.history] == [
        (date(2026, 4, 28), date(2026, 5, 13), "paused")
    ]
    assert "coroner's inquest" in moved.history[0].reason


def test_a_stage_already_overdue_when_the_pause_starts_is_not_moved():
    plan = seven_weeks()
    plan.pause("mappa", date(2026, 4, 15))  # weeks 1-2 were due on 14 Apr, not done
    plan.resume("mappa", date(2026, 4, 29))
    assert plan.stage("case_group_letters").planned_on == date(2026, 4, 14)
    assert plan.stage("case_group_letters").history == []


def test_overlapping_pauses_are_not_counted_twice():
    plan = seven_weeks()
    plan.mark_done("case_group_letters", date(2026, 4, 14))
    plan.pause("criminal_proceedings", date(2026, 4, 15))
    plan.pause("inquest", date(2026, 4, 20))
    plan.resume("criminal_proceedings", date(2026, 4, 24))
    # the inquest still holds the review: nothing moves yet
    assert plan.stage("information_analysed").planned_on == date(2026, 4, 28)
    assert plan.stage("information_analysed").status == "held"
    plan.resume("inquest", date(2026, 4, 29))
    # held from 15 Apr to 29 Apr in all: 10 working days, as in the single pause above
    assert plan.stage("information_analysed").planned_on == date(2026, 5, 13)


def gm(start=date(2026, 6, 1)) -> Timetable:
    return Timetable("greater_manchester_scr", start, ENGLAND)


def test_family_involvement_waits_for_criminal_proceedings():
    plan = gm()
    # family_engagement is due on day 50 from Mon 1 Jun 2026: June 21, July 23 (44),
    # 3 Aug (45), 4, 5, 6, 7 (49), Mon 10 Aug (50)
    assert plan.stage("family_engagement").planned_on == date(2026, 8, 10)
    # learning_event, day 60: 11 Aug (51) ... 21 (59), Mon 24 Aug (60)
    assert plan.stage("learning_event").planned_on == date(2026, 8, 24)
    plan.pause("criminal_proceedings", date(2026, 6, 2), scope="family_involvement")
    with pytest.raises(StageConflict) as caught:
        plan.mark_done("family_engagement", date(2026, 6, 10))
    assert "001 §6 note 9" in caught.value.message
    # the rest of the review goes on
    plan.mark_done("threshold_meeting", date(2026, 6, 5))
    assert plan.stage("learning_event").status == "planned"
    plan.resume("criminal_proceedings", date(2026, 6, 16))
    # (Tue 2 Jun, Tue 16 Jun]: 3, 4, 5, 8, 9, 10, 11, 12, 15, 16 = 10 working days;
    # Mon 10 Aug + 10: 11 (1), 12, 13, 14, 17 (5), 18, 19, 20, 21 (9), Mon 24 Aug (10)
    assert plan.stage("family_engagement").planned_on == date(2026, 8, 24)
    assert plan.stage("learning_event").planned_on == date(2026, 8, 24)  # not moved
    plan.mark_done("family_engagement", date(2026, 8, 20))


def test_other_processes_do_not_stop_family_involvement():
    plan = gm()
    plan.pause("inquest", date(2026, 6, 2))
    plan.mark_done("family_engagement", date(2026, 6, 10))
    assert plan.stage("family_engagement").status == "done"


def test_pause_and_resume_are_checked():
    plan = seven_weeks()
    with pytest.raises(ScheduleInputError) as caught:
        plan.pause("public_inquiry", date(2026, 4, 15))
    assert caught.value.fields == ["process"]
    with pytest.raises(StageConflict) as conflict:
        plan.resume("inquest", date(2026, 4, 29))  # never paused
    assert conflict.value.field == "process"
    plan.pause("inquest", date(2026, 4, 15))
    with pytest.raises(StageConflict):
        plan.pause("inquest", date(2026, 4, 16))  # already holding the review
    with pytest.raises(ScheduleInputError) as caught:
        plan.resume("inquest", date(2026, 4, 14))
    assert caught.value.fields == ["resumed_on"]


# -- the period under review (002 §2.1) ---------------------------------------------------------

INCIDENT = date(2026, 3, 15)


def test_twelve_months_before_the_incident_is_allowed():
    period = check_review_period(date(2025, 3, 15), INCIDENT)
    assert not period.exceptional
    assert (period.start, period.end) == (date(2025, 3, 15), INCIDENT)
    # a reason given for an ordinary period does not make it exceptional
    assert not check_review_period(date(2025, 3, 15), INCIDENT, "history").exceptional


def test_more_than_twelve_months_needs_an_exceptional_reason():
    for reason in (None, "", "  "):
        with pytest.raises(ScheduleInputError) as caught:
            check_review_period(date(2025, 3, 14), INCIDENT, reason)
        assert caught.value.fields == ["exceptional_reason"]
    period = check_review_period(date(2025, 3, 14), INCIDENT, "significant earlier history")
    assert period.exceptional and period.exceptional_reason == "significant earlier history"


def test_twenty_four_months_is_the_limit_even_with_a_reason():
    assert check_review_period(date(2024, 3, 15), INCIDENT, "long history").exceptional
    with pytest.raises(ScheduleInputError) as caught:
        check_review_period(date(2024, 3, 14), INCIDENT, "long history")
    assert caught.value.fields == ["review_period_start"]


def test_review_period_from_a_leap_day_incident():
    # 29 Feb 2028 - 12 months = 28 Feb 2027 (no 29 February in 2027)
    assert not check_review_period(date(2027, 2, 28), date(2028, 2, 29)).exceptional
    with pytest.raises(ScheduleInputError) as caught:
        check_review_period(date(2027, 2, 27), date(2028, 2, 29))
    assert caught.value.fields == ["exceptional_reason"]


def test_review_period_cannot_start_after_the_incident():
    with pytest.raises(ScheduleInputError) as caught:
        check_review_period(date(2026, 3, 16), INCIDENT)
    assert caught.value.fields == ["review_period_start"]
