"""The terms of reference of a review: its scope, focus, method and why it is proportionate.

004 asks for a proportionate form and focus, argued from the case factors and the context
factors; 002 §2.1 bounds the period under review (at most 12 months before the incident,
exceptionally 24, with the reason). Board members and lead reviewers comment on the draft
before the panel agrees it (004 questions 1-2); once agreed it no longer changes. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from services.reviews.domain.vocabulary import (
    LONGEST_PERIOD_MONTHS,
    METHODS,
    PARALLEL_PROCESSES,
    USUAL_PERIOD_MONTHS,
)
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS


@dataclass(frozen=True)
class Terms:
    breadth_and_depth: str
    focus_questions: tuple[str, ...]
    method: str
    period_from: date
    period_to: date
    agencies: tuple[str, ...]
    proportionality_rationale: str
    parallel_processes: tuple[str, ...] = ()
    case_factors: tuple[str, ...] = ()
    context_factors: tuple[str, ...] = ()
    extended_period_reason: str | None = None
    reviewer_skills: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, date):
                out[key] = value.isoformat()
            elif isinstance(value, tuple):
                out[key] = list(value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Terms:
        given = dict(data)
        for key in ("period_from", "period_to"):
            if isinstance(given[key], str):
                given[key] = date.fromisoformat(given[key])
        for key in ("focus_questions", "agencies", "parallel_processes", "case_factors", "context_factors"):
            given[key] = tuple(given.get(key) or ())
        return cls(**given)


@dataclass(frozen=True)
class Comment:
    author: str
    author_role: str
    text: str
    at: str  # ISO timestamp

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def months_before(d: date, months: int) -> date:
    """``d`` less ``months`` calendar months, clamped to the month's last day."""
    year, month = divmod(d.year * 12 + d.month - 1 - months, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover: day 28 exists in every month


@dataclass
class TermsCheck:
    problems: list[dict[str, str]] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append({"field": where, "message": message})


def terms_problems(
    terms: Terms, *, incident_on: date | None, board_agencies: Mapping[str, str]
) -> list[dict[str, str]]:
    """Every problem with the terms at once, each naming its field."""
    check = TermsCheck()
    if not terms.breadth_and_depth.strip():
        check.add("breadth_and_depth", "Say how broad and how deep the review goes")
    if not [q for q in terms.focus_questions if q.strip()]:
        check.add("focus_questions", "Give at least one question the review will focus on")
    if terms.method not in METHODS:
        check.add("method", f"Choose one of {', '.join(METHODS)}")
    if not terms.proportionality_rationale.strip():
        check.add("proportionality_rationale", "Say why this form and focus are proportionate (004)")
    if not terms.agencies:
        check.add("agencies", "Name at least one agency the review covers")
    for i, code in enumerate(terms.agencies):
        if code not in board_agencies:
            check.add(f"agencies.{i}", f"{code!r} is not an agency of this board")
    for i, code in enumerate(terms.parallel_processes):
        if code not in PARALLEL_PROCESSES:
            check.add(f"parallel_processes.{i}", f"Choose from {', '.join(PARALLEL_PROCESSES)}")
    for i, code in enumerate(terms.case_factors):
        if code not in CASE_FACTORS:
            check.add(f"case_factors.{i}", f"Choose from {', '.join(CASE_FACTORS)}")
    for i, code in enumerate(terms.context_factors):
        if code not in CONTEXT_FACTORS:
            check.add(f"context_factors.{i}", f"Choose from {', '.join(CONTEXT_FACTORS)}")
    if not terms.case_factors:
        check.add("case_factors", "Name the factors of the case (004) that shaped this form and focus")
    if not terms.context_factors:
        check.add("context_factors", "Name the factors of the local context (004) that shaped it")
    if not (terms.reviewer_skills or "").strip():
        check.add("reviewer_skills", "Say what knowledge and skills the reviewers need (004)")
    _period(check, terms, incident_on)
    return check.problems


def _period(check: TermsCheck, terms: Terms, incident_on: date | None) -> None:
    if terms.period_to < terms.period_from:
        check.add("period_to", "The period under review ends before it starts")
    if incident_on is None:
        return
    longest = months_before(incident_on, LONGEST_PERIOD_MONTHS)
    usual = months_before(incident_on, USUAL_PERIOD_MONTHS)
    if terms.period_from < longest:
        check.add(
            "period_from",
            f"The period under review starts at most {LONGEST_PERIOD_MONTHS} months before the "
            f"incident, on {longest:%-d %B %Y} or later (002 §2.1)",
        )
    elif terms.period_from < usual and not (terms.extended_period_reason or "").strip():
        check.add(
            "extended_period_reason",
            f"A period starting more than {USUAL_PERIOD_MONTHS} months before the incident is "
            "exceptional: say why (002 §2.1)",
        )
