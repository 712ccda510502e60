"""The rules a referral's dates and agencies must meet before it becomes a case.

Every problem is reported at once, each naming its field, as the error contract asks.
Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

AWARE_BEFORE_INCIDENT = (
    "The date the local authority became aware must be the same as or after the date of the incident"
)
NOTIFIED_BEFORE_AWARE = "The board cannot have been notified before the local authority became aware"


def date_problems(incident_on: date, became_aware_on: date) -> list[dict[str, Any]]:
    """The order of the incident and the local authority becoming aware of it."""
    if became_aware_on < incident_on:
        return [{"field": "became_aware_on", "message": AWARE_BEFORE_INCIDENT}]
    return []


def referral_problems(
    *,
    incident_on: date,
    became_aware_on: date,
    board_notified_on: date,
    agencies_involved: Sequence[str],
    referrer_agency: str | None,
    board_agencies: Mapping[str, str],
    today: date,
) -> list[dict[str, Any]]:
    """Every problem with a referral's dates and agencies; ``board_agencies`` maps codes to names."""
    problems: list[dict[str, Any]] = []
    for name, value in (
        ("incident_on", incident_on),
        ("became_aware_on", became_aware_on),
        ("board_notified_on", board_notified_on),
    ):
        if value > today:
            problems.append({"field": name, "message": "The date cannot be in the future"})
    problems += date_problems(incident_on, became_aware_on)
    if board_notified_on < became_aware_on:
        problems.append({"field": "board_notified_on", "message": NOTIFIED_BEFORE_AWARE})
    for i, code in enumerate(agencies_involved):
        if code not in board_agencies:
            problems.append(
                {"field": f"agencies_involved.{i}", "message": f"{code!r} is not an agency of this board"}
            )
    if referrer_agency not in board_agencies:
        problems.append({"field": "referrer.agency", "message": "Choose an agency of this board"})
    return problems
