"""The commands and queries the scheduler's entrypoints send to its service layer.

Each is handled by one function (see :mod:`services.scheduler.service_layer.messagebus`).
Events from the bus are handled by the listeners of :mod:`...handlers` instead.
``board_id`` is always the asking user's board: nothing crosses boards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from services.scheduler.domain.timetables import PauseScope
from shared.pagination import PER_PAGE


class Message:
    """Base of every command and query."""


# -- deadlines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewDeadlines(Message):
    """What the deadlines of a case with these milestones would be (nothing is stored)."""

    board_id: str
    rule_pack: str
    review_kind: str | None
    milestones: Mapping[str, date]
    notifiable: bool = True  # False: the incident is not notifiable, so nothing is owed for it


@dataclass(frozen=True)
class GetCaseDeadlines(Message):
    """One page of a case's deadlines, each with where it stands today."""

    board_id: str
    case_id: str
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class WaiveDeadline(Message):
    board_id: str
    user_id: str
    deadline_id: str
    reason: str


@dataclass(frozen=True)
class GetCaseSchedule(Message):
    """A case's deadlines and the stages of its timetable, for its schedule page."""

    board_id: str
    case_id: str


@dataclass(frozen=True)
class GetBoardDeadlinesDue(Message):
    """One page of the board's open deadlines due within ``days`` calendar days (overdue ones
    included), the earliest first."""

    board_id: str
    days: int = 30
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class SendReminders(Message):
    """Announce the deadlines that became due soon or overdue on ``on`` (default: today)."""

    on: date | None = None


# -- timetables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTimetable(Message):
    board_id: str
    case_id: str
    template: str
    start_on: date
    review_period_start: date
    exceptional_reason: str | None = None


@dataclass(frozen=True)
class GetTimetable(Message):
    board_id: str
    case_id: str


@dataclass(frozen=True)
class ReplanStage(Message):
    board_id: str
    case_id: str
    code: str
    planned_on: date
    reason: str


@dataclass(frozen=True)
class MarkStageDone(Message):
    board_id: str
    case_id: str
    code: str
    done_on: date


@dataclass(frozen=True)
class PauseTimetable(Message):
    board_id: str
    case_id: str
    process: str
    paused_on: date
    scope: PauseScope = "review"
    note: str = ""


@dataclass(frozen=True)
class ResumeTimetable(Message):
    board_id: str
    case_id: str
    process: str
    resumed_on: date


# -- calendar feeds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateCalendarFeed(Message):
    board_id: str
    user_id: str
    case_id: str | None = None


@dataclass(frozen=True)
class RevokeCalendarFeed(Message):
    board_id: str
    feed_id: str


@dataclass(frozen=True)
class ReadCalendarFeed(Message):
    """The open deadlines a feed's URL shows; ``token`` is the secret in the URL."""

    token: str = field(repr=False)
