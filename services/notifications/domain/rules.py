"""Which events notify whom, with which message and which documents (DOMAIN.md, "Timescales").

Each rule is data: the event that triggers it, the message template, the
recipient roles, and the kinds of document that must be attached (the
notification waits for them to be generated).
"""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_BODIES = ("ofsted", "dfe", "national_panel")

ROLES = (
    "ofsted",
    "dfe",
    "national_panel",
    "chair",
    "business_unit",
    "panel_member",
    "lead_reviewer",
    "case_group_member",
    "family_contact",
    "local_authority",
)


@dataclass(frozen=True)
class Rule:
    event_type: str
    template: str
    recipients: tuple[str, ...]
    attachments: tuple[str, ...] = ()
    source: str = ""
    # For deadline reminders: also the role the deadline concerns.
    to_deadline_owner: bool = False


RULES: tuple[Rule, ...] = (
    Rule(
        "decision.recorded",
        "decision_notification",
        NATIONAL_BODIES,
        ("decision_notification",),
        "003 checklist; 001 §3: the decision to Ofsted, DfE and the National Panel within 5 working days",
    ),
    Rule(
        "decision.changed",
        "decision_changed_notification",
        NATIONAL_BODIES,
        ("decision_notification",),
        "003; 001 §3: after a challenge, the final outcome to the same three",
    ),
    Rule(
        "reviewer.appointed",
        "reviewer_appointed_notification",
        ("national_panel",),
        (),
        "003; 001 §3: lead reviewer names to the National Panel",
    ),
    # The report's events arrive with the publication feature; the rules are ready for them.
    Rule(
        "report.copies_due",
        "pre_publication_copies",
        NATIONAL_BODIES,
        ("final_report_skeleton",),
        "003: the final report and actions at least 7 working days before publication",
    ),
    Rule(
        "report.not_published",
        "not_publishing_notice",
        ("dfe", "national_panel"),
        (),
        "003: DfE and the National Panel told of a decision not to publish",
    ),
    Rule(
        "deadline.due_soon", "deadline_due_soon", ("business_unit",), (), "Reminder", to_deadline_owner=True
    ),
    Rule("deadline.overdue", "deadline_overdue", ("business_unit",), (), "Reminder", to_deadline_owner=True),
    Rule(
        "document.generated",
        "case_group_letter",
        ("case_group_member",),
        ("case_group_letter",),
        "000 §6: letters to the case group",
    ),
)

# Who a deadline concerns (scheduler's words) -> the recipient role told about it.
DEADLINE_OWNERS = {
    "chair": "chair",
    "business_unit": "business_unit",
    "local_authority": "local_authority",
    "board": "business_unit",
    "national_panel": "business_unit",
}


def rules_for(event_type: str) -> list[Rule]:
    return [r for r in RULES if r.event_type == event_type]


def recipient_roles(rule: Rule, concerns: str | None = None) -> list[str]:
    roles = list(rule.recipients)
    if rule.to_deadline_owner and concerns:
        owner = DEADLINE_OWNERS.get(concerns, "business_unit")
        if owner not in roles:
            roles.append(owner)
    return roles
