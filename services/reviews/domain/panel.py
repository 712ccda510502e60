"""The review panel: who sits on it, in which role, and the independence each declares.

The panel's members are senior managers independent of the case (001 §5.6; 002 §2.2), so each
member who answers the declarations must not have been involved in the case nor line-manage
staff who were. An SCR's lead reviewer is held to what the decision holds them to (001 §5.6;
003 "Appointing reviewers"; 002 §2.2): all four declarations given and all "no", no board
agency, and a word on their qualifications. Reviews below the SCR threshold may have internal
reviewers (000 §4.1; 001 §5.6), so none of that is asked of theirs. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.reviews.domain.vocabulary import CASE_INDEPENDENCE, DECLARATIONS, PANEL_ROLES
from shared.errors import InvalidInput, NotFound

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PanelMember:
    member_id: str
    role: str
    name: str
    email: str
    organisation: str
    agency: str | None = None  # the board agency they belong to; None: none of them
    qualifications: str = ""
    declarations: Mapping[str, bool] = field(default_factory=dict)
    added_on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.member_id,
            "role": self.role,
            "name": self.name,
            "email": self.email,
            "organisation": self.organisation,
            "agency": self.agency,
            "qualifications": self.qualifications,
            "declarations": dict(self.declarations),
            "added_on": self.added_on.isoformat() if self.added_on else None,
        }


def member_problems(
    member: PanelMember,
    *,
    scr: bool,
    board_agencies: Mapping[str, str],
    emails_on_panel: set[str],
) -> list[dict[str, str]]:
    """Every problem with a new member at once, each naming its field."""
    problems: list[dict[str, str]] = []

    def add(where: str, message: str) -> None:
        problems.append({"field": where, "message": message})

    who = member.name or "This member"
    if member.role not in PANEL_ROLES:
        add("role", f"Choose one of {', '.join(PANEL_ROLES)}")
    if not member.name.strip():
        add("name", "Enter the member's name")
    if not EMAIL.match(member.email):
        add("email", "Enter an email address like name@example.org")
    elif member.email.lower() in emails_on_panel:
        add("email", f"{member.email} already sits on this panel")
    if not member.organisation.strip():
        add("organisation", "Enter the organisation the member comes from")
    unknown = sorted(set(member.declarations) - set(DECLARATIONS))
    if unknown:
        add("declarations", f"Unknown declarations: {', '.join(unknown)}")
    if member.agency is not None and member.agency not in board_agencies:
        add("agency", f"{member.agency!r} is not an agency of this board")
    for key in CASE_INDEPENDENCE:
        if member.declarations.get(key) is True:
            add(
                f"declarations.{key}",
                f"{who} {DECLARATIONS[key]}: panel members must be independent of the case",
            )
    if scr and member.role == "lead_reviewer":
        problems.extend(_lead_reviewer_problems(member, who, board_agencies))
    return problems


def _lead_reviewer_problems(
    member: PanelMember, who: str, board_agencies: Mapping[str, str]
) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    missing = [k for k in DECLARATIONS if k not in member.declarations]
    if missing:
        problems.append(
            {
                "field": "declarations",
                "message": f"Declare whether {who} {', '.join(DECLARATIONS[k] for k in missing)}: an "
                "SCR lead reviewer must be shown to be independent",
            }
        )
    for key, meaning in DECLARATIONS.items():
        if key not in CASE_INDEPENDENCE and member.declarations.get(key) is True:
            problems.append(
                {
                    "field": f"declarations.{key}",
                    "message": f"{who} {meaning}: an SCR lead reviewer must be independent of the "
                    "agencies involved and of the board's agencies",
                }
            )
    if member.agency is not None and member.agency in board_agencies:
        problems.append(
            {
                "field": "agency",
                "message": f"{who} belongs to {board_agencies[member.agency]}, one of the board's "
                "agencies: an SCR lead reviewer must be independent of them",
            }
        )
    if not member.qualifications.strip():
        problems.append(
            {
                "field": "qualifications",
                "message": f"Say how {who} is qualified to lead a Serious Case Review",
            }
        )
    return problems


def changed_panel(
    panel: list[PanelMember],
    member_id: str,
    replacement: PanelMember | None,
    *,
    scr: bool,
    board_agencies: Mapping[str, str],
) -> list[PanelMember]:
    """The panel with one member changed (to ``replacement``, held to the rules a new member is)
    or removed (``replacement`` None)."""
    if not any(m.member_id == member_id for m in panel):
        raise NotFound("No such member of the panel", "member_id")
    others = [m for m in panel if m.member_id != member_id]
    if replacement is None:
        return others
    problems = member_problems(
        replacement, scr=scr, board_agencies=board_agencies, emails_on_panel={m.email.lower() for m in others}
    )
    if problems:
        raise InvalidInput(problems)
    return [replacement if m.member_id == member_id else m for m in panel]
