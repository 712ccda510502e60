"""Who is told what, with which message (DOMAIN.md, "Timescales" and "Documents the board produces").

Each rule is data: the message template, the recipient roles, and the source
it comes from. Two kinds of trigger:

- a **letter** the documents service wrote to be sent (its document kind and,
  where it matters, what caused it: the Chair's decision or the decision
  changed after a challenge). The letter is attached to the message;
- an **event** of the case that needs no document: reviewers appointed, a
  deadline falling due or passing. The service layer names which rule each
  event uses, next to the handler that listens for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

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
    template: str
    recipients: tuple[str, ...]
    source: str
    # For deadline reminders: also the role the deadline concerns.
    to_deadline_owner: bool = False


class Cause(Enum):
    """What made the documents service write a letter, where the letter's message depends on it."""

    DECISION_RECORDED = "the Chair's decision"
    DECISION_CHANGED = "the Chair's decision, changed after a challenge"


@dataclass(frozen=True)
class LetterRule:
    kind: str  # the document kind, in the documents service's words
    cause: Cause | None  # None: whatever caused it
    rule: Rule


DECISION_NOTIFICATION = Rule(
    "decision_notification",
    NATIONAL_BODIES,
    "003 checklist; 001 §3: the decision to Ofsted, DfE and the National Panel within 5 working days",
)
DECISION_CHANGED_NOTIFICATION = Rule(
    "decision_changed_notification",
    NATIONAL_BODIES,
    "003; 001 §3: after a challenge, the final outcome to the same three",
)
OFSTED_INCIDENT_NOTIFICATION = Rule(
    "ofsted_incident_notification",
    ("ofsted",),
    "003 'Notifiable Incidents': the incident to Ofsted within 5 working days of becoming aware",
)
CASE_GROUP_LETTER = Rule("case_group_letter", ("case_group_member",), "000 §6: letters to the case group")
REVIEWER_APPOINTED = Rule(
    "reviewer_appointed_notification",
    ("national_panel",),
    "003; 001 §3: lead reviewer names to the National Panel",
)
DEADLINE_DUE_SOON = Rule("deadline_due_soon", ("business_unit",), "Reminder", to_deadline_owner=True)
DEADLINE_OVERDUE = Rule("deadline_overdue", ("business_unit",), "Reminder", to_deadline_owner=True)

LETTERS: tuple[LetterRule, ...] = (
    LetterRule("decision_notification", Cause.DECISION_RECORDED, DECISION_NOTIFICATION),
    LetterRule("decision_notification", Cause.DECISION_CHANGED, DECISION_CHANGED_NOTIFICATION),
    LetterRule("ofsted_incident_notification", None, OFSTED_INCIDENT_NOTIFICATION),
    LetterRule("case_group_letter", None, CASE_GROUP_LETTER),
)

# Who a deadline concerns (scheduler's words) -> the recipient role told about it.
DEADLINE_OWNERS = {
    "chair": "chair",
    "business_unit": "business_unit",
    "local_authority": "local_authority",
    "board": "business_unit",
    "national_panel": "business_unit",
}


def letter_rule(kind: str, cause: Cause | None) -> LetterRule | None:
    """The rule for a letter of this kind and cause; None when it is not a letter this service sends."""
    for letter in LETTERS:
        if letter.kind == kind and letter.cause in (None, cause):
            return letter
    return None


def recipient_roles(rule: Rule, concerns: str | None = None) -> list[str]:
    roles = list(rule.recipients)
    if rule.to_deadline_owner and concerns:
        owner = DEADLINE_OWNERS.get(concerns, "business_unit")
        if owner not in roles:
            roles.append(owner)
    return roles
