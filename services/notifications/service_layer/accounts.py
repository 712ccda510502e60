"""Account emails: the single-use link the referral service issued, emailed to its person.

An invitation to a new account, or a password reset (``account.link_issued``). The link is a
credential: it arrives sealed, is opened only to write the message, and is never logged nor
kept (the log, ``AccountMail``, says only whether the email went). Every attempt carries the
same Message-ID, made from the event's id. A refusal that may pass (a server down) is raised, so
the bus tries again and, in the end, keeps it as a dead letter; one that will not pass is logged
as failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.notifications.adapters.account_mail import AccountMail
from services.notifications.adapters.boards import ChannelFor
from services.notifications.service_layer.dispatch import Render
from services.notifications.service_layer.handlers import listeners
from services.notifications.service_layer.mail_log import send_logged
from shared import crypto
from shared.events import Event
from shared.events.accounts import AccountLinkIssued
from shared.logging import get_logger
from shared.words import long_date

log = get_logger(__name__)

QUEUE = "accounts"
TEMPLATES = {"invitation": "account_invitation", "password_reset": "account_password_reset"}
GONE = ("sent", "delivered")


@listeners.handles(AccountLinkIssued, queue=QUEUE)
def on_account_link(
    event: Event[AccountLinkIssued], channel_for: ChannelFor, render: Render, clock: Callable[[], datetime]
) -> None:
    data = event.data
    mail: AccountMail | None = AccountMail.objects(event_id=event.event_id).first()
    if mail is not None and mail.status in GONE:
        return  # a repeat of an event whose email went
    mail = mail or AccountMail(
        event_id=event.event_id,
        link_id=data.link_id,
        board_id=data.board_id,
        purpose=data.purpose,
        address=data.email,
        status="sending",
    )
    channel = channel_for(data.board_id)
    if channel is None:
        mail.status, mail.status_reason = (
            "not_sent",
            "no channel configured for this board (set SMTP_HOST or Notify)",
        )
        mail.save()
        log.warning("notifications.account_mail_not_sent", link_id=data.link_id)
        return
    context = {
        "name": data.name,
        "board_name": data.board_name,
        "email": data.email,
        "link": crypto.open_json(data.link_sealed)["url"],
        "expires": long_date(data.expires_at),
    }
    rendered = render(TEMPLATES[data.purpose], context)
    reference = f"account-{event.event_id}"
    if not send_logged(mail, channel, rendered, to=data.email, reference=reference, clock=clock):
        reason = (mail.status_reason or "")[:200]
        log.error("notifications.account_mail_failed", link_id=data.link_id, reason=reason)
        return
    log.info("notifications.account_mail_sent", link_id=data.link_id, channel=channel.name)
