"""Which channel each board's messages go by: the board's choice, as far as the settings allow."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from services.notifications.adapters.channels import Channel, NotifyChannel, SmtpChannel
from services.notifications.adapters.channels.outbox import OutboxChannel
from services.notifications.domain.delivery import choose_channel
from shared.auth.models import Board
from shared.config import Settings

ChannelFor = Callable[[str], Channel | None]


def channels_for_boards(settings: Settings) -> ChannelFor:
    """board id -> its channel, or None when none is configured for it.

    In development with no mail server configured (``Settings.mail_outbox``), a board with
    no channel gets the development outbox instead.
    """

    @lru_cache(maxsize=4)
    def make(name: str) -> Channel:
        if name == "smtp":
            return SmtpChannel(
                settings.SMTP_HOST,
                settings.SMTP_PORT,
                settings.SMTP_SENDER,
                username=settings.SMTP_USERNAME or None,
                password=settings.SMTP_PASSWORD or None,
                starttls=settings.SMTP_STARTTLS,  # type: ignore[arg-type]  # checked by SmtpChannel
            )
        return NotifyChannel(settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID, settings.NOTIFY_BASE_URL)

    def channel_for(board_id: str) -> Channel | None:
        board = Board.objects(board_id=board_id).only("notification_channel").first()
        name = choose_channel(
            board.notification_channel if board else None,
            smtp_configured=bool(settings.SMTP_HOST),
            notify_configured=bool(settings.NOTIFY_API_KEY),
        )
        if name:
            return make(name)
        return outbox(board_id) if settings.mail_outbox else None

    @lru_cache(maxsize=16)
    def outbox(board_id: str) -> Channel:
        return OutboxChannel(settings.SMTP_SENDER, board_id)

    return channel_for
