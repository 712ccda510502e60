"""A plausible case for the document tests: ``make_case_context(**overrides)``.

One context carries every field any kind reads, as the documents service would build it
from the case record; each kind takes what it needs. The people, places and numbers are
invented. Overrides replace top-level keys; ``set_path`` reaches inside.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from .case_rows import AGENCIES, SPE_ROWS

BOARD = "Merseyside Borough Safeguarding Children Board"
REFERENCE = "SCR-2025-014"
CHILD = "Jane Doe"
MOTHER = "Mary Doe"
SIBLING = "Tom Doe"
PARTNER = "Kevin Marsh"
DATE_OF_BIRTH = date(2014, 3, 12)
ADDRESS = "14 Acacia Avenue\nBirkenhead\nCH41 6AB"
NHS_NUMBER = "943 476 5919"
LEAD_REVIEWER = "Dr Ruth Okafor"
GLOSSARY = {CHILD: "Child A", MOTHER: "Mother", SIBLING: "Sibling 1", PARTNER: "Mother's partner"}

_CONTEXT: dict[str, Any] = {
    "wording": {
        "current": False,
        "edition": "Working Together to Safeguard Children 2015",
        "partnership": "the board",
        "panel": "the National Panel of Independent Experts on Serious Case Reviews",
        "review": "Serious Case Review",
    },
    "board_name": BOARD,
    "case_reference": REFERENCE,
    "document_date": date(2025, 3, 14),
    "child": {
        "name": CHILD,
        "date_of_birth": DATE_OF_BIRTH,
        "age": "10 years",
        "gender": "Female",
        "legal_status": "Child in need (Children Act 1989, section 17)",
        "address": ADDRESS,
        "nhs_number": NHS_NUMBER,
    },
    "family": [
        {"name": MOTHER, "relationship": "mother", "date_of_birth": date(1988, 7, 21)},
        {"name": SIBLING, "relationship": "brother"},
        {"name": PARTNER, "relationship": "mother's partner"},
    ],
    "referral": {"received_on": date(2025, 1, 20)},
    "referrer": {
        "name": "Sam Patel",
        "role": "Head of Safeguarding",
        "agency": "Wirral Children's Social Care",
    },
    "incident": {
        "date": date(2025, 1, 13),
        "became_aware_on": date(2025, 1, 14),
        "location": "The family home",
        "summary": (
            "Jane Doe, aged 10, was admitted to hospital with a fractured arm and bruising"
            " that doctors judged non-accidental. Her mother's partner, Kevin Marsh, has been"
            " arrested. Jane Doe had been supported under a child in need plan since May 2024."
        ),
    },
    "board_notified_on": date(2025, 1, 20),
    "decision_due": date(2025, 2, 20),
    "notification_due": date(2025, 1, 21),
    "local_authority": "Wirral Council",
    "notified_by": {
        "name": "Sam Patel",
        "role": "Head of Safeguarding",
        "telephone": "0151 606 2008",
        "email": "safeguarding@wirral.example.gov.uk",
    },
    "notifiable_criteria": [
        "A child has been seriously harmed and abuse or neglect is known or suspected.",
    ],
    "boards_notified": [BOARD],
    "criteria": [
        {
            "criterion": "Abuse or neglect known or suspected",
            "answer": "Suspected",
            "notes": "Injuries judged non-accidental",
        },
        {"criterion": "The child died", "answer": "No", "notes": ""},
        {
            "criterion": "The child was seriously harmed",
            "answer": "Yes",
            "notes": "Fracture and head injury",
        },
        {
            "criterion": "Concern about how agencies worked together",
            "answer": "Yes",
            "notes": "No strategy discussion in June 2024",
        },
    ],
    "agencies": AGENCIES,
    "parallel_processes": ["Police investigation; a charging decision is awaited from the CPS."],
    "screening": {
        "notifiable": True,
        "scr_required": True,
        "recommended": "serious_case_review",
        "rule_pack": "Working Together 2015 (wt2015)",
        "reasons": [
            {
                "conclusion": "Notifiable",
                "reason": "Serious harm with abuse or neglect suspected.",
                "source": "003 Notifiable Incidents",
            },
            {
                "conclusion": "SCR required",
                "reason": "Serious harm, abuse suspected, and concern about inter-agency working.",
                "source": "003; reg 5(2)(b)(ii)",
            },
        ],
    },
    "decision": {
        "outcome": "serious_case_review",
        "decided_on": date(2025, 2, 10),
        "initiated_on": date(2025, 2, 17),
        "chair_name": "Professor Alan Hughes",
        "methodology": "targeted",
        "rationale": "The statutory criteria are met: serious harm, abuse suspected and concern"
        " about how agencies worked together after the June 2024 referral.",
        "peer_challenge": "",
    },
    "lead_reviewers": [
        {
            "name": LEAD_REVIEWER,
            "organisation": "Independent reviewer",
            "agency": "",
            "qualifications": "Systems-approach lead reviewer training (SCIE)",
            "declarations": [
                "Does not work for an agency involved in the case",
                "Does not line-manage staff involved in the case",
                "Was not involved in the case",
                "Does not work for any of the board's agencies",
            ],
        },
        {"name": "Martin Blake", "organisation": "Cheshire East Safeguarding Children Board"},
    ],
    "rapid_review": {
        "completed_on": date(2025, 2, 3),
        "recommends_local_review": True,
        "suggests_national_review": False,
        "summary": "Agencies did not share what they knew about the adults in the household.",
    },
    "home_board": "",
    "contact": {
        "name": "Helen Price",
        "email": "lscb@merseyside.example.gov.uk",
        "telephone": "0151 666 4440",
    },
    "recipient": {
        "name": "Karen Lowe",
        "role": "Designated Safeguarding Lead",
        "agency": "Birkenhead Primary School",
        "relationship": "",
    },
    "review": {
        "kind": "serious_case_review",
        "methodology": "Systems approach, targeted",
        "chairing": "Chaired by Professor Alan Hughes; written by Dr Ruth Okafor",
        "selection": "Referred by children's social care; SCR criteria met",
    },
    "review_period": {"start": date(2024, 1, 13), "end": date(2025, 1, 13)},
    "return_by": date(2025, 3, 28),
    "sender": {
        "name": "Helen Price",
        "role": "Business Manager",
        "email": "lscb@merseyside.example.gov.uk",
        "telephone": "0151 666 4440",
    },
    "timetable": [
        {
            "when": "Weeks 1 and 2",
            "what": "Chronologies, file audits and answers to the key questions",
        },
        {
            "when": "Weeks 3 and 4",
            "what": "The review group analyses the returns and meets case group members",
        },
        {"when": "Week 6", "what": "Review meeting with the case group"},
    ],
    "agency": "Birkenhead Primary School",
    "author": {"name": "Karen Lowe", "role": "Designated Safeguarding Lead"},
    "entries": SPE_ROWS,
    "respondent": {"name": "Karen Lowe", "role": "Designated Safeguarding Lead"},
    "answers": {
        "went_well": "Staff noticed the change in Jane's attendance and recorded it promptly.",
        "learned": "Welfare concerns were held by one person; the team did not see the pattern.",
        "barriers": "No response to our request for a strategy discussion.",
        "more_effective": "Escalating sooner, under the board's procedure for resolving"
        " professional differences.",
        "policy_support": "Our policy was clear on referral but silent on escalation.",
        "do_differently": "Train all staff on escalation; review open cases every half term.",
    },
    "version": "Draft 2",
    "introduction": "Jane attended the school from Reception. The school referred her to"
    " children's social care in June 2024 after an unexplained bruise.",
    "family_background": "Jane lives with her mother, Mary Doe, her brother Tom Doe and her"
    " mother's partner, Kevin Marsh, who joined the household in early 2024.",
    "chronology": [{"date": row["date"], "event": row["event"]} for row in SPE_ROWS],
    "analysis": "The referral in June was timely. The school did not escalate when no strategy"
    " discussion followed, because staff believed the decision was not theirs to question.",
    "key_issues": "Confidence to challenge partners; the single safeguarding lead carried all"
    " knowledge of the case.",
    "learning_points": "Escalation is everyone's task. Since the case the school has a deputy"
    " safeguarding lead and weekly safeguarding meetings.",
    "recommendations": [
        {
            "recommendation": "Every member of staff completes escalation training",
            "measure": "Training records at 100%",
            "due_by": date(2025, 7, 18),
        },
    ],
    "action_plan": [
        {
            "action": "Escalation training for all staff",
            "owner": "Headteacher",
            "due_by": date(2025, 7, 18),
            "outcome": "Audit of referrals in autumn term",
        },
    ],
    "scope": "Multi-agency practice from January 2024 to the incident, focusing on the response"
    " to the June 2024 referral and the assessment of adults in the household.",
    "focus_questions": [
        "How did agencies identify and assess the adults living in the household?",
        "Why was no strategy discussion held after the unexplained bruise in June 2024?",
    ],
    "method": "Systems approach: SPE chronologies, a practitioner learning event and"
    " conversations with the family.",
    "reviewer_skills": "Experience of systems reviews and of domestic abuse in households with children.",
    "review_panel": [
        {"name": "Helen Price", "role": "Business Manager", "agency": "The board"},
        {"name": "Dr Priya Shah", "role": "Designated Nurse", "agency": "Wirral CCG"},
    ],
    "proportionality": {
        "rationale": "The concerns centre on one referral and one household, so a targeted"
        " review gives the learning without the cost of an intensive review.",
        "case_factors": [
            {
                "factor": "Gravity and complexity of practice concerns",
                "bearing": "Focus on the June 2024 referral",
            },
            {
                "factor": "Risks to the child from adults in the household",
                "bearing": "Include the assessment of the partner",
            },
        ],
        "context_factors": [
            {
                "factor": "Previous local learning",
                "bearing": "An earlier review covered escalation; check embedding",
            },
            {
                "factor": "Reviewer availability",
                "bearing": "An independent lead reviewer with systems experience",
            },
        ],
    },
    "family_involvement": "The lead reviewer will meet Mary Doe once the police agree.",
    "other_boards": [],
    "support": [
        {
            "name": "Family Liaison Service",
            "offers": "Someone to talk to about the review",
            "contact": "0151 666 4000",
        },
        {"name": "NSPCC Helpline", "offers": "Advice and support", "contact": "0808 800 5000"},
    ],
    "contact_plan": "A phone call every month, and a letter before each stage of the review.",
    "criminal_proceedings": True,
    "board_area": "Merseyside Borough",
    "incident_month": date(2025, 1, 13),
    "case_learning": "Adults joining a household must be identified and assessed.",
    "methodology_learning": "The targeted approach took five months; the learning event worked.",
    "recommendations_single_agency": ["Schools to have a deputy designated safeguarding lead."],
    "recommendations_multi_agency": ["Strategy discussions to be held for unexplained injuries."],
    "changes": [{"action": "Revise the strategy discussion protocol", "owner": "Children's Social Care"}],
    "impact_audit": "A multi-agency audit of 20 cases in 2026.",
    "other_comments": "",
    "circumstances": "Jane Doe was seriously injured at home in January 2025. Agencies had been"
    " involved with the family for a year.",
    "process": "A targeted systems review with a practitioner learning event.",
    "participation": "Twelve practitioners took part; Mary Doe met the lead reviewer.",
    "good_practice": ["The school's prompt referral in June 2024."],
    "findings": [
        {"title": "Adults in the household", "detail": "No agency assessed Kevin Marsh."},
        {"title": "Strategy discussions", "detail": "Thresholds were read differently."},
    ],
    "actions_taken": ["The strategy discussion protocol was revised in March 2025."],
    "conclusion": "Local practice did not protect Jane Doe well enough after June 2024.",
    "publication": {
        "planned_on": date(2025, 9, 15),
        "national_bodies_by": date(2025, 9, 4),
        "notes": "Timed after the criminal trial.",
    },
    "feedback": {
        "practitioners": "A briefing for everyone who attended the learning event.",
        "family": "The lead reviewer will meet Mary Doe before publication.",
    },
    "dissemination": ["A seven-minute briefing", "Multi-agency training in autumn 2025"],
    "actions": [
        {
            "recommendation": "Strategy discussions for unexplained injuries",
            "action": "Revise the protocol",
            "owner": "Children's Social Care",
            "due_by": date(2025, 6, 30),
            "success_measure": "Audit shows discussions held",
            "status": "Done",
        },
        {
            "recommendation": "Identify adults in the household",
            "action": "Add a household members section to assessments",
            "owner": "All agencies",
            "due_by": date(2025, 9, 30),
            "success_measure": "Audit of 20 assessments",
            "status": "In progress",
        },
    ],
    "impact": "Too early to judge.",
    "further_work": "A follow-up audit in 2026.",
    "signed_off": {"name": "Professor Alan Hughes", "on": date(2025, 8, 1)},
}


def make_case_context(**overrides: Any) -> dict[str, Any]:
    """A deep copy of the case, with top-level keys replaced by ``overrides``."""
    context = copy.deepcopy(_CONTEXT)
    context.update(overrides)
    return context


def set_path(context: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set a dotted path in place (``set_path(ctx, "decision.outcome", "no_review")``)."""
    *parents, last = path.split(".")
    target: Any = context
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return context


def drop_path(context: dict[str, Any], path: str) -> dict[str, Any]:
    """Remove a dotted path in place."""
    *parents, last = path.split(".")
    target: Any = context
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    del target[int(last) if isinstance(target, list) else last]
    return context


def chronology_rows(n: int) -> list[dict[str, Any]]:
    """``n`` SPE chronology rows, a day apart, for large-document tests and the benchmark."""
    rows = []
    for i in range(n):
        row = dict(SPE_ROWS[i % len(SPE_ROWS)])
        row["date"] = date.fromordinal(date(2023, 1, 2).toordinal() + i)
        row["event"] = f"Event {i + 1}: {row['event']}"
        rows.append(row)
    return rows


# What differs from the shared case for one kind: the family letter goes to the mother.
_FOR_KIND: dict[str, dict[str, Any]] = {
    "family_notification_letter": {
        "recipient": {"name": MOTHER, "relationship": "mother", "address": ADDRESS},
    },
}


def context_for(kind: str, **overrides: Any) -> dict[str, Any]:
    """The case as the service would build it for ``kind``."""
    return make_case_context(**{**copy.deepcopy(_FOR_KIND.get(kind, {})), **overrides})
