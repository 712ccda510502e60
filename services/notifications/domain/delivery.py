"""How a notification travels: its states, its identity, when to try again, which channel.

A notification is ``pending`` until it is tried. Each attempt is saved as
``sending`` before the SMTP transaction (or the request to Notify) starts.
The server's answer decides what follows: accepted, ``sent``; refused before
it had the message, ``pending`` again with a later attempt (temporary, until
the retry window closes) or ``failed`` (permanent). When the connection broke
after the whole message had gone to the server, nobody can tell whether it
will be delivered: the notification is ``uncertain`` and is never sent again
on its own; a person checks with the recipient and resends it or marks it
delivered. A notification still ``sending`` when its dispatcher has gone (a
new dispatcher starts, or the attempt's lease ran out) is ``uncertain`` too.

Every attempt of one notification carries the same identity, derived from its
ledger key: the SMTP Message-ID, or Notify's ``reference``. A mail system that
receives a repeat can drop it by its Message-ID.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DELIVERED = "delivered"
UNCERTAIN = "uncertain"
FAILED = "failed"
BOUNCED = "bounced"
NOT_SENT = "not_sent"

STATUSES = (PENDING, SENDING, SENT, DELIVERED, UNCERTAIN, FAILED, BOUNCED, NOT_SENT)

# What the operations page lists, most urgent first, and what a person may resend.
NEEDS_ATTENTION = (UNCERTAIN, FAILED, BOUNCED, NOT_SENT)
# What the alert counts.
ALERTING = (UNCERTAIN, FAILED)
# What meets a duty to tell someone.
ALREADY_GONE = (SENT, DELIVERED)
# What may still turn out to have gone (an answer or a receipt still to come).
NOT_YET_GONE = (PENDING, SENDING, UNCERTAIN)

# Where the notification ids derived from ledger keys live (uuid5).
_LEDGER = uuid.UUID("6f1c4d1e-3a55-5c3b-9a41-0d6c2f9e7b10")


def notification_id(ledger_key: str) -> str:
    """The notification's id, derived from its ledger key: the same key always gives the same id.

    It is what every attempt carries (the Message-ID's left part, Notify's
    ``reference``), so a repeat of the same notification looks like one.
    """
    return str(uuid.uuid5(_LEDGER, ledger_key))


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
