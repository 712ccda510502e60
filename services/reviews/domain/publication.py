"""Publishing the final report, or not (003 "Publication of reports"; 002 §2.9).

- The board plans a publication date; the copies of the report and of the actions taken go to
  Ofsted, the DfE and the National Panel at least 7 working days before it (the scheduler keeps
  that deadline, ``pre_publication_copies``). A date with fewer than 7 working days left is refused,
  with the earliest date allowed.
- The copies go now, by the product (emailed to the three bodies), or were sent before the board
  used the product (a past date, recorded as such).
- Publishing needs a signed-off report (the latest version) and copies sent at least 7 working days
  before; the report then stays on the board's website for at least 12 months (the scheduler's
  ``publication_retention``).
- After the 12 months the board decides whether to keep the report on its website or withdraw
  it (the scheduler's ``publication_retention`` reminder asks; the answer meets that deadline).
  It cannot be withdrawn before the 12 months are up; withdrawing needs a reason.
- Not publishing: the reason recorded, the DfE and the Panel told; the Panel's advice and the
  board's final decision recorded (when the final decision differs from the first, Ofsted, the
  DfE and the Panel are told it).

Pure Python: functions on the report (:class:`~.report.Report`), which raise its events.
"""

from __future__ import annotations

import calendar as months
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from shared.errors import Conflict, InvalidInput
from shared.events.report import (
    PublicationCopiesSent,
    PublicationDecided,
    PublicationPlanned,
    PublicationRetentionDecided,
    ReportPublished,
)
from shared.working_days import WorkingDays

if TYPE_CHECKING:
    from services.reviews.domain.report import Report

# 003 "Publication of reports": copies at least seven working days before publication.
COPIES_BEFORE = 7
SOURCE = "003, publication of reports"
# 003 "Publication of reports": the report stays readily accessible for at least 12 months.
RETENTION_MONTHS = 12
KEEP, WITHDRAW = "keep", "withdraw"
RETENTION_DECISIONS = (KEEP, WITHDRAW)


def say(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def working_days_between(calendar: WorkingDays, start: date, end: date) -> int:
    """How many working days fall after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day = calendar.add(day, 1)
        if day <= end:
            count += 1
    return count


def copies_due(calendar: WorkingDays, planned_on: date) -> date:
    """The working day 7 working days before the planned date (the scheduler keeps this deadline)."""
    day, n = planned_on, COPIES_BEFORE
    while n:
        day = date.fromordinal(day.toordinal() - 1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def retention_ends(published_on: date) -> date:
    """The day the 12 months on the website are up (29 February to 28 February)."""
    year = published_on.year + RETENTION_MONTHS // 12
    day = min(published_on.day, months.monthrange(year, published_on.month)[1])
    return date(year, published_on.month, day)


def earliest_publication(calendar: WorkingDays, today: date) -> date:
    return calendar.add(today, COPIES_BEFORE)


@dataclass
class Publication:
    planned_on: date | None = None
    copies_sent_on: date | None = None
    copies_by_product: bool | None = None  # False: sent outside the product before it was used
    copies_version: int | None = None
    publish: bool | None = None  # the board's decision; None while none was taken
    reason: str | None = None
    decided_on: date | None = None
    panel_advice: str | None = None
    panel_advice_on: date | None = None
    final_publish: bool | None = None
    final_reason: str | None = None
    final_decided_on: date | None = None
    published_on: date | None = None
    url: str | None = None
    retention: str | None = None  # after the 12 months: "keep" or "withdraw"
    retention_decided_on: date | None = None
    retention_reason: str | None = None

    @property
    def retention_ends_on(self) -> date | None:
        return retention_ends(self.published_on) if self.published_on else None

    @property
    def withdrawn(self) -> bool:
        return self.retention == WITHDRAW

    def as_dict(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Publication:
        given = dict(data)
        for name in (
            "planned_on",
            "copies_sent_on",
            "decided_on",
            "panel_advice_on",
            "final_decided_on",
            "published_on",
            "retention_decided_on",
        ):
            if given.get(name):
                given[name] = date.fromisoformat(given[name])
        return cls(**given)

    @property
    def not_publishing(self) -> bool:
        final = self.final_publish if self.final_publish is not None else self.publish
        return final is False


def _not_published_yet(report: Report, field_name: str) -> None:
    if report.publication.published_on is not None:
        raise Conflict("The report is published already", field_name)


def plan(report: Report, planned_on: date, today: date, calendar: WorkingDays) -> date:
    """Plan the publication date; answers when the copies are due."""
    _not_published_yet(report, "planned_publication_on")
    earliest = earliest_publication(calendar, today)
    if planned_on < earliest:
        raise InvalidInput(
            [
                {
                    "field": "planned_publication_on",
                    "message": f"The copies go to Ofsted, the DfE and the National Panel at least "
                    f"{COPIES_BEFORE} working days before publication ({SOURCE}): the earliest date "
                    f"is {say(earliest)}",
                }
            ]
        )
    if report.publication.not_publishing:
        raise Conflict("The board decided not to publish this report", "planned_publication_on")
    report.publication.planned_on = planned_on
    report.events.append(
        PublicationPlanned(
            case_id=report.case_id,
            board_id=report.board_id,
            reference=report.reference,
            planned_publication_on=planned_on,
        )
    )
    return planned_on


def send_copies(report: Report, today: date, sent_on: date | None) -> date:
    """The copies go now (``sent_on`` None) or went on a past date outside the product."""
    problems = []
    signed = report.signed_off
    if signed is None:
        problems.append({"field": "version", "message": "Sign off the latest version of the report first"})
    if sent_on is not None and sent_on > today:
        problems.append(
            {"field": "sent_on", "message": "Give the date the copies were sent: not a future date"}
        )
    if problems:
        raise InvalidInput(problems)
    assert signed is not None
    if report.publication.copies_sent_on is not None and report.publication.copies_version == signed.version:
        raise Conflict("The copies of this version were sent already", "sent_on")
    _not_published_yet(report, "sent_on")
    on = sent_on or today
    by_product = sent_on is None
    pub = report.publication
    pub.copies_sent_on, pub.copies_by_product, pub.copies_version = on, by_product, signed.version
    latest = report.get_version(signed.version)
    report.events.append(
        PublicationCopiesSent(
            case_id=report.case_id,
            board_id=report.board_id,
            reference=report.reference,
            version=signed.version,
            sent_on=on,
            by_product=by_product,
            planned_publication_on=pub.planned_on,
            sections=dict(latest.sections) if by_product else {},
        )
    )
    return on


def decide(report: Report, publish: bool, reason: str, today: date) -> None:
    """The board's first decision whether to publish; a reason is needed for not publishing."""
    _not_published_yet(report, "publish")
    if not publish and not reason.strip():
        raise InvalidInput([{"field": "reason", "message": "Say why the report should not be published"}])
    pub = report.publication
    if pub.publish is not None:
        raise Conflict(
            "The board decided already: record the final decision after the Panel's advice", "publish"
        )
    pub.publish, pub.reason, pub.decided_on = publish, reason.strip() or None, today
    if not publish:
        report.events.append(
            PublicationDecided(
                case_id=report.case_id,
                board_id=report.board_id,
                reference=report.reference,
                publish=False,
                reason=reason.strip(),
                decided_on=today,
                final=False,
            )
        )


def panel_advice(
    report: Report, advice: str, received_on: date, final_publish: bool | None, final_reason: str, today: date
) -> None:
    """The Panel's advice on not publishing and, when given, the board's final decision."""
    pub = report.publication
    problems = []
    if pub.publish is not False:
        problems.append(
            {"field": "advice", "message": "The Panel advises when the board decided not to publish"}
        )
    if received_on > today:
        problems.append(
            {"field": "received_on", "message": "Give the date the advice came: not a future date"}
        )
    if pub.decided_on is not None and received_on < pub.decided_on:
        problems.append({"field": "received_on", "message": "The advice cannot come before the decision"})
    if final_publish is False and not final_reason.strip():
        problems.append({"field": "final_reason", "message": "Say why the report will not be published"})
    if problems:
        raise InvalidInput(problems)
    pub.panel_advice, pub.panel_advice_on = advice.strip(), received_on
    if final_publish is None:
        return
    pub.final_publish, pub.final_reason, pub.final_decided_on = (
        final_publish,
        final_reason.strip() or None,
        today,
    )
    # 003: a decision changed after the Panel's challenge is reported to Ofsted, the DfE and the Panel;
    # one kept is reported too, so the Panel knows the matter is closed.
    report.events.append(
        PublicationDecided(
            case_id=report.case_id,
            board_id=report.board_id,
            reference=report.reference,
            publish=final_publish,
            reason=final_reason.strip() or advice.strip(),
            decided_on=today,
            final=True,
        )
    )


def publish(report: Report, published_on: date, url: str, today: date, calendar: WorkingDays) -> None:
    _not_published_yet(report, "published_on")
    pub = report.publication
    problems = []
    if report.signed_off is None:
        problems.append(
            {"field": "published_on", "message": "Sign off the latest version of the report first"}
        )
    if pub.copies_sent_on is None:
        problems.append(
            {
                "field": "published_on",
                "message": "Send the copies to Ofsted, the DfE and the National Panel first",
            }
        )
    elif working_days_between(calendar, pub.copies_sent_on, published_on) < COPIES_BEFORE:
        earliest = calendar.add(pub.copies_sent_on, COPIES_BEFORE)
        problems.append(
            {
                "field": "published_on",
                "message": f"The copies went on {say(pub.copies_sent_on)}: publish {COPIES_BEFORE} working "
                f"days after them at the earliest, on {say(earliest)} ({SOURCE})",
            }
        )
    if published_on > today:
        problems.append({"field": "published_on", "message": "Record the publication once it happened"})
    if pub.not_publishing:
        problems.append({"field": "published_on", "message": "The board decided not to publish this report"})
    if problems:
        raise InvalidInput(problems)
    pub.published_on, pub.url = published_on, url
    report.events.append(
        ReportPublished(
            case_id=report.case_id,
            board_id=report.board_id,
            reference=report.reference,
            version=report.signed_off.version if report.signed_off else 0,
            published_on=published_on,
            url=url,
        )
    )


def decide_retention(report: Report, decision: str, decided_on: date, reason: str, today: date) -> None:
    """Keep the published report on the website, or withdraw it once its 12 months are up."""
    pub = report.publication
    if pub.published_on is None:
        raise Conflict("Record the report published first", "decision")
    if pub.withdrawn:
        raise Conflict("The report was withdrawn from the website already", "decision")
    problems = []
    if decision not in RETENTION_DECISIONS:
        problems.append({"field": "decision", "message": "Say whether to keep the report or withdraw it"})
    if decided_on > today:
        problems.append(
            {"field": "decided_on", "message": "Give the date of the decision: not a future date"}
        )
    elif decided_on < pub.published_on:
        problems.append(
            {
                "field": "decided_on",
                "message": f"The report was published on {say(pub.published_on)}: "
                "the decision cannot come before it",
            }
        )
    ends = retention_ends(pub.published_on)
    if decision == WITHDRAW and decided_on < ends:
        problems.append(
            {
                "field": "decided_on",
                "message": f"The report stays on the website for at least {RETENTION_MONTHS} months after "
                f"publication ({SOURCE}): withdraw it on {say(ends)} at the earliest",
            }
        )
    if decision == WITHDRAW and not reason.strip():
        problems.append({"field": "reason", "message": "Say why the report is withdrawn from the website"})
    if problems:
        raise InvalidInput(problems)
    pub.retention, pub.retention_decided_on, pub.retention_reason = (
        decision,
        decided_on,
        reason.strip() or None,
    )
    report.events.append(
        PublicationRetentionDecided(
            case_id=report.case_id,
            board_id=report.board_id,
            reference=report.reference,
            decision=decision,
            decided_on=decided_on,
            published_on=pub.published_on,
            reason=reason.strip(),
        )
    )
