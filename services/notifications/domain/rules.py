"""Who is told what, with which message (DOMAIN.md, "Timescales" and "Documents the board produces").

Each rule is data: the message template, the recipient roles, and the source
it comes from. Two kinds of trigger:

- a **letter** the documents service wrote to be sent (its document kind,
  where it matters what caused it: the Chair's decision, the decision changed
  after a challenge or kept after one, and where it matters the case's rule
  pack). The letter is attached to the message;
- an **event** of the case that needs no document: reviewers appointed, a
  deadline falling due or passing. The service layer names which rule each
  event uses, next to the handler that listens for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .wording import CURRENT_PACKS

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
    DECISION_CONFIRMED = "the Chair's decision, kept after a challenge"


@dataclass(frozen=True)
class LetterRule:
    kind: str  # the document kind, in the documents service's words
    cause: Cause | None  # None: whatever caused it
    rule: Rule
    packs: frozenset[str] | None = None  # None: whatever the case's rule pack

    def matches(self, kind: str, cause: Cause | None, pack: str | None) -> bool:
        return (
            self.kind == kind
            and self.cause in (None, cause)
            and (self.packs is None or (pack is not None and pack in self.packs))
        )


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
DECISION_CONFIRMED_NOTIFICATION = Rule(
    "decision_confirmed_notification",
    NATIONAL_BODIES,
    "003 checklist, 'Decisions whether to initiate an SCR': challenged, the board tells Ofsted, DfE and"
    " the National Panel the final outcome; here it kept its decision",
)
OFSTED_INCIDENT_NOTIFICATION = Rule(
    "ofsted_incident_notification",
    ("ofsted",),
    "003 'Notifiable Incidents': the incident to Ofsted within 5 working days of becoming aware",
)
CASE_GROUP_LETTER = Rule("case_group_letter", ("case_group_member",), "000 §6: letters to the case group")

# wt2018/wt2023: the Child Safeguarding Practice Review Panel (role ``national_panel``).
PANEL_INCIDENT_NOTIFICATION = Rule(
    "panel_incident_notification",
    ("national_panel",),
    "Children Act 2004 s.16C(1); WT2018 ch. 4 'Duty on local authorities to notify incidents to the"
    " Child Safeguarding Practice Review Panel'; WT2023 ch. 5: the Panel, within 5 working days of"
    " becoming aware; it shares the notification with the DfE and Ofsted",
)
RAPID_REVIEW_OUTCOME = Rule(
    "rapid_review_outcome",
    ("national_panel",),
    "WT2018 ch. 4 'The rapid review'; WT2023 ch. 5: the rapid review, and the partners' view on a"
    " local or national review, to the Panel",
)
# The safeguarding partners share their decision on a local review with the Panel (WT2018 ch. 4
# 'The rapid review', as partnerships quote it). DOMAIN note: telling Ofsted and the DfE of it, as
# 003 asked of an SCR decision, was not found in the 2018 or 2023 guidance (research W18-17), so
# under these packs the decision letters, changed or kept after a challenge too, go to the Panel only.
PANEL_DECISION_SOURCE = "WT2018 ch. 4 'The rapid review'; WT2023 ch. 5: the partners' decision to the Panel"
PANEL_DECISION_NOTIFICATION = Rule("decision_notification", ("national_panel",), PANEL_DECISION_SOURCE)
PANEL_DECISION_CHANGED_NOTIFICATION = Rule(
    "decision_changed_notification", ("national_panel",), PANEL_DECISION_SOURCE
)
PANEL_DECISION_CONFIRMED_NOTIFICATION = Rule(
    "decision_confirmed_notification", ("national_panel",), PANEL_DECISION_SOURCE
)
REVIEWER_APPOINTED = Rule(
    "reviewer_appointed_notification",
    ("national_panel",),
    "003; 001 §3: lead reviewer names to the National Panel",
)


def reviewer_rule(pack: str | None) -> Rule | None:
    """Who hears of reviewers appointed apart from the decision, for a case under ``pack``.

    ``wt2015``: the National Panel (003 'Appointing reviewers'). DOMAIN note: under ``wt2018`` and
    ``wt2023`` no duty to give the Panel the reviewers' names was found (research W18-17,
    W23-14), so nobody is told.
    """
    return None if pack in CURRENT_PACKS else REVIEWER_APPOINTED


DEADLINE_DUE_SOON = Rule("deadline_due_soon", ("business_unit",), "Reminder", to_deadline_owner=True)
DEADLINE_OVERDUE = Rule("deadline_overdue", ("business_unit",), "Reminder", to_deadline_owner=True)

# The first rule that matches applies: the current packs' own rules come first.
LETTERS: tuple[LetterRule, ...] = (
    LetterRule("decision_notification", Cause.DECISION_RECORDED, PANEL_DECISION_NOTIFICATION, CURRENT_PACKS),
    LetterRule(
        "decision_notification", Cause.DECISION_CHANGED, PANEL_DECISION_CHANGED_NOTIFICATION, CURRENT_PACKS
    ),
    LetterRule(
        "decision_notification",
        Cause.DECISION_CONFIRMED,
        PANEL_DECISION_CONFIRMED_NOTIFICATION,
        CURRENT_PACKS,
    ),
    LetterRule("decision_notification", Cause.DECISION_RECORDED, DECISION_NOTIFICATION),
    LetterRule("decision_notification", Cause.DECISION_CHANGED, DECISION_CHANGED_NOTIFICATION),
    LetterRule("decision_notification", Cause.DECISION_CONFIRMED, DECISION_CONFIRMED_NOTIFICATION),
    LetterRule("ofsted_incident_notification", None, OFSTED_INCIDENT_NOTIFICATION),
    LetterRule("panel_incident_notification", None, PANEL_INCIDENT_NOTIFICATION),
    LetterRule("rapid_review_outcome", None, RAPID_REVIEW_OUTCOME),
    LetterRule("case_group_letter", None, CASE_GROUP_LETTER),
)

LETTER_KINDS = frozenset(letter.kind for letter in LETTERS)

# Who a deadline concerns (scheduler's words) -> the recipient role told about it.
DEADLINE_OWNERS = {
    "chair": "chair",
    "business_unit": "business_unit",
    "local_authority": "local_authority",
    "board": "business_unit",
    "national_panel": "business_unit",
    # wt2018/wt2023: the business unit works for the safeguarding partners.
    "safeguarding_partners": "business_unit",
}


def letter_rule(kind: str, cause: Cause | None, pack: str | None = None) -> LetterRule | None:
    """The rule for a letter of this kind and cause, for a case under ``pack``; None when it is
    not a letter this service sends."""
    for letter in LETTERS:
        if letter.matches(kind, cause, pack):
            return letter
    return None


def recipient_roles(rule: Rule, concerns: str | None = None) -> list[str]:
    roles = list(rule.recipients)
    if rule.to_deadline_owner and concerns:
        owner = DEADLINE_OWNERS.get(concerns, "business_unit")
        if owner not in roles:
            roles.append(owner)
    return roles
