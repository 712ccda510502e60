"""Learning acted on while the review runs (003 "Timescale for SCR completion": when a review
cannot finish within six months, improvements the case shows are captured, and corrective action
taken, while it is in progress): what was found, the action taken, who owns it and when. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class InterimLearning:
    learning_id: str
    improvement: str
    action_taken: str
    owner: str
    on: date
    agency: str | None
    recorded_by: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.learning_id,
            "improvement": self.improvement,
            "action_taken": self.action_taken,
            "owner": self.owner,
            "on": self.on.isoformat(),
            "agency": self.agency,
            "recorded_by": self.recorded_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterimLearning:
        return cls(
            learning_id=data["id"],
            improvement=data["improvement"],
            action_taken=data["action_taken"],
            owner=data["owner"],
            on=date.fromisoformat(data["on"]),
            agency=data.get("agency"),
            recorded_by=data["recorded_by"],
        )
