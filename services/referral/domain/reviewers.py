"""Lead reviewers as records, and the independence an SCR asks of them.

A lead reviewer is a record: name, organisation, email, the board agency they belong to (if
any), their qualifications, and four declarations of independence, each true or false. For a
Serious Case Review the lead reviewer must be independent of the case, of the agencies involved
and of the board's own agencies (001 §5.6: "fully independent of all the agencies of the LSCB";
003 "Appointing reviewers": independent of the LSCB and of the organisations involved, and
qualified to conduct reviews; 002 §2.2: independent of the agencies involved with the child and
family). Reviews below the SCR threshold may have internal reviewers (000 §4.1; 001 §5.6), so
none of this is asked of them.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SRC_INDEPENDENCE = "001 §5.6; 003 Appointing reviewers; 002 §2.2"
SRC_INTERNAL_ALLOWED = "000 §4.1; 001 §5.6"

# The declarations, each a yes/no question about the reviewer, and what a "yes" means.
DECLARATIONS: Mapping[str, str] = {
    "works_for_involved_agency": "works for an agency involved with the child or family",
    "line_manages_involved_staff": "line-manages staff who were involved in the case",
    "involved_in_case": "was involved in the case",
    "works_for_board_agency": "works for one of the board's agencies",
}

# The words by which people commonly name an agency of a given kind, beyond its own name: an
# organisation called "Merseyside Police" names the board's police, whatever the board calls it.
COMMON_WORDS: Mapping[str, tuple[str, ...]] = {
    "police": ("police", "constabulary"),
    "health": ("nhs", "health", "hospital", "clinical commissioning group", "integrated care board"),
    "childrens_social_care": (
        "childrens social care",
        "childrens services",
        "social care",
        "social services",
    ),
    "education": ("education", "school", "schools", "academy", "college"),
    "probation": ("probation",),
    "youth_justice": ("youth justice", "youth offending"),
    "housing": ("housing",),
}


def words(text: str) -> str:
    """Lower-case words separated by single spaces: "Children's Services" -> "childrens services"."""
    text = re.sub(r"['’]", "", text.lower())
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _names(phrase: str, text: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {text} "


def agency_named(organisation: str, agencies: Mapping[str, str]) -> str | None:
    """The code of the board agency that ``organisation`` names, by its name or common words."""
    org = words(organisation)
    for code, name in agencies.items():
        phrases = {words(name), words(code.replace("_", " ")), *COMMON_WORDS.get(code, ())}
        if any(_names(p, org) for p in phrases):
            return code
    return None


@dataclass(frozen=True)
class Reviewer:
    name: str
    organisation: str
    email: str | None = None
    agency: str | None = None  # the board agency they belong to; None: none of them
    qualifications: str = ""
    # Each declaration True or False; a key left out was not declared.
    declarations: Mapping[str, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, given: Mapping[str, Any]) -> Reviewer:
        return cls(
            name=str(given.get("name") or ""),
            organisation=str(given.get("organisation") or ""),
            email=given.get("email") or None,
            agency=given.get("agency") or None,
            qualifications=str(given.get("qualifications") or ""),
            declarations=dict(given.get("declarations") or {}),
        )


def reviewer_problems(
    reviewers: tuple[Reviewer, ...], board_agencies: Mapping[str, str], *, independent: bool
) -> list[dict[str, str]]:
    """Every problem with the lead reviewers; ``independent`` for an SCR.

    Each names ``lead_reviewers.<i>.<field>`` and says why.
    """
    problems: list[dict[str, str]] = []

    def add(i: int, where: str, message: str) -> None:
        problems.append({"field": f"lead_reviewers.{i}.{where}", "message": message})

    for i, r in enumerate(reviewers):
        who = r.name or f"Lead reviewer {i + 1}"
        if r.agency is not None and r.agency not in board_agencies:
            add(i, "agency", f"{r.agency!r} is not an agency of this board")
        if not independent:
            continue
        missing = [k for k in DECLARATIONS if k not in r.declarations]
        if missing:
            add(
                i,
                "declarations",
                f"Declare whether {who} {', '.join(DECLARATIONS[k] for k in missing)}: an SCR lead "
                "reviewer must be shown to be independent",
            )
        for key, meaning in DECLARATIONS.items():
            if r.declarations.get(key) is True:
                add(
                    i,
                    f"declarations.{key}",
                    f"{who} {meaning}: an SCR lead reviewer must be independent of the case, of "
                    "the agencies involved and of the board's agencies",
                )
        if r.agency is not None and r.agency in board_agencies:
            add(
                i,
                "agency",
                f"{who} belongs to {board_agencies[r.agency]}, one of the board's agencies: an SCR "
                "lead reviewer must be independent of them",
            )
        named = agency_named(r.organisation, board_agencies)
        if named is not None and named != r.agency:
            add(
                i,
                "organisation",
                f"{r.organisation} names {board_agencies[named]}, one of the board's agencies: an "
                "SCR lead reviewer must be independent of them",
            )
        if not r.qualifications.strip():
            add(i, "qualifications", f"Say how {who} is qualified to lead a Serious Case Review")
    return problems
