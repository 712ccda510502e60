"""From the case record (as the referral service's API gives it) to a template's context.

Only what the record holds is filled in; a kind that needs more (a recipient,
review material that later features collect) is refused with the missing
fields named, never rendered half-empty.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.framework import CASE_FACTORS, CONTEXT_FACTORS, REVIEW_KIND_LABELS

OUTCOME_WORDS = REVIEW_KIND_LABELS

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


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _answer(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).replace("_", " ").capitalize() if value is not None else ""


def _add_months(d: date, months: int) -> date:
    year, month = divmod(d.month - 1 + months, 12)
    year += d.year
    month += 1
    import calendar

    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def build(
    case: dict, board: dict, agencies: dict[str, str], extra: dict | None = None, on: date | None = None
) -> dict[str, Any]:
    """Every field the record can supply, under the names the templates use."""
    extra = extra or {}
    on = on or date.today()
    facts, screening, decision = case["facts"], case["screening"], case.get("decision")
    incident_on = _d(case["incident_on"])
    child = {k: v for k, v in (case.get("child") or {}).items() if v}
    ctx: dict[str, Any] = {
        "board_name": board["name"],
        "case_reference": case["reference"],
        "document_date": on,
        "local_authority": board.get("local_authority") or board["name"],
        "child": child,
        "referral": {"received_on": _d(case["board_notified_on"])},
        "referrer": {
            "name": case["referrer"]["name"],
            "agency": agencies.get(case["referrer"]["agency"], case["referrer"]["agency"]),
        },
        "notified_by": {"name": case["referrer"]["name"], "email": case["referrer"]["email"]},
        "incident": {
            "date": incident_on,
            "became_aware_on": _d(case["became_aware_on"]),
            "summary": case["summary"],
        },
        "board_notified_on": _d(case["board_notified_on"]),
        "boards_notified": [board["name"]],
        "agencies": [{"name": agencies.get(code, code)} for code in case["agencies_involved"]],
        "criteria": [
            {"criterion": label, "answer": _answer(facts.get(key)), "notes": ""} for key, label in CRITERIA
        ],
        "notifiable_criteria": [r["text"] for r in screening["reasons"] if r["code"].startswith("notifiable")]
        or [r["text"] for r in screening["reasons"][:1]],
        "screening": {
            "notifiable": screening["notifiable"],
            "scr_required": screening["scr_required"],
            "recommended": screening["recommended"],
            "rule_pack": screening.get("rule_pack", case.get("rule_pack")),
            "reasons": [
                {"conclusion": r["code"].replace("_", " "), "reason": r["text"], "source": r["source"]}
                for r in screening["reasons"]
            ],
        },
        "review_period": {"start": _add_months(incident_on, -12), "end": incident_on},
        "sender": {"name": f"Business unit, {board['name']}"},
        "timetable": SEVEN_WEEK_PLAN,
    }
    if facts.get("regulated_setting"):
        ctx["regulated_setting"] = _answer(facts["regulated_setting"])
    if decision:
        ctx["decision"] = {
            "outcome": decision["outcome"],
            "decided_on": _d(decision["decided_on"]),
            "initiated_on": _d(decision.get("initiated_on")),
            "chair_name": decision.get("recorded_by") or "The Chair",
            "rationale": decision["rationale"],
        }
        ctx["lead_reviewers"] = [
            {"name": r["name"], "organisation": r["organisation"]} for r in decision["lead_reviewers"]
        ]
        kind = decision["outcome"]
        ctx["review"] = {"kind": kind, "methodology": OUTCOME_WORDS.get(kind, kind)}
        start = ctx["decision"]["initiated_on"] or ctx["decision"]["decided_on"]
        ctx["return_by"] = start + timedelta(weeks=4)
        prop = decision.get("proportionality") or {}
        ctx["proportionality"] = {
            "case_factors": [
                {"factor": CASE_FACTORS[c]} for c in prop.get("case_factors", []) if c in CASE_FACTORS
            ],
            "context_factors": [
                {"factor": CONTEXT_FACTORS[c]}
                for c in prop.get("context_factors", [])
                if c in CONTEXT_FACTORS
            ],
        }
    ctx.update(extra)
    return ctx
