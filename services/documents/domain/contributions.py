"""What agencies contributed to a review, under the names the review documents' templates read.

The reviews service's events carry each contribution as submitted and as accepted: a chronology
of significant practice events (000 §12; 001 §5.1-5.2), a single agency analysis report under
002 Appendix 1's headings, or a single agency review's answers to 000 §2's six questions.
From them come:

- the ``multi_agency_chronology``: every entry of every chronology submitted or accepted, in
  date and time order (an entry without a time first on its day), each with its agency, as the
  reviews service's merged chronology shows them (000 §5; 002 §2.3);
- one agency's ``single_agency_analysis_report``, ``single_agency_review_questionnaire`` or
  ``spe_chronology_form``.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.events.reviews import ChronologyEntry

CHRONOLOGY = "chronology"
SAAR = "single_agency_analysis_report"
SINGLE_AGENCY_REVIEW = "single_agency_review"
SUBMITTED = "submitted"
ACCEPTED = "accepted"
COUNTED = (SUBMITTED, ACCEPTED)  # what the merged chronology and the reports are made from

MULTI_AGENCY_CHRONOLOGY = "multi_agency_chronology"
SAAR_DOCUMENT = "single_agency_analysis_report"
QUESTIONNAIRE = "single_agency_review_questionnaire"
SPE_FORM = "spe_chronology_form"
# Each document made for one agency, and the contribution it is made from.
PER_AGENCY: Mapping[str, str] = {
    SAAR_DOCUMENT: SAAR,
    QUESTIONNAIRE: SINGLE_AGENCY_REVIEW,
    SPE_FORM: CHRONOLOGY,
}
CONTRIBUTION_NAMES: Mapping[str, str] = {
    CHRONOLOGY: "chronology",
    SAAR: "single agency analysis report",
    SINGLE_AGENCY_REVIEW: "answers to the single agency review questions",
}

# Why an entry is significant: the six questions of 000 §12, as a column prints them.
SIGNIFICANCE: Mapping[str, str] = {
    "changed_assessment": "changed the assessment",
    "pattern": "part of a pattern",
    "statutory_event": "statutory event",
    "significant_to_child": "significant to the child",
    "significant_to_adult": "significant to a significant adult",
    "learning_point": "learning point",
}

# The reviews service names one of 000 §2's questions differently from the questionnaire.
ANSWER_NAMES: Mapping[str, str] = {"policies_supported": "policy_support"}

_LIST_MARK = re.compile(r"^\s*(?:[-*\u2022]|\(?\d+[.)]|\(?[a-z][.)])\s+")


@dataclass(frozen=True)
class AgencyContribution:
    """One agency's contribution as the documents service last heard of it."""

    contribution_id: str
    agency: str
    kind: str
    status: str
    submitted_on: date | None = None
    accepted_on: date | None = None
    entries: list[ChronologyEntry] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        return self.status in COUNTED


def printed(d: date) -> str:
    """ "3 March 2026", as every document prints a date."""
    return f"{d.day} {d:%B %Y}"


def standing(c: AgencyContribution) -> str:
    """Where a contribution stands, in a sentence a document prints."""
    if c.status == ACCEPTED and c.accepted_on:
        return f"Accepted by the panel on {printed(c.accepted_on)}"
    if c.submitted_on:
        return f"Submitted on {printed(c.submitted_on)}; not yet accepted by the panel"
    return "Not submitted"


def latest(contributions: list[AgencyContribution], kind: str, agency: str) -> AgencyContribution | None:
    """The agency's contribution of that kind that counts (the last one asked for, if several)."""
    found = [c for c in contributions if c.kind == kind and c.agency == agency and c.counts]
    return found[-1] if found else None


# -- The multi-agency chronology ---------------------------------------------------------------


def _why(entry: ChronologyEntry) -> str:
    said = [text for name, text in SIGNIFICANCE.items() if getattr(entry, name) is True]
    return ", ".join(said).capitalize()


def merged_rows(contributions: list[AgencyContribution], agencies: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every counted chronology entry, in date and time order; on the same instant, by agency."""
    keyed = []
    for c in contributions:
        if c.kind != CHRONOLOGY or not c.counts:
            continue
        name = agencies.get(c.agency, c.agency)
        for i, e in enumerate(c.entries):
            keyed.append(((e.date, e.time or "", name, i), name, e))
    keyed.sort(key=lambda item: item[0])
    rows = []
    for _, name, e in keyed:
        why = _why(e)
        significance = "; ".join(part for part in (e.significance or "", why) if part)
        rows.append(
            {
                "date": e.date,
                "time": e.time or "",
                "agency": name,
                "event": e.event,
                "source": e.source,
                "significance": significance,
            }
        )
    return rows


def chronology_context(
    contributions: list[AgencyContribution],
    agencies: Mapping[str, str],
    period: tuple[date, date] | None,
) -> dict[str, Any]:
    """The merged chronology as its template reads it; ``period`` as the terms of reference agreed
    it, or None: then the period the entries cover."""
    rows = merged_rows(contributions, agencies)
    counted = [c for c in contributions if c.kind == CHRONOLOGY and c.counts]
    contributors = sorted(
        (
            {
                "agency": agencies.get(c.agency, c.agency),
                "count": str(len(c.entries)),
                "standing": standing(c),
            }
            for c in counted
        ),
        key=lambda row: row["agency"],
    )
    out: dict[str, Any] = {"entries": rows, "contributors": contributors}
    if period is not None:
        out["review_period"] = {"start": period[0], "end": period[1]}
        out["period_basis"] = "As agreed in the terms of reference"
    elif rows:
        out["review_period"] = {"start": rows[0]["date"], "end": rows[-1]["date"]}
        out["period_basis"] = "From the first entry to the last: the terms of reference are not agreed yet"
    out["provisional"] = any(c.status != ACCEPTED for c in counted)
    return out


def fingerprint(context: Mapping[str, Any]) -> str:
    """A digest of what a merged chronology says: the same entries and standing, the same digest."""
    said = {k: context.get(k) for k in ("entries", "contributors", "review_period")}
    return hashlib.sha256(json.dumps(said, sort_keys=True, default=str).encode()).hexdigest()


# -- One agency's documents --------------------------------------------------------------------


def as_rows(text: str, column: str) -> list[dict[str, str]]:
    """A section written as a list (one item a line, numbered or bulleted or not) as table rows."""
    items = [_LIST_MARK.sub("", line).strip() for line in text.splitlines()]
    return [{column: item} for item in items if item]


def saar_context(c: AgencyContribution, agency_name: str) -> dict[str, Any]:
    """A single agency analysis report under 002 Appendix 1's headings, as the agency wrote it."""
    s = c.sections
    return {
        "agency": agency_name,
        "version": standing(c),
        "introduction": s.get("introduction", ""),
        "facts": s.get("facts", ""),
        "analysis": s.get("analysis", ""),
        "key_issues": s.get("key_issues", ""),
        "learning_points": s.get("learning_points", ""),
        "recommendations": as_rows(s.get("recommendations", ""), "recommendation"),
        "action_plan": as_rows(s.get("action_plan", ""), "action"),
    }


def questionnaire_context(c: AgencyContribution, agency_name: str) -> dict[str, Any]:
    """A single agency review's answers to 000 §2's six questions."""
    answers = {ANSWER_NAMES.get(k, k): v for k, v in c.answers.items()}
    return {"agency": agency_name, "version": standing(c), "answers": answers}


def spe_form_context(c: AgencyContribution | None, agency_name: str) -> dict[str, Any]:
    """One agency's SPE chronology form: its entries (date and what happened) once it submitted
    its chronology; the blank form before."""
    if c is None:
        return {"agency": agency_name, "entries": []}
    return {
        "agency": agency_name,
        "entries": [{"date": e.date, "event": e.event} for e in c.entries],
    }
