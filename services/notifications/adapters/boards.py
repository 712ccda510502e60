"""Which channel each board's messages go by: the board's choice, as far as the settings allow."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from services.notifications.adapters.channels import Channel, NotifyChannel, SmtpChannel
from services.notifications.domain.delivery import choose_channel
from shared.auth.models import Board
from shared.config import Settings

ChannelFor = Callable[[str], Channel | None]


def channels_for_boards(settings: Settings) -> ChannelFor:
    """board id -> its channel, or None when none is configured for it."""

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
        return make(name) if name else None

    return channel_for
