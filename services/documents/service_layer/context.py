"""From the service's own record of a case to a template's context.

Only what the record holds is filled in; a kind that needs more (a recipient,
review material that later features collect) is refused with the missing
fields named, never rendered half-empty.

A record made from old events may hold an absurd date (year 1 or 9999). Building the
context never fails on one: a date computed from it (the start of the period under
review, the date returns are due) stops at the calendar's first or last day, and the
kind then refuses the document naming the date (409), never a crash that would send
the event to the dead letters.

The child's details are opened here, from the sealed value the record keeps, and
only when a document is about to be rendered.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from services.documents.adapters.case_record import CaseRecord, DecisionRecord, ReviewerRecord
from services.documents.adapters.repository import BoardInfo
from services.documents.domain.framework import DECLARATIONS, METHODS, REVIEW_KIND_LABELS
from services.documents.domain.packs import wording_for
from shared.crypto import open_json
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS

# The seven-week plan of a review below the SCR threshold (000 §6), as the letters set it out.
SEVEN_WEEK_PLAN = [
    {
        "when": "Weeks 1 and 2",
        "what": "Chronologies, file audits and answers to the key questions are requested",
    },
    {"when": "Weeks 3 and 4", "what": "Returns are analysed and case group members are met"},
    {"when": "Week 5", "what": "One-to-one preparatory meetings"},
    {"when": "Week 6", "what": "Review meeting"},
    {"when": "Week 7", "what": "Action plan and recommendations"},
]

CRITERIA = (
    ("abuse_or_neglect", "Abuse or neglect known or suspected"),
    ("child_died", "The child died"),
    ("seriously_harmed", "The child was seriously harmed"),
    ("interagency_concern", "Concern about how agencies worked together"),
    ("looked_after", "The child was looked after"),
)

RETURN_WITHIN = timedelta(weeks=4)  # chronologies, audits and answers (000 §6)


def _answer(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).replace("_", " ").capitalize() if value is not None else ""


def _add_months(d: date, months: int) -> date:
    """``d`` moved by whole months; past the calendar's ends, its first or last day."""
    year, month = divmod(d.month - 1 + months, 12)
    year += d.year
    month += 1
    if not date.min.year <= year <= date.max.year:
        return date.min if months < 0 else date.max
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def _add(d: date, delta: timedelta) -> date:
    """``d`` moved by ``delta``; past the calendar's ends, its first or last day."""
    try:
        return d + delta
    except OverflowError:
        return date.min if delta < timedelta(0) else date.max


def child_details(record: CaseRecord) -> dict[str, Any]:
    """The child's details, opened from the record's sealed value; the blank ones left out."""
    child = open_json(record.child_sealed) if record.child_sealed else {}
    return {k: v for k, v in child.items() if v}


def build(
    record: CaseRecord,
    board: BoardInfo,
    agencies: Mapping[str, str],
    extra: Mapping[str, Any] | None = None,
    on: date | None = None,
) -> dict[str, Any]:
    """Every field the record can supply, under the names the templates use."""
    on = on or date.today()
    referrer = record.referrer
    wording = wording_for(record.rule_pack)
    # The board where the child normally lives, when it is another one (003 checklist: that
    # board decides), and the other boards involved (004: every relevant board takes part).
    home_board = record.home_board or ""
    other_boards = [b for b in record.other_boards or [] if b and b != home_board]
    ctx: dict[str, Any] = {
        "wording": wording.as_context(),
        "board_name": board.name,
        "case_reference": record.reference,
        "document_date": on,
        "local_authority": board.local_authority or board.name,
        "child": child_details(record),
        "referral": {"received_on": record.board_notified_on},
        "referrer": {"name": referrer.name, "agency": agencies.get(referrer.agency, referrer.agency)},
        "notified_by": {"name": referrer.name, "email": referrer.email},
        "incident": {
            "date": record.incident_on,
            "became_aware_on": record.became_aware_on,
            "summary": record.summary,
        },
        "board_notified_on": record.board_notified_on,
        "home_board": home_board,
        "other_boards": other_boards,
        # The local authority tells "the relevant LSCB or LSCBs" (003 'Notifiable Incidents', note
        # 53: out-of-area placements), or the safeguarding partners in its area and other areas
        # if appropriate (WT2018 ch. 4 'Duty on local authorities to notify incidents ...').
        "boards_notified": [board.name, *([home_board] if home_board else []), *other_boards],
        "agencies": [{"name": agencies.get(code, code)} for code in record.agencies_involved],
        "review_period": {"start": _add_months(record.incident_on, -12), "end": record.incident_on},
        "sender": {"name": f"Business unit, {board.name}"},
        "timetable": SEVEN_WEEK_PLAN,
    }
    if record.screening is not None:
        ctx.update(_screening(record))
    if record.decision is not None:
        ctx.update(_decision(record, agencies))
    if record.rapid_review is not None:
        ctx["rapid_review"] = _rapid_review(record)
    ctx.update(extra or {})
    return ctx


def _screening(record: CaseRecord) -> dict[str, Any]:
    screening = record.screening
    facts = screening.facts or {}
    reasons = list(screening.reasons)
    out: dict[str, Any] = {
        "criteria": [
            {"criterion": label, "answer": _answer(facts.get(key)), "notes": ""} for key, label in CRITERIA
        ],
        "notifiable_criteria": notifiable_grounds(record),
        "screening": {
            "notifiable": screening.notifiable,
            "scr_required": screening.scr_required,
            "recommended": screening.recommended,
            "rule_pack": _edition(screening.rule_pack or record.rule_pack),
            "reasons": [
                {"conclusion": r.code.replace("_", " "), "reason": r.text, "source": r.source}
                for r in reasons
            ],
        },
    }
    if facts.get("regulated_setting"):
        out["regulated_setting"] = _answer(facts["regulated_setting"])
    return out


def notifiable_grounds(record: CaseRecord) -> list[str]:
    """Why the incident is notifiable: one line for each notifiable ground the screening found.

    Only the grounds (003 'Notifiable Incidents'; under ``wt2018``/``wt2023``, Children Act 2004
    s.16C(1)), each in the words of its screening reason (code ``notifiable.<ground>``); never the
    other reasons, such as the note of the 5 working days or the SCR criteria.
    """
    screening = record.screening
    if screening is None:
        return []
    texts = {r.code: r.text for r in screening.reasons}
    return [
        texts.get(f"notifiable.{ground}") or ground.replace("_", " ").capitalize()
        for ground in screening.notifiable_grounds
    ]


def _edition(pack: str | None) -> str:
    wording = wording_for(pack)
    return f"{wording.edition} ({pack})" if pack else wording.edition


def _decision(record: CaseRecord, agencies: Mapping[str, str]) -> dict[str, Any]:
    decision = record.decision
    outcome = decision.outcome
    kind = REVIEW_KIND_LABELS.get(outcome, outcome)
    method = METHODS.get(decision.method or "", decision.method or "")
    return {
        "decision": {
            "outcome": outcome,
            "decided_on": decision.decided_on,
            "initiated_on": decision.initiated_on,
            # The Chair who took the decision, as the decision's event names them (never the
            # person who asked for a document, nor an admin who recorded it for them).
            "chair_name": decision.chair_name or "The Chair",
            "rationale": decision.rationale,
            "methodology": method,  # the SCR method the Chair chose (001 §5.3-5.4)
            **_confirmation(decision, wording_for(record.rule_pack).panel),
        },
        "lead_reviewers": [_reviewer(r, agencies) for r in decision.lead_reviewers],
        "review": {"kind": outcome, "methodology": f"{kind} ({method})" if method else kind},
        "return_by": _add(decision.initiated_on or decision.decided_on, RETURN_WITHIN),
        "proportionality": {
            "case_factors": [{"factor": CASE_FACTORS[c]} for c in decision.case_factors if c in CASE_FACTORS],
            "context_factors": [
                {"factor": CONTEXT_FACTORS[c]} for c in decision.context_factors if c in CONTEXT_FACTORS
            ],
        },
    }


def _confirmation(decision: DecisionRecord, panel: str) -> dict[str, Any]:
    """That the decision was kept after a challenge (003 checklist), when it was.

    Who challenged: a peer Chair, or ``panel`` (the national body, as the case's pack names it).
    """
    if decision.confirmed_on is None:
        return {}
    challengers = {"peer": "a peer Chair", "national_panel": panel}
    return {
        "confirmed_on": decision.confirmed_on,
        "confirmation_rationale": decision.confirmation_rationale,
        "confirmed_by": decision.confirmed_by or decision.chair_name or "The Chair",
        "challenged_by": challengers.get(decision.challenged_by or "", decision.challenged_by or ""),
    }


def _reviewer(reviewer: ReviewerRecord, agencies: Mapping[str, str]) -> dict[str, Any]:
    """A lead reviewer with the independence they declared (001 §5.6; 002 §2.2; 003)."""
    return {
        "name": reviewer.name,
        "organisation": reviewer.organisation,
        "agency": agencies.get(reviewer.agency, reviewer.agency) if reviewer.agency else "",
        "qualifications": reviewer.qualifications or "",
        "declarations": _declared(reviewer.declarations or {}),
    }


def _declared(declared: Mapping[str, bool]) -> list[str]:
    """Each declaration as a sentence, in the framework's order; one it does not know, as given."""
    known = [DECLARATIONS[k][0 if declared[k] else 1] for k in DECLARATIONS if k in declared]
    other = [
        f"{k.replace('_', ' ').capitalize()}: {'yes' if v else 'no'}"
        for k, v in declared.items()
        if k not in DECLARATIONS
    ]
    return known + other


def _rapid_review(record: CaseRecord) -> dict[str, Any]:
    review = record.rapid_review
    return {
        "completed_on": review.completed_on,
        "recommends_local_review": review.recommends_local_review,
        "suggests_national_review": review.suggests_national_review,
        "summary": review.summary,
    }
