"""For the rendering tests: a value each kind prints, and hostile text to type into a case.

:func:`hostile_context` is the shared case (:mod:`.factories`) with hostile text in a heading
field, narrative, a table and a name.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .factories import LEAD_REVIEWER, context_for, set_path

# One value each kind prints that no other part of the case supplies.
KIND_SPECIFIC = {
    "referral_summary": "fractured arm and bruising",
    "screening_decision_record": "Serious harm with abuse or neglect suspected.",
    "ofsted_incident_notification": "Wirral Council notifies Ofsted",
    "decision_notification": LEAD_REVIEWER,
    "case_group_letter": "Dear Karen Lowe,",
    "panel_incident_notification": "Wirral Council notifies the incident below",
    "rapid_review_outcome": "did not share what they knew about the adults",
    "spe_chronology_form": "Police attend a report of shouting at the home",
    "multi_agency_chronology": "An entry without a time comes first on its day",
    "single_agency_review_questionnaire": "Staff noticed the change in Jane's attendance",
    "single_agency_analysis_report": "Every member of staff completes escalation training",
    "terms_of_reference": "a targeted review gives the learning",
    "family_notification_letter": "Dear Mary Doe,",
    "learning_summary": "January 2025",
    "final_report_skeleton": "Adults in the household",
    "board_response_action_plan": "Add a household members section to assessments",
}

PAYLOADS = [
    "<b>bold</b>",
    "fish &amp; chips & peas",
    'she said "no"',
    "{{ 7*7 }}",
    "{% for x in y %}",
    "{{ ''.__class__.__mro__ }}",
    "</w:t></w:r></w:p><w:p><w:r><w:t>INJECTED",
    "{%p if true %}",
    "${7*7} #{7*7}",
]
HOSTILE = "Start. " + " | ".join(PAYLOADS) + " | end."
CONTROL = "null\x00here, vertical\x0btab, unit\x1fsep, bell\x07, tab\there"


def hostile_context(kind: str) -> dict[str, Any]:
    """The case with hostile text in a heading field, narrative, a table and a name."""
    context = context_for(kind, board_name=f'A & B <Board> "{{{{ 7*7 }}}}" {CONTROL}')
    set_path(context, "incident.summary", HOSTILE + " " + CONTROL)
    set_path(context, "decision.outcome", "no_review")
    set_path(context, "decision.rationale", HOSTILE)
    set_path(context, "recipient.name", "{{ 7*7 }} <i>Lowe</i>")
    context["entries"][0]["event"] = HOSTILE
    context["entries"][1]["risk"] = Markup("<w:br/>trusted?")  # a str subclass, still text
    context["criteria"][0]["notes"] = HOSTILE
    return context
