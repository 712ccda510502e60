"""Errors the scheduler's domain raises; each maps to the product's one error contract.

They extend :mod:`shared.errors`, so the web layer turns them into
``{"status": 4xx, "errors": [{"field": ..., "message": ...}]}`` without knowing them.
"""

from __future__ import annotations

from shared.errors import Conflict, InvalidInput, NotFound


class ScheduleInputError(InvalidInput):
    """One or more values given to the scheduler are wrong; every problem is listed."""

    @property
    def fields(self) -> list[str]:
        """The fields named by the problems, in the order they were found."""
        return [e["field"] for e in self.errors()]


class StageNotFound(NotFound):
    """The timetable has no stage with that code."""


class StageConflict(Conflict):
    """The stage is not in a state that allows the change (done already, waiting, ...)."""
