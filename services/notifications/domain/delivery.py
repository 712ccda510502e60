"""How a notification travels: its states, when to try again, which channel, what Notify reports.

A notification is ``pending`` until it is sent; a temporary failure keeps it
pending with a later attempt, until the retry window closes; a permanent
failure stops at once. Every outcome is kept and shown; nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PENDING = "pending"
SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"
BOUNCED = "bounced"
NOT_SENT = "not_sent"

# What the operations page lists, and what may be resent.
NEEDS_ATTENTION = (FAILED, BOUNCED, NOT_SENT)
ALREADY_GONE = (SENT, DELIVERED)

# GOV.UK Notify's delivery receipts (its callback's "status") -> our status.
NOTIFY_REPORTS = {
    "delivered": DELIVERED,
    "permanent-failure": BOUNCED,
    "temporary-failure": FAILED,
    "technical-failure": FAILED,
}


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff from ``base_seconds``, capped, within a window from the first attempt."""

    window: timedelta
    base_seconds: float
    cap_seconds: float = 3600

    def next_attempt(self, at: datetime, first_attempt_at: datetime, attempts: int) -> datetime | None:
        """When to try again after ``attempts`` failed tries; None once the window has closed."""
        window_end = first_attempt_at + self.window
        if at >= window_end:
            return None
        delay = min(self.base_seconds * (2 ** (attempts - 1)), self.cap_seconds)
        return min(at + timedelta(seconds=delay), window_end)


def choose_channel(chosen: str | None, smtp_configured: bool, notify_configured: bool) -> str | None:
    """The channel a board's messages go by: the one it chose if configured, else SMTP, else Notify."""
    if chosen == "notify" and notify_configured:
        return "notify"
    if chosen in (None, "smtp") and smtp_configured:
        return "smtp"
    if chosen is None and notify_configured:
        return "notify"
    return None
