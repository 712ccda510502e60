"""The reviews service's codes in plain English, for pages and documents (``plain`` filter).

Codes whose words the product spells out well enough from their parts ("information_gathering"
-> "Information gathering") are not named here.
"""

from __future__ import annotations

from shared import words

WORDS = {
    # methods (001 §5.3-5.4; 000 §3, §6)
    "intensive": "Intensive",
    "targeted": "Targeted",
    "systems": "Systems approach",
    "seven_week": "Seven-week review",
    # panel roles
    "panel_chair": "Panel chair",
    "member": "Panel member",
    "minute_taker": "Minute taker",
    # contributions
    "chronology": "Chronology",
    "single_agency_analysis_report": "Single agency analysis report",
    # parallel processes (001 §6; 002 §2.2)
    "coroners_inquest": "Coroner's inquest",
    "mappa_review": "MAPPA serious case review",
    # meetings, the family, quality markers
    "panel_meeting": "Review panel meeting",
    "learning_event": "Practitioner learning event",
    "parents_partner": "Parent's partner",
    "through_police": "Through the police",
    "scr_management": "SCR management",
    "proportionate_form_and_focus": "Deciding a proportionate form and focus for the review",
    "partly_met": "Partly met",
}


def register() -> None:
    words.register(WORDS)
