"""What the reviews service's events say, under the names the review documents' templates read.

The terms of reference the panel agreed (``terms_of_reference.agreed``) become the context of the
``terms_of_reference`` document (004; 002 §2.1): it overrides what the case record would
otherwise supply (the decision's method and factors, a default period under review).

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from shared.events.reviews import PanelSeat, TermsOfReferenceAgreed
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS, REVIEW_KIND_LABELS

TERMS_OF_REFERENCE = "terms_of_reference"

# Each method as the terms of reference name it, and how it gathers and analyses information.
METHODS: Mapping[str, tuple[str, str]] = {
    "intensive": (
        "Intensive SCR",
        "Significant practice event chronologies from every agency, case group forums, analysis "
        "meetings over two or more half days and a learning workshop (001 §5.3, §6)",
    ),
    "targeted": (
        "Targeted SCR",
        "Significant practice event chronologies, a case group forum of up to a day and one or "
        "two analysis meetings (001 §5.4, §6)",
    ),
    "systems": (
        "Systems approach",
        "Agencies' chronologies and analysis reports, a learning event with the practitioners "
        "involved and panel meetings that analyse why practice was as it was (000 §3; 002 §2)",
    ),
    "seven_week": (
        "Seven-week review",
        "Chronologies, file audits and answers to the key questions in weeks 1-4, one-to-one "
        "meetings in week 5 and a review meeting in week 6 (000 §6)",
    ),
}

PARALLEL_PROCESSES: Mapping[str, str] = {
    "criminal_investigation": "Criminal investigation",
    "criminal_proceedings": "Criminal proceedings",
    "coroners_inquest": "Coroner's inquest",
    "domestic_homicide_review": "Domestic Homicide Review",
    "mappa_review": "MAPPA serious case review",
    "youth_justice_review": "Youth justice serious incident review",
    "health_serious_incident": "Health serious incident investigation",
}

PANEL_ROLES: Mapping[str, str] = {
    "panel_chair": "Panel chair",
    "member": "Panel member",
    "lead_reviewer": "Lead reviewer",
    "adviser": "Adviser",
    "minute_taker": "Minute taker",
}


@dataclass(frozen=True, kw_only=True)
class AgreedTerms:
    """The terms of reference as the service keeps them (what ``terms_of_reference.agreed`` said)."""

    review_kind: str
    agreed_on: date
    method: str
    breadth_and_depth: str
    focus_questions: list[str]
    period_from: date
    period_to: date
    agencies: list[str]
    proportionality_rationale: str
    reference: str | None = None
    extended_period_reason: str | None = None
    parallel_processes: list[str] = field(default_factory=list)
    case_factors: list[str] = field(default_factory=list)
    context_factors: list[str] = field(default_factory=list)
    reviewer_skills: str | None = None
    panel: list[PanelSeat] = field(default_factory=list)

    @classmethod
    def of(cls, data: TermsOfReferenceAgreed) -> AgreedTerms:
        return cls(**{f.name: getattr(data, f.name) for f in fields(cls)})

    @classmethod
    def from_plain(cls, raw: Mapping[str, Any]) -> AgreedTerms:
        """From the JSON the service keeps (dates as ISO 8601 text, panel seats as objects)."""
        given = {f.name: raw[f.name] for f in fields(cls) if f.name in raw}
        for name in ("agreed_on", "period_from", "period_to"):
            given[name] = date.fromisoformat(given[name])
        given["panel"] = [PanelSeat(**seat) for seat in raw.get("panel", [])]
        return cls(**given)


def terms_of_reference_context(
    data: TermsOfReferenceAgreed | AgreedTerms, agencies: Mapping[str, str]
) -> dict[str, Any]:
    """The agreed terms as the ``terms_of_reference`` template reads them; ``agencies`` names
    each of the board's agencies by its code."""
    kind = REVIEW_KIND_LABELS.get(data.review_kind, data.review_kind)
    title, how = METHODS.get(data.method, (data.method, data.method))
    return {
        "document_date": data.agreed_on,
        "review": {"kind": data.review_kind, "methodology": f"{kind} ({title})"},
        "review_period": {
            "start": data.period_from,
            "end": data.period_to,
            **({"reason": data.extended_period_reason} if data.extended_period_reason else {}),
        },
        "scope": data.breadth_and_depth,
        "focus_questions": list(data.focus_questions),
        "method": how,
        "reviewer_skills": data.reviewer_skills or "",
        "lead_reviewers": [
            {"name": p.name, "organisation": p.organisation} for p in data.panel if p.role == "lead_reviewer"
        ],
        "review_panel": [
            {
                "name": p.name,
                "role": PANEL_ROLES.get(p.role, p.role),
                "agency": agencies.get(p.agency, p.agency) if p.agency else p.organisation,
            }
            for p in data.panel
            if p.role != "lead_reviewer"
        ],
        "agencies": [{"name": agencies.get(code, code)} for code in data.agencies],
        "proportionality": {
            "rationale": data.proportionality_rationale,
            "case_factors": [{"factor": CASE_FACTORS.get(c, c)} for c in data.case_factors],
            "context_factors": [{"factor": CONTEXT_FACTORS.get(c, c)} for c in data.context_factors],
        },
        "parallel_processes": [PARALLEL_PROCESSES.get(p, p) for p in data.parallel_processes],
    }
