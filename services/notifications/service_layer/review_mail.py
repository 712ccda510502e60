"""A review's emails: meeting invitations with their .ics, contribution requests to an agency's
contact, and the reminders to that contact when the contribution falls due or is overdue.

- ``meeting.scheduled``: every attendee gets an invitation (METHOD:REQUEST);
  ``meeting.changed``: every attendee gets it again with the meeting's higher SEQUENCE, and anyone
  taken off the list a cancellation; ``meeting.cancelled``: every attendee a cancellation
  (METHOD:CANCEL). The UID is the meeting's, whatever changes.
- ``contribution.requested``: the agency's contact the request named gets the link to the
  contribution; the contact is kept for the reminders.
- ``deadline.due_soon`` / ``deadline.overdue`` of a contribution (code ``contribution_due``, the
  deadline's id is the contribution's): the agency's contact is reminded. (The business unit's
  reminder is the ledger's, as for every deadline.)

Each email exists once, keyed by what it is (``ReviewMail``), and every attempt of it carries
the same Message-ID, as the account emails do: a repeated event sends nothing again; a refusal
that may pass is raised for the bus to retry; one that will not is logged as failed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from services.notifications.adapters.boards import ChannelFor
from services.notifications.adapters.channels import (
    Attachment,
)
from services.notifications.adapters.invitations import CANCEL, REQUEST, invitation
from services.notifications.adapters.review_mail import ContributionContact, ReviewMail
from services.notifications.service_layer.dispatch import Render
from services.notifications.service_layer.handlers import listeners
from services.notifications.service_layer.mail_log import send_logged
from shared.events import Event
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.reviews import (
    Attendee,
    ContributionRequested,
    MeetingCancelled,
    MeetingChanged,
    MeetingEvent,
    MeetingScheduled,
)
from shared.logging import get_logger
from shared.words import long_date, plain

log = get_logger(__name__)

QUEUE = "reviews"
CONTRIBUTION_DUE = "contribution_due"
GONE = ("sent", "delivered")
DEFAULT_ORGANISER = "case-reviews@lscb.example.org"

Clock = Callable[[], datetime]

# What an agency is asked for, in the words its contact reads (000 §2, §12; 002 Appendix 1).
KINDS = {
    "chronology": "significant practice events chronology",
    "single_agency_analysis_report": "single agency analysis report",
    "single_agency_review": "single agency review",
}


def _opaque(text: str) -> str:
    """A short stand-in for an address in a Message-ID: never the address itself."""
    return hashlib.sha256(text.lower().encode()).hexdigest()[:16]


def send_once(
    *,
    key: str,
    board_id: str,
    case_id: str,
    to: str | None,
    template: str,
    context: dict[str, Any],
    channel_for: ChannelFor,
    render: Render,
    clock: Clock,
    attachments: tuple[Attachment, ...] = (),
) -> ReviewMail:
    """Send one email, once: the log says whether it went."""
    mail: ReviewMail | None = ReviewMail.objects(key=key).first()
    if mail is not None and mail.status in GONE:
        return mail  # a repeat of an event whose email went
    mail = mail or ReviewMail(
        key=key, board_id=board_id, case_id=case_id, template=template, address=to or "-", status="sending"
    )
    channel = channel_for(board_id)
    if not to or channel is None:
        mail.status = "not_sent"
        mail.status_reason = "nobody to send it to" if not to else "no channel configured for this board"
        mail.save()
        log.warning("notifications.review_mail_not_sent", template=template, case_id=case_id)
        return mail
    rendered = render(template, context)
    reference = f"review-{_opaque(key)}"
    if not send_logged(
        mail, channel, rendered, to=to, reference=reference, clock=clock, attachments=attachments
    ):
        log.error("notifications.review_mail_failed", template=template, case_id=case_id)
    return mail


# -- meetings ---------------------------------------------------------------------------------


def _invite(
    meeting: MeetingEvent,
    attendee: Attendee,
    method: str,
    channel_for: ChannelFor,
    render: Render,
    clock: Clock,
) -> None:
    channel = channel_for(meeting.board_id)
    organiser = getattr(channel, "sender", None) or DEFAULT_ORGANISER
    ics = invitation(meeting, attendee, method, organiser, clock())
    context = {
        "name": attendee.name,
        "title": meeting.title,
        "reference": meeting.reference,
        "when": long_date(meeting.starts_at),
        "until": long_date(meeting.ends_at),
        "place": meeting.place,
        "link": meeting.link,
        "agenda": list(meeting.agenda),
        "changed": meeting.sequence > 0,
    }
    template = "meeting_invitation" if method == REQUEST else "meeting_cancelled"
    send_once(
        key=f"meeting:{meeting.meeting_id}:{meeting.sequence}:{method}:{attendee.email.lower()}",
        board_id=meeting.board_id,
        case_id=meeting.case_id,
        to=attendee.email,
        template=template,
        context=context,
        channel_for=channel_for,
        render=render,
        clock=clock,
        attachments=(Attachment("invitation.ics", "text/calendar", ics),),
    )


@listeners.handles(MeetingScheduled, MeetingChanged, MeetingCancelled, queue=QUEUE)
def on_meeting(
    event: Event[MeetingScheduled] | Event[MeetingChanged] | Event[MeetingCancelled],
    channel_for: ChannelFor,
    render: Render,
    clock: Clock,
) -> None:
    meeting = event.data
    method = CANCEL if isinstance(meeting, MeetingCancelled) else REQUEST
    for attendee in meeting.attendees:
        _invite(meeting, attendee, method, channel_for, render, clock)
    if isinstance(meeting, MeetingChanged):
        for attendee in meeting.removed:
            _invite(meeting, attendee, CANCEL, channel_for, render, clock)


# -- contributions ----------------------------------------------------------------------------


def _contribution_context(contact: ContributionContact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "agency": contact.agency,
        "kind": KINDS.get(contact.kind) or plain(contact.kind).lower(),
        "reference": contact.reference,
        "due": long_date(contact.due_on),
        "link": contact.link,
    }


@listeners.handles(ContributionRequested, queue=QUEUE)
def on_contribution_requested(
    event: Event[ContributionRequested], channel_for: ChannelFor, render: Render, clock: Clock
) -> None:
    data = event.data
    contact = ContributionContact(
        contribution_id=data.contribution_id,
        board_id=data.board_id,
        case_id=data.case_id,
        reference=data.reference,
        agency=data.agency,
        kind=data.kind,
        due_on=data.due_on,
        email=data.contact_email,
        name=data.contact_name,
        link=data.link,
    )
    contact.save()
    if not data.contact_email:
        return  # nobody named: the business unit tells the agency itself
    send_once(
        key=f"contribution:{data.contribution_id}:requested",
        board_id=data.board_id,
        case_id=data.case_id,
        to=data.contact_email,
        template="contribution_request",
        context=_contribution_context(contact),
        channel_for=channel_for,
        render=render,
        clock=clock,
    )


@listeners.handles(DeadlineDueSoon, DeadlineOverdue, queue=QUEUE)
def on_contribution_deadline(
    event: Event[DeadlineDueSoon] | Event[DeadlineOverdue],
    channel_for: ChannelFor,
    render: Render,
    clock: Clock,
) -> None:
    data = event.data
    if data.code != CONTRIBUTION_DUE:
        return  # another deadline: the ledger's reminders cover it
    contact: ContributionContact | None = ContributionContact.objects(
        contribution_id=data.deadline_id
    ).first()
    if contact is None or not contact.email:
        log.info("notifications.contribution_reminder_no_contact", case_id=data.case_id)
        return
    overdue = isinstance(data, DeadlineOverdue)
    send_once(
        key=f"contribution:{data.deadline_id}:{event.event_type}:{data.due.isoformat()}",
        board_id=data.board_id,
        case_id=data.case_id,
        to=contact.email,
        template="contribution_reminder",
        context={**_contribution_context(contact), "due": long_date(data.due), "overdue": overdue},
        channel_for=channel_for,
        render=render,
        clock=clock,
    )
