"""How long each type of record is kept, as a board sets it, and the daily run that applies it.

UK GDPR Article 5(1)(e) (storage limitation) says personal data may be kept in a form that
identifies people no longer than its purposes need. The ICO's guide to that principle asks
a controller to set standard retention periods in a policy, to review what it holds, and to
erase or anonymise what it no longer needs
(https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/data-protection-principles/a-guide-to-the-data-protection-principles/storage-limitation).
There is no statutory retention period for case review records (Devon County Council's
answer to a request about its serious case reviews says so); the board is the controller
and sets its own, per type of record, on the "Retention" page of its settings
(``GET/PUT /api/v1/board/retention``). The defaults below, each with its reason:

- a referral that led to no review: 6 years after the decision, then pseudonymised (the
  child's and referrer's details removed; the reference, dates and outcome kept for the
  board's figures). Six years is the Limitation Act 1980's period for most claims, which
  councils' children's services schedules use for records of advice and enquiries that led
  to nothing further (Devon County Council's retention schedule, for instance);
- review records, documents, and notifications with their letters: kept until the board
  sets a period (0), for the same reason: nothing sets one in law, and the statutory review
  they belong to may be reopened, challenged or asked for by an inquiry (the IICSA's
  2015 instruction not to destroy child protection records applied until 2023);
- a published report: at least 12 months after publication (003 "Publication of reports":
  kept on the board's website for at least 12 months, on request after that), so the
  board cannot set less; by default kept (0);
- the audit log: 6 years, then deleted (the same limitation period: the trail is evidence
  of who saw and changed what, should a claim be made).

Each service owns its records and applies the schedule to them itself: the referral
service keeps the board's settings and announces the schedule (``board.retention_set``),
every service keeps a copy (:class:`RetentionSetting`), and once a day each one's
:class:`RetentionJob` runs its :class:`Rule` s, writes an audit entry per record type
with what it did, and raises ``retention.applied``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from mongoengine import DateField, DateTimeField, DictField, NotUniqueError, StringField

from shared import audit, words
from shared.auth.models import Board
from shared.bus import OutboxDocument
from shared.events import Event
from shared.events.retention import BoardRetentionSet, RetentionApplied
from shared.logging import get_logger
from shared.periodic import Periodic

log = get_logger(__name__)

# What a pseudonymised field holds instead of what it held.
REMOVED = "Removed under the retention schedule"
KEEP = 0  # months: kept until the board sets a period
MAX_MONTHS = 1200  # a hundred years: anything longer is a typing mistake
CHECK_SECONDS = 3600.0  # how often a job looks whether today's run is done


@dataclass(frozen=True)
class RecordType:
    code: str
    title: str
    default_months: int
    minimum_months: int
    what_happens: str
    basis: str


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        "referrals_not_reviewed",
        "Referrals that led to no review",
        72,
        1,
        "The child's and referrer's details are removed; the reference, dates and outcome stay.",
        "6 years after the decision: the Limitation Act 1980's period, as councils' schedules use it",
    ),
    RecordType(
        "review_records",
        "Review records",
        KEEP,
        12,
        "The review's record (panel, family, contributions, meetings) is deleted.",
        "No period is set in law; kept until the board sets one",
    ),
    RecordType(
        "published_reports",
        "Published reports",
        KEEP,
        12,
        "The publication copies of the report are deleted.",
        "At least 12 months after publication (003, publication of reports)",
    ),
    RecordType(
        "documents",
        "Documents",
        KEEP,
        12,
        "Documents made for a case (letters, chronologies, reports not published) are deleted.",
        "No period is set in law; kept until the board sets one",
    ),
    RecordType(
        "notifications",
        "Notifications and their letters",
        KEEP,
        12,
        "The message's content, address and attached letters are removed; that it was sent stays.",
        "No period is set in law; kept until the board sets one",
    ),
    RecordType(
        "audit_log",
        "Audit log",
        72,
        12,
        "Entries older than the period are deleted.",
        "6 years: the Limitation Act 1980's period, the trail being evidence should a claim be made",
    ),
)
BY_CODE = {t.code: t for t in RECORD_TYPES}
words.register({t.code: t.title for t in RECORD_TYPES})


def defaults() -> dict[str, int]:
    return {t.code: t.default_months for t in RECORD_TYPES}


def check(body: object) -> tuple[dict[str, int], list[dict[str, str]]]:
    """A schedule from a request body (``{"months": {code: n}}``); the errors name every wrong field."""
    errors: list[dict[str, str]] = []
    if not isinstance(body, Mapping) or not isinstance(body.get("months"), Mapping):
        return {}, [{"field": "months", "message": "Give the months for each type of record"}]
    given = body["months"]
    months = defaults()
    for code in given:
        if code not in BY_CODE:
            errors.append({"field": f"months.{code}", "message": "Not a type of record the product keeps"})
    for kind in RECORD_TYPES:
        if kind.code not in given:
            continue
        value = given[kind.code]
        where = f"months.{kind.code}"
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append({"field": where, "message": f"{kind.title}: enter a whole number of months"})
        elif value == KEEP:
            months[kind.code] = KEEP
        elif value < kind.minimum_months or value > MAX_MONTHS:
            errors.append(
                {
                    "field": where,
                    "message": f"{kind.title}: enter 0 to keep them, or between "
                    f"{kind.minimum_months} and {MAX_MONTHS} months",
                }
            )
        else:
            months[kind.code] = value
    return months, errors


# -- each service's copy of each board's schedule -------------------------------------------


class RetentionSetting(OutboxDocument):
    """One service's copy of a board's schedule (keyed by service: the embedded store may be shared).

    The referral service's copy is the board's own: setting it raises ``board.retention_set``.
    """

    meta = {"collection": "retention_schedules"}

    key = StringField(primary_key=True)  # "<service>:<board_id>"
    service = StringField(required=True)
    board_id = StringField(required=True)
    months = DictField()
    set_by = StringField()
    set_at = DateTimeField()


def schedule_for(service: str, board_id: str) -> dict[str, int]:
    """The months this service keeps each type of a board's records (the defaults until set)."""
    kept = RetentionSetting.objects(key=f"{service}:{board_id}").first()
    return {**defaults(), **({k: int(v) for k, v in kept.months.items()} if kept else {})}


def changed_setting(service: str, board_id: str, months: Mapping[str, int], set_by: str) -> RetentionSetting:
    """This service's copy of a board's schedule, changed to ``months`` and not yet saved."""
    key = f"{service}:{board_id}"
    setting = RetentionSetting.objects(key=key).first() or RetentionSetting(
        key=key, service=service, board_id=board_id
    )
    setting.months = {k: int(v) for k, v in months.items() if k in BY_CODE}
    setting.set_by, setting.set_at = set_by, datetime.now(UTC)
    return setting


def keep_schedule(service: str, board_id: str, months: Mapping[str, int], set_by: str) -> None:
    changed_setting(service, board_id, months, set_by).save()


def naive(at: datetime) -> datetime:
    """An instant as the store keeps it (UTC, no time zone), for a query on the raw collection."""
    return at.astimezone(UTC).replace(tzinfo=None)


def keep_announced(service: str) -> Callable[[Event[BoardRetentionSet]], None]:
    """A listener for ``board.retention_set`` that keeps the schedule as this service's copy."""

    def on_retention_set(event: Event[BoardRetentionSet]) -> None:
        keep_schedule(service, event.data.board_id, event.data.months, event.data.set_by)

    on_retention_set.__name__ = f"keep_retention_schedule_{service}"
    return on_retention_set


# -- the daily run ------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    pseudonymised: int = 0
    deleted: int = 0


@dataclass(frozen=True)
class Rule:
    """What one service does to one type of a board's records older than the cutoff."""

    record_type: str
    apply: Callable[[str, datetime], Applied]  # (board_id, cutoff) -> counts


class RetentionRun(OutboxDocument):
    """One service's run for one board on one day: claimed first, so it happens once a day."""

    meta = {"collection": "retention_runs", "indexes": ["board_id"]}

    key = StringField(primary_key=True)  # "<service>:<board_id>:<day>"
    service = StringField(required=True)
    board_id = StringField(required=True)
    ran_on = DateField(required=True)
    started_at = DateTimeField(required=True)
    finished_at = DateTimeField()
    pseudonymised = DictField()
    deleted = DictField()


OUTBOX_DOCUMENTS = (RetentionSetting, RetentionRun)  # for each service's relay


def months_before(day: date, months: int) -> date:
    """``day`` less whole calendar months (a month before 31 March is the last day of February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def cutoff(today: date, months: int) -> datetime:
    """The instant before which a record is past ``months`` (calendar months, as DOMAIN.md counts)."""
    return datetime.combine(months_before(today, months), time.min, tzinfo=UTC)


class RetentionJob:
    def __init__(self, service: str, rules: Iterable[Rule], today: Callable[[], date] | None = None):
        self.service = service
        self.rules = list(rules)
        self.today = today or (lambda: datetime.now(UTC).date())

    def periodic(self) -> Periodic:
        """The job in the service's worker: it looks every hour, the first time an hour after start."""
        started = False

        def tick() -> None:
            nonlocal started
            if started:
                self.run()
            started = True

        return Periodic(f"retention-{self.service}", CHECK_SECONDS, tick)

    def run(self) -> list[RetentionRun]:
        """Apply every board's schedule to this service's records, unless done already today."""
        done = []
        for board_id in Board.objects.scalar("board_id"):
            run = self.run_for(board_id)
            if run is not None:
                done.append(run)
        return done

    def run_for(self, board_id: str) -> RetentionRun | None:
        today = self.today()
        run = RetentionRun(
            key=f"{self.service}:{board_id}:{today.isoformat()}",
            service=self.service,
            board_id=board_id,
            ran_on=today,
            started_at=datetime.now(UTC),
        )
        try:
            run.save(force_insert=True)
        except NotUniqueError:
            return None  # this service has run for the board today (here or in another process)
        months = schedule_for(self.service, board_id)
        for rule in self.rules:
            period = months.get(rule.record_type, KEEP)
            if period == KEEP:
                continue
            before = cutoff(today, period)
            applied = rule.apply(board_id, before)
            run.pseudonymised[rule.record_type] = applied.pseudonymised
            run.deleted[rule.record_type] = applied.deleted
            audit.record(
                "retention.applied",
                board_id=board_id,
                actor_id=f"service:{self.service}",
                actor_name="Retention schedule",
                resource=("retention", rule.record_type),
                detail=f"{self.service}: {rule.record_type} older than {before.date().isoformat()}: "
                f"{applied.pseudonymised} pseudonymised, {applied.deleted} deleted",
            )
        run.finished_at = datetime.now(UTC)
        run.raise_event(
            RetentionApplied(
                board_id=board_id,
                service=self.service,
                ran_on=today,
                pseudonymised=dict(run.pseudonymised),
                deleted=dict(run.deleted),
            ),
            producer=self.service,
        )
        run.save()
        log.info("retention.applied", service=self.service, board_id=board_id)
        return run


def audit_log_rule() -> Rule:
    """The audit log's entries past the period are deleted (the one deletion the log allows).

    Entries cannot be changed or removed through the product (:mod:`shared.audit`); the
    schedule is the exception, made on the collection itself.
    """

    def apply(board_id: str, before: datetime) -> Applied:
        result = audit.AuditEntry._get_collection().delete_many({"board_id": board_id, "at": {"$lt": before}})
        return Applied(deleted=result.deleted_count)

    return Rule("audit_log", apply)
