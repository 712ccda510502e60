"""The decision on a case: what may be decided under the case's rule pack, and its rules.

Under ``wt2015`` (and its North West variant) the board's Chair decides whether to hold a
Serious Case Review, another kind of review, or none (003 checklist; 001 §3). Under ``wt2018`` and
``wt2023`` the safeguarding partners decide, after their rapid review, whether to hold a local
child safeguarding practice review (Children Act 2004 s.16F(1); SI 2018/789 reg 11); in the
product the user with the Chair role records it for them.

Every problem is reported at once, each naming its field; a check whose inputs are missing
(``None``: refused already by the input layer) is skipped. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.framework import CASE_FACTORS, CONTEXT_FACTORS

from .reviewers import Reviewer, reviewer_problems
from .screening import METHODS, RULE_PACKS, RulePack

SCR = "serious_case_review"
LOCAL_REVIEW = "local_child_safeguarding_practice_review"
NO_REVIEW = "no_review"

# Every outcome any pack allows, in a stable order; each pack allows its own ``review_kinds``.
OUTCOMES: tuple[str, ...] = tuple(dict.fromkeys(k for p in RULE_PACKS.values() for k in p.review_kinds))
REVIEW_KINDS = tuple(o for o in OUTCOMES if o != NO_REVIEW)

# A decision not to hold a required SCR is justified at length: the National Panel scrutinises it
# (003 checklist; 001 §3).
MIN_JUSTIFICATION = 40  # characters
# Every decision gives its reasons in a sentence at least: a decision not to hold an SCR that
# was considered goes to the National Panel with them (001 §3); the safeguarding partners'
# decisions are made transparently (WT2018 ch. 4 'Decisions on local and national reviews').
MIN_RATIONALE_WORDS = 2

# The product's limit, not the framework's: the seeds speak of lead reviewer(s) and a
# co-reviewer (001 §5.6; 002 §2.2) without a number. The decision page offers three rows,
# and a decision sent through the API is held to the same.
MAX_LEAD_REVIEWERS = 3


@dataclass(frozen=True)
class DecisionFacts:
    """What was decided; a field is None when the input layer refused it already."""

    outcome: str | None
    decided_on: date | None
    initiated_on: date | None
    rationale: str | None
    lead_reviewers: tuple[Reviewer, ...] = ()
    case_factors: tuple[str, ...] = ()
    context_factors: tuple[str, ...] = ()
    method: str | None = None


@dataclass
class DecisionCheck:
    problems: list[dict[str, Any]] = field(default_factory=list)
    panel_scrutiny: bool = False

    def add(self, field_name: str, message: str) -> None:
        self.problems.append({"field": field_name, "message": message})


def has_scr(pack: RulePack) -> bool:
    return SCR in pack.review_kinds


def deciders(pack: RulePack) -> str:
    """Whose decision it is, possessive: "the Chair's" (003 checklist), or "the safeguarding
    partners'" (Children Act 2004 s.16F(1)), recorded for them by the user with the Chair role."""
    return "the safeguarding partners'" if pack.rapid_review else "the Chair's"


def _rationale(check: DecisionCheck, d: DecisionFacts, pack: RulePack, scr_required: bool) -> None:
    if d.rationale is None or d.outcome is None:
        return
    text = d.rationale.strip()
    if not text:
        check.add("rationale", "Give the reasons for the decision")
        return
    if scr_required and d.outcome != SCR:
        # Choosing something other than a required SCR is justified at length, and the National
        # Panel scrutinises it (003 checklist; 001 §3).
        check.panel_scrutiny = True
        if len(text) < MIN_JUSTIFICATION:
            check.add(
                "rationale",
                "The screening says an SCR is required: explain in writing why another course"
                " was chosen (the National Panel will see it)",
            )
            return
    if len(text.split()) < MIN_RATIONALE_WORDS:
        if has_scr(pack) and d.outcome != SCR:
            check.add(
                "rationale",
                "An SCR was considered and not held: explain why in at least a sentence (the"
                " National Panel will see it)",
            )
        else:
            check.add("rationale", "Give the reasons for the decision in at least a sentence")


def check_decision(
    d: DecisionFacts,
    *,
    pack: RulePack,
    scr_required: bool,
    board_notified_on: date,
    today: date,
    board_agencies: Mapping[str, str],
) -> DecisionCheck:
    """Every problem with a decision at once, and whether it goes to National Panel scrutiny.

    ``board_agencies`` maps the codes of the board's agencies to their names.
    """
    check = DecisionCheck()
    if d.outcome is not None and d.outcome not in pack.review_kinds:
        check.add("outcome", f"Under {pack.title}, choose one of: {', '.join(pack.review_kinds)}")
    if d.decided_on is not None:
        if d.decided_on > today:
            check.add("decided_on", "The decision date cannot be in the future")
        if d.decided_on < board_notified_on:
            check.add("decided_on", "The decision cannot come before the board was notified")
    if d.initiated_on is not None and d.decided_on is not None and d.initiated_on < d.decided_on:
        check.add("initiated_on", "A review cannot start before it was decided")
    if len(d.lead_reviewers) > MAX_LEAD_REVIEWERS:
        check.add("lead_reviewers", f"Name at most {MAX_LEAD_REVIEWERS} lead reviewers")
    is_scr = d.outcome == SCR
    if is_scr:
        # An SCR needs named, qualified, independent lead reviewers (003 "Appointing reviewers";
        # 001 §5.6) and a method, intensive or targeted (001 §5.3-5.4).
        if not d.lead_reviewers:
            check.add("lead_reviewers", "A Serious Case Review needs at least one lead reviewer")
        if d.method is None:
            check.add("method", f"Choose the method of the Serious Case Review: {' or '.join(METHODS)}")
    if d.method is not None:
        if d.method not in METHODS:
            check.add("method", f"Choose one of: {', '.join(METHODS)}")
        elif d.outcome is not None and not is_scr:
            check.add("method", "Only a Serious Case Review has a method: leave it out for this outcome")
    check.problems += reviewer_problems(d.lead_reviewers, board_agencies, independent=is_scr)
    _rationale(check, d, pack, scr_required)
    for i, code in enumerate(d.case_factors):
        if code not in CASE_FACTORS:
            check.add(f"proportionality.case_factors.{i}", f"Unknown case factor {code!r}")
    for i, code in enumerate(d.context_factors):
        if code not in CONTEXT_FACTORS:
            check.add(f"proportionality.context_factors.{i}", f"Unknown context factor {code!r}")
    return check


def confirmation_problems(
    *, confirmed_on: date | None, rationale: str | None, challenged_on: date | None, today: date
) -> list[dict[str, Any]]:
    """A decision kept after a challenge: dated between the challenge and today, with reasons."""
    problems: list[dict[str, Any]] = []
    if confirmed_on is not None:
        if confirmed_on > today:
            problems.append({"field": "confirmed_on", "message": "The date cannot be in the future"})
        if challenged_on is not None and confirmed_on < challenged_on:
            problems.append(
                {"field": "confirmed_on", "message": "The decision can only be kept after it was challenged"}
            )
    if rationale is not None and len(rationale.split()) < MIN_RATIONALE_WORDS:
        problems.append(
            {
                "field": "rationale",
                "message": "Explain in at least a sentence why the decision stands: Ofsted, the DfE"
                " and the Panel are told",
            }
        )
    return problems
