"""What the reviews pages of meetings, the family, quality markers and interim learning share:
meetings as the pages show them (days and London times as GOV.UK writes them), the case's
reference for the caption, and auditing a form page as the API audits its reads and writes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints.api import _deps, _viewer
from services.reviews.service_layer import commands
from shared.audit import audited


def audited_form(
    resource: str, id_arg: str, read: str = "review.read", write: str = "review.write"
) -> Callable[[Callable[..., ResponseReturnValue]], Callable[..., ResponseReturnValue]]:
    """Audit a form page as the API would: showing it as a read, sending it as a write."""

    def decorate(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        reading, writing = audited(read, resource, id_arg)(view), audited(write, resource, id_arg)(view)

        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            return (writing if request.method == "POST" else reading)(*args, **kwargs)

        return wrapper

    return decorate


def clock(moment: datetime) -> str:
    """A time as GOV.UK writes it: 9am, 2:30pm, midday, midnight."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def shown(meeting: dict[str, Any]) -> dict[str, Any]:
    """A meeting as the pages show it: its day, and its times in London."""
    starts, ends = datetime.fromisoformat(meeting["starts_at"]), datetime.fromisoformat(meeting["ends_at"])
    return {**meeting, "day": starts.date(), "starts": starts, "times": f"{clock(starts)} to {clock(ends)}"}


def reference(case_id: str) -> str:
    found: str = commands.get_review(_deps().uow, _viewer(), case_id).get("reference") or ""
    return found
