"""The period under review: how far back from the incident a review looks (002 §2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.scheduler.domain.calendar import add_months, require_date
from services.scheduler.domain.errors import ScheduleInputError

REVIEW_PERIOD_MONTHS = 12
REVIEW_PERIOD_EXCEPTIONAL_MONTHS = 24
REVIEW_PERIOD_SOURCE = "002 §2.1"


@dataclass(frozen=True)
class ReviewPeriod:
    start: date
    end: date  # the incident
    exceptional_reason: str | None = None  # recorded only when the period needs one

    @property
    def exceptional(self) -> bool:
        """True when the period reaches back more than 12 months before the incident."""
        return self.exceptional_reason is not None


def check_review_period(
    start: date, incident_on: date, exceptional_reason: str | None = None
) -> ReviewPeriod:
    """Check the period under review: it looks back from the incident no more than
    12 calendar months, or up to 24 when an exceptional reason is recorded (002 §2.1).
    """
    require_date(incident_on, "incident_on")
    require_date(start, "review_period_start")
    reason = exceptional_reason.strip() if isinstance(exceptional_reason, str) else None
    if start > incident_on:
        raise ScheduleInputError(
            [{"field": "review_period_start", "message": "must not be after the incident"}]
        )
    if start >= add_months(incident_on, -REVIEW_PERIOD_MONTHS):
        return ReviewPeriod(start, incident_on)  # no reason needed, none kept
    limit = add_months(incident_on, -REVIEW_PERIOD_EXCEPTIONAL_MONTHS)
    if start < limit:
        raise ScheduleInputError(
            [
                {
                    "field": "review_period_start",
                    "message": f"a review looks back at most {REVIEW_PERIOD_EXCEPTIONAL_MONTHS} "
                    f"months before the incident, so not before {limit.isoformat()} "
                    f"({REVIEW_PERIOD_SOURCE})",
                }
            ]
        )
    if not reason:
        raise ScheduleInputError(
            [
                {
                    "field": "exceptional_reason",
                    "message": f"looking back more than {REVIEW_PERIOD_MONTHS} months before the "
                    f"incident needs a recorded exceptional reason ({REVIEW_PERIOD_SOURCE})",
                }
            ]
        )
    return ReviewPeriod(start, incident_on, reason)
