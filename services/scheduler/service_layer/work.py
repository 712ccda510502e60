"""The work queue: the events that fill it, and the query a home page asks of it.

The listeners keep the projection (:mod:`..adapters.work_store`) on a queue of their own,
``scheduler.work``, apart from the deadlines, so a busy home page never holds a deadline back.
:func:`home_work` answers "what needs this user's action": each section of
:mod:`..domain.work` the user's roles see, filled from the projection and, for the statutory
deadlines, from the scheduler's own schedules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from services.scheduler.adapters.work_store import Found, Meeting, WorkQueue
from services.scheduler.domain import work
from services.scheduler.domain.work import WorkItem, WorkList
from services.scheduler.service_layer.clock import Clock
from services.scheduler.service_layer.handlers import listeners
from services.scheduler.service_layer.messages import Message
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.events import Event
from shared.events.documents import DocumentShared, DocumentShareRevoked
from shared.events.notifications import NotificationFailed, NotificationSent, NotificationUncertain
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    ReferralDraftDiscarded,
    ReferralDraftSaved,
    ReferralSubmitted,
)
from shared.events.report import ReportSignedOff, ReportVersionSaved
from shared.events.reviews import (
    ContributionAccepted,
    ContributionRequested,
    ContributionReturned,
    ContributionSubmitted,
    MeetingCancelled,
    MeetingChanged,
    MeetingScheduled,
    ReviewPanelChanged,
    TermsOfReferenceAgreed,
    TermsOfReferenceDrafted,
)
from shared.pagination import MAX_PER_PAGE

# The scheduler's listeners (declared in :mod:`.handlers`), on a queue of their own.
QUEUE = "work"


# -- the events ---------------------------------------------------------------------------------


@listeners.handles(ReferralSubmitted, queue=QUEUE)
def on_referred(event: Event[ReferralSubmitted], work_queue: WorkQueue) -> None:
    data = event.data
    work_queue.case_moved(
        data.case_id,
        data.board_id,
        work.REFERRED,
        reference=data.reference,
        referring_agency=data.referrer.agency,
        referred_on=data.board_notified_on,
    )


@listeners.handles(CaseScreened, queue=QUEUE)
def on_screened(event: Event[CaseScreened], work_queue: WorkQueue) -> None:
    work_queue.case_moved(event.data.case_id, event.data.board_id, work.SCREENED)


@listeners.handles(DecisionRecorded, DecisionChanged, queue=QUEUE)
def on_decided(event: Event[DecisionRecorded] | Event[DecisionChanged], work_queue: WorkQueue) -> None:
    data = event.data
    work_queue.case_moved(
        data.case_id,
        data.board_id,
        work.DECIDED,
        outcome=data.outcome,
        decided_on=data.decided_on,
        reviewer_emails=[r.email.lower() for r in data.lead_reviewers if r.email],
    )


@listeners.handles(DecisionConfirmed, queue=QUEUE)
def on_confirmed(event: Event[DecisionConfirmed], work_queue: WorkQueue) -> None:
    work_queue.case_moved(event.data.case_id, event.data.board_id, work.DECIDED, outcome=event.data.outcome)


@listeners.handles(NotificationFailed, NotificationUncertain, queue=QUEUE)
def on_notification_in_doubt(
    event: Event[NotificationFailed] | Event[NotificationUncertain], work_queue: WorkQueue
) -> None:
    """Failed, or nobody knows whether it arrived: someone has to act or ask its recipient."""
    data = event.data
    state = {NotificationFailed: work.FAILED, NotificationUncertain: work.UNCERTAIN}[type(data)]
    work_queue.notification(
        data.notification_id,
        data.board_id,
        data.case_id,
        state,
        template=data.template,
        recipient_role=data.recipient_role,
        reason=data.reason,
    )


@listeners.handles(ContributionRequested, queue=QUEUE)
def on_contribution_requested(event: Event[ContributionRequested], work_queue: WorkQueue) -> None:
    data = event.data
    work_queue.contribution(
        data.contribution_id,
        data.board_id,
        data.case_id,
        data.agency,
        state=work.REQUESTED,
        kind=data.kind,
        due_on=data.due_on,
    )


@listeners.handles(ContributionSubmitted, ContributionReturned, ContributionAccepted, queue=QUEUE)
def on_contribution_moved(
    event: Event[ContributionSubmitted] | Event[ContributionReturned] | Event[ContributionAccepted],
    work_queue: WorkQueue,
) -> None:
    data = event.data
    state = {
        ContributionSubmitted: work.SUBMITTED,
        ContributionReturned: work.RETURNED,
        ContributionAccepted: work.ACCEPTED,
    }[type(data)]
    work_queue.contribution(
        data.contribution_id, data.board_id, data.case_id, data.agency, state=state, kind=data.kind
    )


@listeners.handles(DocumentShared, queue=QUEUE)
def on_shared(event: Event[DocumentShared], work_queue: WorkQueue) -> None:
    data = event.data
    work_queue.share(data.share_id, data.board_id, data.user_id, data.case_id, data.kind)


@listeners.handles(DocumentShareRevoked, queue=QUEUE)
def on_share_revoked(event: Event[DocumentShareRevoked], work_queue: WorkQueue) -> None:
    work_queue.unshare(event.data.share_id)


@listeners.handles(NotificationSent, queue=QUEUE)
def on_notification_sent(event: Event[NotificationSent], work_queue: WorkQueue) -> None:
    """Sent after all (someone sent it again): nothing more to do about it."""
    data = event.data
    work_queue.notification(
        data.notification_id,
        data.board_id,
        data.case_id,
        work.DELIVERED,
        template=data.template,
        recipient_role=data.recipient_role,
    )


@listeners.handles(ReferralDraftSaved, queue=QUEUE)
def on_draft_saved(event: Event[ReferralDraftSaved], work_queue: WorkQueue) -> None:
    """A referral its author is writing: listed on their home page until sent or deleted."""
    data = event.data
    work_queue.draft(
        data.draft_id,
        data.board_id,
        data.user_id,
        agency=data.agency,
        title=data.title,
        updated_at=data.updated_at,
    )


@listeners.handles(ReferralDraftDiscarded, queue=QUEUE)
def on_draft_discarded(event: Event[ReferralDraftDiscarded], work_queue: WorkQueue) -> None:
    work_queue.draft_gone(event.data.draft_id)


@listeners.handles(MeetingScheduled, MeetingChanged, MeetingCancelled, queue=QUEUE)
def on_meeting(
    event: Event[MeetingScheduled] | Event[MeetingChanged] | Event[MeetingCancelled], work_queue: WorkQueue
) -> None:
    """A review meeting, for the home pages of those invited (by email): a change replaces the
    list of attendees, so those taken off it no longer see it; a cancellation removes it."""
    data = event.data
    work_queue.meeting(
        Meeting(
            meeting_id=data.meeting_id,
            board_id=data.board_id,
            case_id=data.case_id,
            reference=data.reference,
            kind=data.kind,
            title=data.title,
            starts_at=data.starts_at,
            attendee_emails=[a.email for a in data.attendees if a.email],
            sequence=data.sequence,
            cancelled=isinstance(data, MeetingCancelled),
        )
    )


@listeners.handles(TermsOfReferenceDrafted, queue=QUEUE)
def on_terms_drafted(event: Event[TermsOfReferenceDrafted], work_queue: WorkQueue) -> None:
    """Draft terms of reference: open for the comments of the panel they name until agreed."""
    data = event.data
    work_queue.terms_drafted(
        data.case_id,
        data.board_id,
        reference=data.reference,
        drafted_on=data.drafted_on,
        sequence=data.sequence,
        panel_emails=data.panel_emails,
    )


@listeners.handles(ReviewPanelChanged, queue=QUEUE)
def on_panel_changed(event: Event[ReviewPanelChanged], work_queue: WorkQueue) -> None:
    """Who sits on a review's panel now: whose home pages list its drafts open for comment."""
    data = event.data
    work_queue.panel_changed(
        data.case_id, data.board_id, sequence=data.sequence, panel_emails=data.panel_emails
    )


@listeners.handles(TermsOfReferenceAgreed, queue=QUEUE)
def on_terms_agreed(event: Event[TermsOfReferenceAgreed], work_queue: WorkQueue) -> None:
    work_queue.terms_agreed(event.data.case_id, event.data.board_id, reference=event.data.reference)


@listeners.handles(ReportVersionSaved, queue=QUEUE)
def on_report_saved(event: Event[ReportVersionSaved], work_queue: WorkQueue) -> None:
    """A version of the final report: the latest is open for the panel's comments until signed off."""
    data = event.data
    work_queue.report_saved(
        data.case_id, data.board_id, reference=data.reference, version=data.version, saved_on=data.saved_on
    )


@listeners.handles(ReportSignedOff, queue=QUEUE)
def on_report_signed_off(event: Event[ReportSignedOff], work_queue: WorkQueue) -> None:
    data = event.data
    work_queue.report_signed_off(data.case_id, data.board_id, reference=data.reference, version=data.version)


# -- the query ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GetWork(Message):
    """What needs the action of a member of ``board_id`` with these roles (and agency, and email)."""

    board_id: str
    roles: frozenset[str]
    agency: str | None = None
    email: str | None = None
    user_id: str | None = None


def home_work(
    query: GetWork, uow: SchedulerUnitOfWork, clock: Clock, work_queue: WorkQueue
) -> list[WorkList]:
    """Each section the user sees, with its first items and its count."""
    lists = []
    for section in work.sections_for(query.roles):
        found = _fill(section.key, query, uow, clock, work_queue)
        lists.append(WorkList(section, found.items, found.count))
    return lists


def _fill(key: str, query: GetWork, uow: SchedulerUnitOfWork, clock: Clock, work_queue: WorkQueue) -> Found:
    board = query.board_id
    if key == "to_screen":
        return work_queue.cases(board, work.REFERRED)
    if key in ("decisions_awaited", "decisions_to_make"):
        return work_queue.cases(board, work.SCREENED)
    if key == "agency_referrals":
        if not query.agency:
            return Found([], 0)
        return work_queue.cases(board, work.SCREENED, agency=query.agency)
    if key == "involved":
        # The panel oversees every review of the board; a lead reviewer, the reviews naming them.
        if "panel_member" in query.roles:
            return work_queue.cases(board, work.DECIDED, in_review=True)
        if not query.email:
            return Found([], 0)
        return work_queue.cases(board, work.DECIDED, in_review=True, reviewer_email=query.email)
    if key == "notifications":
        return work_queue.notifications(board, work.NEEDS_ATTENTION)
    if key == "contributions_awaited":
        return work_queue.contributions(board, work.AWAITED)
    if key == "contributions_requested":
        if not query.agency:
            return Found([], 0)
        return work_queue.contributions(board, work.AWAITED, agency=query.agency)
    if key == "drafts":
        if not query.user_id:
            return Found([], 0)
        since = clock.now() - timedelta(days=work.DRAFT_LIFETIME_DAYS)
        return work_queue.drafts(board, query.user_id, since)
    if key == "meetings":
        if not query.email:
            return Found([], 0)
        return work_queue.meetings(board, query.email, clock.now())
    if key == "comment_drafts":
        # Only the reviews whose panel they sit on, as the reviews service lets them comment.
        return work_queue.drafts_to_comment(board, query.email) if query.email else Found([], 0)
    if key == "shared_reports":
        return work_queue.shares(board, query.user_id) if query.user_id else Found([], 0)
    if key in ("deadlines_overdue", "deadlines_due"):
        return _deadlines(board, overdue=key == "deadlines_overdue", uow=uow, clock=clock)
    raise LookupError(f"no work section {key!r}")


def _deadlines(board_id: str, *, overdue: bool, uow: SchedulerUnitOfWork, clock: Clock) -> Found:
    """The board's open statutory deadlines: those overdue (due before today), or those due from
    today to :data:`~..domain.work.DUE_WITHIN_WORKING_DAYS` working days ahead; earliest first."""
    today = clock.today()
    calendar = uow.calendars.for_board(board_id)
    with uow:
        late = uow.schedules.open_due(board_id, today - timedelta(days=1), 1, work.SHOWN)
        if overdue:
            rows, count = late.items, late.total
        else:
            until = calendar.add_working_days(today, work.DUE_WITHIN_WORKING_DAYS)
            # The list is in order of date: the overdue ones come first, then these.
            size = min(MAX_PER_PAGE, late.total + work.SHOWN)
            upcoming = uow.schedules.open_due(board_id, until, 1, size)
            rows = [d for d in upcoming.items if d.due >= today][: work.SHOWN]
            count = upcoming.total - late.total
    items = [WorkItem(d.case_id, d.reference, label=d.code, on=d.due) for d in rows]
    return Found(items, count)


COMMAND_HANDLERS: dict[type[Message], Callable[..., Any]] = {GetWork: home_work}
