"""The alert a person must not miss: notifications that are uncertain or failed, on ``/metrics``.

The dispatcher sets the gauge after every pass from the store's counts (of
every board), so it shows what is waiting for a person, not what happened
in this process. Alert on ``lscb_notifications_needing_attention > 0``; the
operations page (/notifications/operations) lists them, uncertain first.
"""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import Gauge

NEEDING_ATTENTION = Gauge(
    "lscb_notifications_needing_attention",
    "Notifications a person must look at: uncertain (may have gone, not resent on their own) and failed",
    ["service", "status"],
    multiprocess_mode="livemax",  # every worker counts the same store: the largest recent count
)


def needing_attention(counts: Mapping[str, int]) -> None:
    """Show the counts of uncertain and failed notifications (``delivery.ALERTING``)."""
    for status, count in counts.items():
        NEEDING_ATTENTION.labels(service="notifications", status=status).set(count)
