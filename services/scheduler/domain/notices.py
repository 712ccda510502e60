"""Which notifications discharge which statutory deadlines: the scheduler's link to the notifications service.

The notifications service announces each message it sends (``NotificationSent``) with the
template it used and the role of its recipient. These are the names both services use;
they are the contract, so they are kept here, once, exactly as the notifications service
writes them. A duty to tell several bodies is met when every one of them has been told
with the same template, on the day the last of them was told.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from services.scheduler.domain.rules import (
    DECISION_NOTIFICATION,
    INCIDENT_NOTIFICATION,
    NATIONAL_PANEL_DECISION_NOTIFICATION,
)

# Recipient roles of the national bodies (DOMAIN.md "Who uses it": external bodies).
OFSTED = "ofsted"
DFE = "dfe"
NATIONAL_PANEL = "national_panel"
NATIONAL_BODIES = frozenset({OFSTED, DFE, NATIONAL_PANEL})

# Templates of the notifications that discharge a deadline.
DECISION_TEMPLATE = "decision_notification"  # the Chair's decision, to Ofsted, the DfE and the Panel
DECISION_CHANGED_TEMPLATE = "decision_changed_notification"  # the final outcome after a challenge
INCIDENT_TEMPLATE = "ofsted_incident_notification"  # the notifiable incident, to Ofsted


@dataclass(frozen=True)
class Discharge:
    """Telling every one of ``roles`` with one of ``templates`` meets the deadline ``deadline``."""

    deadline: str
    templates: frozenset[str]
    roles: frozenset[str]
    source: str


DISCHARGES: tuple[Discharge, ...] = (
    Discharge(
        DECISION_NOTIFICATION.code,
        frozenset({DECISION_TEMPLATE, DECISION_CHANGED_TEMPLATE}),
        NATIONAL_BODIES,
        DECISION_NOTIFICATION.source,
    ),
    Discharge(
        NATIONAL_PANEL_DECISION_NOTIFICATION.code,
        frozenset({DECISION_TEMPLATE}),
        frozenset({NATIONAL_PANEL}),
        NATIONAL_PANEL_DECISION_NOTIFICATION.source,
    ),
    Discharge(
        INCIDENT_NOTIFICATION.code,
        frozenset({INCIDENT_TEMPLATE}),
        frozenset({OFSTED}),
        INCIDENT_NOTIFICATION.source,
    ),
)

# Every template the scheduler listens for.
TEMPLATES: frozenset[str] = frozenset().union(*(d.templates for d in DISCHARGES))


def deadlines_met(template: str, told: Collection[str]) -> list[str]:
    """The deadline codes met once the roles ``told`` have all been sent ``template``."""
    return [d.deadline for d in DISCHARGES if template in d.templates and d.roles <= set(told)]
