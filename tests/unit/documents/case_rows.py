"""Rows of the plausible case (:mod:`.factories`): the agencies involved and its SPE chronology.

The people, places and numbers are invented.
"""

from __future__ import annotations

from datetime import date
from typing import Any

AGENCIES: list[dict[str, Any]] = [
    {"name": "Merseyside Police", "involvement": "Two domestic abuse call-outs to the home"},
    {
        "name": "Wirral Children's Social Care",
        "involvement": "Child in need plan, then a strategy discussion",
    },
    {"name": "Birkenhead Primary School", "involvement": "Attendance and welfare concerns"},
    {
        "name": "Community Health (health visiting and school nursing)",
        "involvement": "Sibling's health visiting; school nurse contact",
    },
    {"name": "Arrowe Park Hospital Emergency Department", "involvement": "Treated the injuries"},
]

SPE_ROWS: list[dict[str, Any]] = [
    {
        "date": date(2024, 4, 2),
        "event": "Police attend a report of shouting at the home; Jane Doe is present.",
        "risk": "Domestic abuse between Mary Doe and her partner, witnessed by the children.",
        "response": "DASH risk assessment graded standard; notification to children's social care.",
        "partnership": "Notification shared with the school the next day.",
        "learning": "Children present at incidents were not spoken to on their own.",
    },
    {
        "date": date(2024, 6, 17),
        "event": "Jane arrives at school with a bruise to her cheek and gives two accounts.",
        "risk": "Unexplained injury to a child of ten.",
        "response": "The designated safeguarding lead made a referral the same day.",
        "partnership": "Referral to the front door; no strategy discussion was held.",
        "learning": "Thresholds for a strategy discussion were read differently by agencies.",
    },
    {
        "date": date(2024, 9, 30),
        "event": "Child in need review; Kevin Marsh is not mentioned in the plan.",
        "risk": "An adult in the household was not assessed.",
        "response": "Plan continued with fortnightly visits.",
        "partnership": "Police information about the partner was not requested.",
        "learning": "Invisible men: adults in the household need to be identified and assessed.",
    },
]
