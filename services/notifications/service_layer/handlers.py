"""Handlers of the notifications service.

Events become notifications in the ledger (one per event, recipient and
template: the unique key makes a repeated event harmless). A dispatcher sends
what is due, retrying temporary failures with exponential backoff until the
retry window closes; permanent failures stop at once. Every outcome is kept
and shown; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from mongoengine import NotUniqueError

from services.notifications.adapters.channels import (
    Channel,
    DeliveryError,
    Message,
    PermanentDeliveryError,
)
from services.notifications.adapters.store import CaseDocument, CaseFacts, Notification, Recipient, now
from services.notifications.domain import rules as R
from shared.auth.models import Board
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.logging import get_logger

log = get_logger(__name__)
PRODUCER = "notifications"

_env = Environment(
    loader=PackageLoader("services.notifications", "templates/messages"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)


@dataclass
class Deps:
    channel_for: Callable[[str], Channel | None]  # board id -> its channel, or None
    fetch_attachment: Callable[[str, str], object]  # (document id, board id) -> Attachment
    retry_window: timedelta
    retry_base: float


# -- from events --------------------------------------------------------------------------


def _history(n: Notification, text: str) -> None:
    n.history.append({"at": now().isoformat(), "text": text})


def on_referral_submitted(event: Event) -> None:
    data = event.data
    CaseFacts.objects(case_id=data["case_id"]).update_one(
        upsert=True, set__board_id=data["board_id"], set__reference=data["reference"]
    )


def _case(case_id: str) -> CaseFacts:
    case = CaseFacts.objects(case_id=case_id).first()
    if case is None:
        raise PermanentError(f"no case {case_id} is known to notifications")
    return case


def _context(event: Event, case: CaseFacts) -> dict:
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in event.data.items()}
    return {**data, "reference": case.reference or case.case_id}


def on_document_generated(event: Event) -> None:
    data = event.data
    CaseDocument.objects(case_id=data["case_id"], kind=data["kind"]).update_one(
        upsert=True,
        set__document_id=data["document_id"],
        set__version=data["version"],
        set__caused_by=data.get("caused_by"),
    )
    # Notifications waiting for this document from this cause can now go.
    if data.get("caused_by"):
        for n in Notification.objects(
            case_id=data["case_id"],
            status="waiting_documents",
            source_event_id=data["caused_by"],
            needs_documents=data["kind"],
        ):
            n.needs_documents.remove(data["kind"])
            n.attachments.append(data["document_id"])
            _history(n, f"{data['kind']} version {data['version']} attached")
            if not n.needs_documents:
                n.status, n.next_attempt_at = "pending", now()
            n.save()
    if data["kind"] == "case_group_letter":
        create_notifications(event, R.rules_for("document.generated"))


DECISION_TEMPLATES = ("decision_notification", "decision_changed_notification")


def on_event(event: Event) -> None:
    if (
        event.event_type == "reviewer.appointed"
        and Notification.objects(
            case_id=event.data["case_id"],
            template__in=DECISION_TEMPLATES,
            correlation_id=event.correlation_id,
        ).count()
    ):
        # Appointed with the decision: the decision notice to the Panel already names them.
        return
    create_notifications(event, [r for r in R.rules_for(event.event_type)])


def create_notifications(event: Event, rules: list[R.Rule]) -> int:
    if not rules:
        return 0
    data = event.data
    case = _case(data["case_id"])
    created = 0
    for rule in rules:
        roles = R.recipient_roles(rule, data.get("concerns"))
        for role in roles:
            recipients = list(
                Recipient.objects(
                    board_id=case.board_id, role=role, active=True, case_id__in=[None, case.case_id]
                )
            )
            if not recipients:
                created += _record(event, case, rule, role, None)
            for recipient in recipients:
                created += _record(event, case, rule, role, recipient)
    return created


def _record(event: Event, case: CaseFacts, rule: R.Rule, role: str, recipient: Recipient | None) -> int:
    key = f"{event.event_id}:{recipient.recipient_id if recipient else role}:{rule.template}"
    n = Notification(
        idempotency_key=key,
        board_id=case.board_id,
        case_id=case.case_id,
        case_reference=case.reference,
        recipient_id=recipient.recipient_id if recipient else "-",
        recipient_role=role,
        recipient_name=recipient.name if recipient else None,
        address=recipient.email if recipient else "-",
        template=rule.template,
        context=_context(event, case),
        source_event_id=event.event_id,
        source_event_type=event.event_type,
        correlation_id=event.correlation_id,
        status="pending",
        next_attempt_at=now(),
    )
    if recipient is None:
        n.status, n.status_reason = "not_sent", f"no {role.replace('_', ' ')} in the recipients directory"
    elif event.event_type == "document.generated":
        n.attachments.append(event.data["document_id"])  # the letter itself
    else:
        for kind in rule.attachments:
            doc = CaseDocument.objects(case_id=case.case_id, kind=kind).first()
            if doc is not None and doc.caused_by == event.event_id:
                n.attachments.append(doc.document_id)
            else:
                n.needs_documents.append(kind)  # generated from the same event, soon
        if n.needs_documents:
            n.status = "waiting_documents"
    _history(n, f"created from {event.event_type}")
    try:
        n.save(force_insert=True)
    except NotUniqueError:
        return 0  # this event already made this notification
    if n.status == "not_sent":
        log.warning("notification.not_sent", notification_id=n.notification_id, reason=n.status_reason)
    return 1


# -- sending ----------------------------------------------------------------------------------


def render(n: Notification) -> tuple[str, str, str]:
    """Subject, text body and HTML body. The subject carries the case reference only."""
    ctx = {**n.context, "recipient_role": n.recipient_role, "recipient_name": n.recipient_name}
    subject = _env.get_template(f"{n.template}.subject.txt").render(ctx).strip()
    text = _env.get_template(f"{n.template}.txt").render(ctx)
    html = _env.get_template(f"{n.template}.html").render(ctx)
    return subject, text, html


def _claim_next(at: datetime) -> Notification | None:
    coll = Notification._get_collection()
    raw = coll.find_one_and_update(
        {
            "status": "pending",
            "next_attempt_at": {"$lte": at},
            "$or": [{"lease_until": None}, {"lease_until": {"$lt": at}}],
        },
        {"$set": {"lease_until": at + timedelta(minutes=5)}},
    )
    return Notification.objects(notification_id=raw["_id"]).first() if raw else None


def dispatch(deps: Deps, at: datetime | None = None, limit: int = 100) -> int:
    """Send every notification that is due; returns how many were tried."""
    tried = 0
    while tried < limit:
        n = _claim_next(at or now())
        if n is None:
            break
        tried += 1
        try:
            attempt(deps, n, at or now())
        except Exception as exc:  # noqa: BLE001 - one bad notification never stops the others
            log.exception("notification.attempt_crashed", notification_id=n.notification_id)
            _fail(n, f"unexpected error: {type(exc).__name__}")
    return tried


def attempt(deps: Deps, n: Notification, at: datetime) -> None:
    channel = deps.channel_for(n.board_id)
    if channel is None:
        n.status, n.status_reason = (
            "not_sent",
            "no channel configured for this board (set SMTP_HOST or Notify)",
        )
        n.lease_until = None
        _history(n, n.status_reason)
        n.save()
        log.warning("notification.not_sent", notification_id=n.notification_id, reason=n.status_reason)
        return
    n.channel = channel.name
    n.attempts += 1
    n.first_attempt_at = n.first_attempt_at or at
    try:
        subject, text, html = render(n)
    except Exception as exc:  # noqa: BLE001 - a template error fails this notification only
        _fail(n, f"template error: {type(exc).__name__}: {exc}")
        return
    try:
        attachments = tuple(deps.fetch_attachment(doc_id, n.board_id) for doc_id in n.attachments)
        receipt = channel.send(
            Message(
                to=n.address,
                subject=subject,
                body_text=text,
                body_html=html,
                attachments=attachments,
                reference=n.notification_id,
            )
        )
    except PermanentDeliveryError as exc:
        _fail(n, exc.reason)
        return
    except DeliveryError as exc:
        window_end = n.first_attempt_at + deps.retry_window
        if at >= window_end:
            _fail(n, f"still failing when the retry window closed: {exc.reason}")
            return
        delay = min(deps.retry_base * (2 ** (n.attempts - 1)), 3600)
        n.next_attempt_at = min(at + timedelta(seconds=delay), window_end)
        n.lease_until = None
        n.status_reason = exc.reason
        _history(n, f"attempt {n.attempts} failed, retrying: {exc.reason}")
        n.save()
        return
    n.status, n.status_reason = "sent", None
    n.sent_at, n.provider_id, n.lease_until = at, receipt.provider_id, None
    _history(n, f"sent by {channel.name}")
    n.raise_event(
        "notification.sent",
        {
            "case_id": n.case_id,
            "board_id": n.board_id,
            "notification_id": n.notification_id,
            "recipient_role": n.recipient_role,
            "template": n.template,
            "source_event_id": n.source_event_id,
            "sent_on": at.date(),
        },
        producer=PRODUCER,
    )
    n.save()
    log.info(
        "notification.sent",
        notification_id=n.notification_id,
        template=n.template,
        role=n.recipient_role,
        channel=channel.name,
    )


def _fail(n: Notification, reason: str) -> None:
    n.status, n.status_reason, n.lease_until = "failed", reason[:500], None
    _history(n, f"failed: {reason[:200]}")
    n.raise_event(
        "notification.failed",
        {
            "case_id": n.case_id,
            "board_id": n.board_id,
            "notification_id": n.notification_id,
            "recipient_role": n.recipient_role,
            "template": n.template,
            "reason": reason[:500],
        },
        producer=PRODUCER,
    )
    n.save()
    log.error("notification.failed", notification_id=n.notification_id, reason=reason[:200])


# -- from people ------------------------------------------------------------------------------


def visible(principal: Principal):
    return Notification.objects(board_id=principal.board_id)


def resend(principal: Principal, notification_id: str) -> Notification:
    n = visible(principal).filter(notification_id=notification_id).first()
    if n is None:
        raise NotFound("There is no such notification", field="notification_id")
    if n.status in ("sent", "delivered", "sending", "waiting_documents"):
        raise Conflict(f"A notification that is {n.status.replace('_', ' ')} is not resent", field="status")
    if n.recipient_id == "-":
        recipient = Recipient.objects(board_id=n.board_id, role=n.recipient_role, active=True).first()
        if recipient is None:
            raise Conflict("Add a recipient for this role to the directory first", field="recipient_role")
        n.recipient_id, n.address, n.recipient_name = recipient.recipient_id, recipient.email, recipient.name
    n.status, n.status_reason, n.next_attempt_at = "pending", None, now()
    n.first_attempt_at, n.lease_until = None, None
    _history(n, f"resend requested by {principal.name}")
    n.save()
    return n


def delivery_callback(reference: str, status: str) -> Notification | None:
    n = Notification.objects(notification_id=reference).first()
    if n is None:
        return None
    mapping = {
        "delivered": "delivered",
        "permanent-failure": "bounced",
        "temporary-failure": "failed",
        "technical-failure": "failed",
    }
    new = mapping.get(status)
    if new is None:
        return n
    n.status = new
    if new == "delivered":
        n.delivered_at = now()
    else:
        n.status_reason = f"Notify reported {status}"
    _history(n, f"Notify reported {status}")
    n.save()
    return n


def board_channel_name(board_id: str, settings) -> str | None:
    board = Board.objects(board_id=board_id).only("notification_channel").first()
    chosen = board.notification_channel if board else None
    if chosen == "notify" and settings.NOTIFY_API_KEY:
        return "notify"
    if chosen in (None, "smtp") and settings.SMTP_HOST:
        return "smtp"
    if chosen is None and settings.NOTIFY_API_KEY:
        return "notify"
    return None
