"""Statutory deadlines as data: each rule with its source beside it, grouped into rule packs.

A :class:`DeadlineRule` says: this many working days, calendar days or calendar months
after (or before) a milestone of the case, who has to act, in plain English, and where
the rule comes from (seed and section, as in DOMAIN.md "Timescales"). Rules are grouped
into named packs (:data:`RULE_PACKS`):

- ``wt2015``: Working Together 2015 as the Pan Lancashire procedures (003) and the Wirral
  below-threshold process (000) set it out;
- ``wt2015-north-west``: the same, with the North West framework's 14-day notice to the
  National Panel (001 §3);
- ``wt2018`` and ``wt2023``: the safeguarding partners' rules of Working Together 2018
  (chapter 4) and 2023 (chapter 5), in :mod:`services.scheduler.domain.rules_current`.

A case keeps the pack it was screened under for life (``rule_pack`` in its events).
Turning a case's milestones into dates is :mod:`services.scheduler.domain.deadlines`;
all counting is done by :class:`~services.scheduler.domain.calendar.WorkingCalendar`.
"""

from __future__ import annotations

from dataclasses import replace

from services.scheduler.domain.deadline_rule import UNITS, Deadline, DeadlineRule, Repeat, RulePack, Unit
from services.scheduler.domain.rules_current import WT2018, WT2023

__all__ = ["RULE_PACKS", "UNITS", "Deadline", "DeadlineRule", "Repeat", "RulePack", "Unit"]

INCIDENT_NOTIFICATION = DeadlineRule(
    code="incident_notification",
    anchor="became_aware_on",
    offset=5,
    unit="working_days",
    direction=1,
    concerns="local_authority",
    description="The local authority reports the notifiable incident to Ofsted and the board",
    source="003 Notifiable Incidents",
    # Only an incident meeting one of the four criteria is reported (003 "Notifiable Incidents").
    notifiable_only=True,
)

SCR_DECISION = DeadlineRule(
    code="scr_decision",
    anchor="board_notified_on",
    offset=1,
    unit="months",
    direction=1,
    concerns="chair",
    description="The Chair decides whether to initiate a Serious Case Review",
    connector="normally by",
    source="003 SCR checklist (decisions whether to initiate an SCR); 001 §3",
)

# The 5 working days are 003's checklist. 001 §3 gives the National Panel 14 days instead:
# that is the North West rule, NATIONAL_PANEL_DECISION_NOTIFICATION in wt2015-north-west.
DECISION_NOTIFICATION = DeadlineRule(
    code="decision_notification",
    anchor="decided_on",
    offset=5,
    unit="working_days",
    direction=1,
    concerns="business_unit",
    description="The board tells Ofsted, the DfE and the National Panel what the Chair decided",
    source="003 SCR checklist (decisions whether to initiate an SCR)",
)

# Completion within six months of initiation, only where a seed says so:
# - an SCR: 003 checklist, "Timescale for SCR completion";
# - the multi-agency reviews below the SCR threshold, critical incident reviews and learning
#   reviews (000 §1, §3): 000 §7, which also sets 12 months from the incident.
# Not single agency reviews (000 §2: the agency's own approach, no timescale; 001 §4.3: decided
# locally) nor multi-agency concise reviews (001 §4.2: no timescale).
_BELOW_THRESHOLD_MULTI_AGENCY = frozenset({"critical_incident_review", "learning_review"})

REVIEW_COMPLETION_INCIDENT_LIMIT = DeadlineRule(
    code="review_completion_incident_limit",
    anchor="incident_on",
    offset=12,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="A review below the SCR threshold is complete within 12 months of the incident",
    source="000 §7",
    applies_to=_BELOW_THRESHOLD_MULTI_AGENCY,
)

SCR_COMPLETION = DeadlineRule(
    code="review_completion",
    anchor="initiated_on",
    offset=6,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="The Serious Case Review aims to be complete",
    source="003 SCR checklist (timescale for SCR completion)",
    applies_to=frozenset({"serious_case_review"}),
)

BELOW_THRESHOLD_COMPLETION = replace(
    SCR_COMPLETION,
    description="The review aims to be complete",
    source="000 §7",
    applies_to=_BELOW_THRESHOLD_MULTI_AGENCY,
    cap=REVIEW_COMPLETION_INCIDENT_LIMIT,
)

PRE_PUBLICATION_COPIES = DeadlineRule(
    code="pre_publication_copies",
    anchor="planned_publication_on",
    offset=7,
    unit="working_days",
    direction=-1,
    concerns="business_unit",
    description=(
        "The board sends the final report, with the actions taken, to Ofsted, the DfE and the National Panel"
    ),
    source="003 SCR checklist (publication of reports)",
)

PUBLICATION_RETENTION = DeadlineRule(
    code="publication_retention",
    anchor="published_on",
    offset=12,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="The published report stays readily accessible on the board's website",
    connector="until at least",
    source="003 SCR checklist (publication of reports)",
)

ACTION_PLAN_PROGRESS = DeadlineRule(
    code="action_plan_progress",
    anchor="action_plan_agreed_on",
    offset=3,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="Progress against the action plan is reported to the performance committee",
    source="000 §9",
    repeat=Repeat(every=3, name="quarterly"),
)

NATIONAL_PANEL_DECISION_NOTIFICATION = DeadlineRule(
    code="national_panel_decision_notification",
    anchor="decided_on",
    offset=14,
    unit="calendar_days",
    direction=1,
    concerns="business_unit",
    description=(
        "The board notifies the National Panel of the Chair's decision "
        "(with the lead reviewers' names, or the justification when there is no SCR)"
    ),
    source="001 §3",
)

# DOMAIN note (decision.confirmed): after a challenge the board tells Ofsted, the DfE and the
# National Panel the final outcome (003 SCR checklist, "Decisions whether to initiate an SCR"),
# but the checklist gives no time limit for it, so the final outcome carries no deadline.

WT2015 = RulePack(
    code="wt2015",
    title="Working Together 2015 (Pan Lancashire SCR procedures; Wirral below-threshold reviews)",
    rules=(
        INCIDENT_NOTIFICATION,
        SCR_DECISION,
        DECISION_NOTIFICATION,
        SCR_COMPLETION,
        BELOW_THRESHOLD_COMPLETION,
        PRE_PUBLICATION_COPIES,
        PUBLICATION_RETENTION,
        ACTION_PLAN_PROGRESS,
    ),
)

# The North West framework keeps Working Together 2015's SCR checklist (001 §4.1: SCRs "in line
# with ... the checklist"), so every wt2015 rule stands, and adds the National Panel's 14 days.
WT2015_NORTH_WEST = RulePack(
    code="wt2015-north-west",
    title="Working Together 2015 with the North West Learning and Improvement Framework",
    rules=WT2015.rules + (NATIONAL_PANEL_DECISION_NOTIFICATION,),
)

RULE_PACKS: dict[str, RulePack] = {p.code: p for p in (WT2015, WT2015_NORTH_WEST, WT2018, WT2023)}
