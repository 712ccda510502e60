"""What this service keeps of a case (event-carried state): its reference, its rule pack and
the Chair's decisions.

It is filled from the referral service's events as they arrive, so a letter
can be sent with the words its message needs without asking anyone. A
decision is kept by the id of the event that recorded, changed or confirmed
it: a letter names that event as its cause. The rule pack (the one the case
was screened under, for life) decides who a decision goes to and the words
of its messages (:mod:`.wording`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import wording


@dataclass(frozen=True)
class Reviewer:
    name: str
    organisation: str


@dataclass(frozen=True)
class Decision:
    event_id: str  # the event that recorded (or changed) it
    correlation_id: str  # what else happened in the same step: reviewers appointed with it
    outcome: str
    decided_on: date
    initiated_on: date | None = None
    lead_reviewers: tuple[Reviewer, ...] = ()
    previous_outcome: str | None = None  # set when a challenge changed the decision
    # Set when the board kept its decision after a challenge (003 checklist): ``decided_on`` is
    # then the day it was confirmed, and ``challenged_by`` who challenged it (peer, national_panel).
    confirmed: bool = False
    challenged_by: str | None = None

    def context(self) -> dict[str, Any]:
        """What the decision messages say of it; plain values, as the ledger keeps them."""
        return {
            "outcome": self.outcome,
            "decided_on": self.decided_on.isoformat(),
            "initiated_on": self.initiated_on.isoformat() if self.initiated_on else None,
            "lead_reviewers": [{"name": r.name, "organisation": r.organisation} for r in self.lead_reviewers],
            "previous_outcome": self.previous_outcome,
            "confirmed": self.confirmed,
            "challenged_by": self.challenged_by,
        }


@dataclass
class Case:
    case_id: str
    board_id: str
    reference: str | None = None
    decisions: dict[str, Decision] = field(default_factory=dict)
    rule_pack: str | None = None  # None: a case known before packs travelled here, read as wt2015

    @property
    def name(self) -> str:
        """How messages name the case: its reference, never personal details."""
        return self.reference or self.case_id

    def decided(self, decision: Decision) -> None:
        self.decisions[decision.event_id] = decision

    def decision_from(self, event_id: str | None) -> Decision | None:
        return self.decisions.get(event_id) if event_id else None

    def decided_with(self, correlation_id: str) -> bool:
        """Whether a decision was taken in the same step (the same correlation) as something else."""
        return any(d.correlation_id == correlation_id for d in self.decisions.values())

    def context(self) -> dict[str, Any]:
        """What every message of the case may say: its reference, and the words of its pack."""
        return {"reference": self.name, **wording.context(self.rule_pack)}
