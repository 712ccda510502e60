"""Events of the notifications service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.events.base import CaseEvent, ident
from shared.events.catalogue import event

NOTIFICATIONS = ("notifications",)


@event("notification.sent", 1, producers=NOTIFICATIONS)
@dataclass(frozen=True, kw_only=True)
class NotificationSent(CaseEvent):
    """A notification left the product for its recipient."""

    notification_id: str = ident()
    recipient_role: str
    template: str
    source_event_id: str
    sent_on: date


@event("notification.failed", 1, producers=NOTIFICATIONS)
@dataclass(frozen=True, kw_only=True)
class NotificationFailed(CaseEvent):
    """A notification could not be delivered within its retry window."""

    notification_id: str = ident()
    recipient_role: str
    template: str
    reason: str


@event("notification.uncertain", 1, producers=NOTIFICATIONS)
@dataclass(frozen=True, kw_only=True)
class NotificationUncertain(CaseEvent):
    """An attempt ended without knowing whether the notification arrived: a person has to check
    with its recipient, then resend it or confirm it arrived (``notification.sent`` follows)."""

    notification_id: str = ident()
    recipient_role: str
    template: str
    reason: str
