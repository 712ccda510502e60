"""Events of the scheduler: statutory deadlines falling due and passing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.events.base import CaseEvent, ident
from shared.events.catalogue import event

SCHEDULER = ("scheduler",)


@dataclass(frozen=True, kw_only=True)
class DeadlineEvent(CaseEvent):
    deadline_id: str = ident()
    code: str = ident()
    due: date
    concerns: str


@event("deadline.due_soon", 1, producers=SCHEDULER)
@dataclass(frozen=True, kw_only=True)
class DeadlineDueSoon(DeadlineEvent):
    """A statutory deadline falls due within the warning window."""


@event("deadline.overdue", 1, producers=SCHEDULER)
@dataclass(frozen=True, kw_only=True)
class DeadlineOverdue(DeadlineEvent):
    """A statutory deadline passed without being met."""
