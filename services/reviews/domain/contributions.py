"""What an agency contributes to a review, and the way it goes between the agency and the panel.

A contribution is a chronology of significant practice events (000 §12; 001 §5.1-5.2), a
single agency analysis report under 002 Appendix 1's headings, or the answers of a single agency
review to 000 §2's six key questions. Its states::

    requested -> draft -> submitted -> accepted
                  ^          |
                  |          v
                  +------ returned (with comments) -> submitted again

Content may be saved while requested, draft or returned; a submitted or accepted one is read
only. Every other move is refused with :class:`shared.errors.Conflict`. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.reviews.domain.vocabulary import (
    ACCEPTED,
    CHRONOLOGY,
    DRAFT,
    KEY_QUESTIONS,
    REQUESTED,
    RETURNED,
    SAAR,
    SAAR_SECTIONS,
    SINGLE_AGENCY_REVIEW,
    SUBMITTED,
)
from shared.errors import Conflict, InvalidInput
from shared.events.reviews import ChronologyEntry

EDITABLE = (REQUESTED, DRAFT, RETURNED)

# What each kind holds, and the name of its content in requests.
CONTENT = {CHRONOLOGY: "entries", SAAR: "sections", SINGLE_AGENCY_REVIEW: "answers"}


def entry_key(entry: ChronologyEntry) -> tuple[date, str]:
    """Order of entries: by date, then time (an entry without a time first on its day)."""
    return (entry.date, entry.time or "")


@dataclass
class Step:
    status: str
    on: date
    by: str
    comments: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "on": self.on.isoformat(), "by": self.by, "comments": self.comments}


@dataclass
class Contribution:
    contribution_id: str
    agency: str
    kind: str
    requested_on: date
    due_on: date
    status: str = REQUESTED
    contact_email: str | None = None  # who at the agency was asked, if the requester named them
    contact_name: str | None = None
    entries: list[ChronologyEntry] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    history: list[Step] = field(default_factory=list)

    @property
    def comments(self) -> str | None:
        """The comments it was last returned with, if it was."""
        returned = [s for s in self.history if s.status == RETURNED]
        return returned[-1].comments if returned else None

    # -- content ------------------------------------------------------------------------------

    def _editable(self, what: str, kind: str) -> None:
        if self.kind != kind:
            raise Conflict(f"This contribution is a {self.kind}, not a {what}", CONTENT[self.kind])
        if self.status not in EDITABLE:
            raise Conflict(f"A contribution that is {self.status} cannot be changed", "status")

    def _drafted(self, on: date, by: str) -> None:
        if self.status == REQUESTED:
            self.status = DRAFT
            self.history.append(Step(DRAFT, on, by))

    def save_chronology(self, entries: list[ChronologyEntry], today: date, by: str) -> None:
        self._editable("chronology", CHRONOLOGY)
        future = [
            {"field": f"entries.{i}.date", "message": "An event in a chronology cannot lie in the future"}
            for i, e in enumerate(entries)
            if e.date > today
        ]
        if future:
            raise InvalidInput(future)
        self.entries = sorted(entries, key=entry_key)
        self._drafted(today, by)

    def save_sections(self, sections: Mapping[str, str], today: date, by: str) -> None:
        """Any of 002 Appendix 1's headings: those given replace what they held; an empty one clears it."""
        self._editable("single agency analysis report", SAAR)
        unknown = sorted(set(sections) - set(SAAR_SECTIONS))
        if unknown:
            raise InvalidInput(
                [{"field": f"sections.{k}", "message": "Not a heading of the report"} for k in unknown]
            )
        for key, text in sections.items():
            if text.strip():
                self.sections[key] = text
            else:
                self.sections.pop(key, None)
        self._drafted(today, by)

    def save_answers(self, answers: Mapping[str, str], today: date, by: str) -> None:
        self._editable("single agency review", SINGLE_AGENCY_REVIEW)
        unknown = sorted(set(answers) - set(KEY_QUESTIONS))
        if unknown:
            raise InvalidInput(
                [{"field": f"answers.{k}", "message": "Not one of the key questions"} for k in unknown]
            )
        for key, text in answers.items():
            if text.strip():
                self.answers[key] = text
            else:
                self.answers.pop(key, None)
        self._drafted(today, by)

    # -- moves --------------------------------------------------------------------------------

    def missing(self) -> list[dict[str, str]]:
        """What it still lacks to be submitted, each naming its field."""
        if self.kind == CHRONOLOGY:
            return [] if self.entries else [{"field": "entries", "message": "Add at least one entry"}]
        if self.kind == SAAR:
            return [
                {"field": f"sections.{k}", "message": "Write this section before submitting"}
                for k in SAAR_SECTIONS
                if not self.sections.get(k, "").strip()
            ]
        return [
            {"field": f"answers.{k}", "message": f"Answer this question: {text}"}
            for k, text in KEY_QUESTIONS.items()
            if not self.answers.get(k, "").strip()
        ]

    def submit(self, today: date, by: str) -> None:
        if self.status not in (DRAFT, RETURNED):
            if self.status == REQUESTED:
                raise Conflict(
                    "Nothing has been written yet: save the contribution before submitting it", "status"
                )
            raise Conflict(f"A contribution that is {self.status} cannot be submitted", "status")
        problems = self.missing()
        if problems:
            raise InvalidInput(problems)
        self.status = SUBMITTED
        self.history.append(Step(SUBMITTED, today, by))

    def accept(self, today: date, by: str) -> None:
        if self.status != SUBMITTED:
            raise Conflict(
                f"Only a submitted contribution can be accepted; this one is {self.status}", "status"
            )
        self.status = ACCEPTED
        self.history.append(Step(ACCEPTED, today, by))

    def send_back(self, comments: str, today: date, by: str) -> None:
        if self.status != SUBMITTED:
            raise Conflict(
                f"Only a submitted contribution can be returned; this one is {self.status}", "status"
            )
        if not comments.strip():
            raise InvalidInput([{"field": "comments", "message": "Say what the agency should change"}])
        self.status = RETURNED
        self.history.append(Step(RETURNED, today, by, comments))

    @property
    def in_chronology(self) -> bool:
        """Whether its entries belong in the merged chronology: submitted or accepted."""
        return self.kind == CHRONOLOGY and self.status in (SUBMITTED, ACCEPTED)
