"""Field types every service's request schemas share."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from marshmallow import ValidationError, fields

from shared.framework import today_in_england

EARLIEST = date(1900, 1, 1)
FURTHEST_AHEAD = timedelta(days=366)


class Day(fields.Date):
    """A calendar date in a request (``YYYY-MM-DD``) within a range a case can have.

    No date before 1900 and none more than a year ahead: year 1 or 9999 is a
    typing slip, and the documents, deadlines and letters built from it could
    not be made. Whether a date may lie in the future at all is the domain's
    rule, said with its reason. A field whose domain lets a date lie further ahead says how far
    in ``furthest_ahead``.
    """

    furthest_ahead: timedelta = FURTHEST_AHEAD

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day: date = super()._deserialize(value, attr, data, **kwargs)
        latest = today_in_england() + self.furthest_ahead
        if day < EARLIEST:
            raise ValidationError(f"Enter a date from {EARLIEST:%-d %B %Y} onwards")
        if day > latest:
            raise ValidationError(f"Enter a date no later than {latest:%-d %B %Y}")
        return day
