"""Handlers of the scheduler: deadlines from events, reminders from a periodic tick."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from functools import lru_cache

from mongoengine.errors import SaveConditionError

from services.scheduler.adapters.store import DeadlineRecord, Schedule, now
from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.rules import compute_deadlines, deadline_status
from shared.auth.models import Board
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.bus.outbox import wake_relays
from shared.errors import InvalidInput, NotFound
from shared.events import Event, new_envelope
from shared.framework import today_in_england
from shared.logging import current, get_logger

log = get_logger(__name__)

PRODUCER = "scheduler"
NATIONAL_BODIES = frozenset({"ofsted", "dfe", "national_panel"})


today = today_in_england


@lru_cache(maxsize=256)
def _calendar(nation: str, closures: tuple[date, ...]) -> WorkingCalendar:
    return WorkingCalendar(nation, frozenset(closures))


def calendar_for(board_id: str) -> WorkingCalendar:
    board = Board.objects(board_id=board_id).only("nation", "closures").first()
    if board is None:
        return _calendar("england_wales", ())
    return _calendar(board.nation or "england_wales", tuple(sorted(board.closures or ())))


def _milestones(schedule: Schedule) -> dict[str, date]:
    return {k: date.fromisoformat(v) for k, v in schedule.milestones.items() if v}


def recompute(schedule: Schedule) -> None:
    """Recalculate every deadline, keeping what was met, waived or announced per deadline."""
    computed = compute_deadlines(
        schedule.rule_pack,
        _milestones(schedule),
        schedule.review_kind,
        calendar_for(schedule.board_id),
    )
    before = {(d.code, d.occurrence): d for d in schedule.deadlines}
    records = []
    for dl in computed:
        occurrence = getattr(dl, "occurrence", 1) or 1
        old = before.get((dl.code, occurrence))
        record = DeadlineRecord(
            deadline_id=old.deadline_id if old else str(uuid.uuid4()),
            code=dl.code,
            occurrence=occurrence,
            due=dl.due,
            rule=dl.rule,
            source=dl.source,
            concerns=dl.concerns,
        )
        if old is not None:
            for name in ("met_on", "met_by", "waived_reason", "waived_by", "waived_at"):
                setattr(record, name, getattr(old, name))
            if old.due == dl.due:  # a moved deadline is announced afresh
                record.due_soon_announced_at = old.due_soon_announced_at
                record.overdue_announced_at = old.overdue_announced_at
        records.append(record)
    schedule.deadlines = records


def _save(schedule: Schedule, event: Event | None) -> None:
    expected = schedule.version
    schedule.version = expected + 1
    schedule.updated_at = now()
    if event is not None:
        schedule.applied_events.append(event.event_id)
    try:
        if expected == 0 and schedule._created:
            schedule.save(force_insert=True)
        else:
            schedule.save(save_condition={"version": expected})
    except SaveConditionError as exc:
        # Another scheduler process changed it first: the bus retries this event.
        raise RuntimeError(f"schedule {schedule.case_id} changed concurrently") from exc


def _schedule(case_id: str) -> Schedule:
    schedule = Schedule.objects(case_id=case_id).first()
    if schedule is None:
        raise PermanentError(f"no schedule for case {case_id}: its referral was never seen")
    return schedule


def _mark_met(schedule: Schedule, code: str, on: date, by: str) -> None:
    for d in schedule.deadlines:
        if d.code == code and d.met_on is None:
            d.met_on, d.met_by = on, by


# -- events ---------------------------------------------------------------------------------


def on_referral_submitted(event: Event) -> None:
    data = event.data
    if Schedule.objects(case_id=data["case_id"]).first() is not None:
        return  # already scheduled (a repeat of the event)
    schedule = Schedule(
        case_id=data["case_id"],
        board_id=data["board_id"],
        reference=data["reference"],
        rule_pack=data["rule_pack"],
        milestones={
            "incident_on": data["incident_on"].isoformat(),
            "became_aware_on": data["became_aware_on"].isoformat(),
            "board_notified_on": data["board_notified_on"].isoformat(),
        },
    )
    recompute(schedule)
    _save(schedule, event)


def on_decision(event: Event) -> None:
    """decision.recorded or decision.changed: the decision's dates and the kind of review."""
    data = event.data
    schedule = _schedule(data["case_id"])
    if event.event_id in schedule.applied_events:
        return
    schedule.milestones["decided_on"] = data["decided_on"].isoformat()
    if data.get("initiated_on"):
        schedule.milestones["initiated_on"] = data["initiated_on"].isoformat()
    else:
        schedule.milestones.pop("initiated_on", None)
    schedule.review_kind = data["outcome"]
    recompute(schedule)
    # The Chair deciding discharges the duty to decide.
    _mark_met(schedule, "scr_decision", data["decided_on"], event.event_type)
    _save(schedule, event)


def on_notification_sent(event: Event) -> None:
    """Notifications to the national bodies discharge the duties to notify them."""
    data = event.data
    schedule = Schedule.objects(case_id=data["case_id"]).first()
    if schedule is None or event.event_id in schedule.applied_events:
        return
    template, role = data["template"], data["recipient_role"]
    told = set(schedule.notified.get(template, [])) | {role}
    schedule.notified[template] = sorted(told)
    if template in ("decision_notification", "decision_changed_notification") and NATIONAL_BODIES <= told:
        _mark_met(schedule, "decision_notification", data["sent_on"], event.event_type)
    if template == "decision_notification" and "national_panel" in told:
        _mark_met(schedule, "national_panel_decision_notification", data["sent_on"], event.event_type)
    if template == "ofsted_incident_notification" and "ofsted" in told:
        _mark_met(schedule, "incident_notification", data["sent_on"], event.event_type)
    _save(schedule, event)


# -- reminders ---------------------------------------------------------------------------------


def _announce(schedule: Schedule, record: DeadlineRecord, kind: str) -> bool:
    """Claim and queue one reminder in one atomic write; False if already announced."""
    flag = "due_soon_announced_at" if kind == "deadline.due_soon" else "overdue_announced_at"
    envelope = new_envelope(
        kind,
        {
            "case_id": schedule.case_id,
            "board_id": schedule.board_id,
            "deadline_id": record.deadline_id,
            "code": record.code,
            "due": record.due,
            "concerns": record.concerns,
        },
        producer=PRODUCER,
        correlation_id=current("correlation_id"),
    )
    entry = {
        "event_id": envelope["event_id"],
        "event_type": kind,
        "envelope": envelope,
        "pending": True,
        "created_at": now(),
    }
    result = Schedule._get_collection().update_one(
        {
            "_id": schedule.case_id,
            "deadlines": {"$elemMatch": {"deadline_id": record.deadline_id, flag: None}},
        },
        {"$set": {f"deadlines.$.{flag}": now()}, "$push": {"outbox": entry}},
    )
    return result.modified_count == 1


def tick(on: date | None = None, due_soon_days: int = 3) -> int:
    """Announce deadlines that became due soon or overdue; once each, however many run this."""
    on = on or today()
    horizon = datetime.combine(on + timedelta(days=14 + due_soon_days * 2), datetime.min.time())
    announced = 0
    candidates = Schedule.objects(
        __raw__={"deadlines": {"$elemMatch": {"due": {"$lte": horizon}, "met_on": None, "waived_at": None}}}
    )
    for schedule in candidates:
        calendar = calendar_for(schedule.board_id)
        for record in schedule.deadlines:
            state = deadline_status(
                record.due, on, record.met_on, record.waived_at is not None, due_soon_days, calendar
            )
            if state == "due_soon" and record.due_soon_announced_at is None:
                announced += _announce(schedule, record, "deadline.due_soon")
            elif state == "overdue" and record.overdue_announced_at is None:
                announced += _announce(schedule, record, "deadline.overdue")
    if announced:
        wake_relays()
    return announced


# -- queries and commands from the API -----------------------------------------------------------


def schedule_for(principal: Principal, case_id: str) -> Schedule:
    schedule = Schedule.objects(case_id=case_id, board_id=principal.board_id).first()
    if schedule is None:
        raise NotFound("There is no schedule for this case", field="case_id")
    return schedule


def deadline_items(schedule: Schedule, on: date, due_soon_days: int) -> list[dict]:
    calendar = calendar_for(schedule.board_id)
    items = []
    for d in schedule.deadlines:
        items.append(
            {
                "id": d.deadline_id,
                "code": d.code,
                "occurrence": d.occurrence,
                "due": d.due.isoformat(),
                "status": deadline_status(
                    d.due, on, d.met_on, d.waived_at is not None, due_soon_days, calendar
                ),
                "rule": d.rule,
                "source": d.source,
                "concerns": d.concerns,
                "met_on": d.met_on.isoformat() if d.met_on else None,
                "waived_reason": d.waived_reason,
            }
        )
    return items


def waive(principal: Principal, deadline_id: str, reason: str) -> Schedule:
    if not reason or not reason.strip():
        raise InvalidInput([{"field": "reason", "message": "Say why the deadline is waived"}])
    schedule = Schedule.objects(board_id=principal.board_id, deadlines__deadline_id=deadline_id).first()
    if schedule is None:
        raise NotFound("There is no such deadline", field="deadline_id")
    for d in schedule.deadlines:
        if d.deadline_id == deadline_id:
            d.waived_reason, d.waived_by, d.waived_at = reason.strip(), principal.user_id, now()
    _save(schedule, None)
    return schedule
