"""What people do with the ledger: read it, resend a notification, confirm an uncertain one arrived;
and what Notify reports back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from services.notifications.adapters.repository import ConcurrentChange
from services.notifications.adapters.store import Notification
from services.notifications.domain import delivery
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared.auth.principal import Principal
from shared.errors import Conflict, NotFound
from shared.pagination import PER_PAGE, Page

Clock = Callable[[], datetime]


def notifications_for(
    uow: NotificationsUnitOfWork,
    principal: Principal,
    case_id: str | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[Notification]:
    """A page of the board's notifications, oldest first, of one case and in one status if asked."""
    with uow:
        statuses = [status] if status else None
        return uow.notifications.listed(principal.board_id, case_id, statuses, page, per_page)


def needing_attention(
    uow: NotificationsUnitOfWork, principal: Principal, page: int = 1, per_page: int = PER_PAGE
) -> Page[Notification]:
    """A page of what a person must look at: uncertain first, then failed, bounced, unsent; newest first."""
    with uow:
        return uow.notifications.needing_attention(principal.board_id, page, per_page)


def notification(uow: NotificationsUnitOfWork, principal: Principal, notification_id: str) -> Notification:
    with uow:
        return _found(uow, principal, notification_id)


def resend(
    uow: NotificationsUnitOfWork, clock: Clock, principal: Principal, notification_id: str
) -> Notification:
    """Send it again, with the Message-ID (or Notify reference) of its earlier attempts."""
    with uow, _unless_changed():
        n = _found(uow, principal, notification_id)
        if n.status not in delivery.NEEDS_ATTENTION:
            raise Conflict(f"A notification that is {_words(n.status)} is not resent", field="status")
        recipient = None
        if n.recipient_id == "-":
            found = uow.recipients.with_role(n.board_id, n.recipient_role, n.case_id)
            if not found:
                raise Conflict("Add a recipient for this role to the directory first", field="recipient_role")
            recipient = found[0]
        n.resend(clock(), principal.name, recipient)
        uow.commit()
    return n


def confirm_delivered(
    uow: NotificationsUnitOfWork, clock: Clock, principal: Principal, notification_id: str
) -> Notification:
    """A person checked with the recipient that an uncertain notification arrived.

    It raises ``notification.sent`` dated the day of the attempt that went, so
    a duty it meets is met on the day it really was.
    """
    with uow, _unless_changed():
        n = _found(uow, principal, notification_id)
        if n.status != delivery.UNCERTAIN:
            raise Conflict(
                "Only a notification whose delivery is uncertain can be confirmed; "
                f"this one is {_words(n.status)}",
                field="status",
            )
        n.confirmed_delivered(clock(), principal.name)
        uow.commit()
    return n


def delivery_callback(
    uow: NotificationsUnitOfWork, clock: Clock, reference: str, status: str
) -> Notification | None:
    """GOV.UK Notify's receipt for the notification ``reference`` names; None if there is no such one."""
    for _ in range(3):
        with uow:
            n = uow.notifications.get(reference)
            if n is None:
                return None
            if not n.reported(clock(), status):
                return n
            try:
                uow.commit()
                return n
            except ConcurrentChange:
                continue  # the dispatcher saved its answer meanwhile: apply the receipt to that
    raise Conflict("The notification kept changing; Notify will send the receipt again", field="reference")


def _found(uow: NotificationsUnitOfWork, principal: Principal, notification_id: str) -> Notification:
    n = uow.notifications.get(notification_id, board_id=principal.board_id)
    if n is None:
        raise NotFound("There is no such notification", field="notification_id")
    return n


@contextmanager
def _unless_changed() -> Iterator[None]:
    try:
        yield
    except ConcurrentChange:
        raise Conflict(
            "The notification changed while you were looking at it: look again", field="notification_id"
        ) from None


def _words(status: str) -> str:
    return status.replace("_", " ")
