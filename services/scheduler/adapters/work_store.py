"""The work queue's projection: what the scheduler has heard of each case and notification,
kept only to say on home pages what needs doing (:mod:`services.scheduler.domain.work`).

Filled from events alone (``service_layer/work.py``): writing the same event twice leaves the
same record, so a repeated delivery changes nothing. No personal data: references, agency
codes, dates, and the reviewers' email addresses to match a signed-in reviewer. Reviews'
drafts open for the panel's comments: :mod:`.work_review_drafts`.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from mongoengine import DateField, DateTimeField, Document, ListField, StringField

from services.scheduler.adapters.work_documents import WorkDraft, WorkMeeting
from services.scheduler.adapters.work_review_drafts import MongoReviewDrafts, ReviewDrafts
from services.scheduler.domain import work
from services.scheduler.domain.work import Found, WorkItem

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    return datetime.now(UTC)


class WorkCase(Document):
    meta = {
        "collection": "work_cases",
        "indexes": [
            ("board_id", "stage", "-referred_on"),
            ("board_id", "referring_agency", "stage", "-referred_on"),
            ("board_id", "reviewer_emails"),
        ],
    }

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    reference = StringField()
    referring_agency = StringField()
    referred_on = DateField()
    stage = StringField(required=True, choices=work.STAGES)
    outcome = StringField()
    decided_on = DateField()
    reviewer_emails = ListField(StringField())
    updated_at = DateTimeField(default=now)


class WorkNotification(Document):
    meta = {
        "collection": "work_notifications",
        "indexes": [("board_id", "state", "-at")],
    }

    notification_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    template = StringField()
    recipient_role = StringField()
    state = StringField(required=True)
    reason = StringField()
    at = DateTimeField(default=now)


class WorkContribution(Document):
    """An agency's contribution to a review (a chronology, a report, answers), and where it stands."""

    meta = {"collection": "work_contributions", "indexes": [("board_id", "state", "agency", "due_on")]}

    contribution_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    agency = StringField(required=True)
    kind = StringField()
    state = StringField(required=True)
    due_on = DateField()


class WorkShare(Document):
    """A report shared with a family member, while the share lasts."""

    meta = {"collection": "work_shares", "indexes": [("board_id", "user_id", "-shared_at")]}

    share_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    user_id = StringField(required=True)
    case_id = StringField(required=True)
    kind = StringField()
    shared_at = DateTimeField(default=now)


@dataclass(frozen=True)
class Meeting:
    """A meeting as an event of the reviews service describes it."""

    meeting_id: str
    board_id: str
    case_id: str
    reference: str | None
    kind: str
    title: str
    starts_at: datetime
    attendee_emails: list[str]
    sequence: int
    cancelled: bool = False


class WorkQueue(ReviewDrafts, abc.ABC):
    """What the work handlers write and the home page reads (reviews' drafts: :class:`ReviewDrafts`)."""

    @abc.abstractmethod
    def case_moved(self, case_id: str, board_id: str, stage: str, **fields: Any) -> None:
        """The case reached ``stage`` (or a later one already); ``fields`` are what the event told."""

    @abc.abstractmethod
    def notification(
        self, notification_id: str, board_id: str, case_id: str, state: str, **fields: Any
    ) -> None:
        """The notification's delivery is now ``state``."""

    @abc.abstractmethod
    def cases(
        self,
        board_id: str,
        stage: str,
        *,
        agency: str | None = None,
        reviewer_email: str | None = None,
        in_review: bool = False,
    ) -> Found:
        """The board's cases at ``stage``, newest referral first; only ``agency``'s referrals,
        only those ``reviewer_email`` reviews, only those in review, when asked."""

    @abc.abstractmethod
    def notifications(self, board_id: str, states: tuple[str, ...]) -> Found:
        """The board's notifications in one of ``states``, the latest first."""

    @abc.abstractmethod
    def contribution(
        self, contribution_id: str, board_id: str, case_id: str, agency: str, **fields: Any
    ) -> None:
        """What an event said of a contribution: its ``state``, ``kind``, ``due_on``."""

    @abc.abstractmethod
    def contributions(self, board_id: str, states: tuple[str, ...], agency: str | None = None) -> Found:
        """The board's contributions in one of ``states`` (only ``agency``'s, when asked), the
        soonest due first."""

    @abc.abstractmethod
    def share(self, share_id: str, board_id: str, user_id: str, case_id: str, kind: str | None) -> None:
        """A report was shared with ``user_id``."""

    @abc.abstractmethod
    def unshare(self, share_id: str) -> None:
        """The share ended (nothing happens when it is not known)."""

    @abc.abstractmethod
    def shares(self, board_id: str, user_id: str) -> Found:
        """The reports shared with ``user_id``, the latest first."""

    @abc.abstractmethod
    def draft(self, draft_id: str, board_id: str, user_id: str, **fields: Any) -> None:
        """A draft referral was saved (``title``, ``agency``, ``updated_at``); an older save
        arriving late changes nothing."""

    @abc.abstractmethod
    def draft_gone(self, draft_id: str) -> None:
        """The draft was sent or deleted (nothing happens when it is not known)."""

    @abc.abstractmethod
    def drafts(self, board_id: str, user_id: str, since: datetime) -> Found:
        """The author's drafts saved since ``since``, the one saved last first."""

    @abc.abstractmethod
    def meeting(self, meeting: Meeting) -> None:
        """What an invitation said of a meeting; one older than the invitation kept is ignored."""

    @abc.abstractmethod
    def meetings(self, board_id: str, email: str, after: datetime) -> Found:
        """The meetings ``email`` is invited to that start after ``after`` and are not
        cancelled, the soonest first."""


class MongoWorkQueue(MongoReviewDrafts, WorkQueue):
    def case_moved(self, case_id: str, board_id: str, stage: str, **fields: Any) -> None:
        record = WorkCase.objects(case_id=case_id).first()
        if record is None:
            record = WorkCase(case_id=case_id, board_id=board_id, stage=stage)
        record.stage = work.later(record.stage, stage)
        for name, value in fields.items():
            if value is not None:
                setattr(record, name, value)
        record.updated_at = now()
        record.save()

    def notification(
        self, notification_id: str, board_id: str, case_id: str, state: str, **fields: Any
    ) -> None:
        WorkNotification.objects(notification_id=notification_id).update_one(
            upsert=True,
            set__board_id=board_id,
            set__case_id=case_id,
            set__state=state,
            set__at=now(),
            **{f"set__{k}": v for k, v in fields.items()},
        )

    def cases(
        self,
        board_id: str,
        stage: str,
        *,
        agency: str | None = None,
        reviewer_email: str | None = None,
        in_review: bool = False,
    ) -> Found:
        qs = WorkCase.objects(board_id=board_id, stage=stage)
        if agency is not None:
            qs = qs.filter(referring_agency=agency)
        if reviewer_email is not None:
            qs = qs.filter(reviewer_emails=reviewer_email.lower())
        if in_review:
            qs = qs.filter(outcome__ne=work.NO_REVIEW)
        items = [
            WorkItem(c.case_id, c.reference, label=c.outcome, on=_day(c.decided_on or c.referred_on))
            for c in qs.order_by("-referred_on", "-reference").limit(work.SHOWN)
        ]
        return Found(items, qs.count())

    def notifications(self, board_id: str, states: tuple[str, ...]) -> Found:
        qs = WorkNotification.objects(board_id=board_id, state__in=list(states))
        found = list(qs.order_by("-at").limit(work.SHOWN))
        references = self._references(n.case_id for n in found)
        items = [
            WorkItem(
                n.case_id,
                references.get(n.case_id),
                label=n.template,
                on=_day(n.at),
                detail=n.state,
            )
            for n in found
        ]
        return Found(items, qs.count())

    def contribution(
        self, contribution_id: str, board_id: str, case_id: str, agency: str, **fields: Any
    ) -> None:
        WorkContribution.objects(contribution_id=contribution_id).update_one(
            upsert=True,
            set__board_id=board_id,
            set__case_id=case_id,
            set__agency=agency,
            **{f"set__{k}": v for k, v in fields.items() if v is not None},
        )

    def contributions(self, board_id: str, states: tuple[str, ...], agency: str | None = None) -> Found:
        qs = WorkContribution.objects(board_id=board_id, state__in=list(states))
        if agency is not None:
            qs = qs.filter(agency=agency)
        found = list(qs.order_by("due_on", "contribution_id").limit(work.SHOWN))
        references = self._references(c.case_id for c in found)
        items = [
            WorkItem(
                c.case_id,
                references.get(c.case_id),
                label=c.kind,
                on=_day(c.due_on),
                detail=c.agency,
                target=f"{c.case_id}/contributions/{c.contribution_id}",  # its page in the reviews service
            )
            for c in found
        ]
        return Found(items, qs.count())

    @staticmethod
    def _references(case_ids: Iterable[str]) -> dict[str, str]:
        """The references of these cases, as their referral told them."""
        return {
            c.case_id: c.reference
            for c in WorkCase.objects(case_id__in=list(set(case_ids))).only("case_id", "reference")
        }

    def share(self, share_id: str, board_id: str, user_id: str, case_id: str, kind: str | None) -> None:
        WorkShare.objects(share_id=share_id).update_one(
            upsert=True,
            set__board_id=board_id,
            set__user_id=user_id,
            set__case_id=case_id,
            set__kind=kind,
            set_on_insert__shared_at=now(),
        )

    def unshare(self, share_id: str) -> None:
        WorkShare.objects(share_id=share_id).delete()

    def shares(self, board_id: str, user_id: str) -> Found:
        qs = WorkShare.objects(board_id=board_id, user_id=user_id)
        items = [
            WorkItem(s.case_id, None, label=s.kind, on=_day(s.shared_at), target=s.share_id)
            for s in qs.order_by("-shared_at").limit(work.SHOWN)
        ]
        return Found(items, qs.count())

    def draft(self, draft_id: str, board_id: str, user_id: str, **fields: Any) -> None:
        updated_at = fields["updated_at"]
        known = WorkDraft.objects(draft_id=draft_id).only("updated_at").first()
        if known is not None and _aware(known.updated_at) > _aware(updated_at):
            return
        WorkDraft(draft_id=draft_id, board_id=board_id, user_id=user_id, **fields).save()

    def draft_gone(self, draft_id: str) -> None:
        WorkDraft.objects(draft_id=draft_id).delete()

    def drafts(self, board_id: str, user_id: str, since: datetime) -> Found:
        qs = WorkDraft.objects(board_id=board_id, user_id=user_id, updated_at__gte=since)
        items = [
            WorkItem(d.draft_id, None, label=d.title, on=_london_day(d.updated_at), target=d.draft_id)
            for d in qs.order_by("-updated_at", "-draft_id").limit(work.SHOWN)
        ]
        return Found(items, qs.count())

    def meeting(self, meeting: Meeting) -> None:
        known = WorkMeeting.objects(meeting_id=meeting.meeting_id).only("sequence", "cancelled").first()
        if known is not None and (known.cancelled or known.sequence > meeting.sequence):
            return  # a cancelled meeting stays cancelled; a late, older invitation changes nothing
        WorkMeeting(
            meeting_id=meeting.meeting_id,
            board_id=meeting.board_id,
            case_id=meeting.case_id,
            reference=meeting.reference,
            kind=meeting.kind,
            title=meeting.title,
            starts_at=meeting.starts_at,
            attendee_emails=sorted({e.lower() for e in meeting.attendee_emails}),
            sequence=meeting.sequence,
            cancelled=meeting.cancelled,
        ).save()

    def meetings(self, board_id: str, email: str, after: datetime) -> Found:
        qs = WorkMeeting.objects(
            board_id=board_id, attendee_emails=email.lower(), cancelled=False, starts_at__gte=after
        )
        items = [
            WorkItem(m.case_id, m.reference, label=m.kind, on=_london_day(m.starts_at), detail=m.title)
            for m in qs.order_by("starts_at", "meeting_id").limit(work.SHOWN)
        ]
        return Found(items, qs.count())


def _aware(stored: datetime) -> datetime:
    return stored if stored.tzinfo else stored.replace(tzinfo=UTC)


def _london_day(stored: datetime) -> date:
    """The day in England of an instant the store keeps (in UTC, without its zone)."""
    return _aware(stored).astimezone(LONDON).date()


def _day(stored: datetime | date | None) -> date | None:
    if isinstance(stored, datetime):
        return stored.date()
    return stored
