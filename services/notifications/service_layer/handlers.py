"""What each event this service listens for makes of the ledger (the walk: event -> handler -> rule).

- ``referral.submitted``, ``case.screened``, ``decision.recorded``,
  ``decision.changed``, ``decision.confirmed``: the case projection (its
  reference, its rule pack; each decision's facts, by the deciding event's id).
- ``document.generated``: a letter to send. Its notifications are created
  with the letter attached; the letter's file, which the event carries
  sealed, is kept sealed here until the message goes (``dispatch``).
- ``reviewer.appointed``, ``deadline.due_soon``, ``deadline.overdue``:
  notifications without a document.

Which message goes to whom is data in ``domain/rules.py``; what a message calls
the partnership and the national bodies follows the case's rule pack
(``domain/wording.py``). A notification exists once per (event, recipient,
template): a repeated event adds none.
Everything is on one queue, ``notifications.rules``, handled in order, so a
case's referral and decision are known before its letters arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any

from services.notifications.adapters.store import Notification, Recipient
from services.notifications.domain import delivery, rules, wording
from services.notifications.domain.case import Case, Decision, Reviewer
from services.notifications.domain.letters import Letter
from services.notifications.domain.rules import Cause
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared.bus import Listeners, PermanentError
from shared.events import CATALOGUE, Event
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.documents import DocumentGenerated
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    ReferralSubmitted,
    ReviewerAppointed,
)
from shared.logging import get_logger

log = get_logger(__name__)

Clock = Callable[[], datetime]

listeners = Listeners("notifications")
QUEUE = "rules"

# Letters whose message depends on the event that caused them.
CAUSES: dict[type, Cause] = {
    DecisionRecorded: Cause.DECISION_RECORDED,
    DecisionChanged: Cause.DECISION_CHANGED,
    DecisionConfirmed: Cause.DECISION_CONFIRMED,
}

# Reminders: which rule each deadline event follows.
DEADLINE_RULES: dict[type, rules.Rule] = {
    DeadlineDueSoon: rules.DEADLINE_DUE_SOON,
    DeadlineOverdue: rules.DEADLINE_OVERDUE,
}


# -- the case projection ----------------------------------------------------------------------


@listeners.handles(ReferralSubmitted, queue=QUEUE)
def on_referral_submitted(event: Event[ReferralSubmitted], uow: NotificationsUnitOfWork) -> None:
    data = event.data
    with uow:
        case = uow.cases.get(data.case_id) or uow.cases.add(
            Case(case_id=data.case_id, board_id=data.board_id)
        )
        case.reference = data.reference
        case.rule_pack = data.rule_pack
        uow.commit()


@listeners.handles(CaseScreened, queue=QUEUE)
def on_case_screened(event: Event[CaseScreened], uow: NotificationsUnitOfWork) -> None:
    """The pack the case was screened under, which it keeps for life."""
    with uow:
        case = _case(uow, event.data.case_id)
        case.rule_pack = event.data.rule_pack
        uow.commit()


@listeners.handles(DecisionRecorded, DecisionChanged, queue=QUEUE)
def on_decision(event: Event[DecisionRecorded | DecisionChanged], uow: NotificationsUnitOfWork) -> None:
    data = event.data
    with uow:
        case = _case(uow, data.case_id)
        case.decided(
            Decision(
                event_id=event.event_id,
                correlation_id=event.correlation_id,
                outcome=data.outcome,
                decided_on=data.decided_on,
                initiated_on=data.initiated_on,
                lead_reviewers=tuple(Reviewer(r.name, r.organisation) for r in data.lead_reviewers),
                previous_outcome=data.previous_outcome if isinstance(data, DecisionChanged) else None,
            )
        )
        case.rule_pack = data.rule_pack
        uow.commit()


@listeners.handles(DecisionConfirmed, queue=QUEUE)
def on_decision_confirmed(event: Event[DecisionConfirmed], uow: NotificationsUnitOfWork) -> None:
    """The board kept its decision after a challenge: the final outcome its letter will tell."""
    data = event.data
    with uow:
        case = _case(uow, data.case_id)
        case.decided(
            Decision(
                event_id=event.event_id,
                correlation_id=event.correlation_id,
                outcome=data.outcome,
                decided_on=data.confirmed_on,
                confirmed=True,
                challenged_by=data.challenged_by,
            )
        )
        case.rule_pack = data.rule_pack
        uow.commit()


# -- letters ----------------------------------------------------------------------------------


def cause_of(event_type: str | None) -> Cause | None:
    """The cause, in the rules' words, of a letter caused by an event of this type (None: a request)."""
    if not event_type:
        return None
    try:
        spec = CATALOGUE.get(event_type)
    except LookupError:
        return None
    return CAUSES.get(spec.type)


@listeners.handles(DocumentGenerated, queue=QUEUE)
def on_document_generated(
    event: Event[DocumentGenerated], uow: NotificationsUnitOfWork, clock: Clock
) -> None:
    data = event.data
    if data.caused_by_type is None:
        return  # made on request: a letter goes out on its own only when an event of the case called for it
    if data.kind not in rules.LETTER_KINDS:
        return  # not a letter this service sends
    if not data.content_sealed:
        raise PermanentError(f"{data.kind} document {data.document_id} came without its file to attach")
    with uow:
        case = _case(uow, data.case_id)
        letter = rules.letter_rule(data.kind, cause_of(data.caused_by_type), case.rule_pack)
        if letter is None:
            return  # not a letter this service sends for a case under this pack
        context = case.context()
        if letter.cause is not None:  # a letter about a decision: its message says what was decided
            decision = case.decision_from(data.caused_by)
            if decision is None:
                raise PermanentError(f"decision {data.caused_by} of case {case.case_id} is not known here")
            context.update(decision.context())
        if uow.letters.get(data.document_id) is None:
            uow.letters.add(
                Letter(
                    document_id=data.document_id,
                    board_id=data.board_id,
                    case_id=data.case_id,
                    kind=data.kind,
                    version=data.version,
                    filename=data.filename,
                    content_type=data.content_type,
                    content_hash=data.content_hash,
                    sealed=data.content_sealed,
                )
            )
        created = create_notifications(
            uow, event, case, letter.rule, context, clock(), attachments=[data.document_id]
        )
        uow.commit()
    _log_created(created)


# -- events without a document ----------------------------------------------------------------


@listeners.handles(ReviewerAppointed, queue=QUEUE)
def on_reviewer_appointed(
    event: Event[ReviewerAppointed], uow: NotificationsUnitOfWork, clock: Clock
) -> None:
    with uow:
        case = _case(uow, event.data.case_id)
        rule = rules.reviewer_rule(case.rule_pack)
        if rule is None or case.decided_with(event.correlation_id):
            return  # nobody to tell, or appointed with the decision, whose notice names them
        # The names the message prints; never the reviewers' addresses or declarations.
        reviewers = [
            {"name": r.name, "organisation": r.organisation, "role": r.role} for r in event.data.reviewers
        ]
        context = {**plain(event.data), "reviewers": reviewers, **case.context()}
        created = create_notifications(uow, event, case, rule, context, clock())
        uow.commit()
    _log_created(created)


@listeners.handles(DeadlineDueSoon, DeadlineOverdue, queue=QUEUE)
def on_deadline(
    event: Event[DeadlineDueSoon | DeadlineOverdue], uow: NotificationsUnitOfWork, clock: Clock
) -> None:
    rule = DEADLINE_RULES[type(event.data)]
    with uow:
        case = _case(uow, event.data.case_id)
        context = {**plain(event.data), **case.context()}
        created = create_notifications(uow, event, case, rule, context, clock(), concerns=event.data.concerns)
        uow.commit()
    _log_created(created)


# -- the ledger -------------------------------------------------------------------------------


def create_notifications(
    uow: NotificationsUnitOfWork,
    event: Event[Any],
    case: Case,
    rule: rules.Rule,
    context: dict[str, Any],
    at: datetime,
    *,
    attachments: Iterable[str] = (),
    concerns: str | None = None,
) -> list[Notification]:
    """One notification per recipient of each role the rule names; one marked not sent if a role has none."""
    created = []
    for role in rules.recipient_roles(rule, concerns):
        found: list[Recipient | None] = [*uow.recipients.with_role(case.board_id, role, case.case_id)]
        for recipient in found or [None]:
            key = f"{event.event_id}:{recipient.recipient_id if recipient else role}:{rule.template}"
            if uow.notifications.exists(key):
                continue  # this event made it before
            n = Notification(
                notification_id=delivery.notification_id(key),
                idempotency_key=key,
                board_id=case.board_id,
                case_id=case.case_id,
                case_reference=case.reference,
                recipient_id=recipient.recipient_id if recipient else "-",
                recipient_role=role,
                recipient_name=recipient.name if recipient else None,
                address=recipient.email if recipient else "-",
                template=rule.template,
                # What this message calls its recipient's role, in the words of the case's pack.
                context={**context, "recipient_title": wording.role_name(case.rule_pack, role)},
                attachments=list(attachments),
                source_event_id=event.event_id,
                source_event_type=event.event_type,
                correlation_id=event.correlation_id,
                status=delivery.PENDING,
                next_attempt_at=at,
                created_at=at,
            )
            n.note(at, f"created from {event.event_type}")
            if recipient is None:
                n.recipient_name = wording.role_name(case.rule_pack, role)
                n.not_sent(
                    at, f"no {role.replace('_', ' ')} ({n.recipient_name}) in the recipients directory"
                )
            created.append(uow.notifications.add(n))
    return created


def _case(uow: NotificationsUnitOfWork, case_id: str) -> Case:
    case = uow.cases.get(case_id)
    if case is None:
        raise PermanentError(f"no case {case_id} is known to notifications")
    return case


def _log_created(created: list[Notification]) -> None:
    for n in created:
        if n.status == delivery.NOT_SENT:
            log.warning("notifications.not_sent", notification_id=n.notification_id, reason=n.status_reason)


def plain(value: Any) -> Any:
    """An event's payload as the ledger keeps a message's context: dicts, lists, strings, ISO dates."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


# Account emails (invitations, password resets) declare their listener on this service's
# listeners in a module of their own.
from services.notifications.service_layer import accounts as _accounts  # noqa: E402,F401
from services.notifications.service_layer import action_mail as _action_mail  # noqa: E402,F401
from services.notifications.service_layer import publication_mail as _publication_mail  # noqa: E402,F401
from services.notifications.service_layer import review_mail as _review_mail  # noqa: E402,F401
