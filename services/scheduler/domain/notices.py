"""Which notifications discharge which statutory deadlines: the scheduler's link to the notifications service.

The notifications service announces each message it sends (``NotificationSent``) with the
template it used and the role of its recipient. These are the names both services use;
they are the contract, so they are kept here, once, exactly as the notifications service
writes them. A duty to tell several bodies is met when every one of them has been told
with the same template, on the day the last of them was told. Each discharge names the
rule it meets, so a notification meets a deadline only under the rule pack that has it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from services.scheduler.domain.deadline_rule import DeadlineRule, RulePack
from services.scheduler.domain.rules import (
    DECISION_NOTIFICATION,
    INCIDENT_NOTIFICATION,
    NATIONAL_PANEL_DECISION_NOTIFICATION,
)
from services.scheduler.domain.rules_current import WT2018_INCIDENT_NOTIFICATION, WT2023_INCIDENT_NOTIFICATION

# Recipient roles of the national bodies (DOMAIN.md "Who uses it": external bodies). Under
# wt2018/wt2023 ``national_panel`` is the Child Safeguarding Practice Review Panel.
OFSTED = "ofsted"
DFE = "dfe"
NATIONAL_PANEL = "national_panel"
NATIONAL_BODIES = frozenset({OFSTED, DFE, NATIONAL_PANEL})

# Templates of the notifications that discharge a deadline.
DECISION_TEMPLATE = "decision_notification"  # the Chair's decision, to Ofsted, the DfE and the Panel
DECISION_CHANGED_TEMPLATE = "decision_changed_notification"  # the final outcome after a challenge
INCIDENT_TEMPLATE = "ofsted_incident_notification"  # wt2015: the notifiable incident, to Ofsted
PANEL_INCIDENT_TEMPLATE = "panel_incident_notification"  # wt2018/wt2023: the serious incident, to the Panel
# The final outcome when the board kept its decision after a challenge (decision.confirmed) is
# told to the same three bodies, but no deadline waits for it (rules.py, DOMAIN note): the
# scheduler does not listen for that template.


@dataclass(frozen=True)
class Discharge:
    """Telling every one of ``roles`` with one of ``templates`` meets the deadline of ``rule``."""

    rule: DeadlineRule
    templates: frozenset[str]
    roles: frozenset[str]


DISCHARGES: tuple[Discharge, ...] = (
    Discharge(
        DECISION_NOTIFICATION, frozenset({DECISION_TEMPLATE, DECISION_CHANGED_TEMPLATE}), NATIONAL_BODIES
    ),
    Discharge(
        NATIONAL_PANEL_DECISION_NOTIFICATION, frozenset({DECISION_TEMPLATE}), frozenset({NATIONAL_PANEL})
    ),
    Discharge(INCIDENT_NOTIFICATION, frozenset({INCIDENT_TEMPLATE}), frozenset({OFSTED})),
    Discharge(
        WT2018_INCIDENT_NOTIFICATION, frozenset({PANEL_INCIDENT_TEMPLATE}), frozenset({NATIONAL_PANEL})
    ),
    Discharge(
        WT2023_INCIDENT_NOTIFICATION, frozenset({PANEL_INCIDENT_TEMPLATE}), frozenset({NATIONAL_PANEL})
    ),
)

# The notification that dates a milestone: the day the Panel was sent the serious incident is
# when the wt2023 rapid review's 15 working days start (rules_current, WT2023_RAPID_REVIEW).
MILESTONE_NOTICES: dict[tuple[str, str], str] = {
    (PANEL_INCIDENT_TEMPLATE, NATIONAL_PANEL): "panel_notified_on"
}

# Every template the scheduler listens for.
TEMPLATES: frozenset[str] = frozenset().union(
    *(d.templates for d in DISCHARGES), (t for t, _ in MILESTONE_NOTICES)
)


def deadlines_met(pack: RulePack, template: str, told: Collection[str]) -> list[str]:
    """The deadline codes of ``pack`` met once the roles ``told`` have all been sent ``template``."""
    return [
        d.rule.code
        for d in DISCHARGES
        if d.rule in pack.rules and template in d.templates and d.roles <= set(told)
    ]


def milestone_dated_by(template: str, role: str) -> str | None:
    """The milestone that sending ``template`` to ``role`` dates, if any."""
    return MILESTONE_NOTICES.get((template, role))
