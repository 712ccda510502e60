"""What people do with the ledger: read it, resend a notification; and what Notify reports back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.notifications.adapters.store import Notification
from services.notifications.domain import delivery
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared.auth.principal import Principal
from shared.errors import Conflict, NotFound

Clock = Callable[[], datetime]


def notifications_for(
    uow: NotificationsUnitOfWork, principal: Principal, case_id: str | None = None, status: str | None = None
) -> list[Notification]:
    """The board's notifications, oldest first, of one case and in one status if asked."""
    with uow:
        return uow.notifications.listed(
            principal.board_id, case_id=case_id, statuses=[status] if status else None
        )


def needing_attention(uow: NotificationsUnitOfWork, principal: Principal) -> list[Notification]:
    """Failed, bounced and unsent notifications, newest first."""
    with uow:
        items = uow.notifications.listed(principal.board_id, statuses=delivery.NEEDS_ATTENTION)
    return items[::-1]


def resend(
    uow: NotificationsUnitOfWork, clock: Clock, principal: Principal, notification_id: str
) -> Notification:
    with uow:
        n = uow.notifications.get(notification_id, board_id=principal.board_id)
        if n is None:
            raise NotFound("There is no such notification", field="notification_id")
        if n.status in delivery.ALREADY_GONE:
            raise Conflict(
                f"A notification that is {n.status.replace('_', ' ')} is not resent", field="status"
            )
        recipient = None
        if n.recipient_id == "-":
            found = uow.recipients.with_role(n.board_id, n.recipient_role, n.case_id)
            if not found:
                raise Conflict("Add a recipient for this role to the directory first", field="recipient_role")
            recipient = found[0]
        n.resend(clock(), principal.name, recipient)
        uow.commit()
    return n


def delivery_callback(
    uow: NotificationsUnitOfWork, clock: Clock, reference: str, status: str
) -> Notification | None:
    """GOV.UK Notify's receipt for the notification ``reference`` names; None if there is no such one."""
    with uow:
        n = uow.notifications.get(reference)
        if n is None:
            return None
        if n.reported(clock(), status):
            uow.commit()
    return n
