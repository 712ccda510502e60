"""Rule packs ``wt2015`` and ``wt2015-north-west``: Working Together to Safeguard Children (2015),
chapter 4.

The rules are split by what they decide: :mod:`.grounds` (is the incident notifiable, is an
SCR required), :mod:`.recommendations` (which review to suggest) and :mod:`.notes` (what
else to tell the reader). Each names its seed and section (see /work/shared/DOMAIN.md).

The North West Learning and Improvement Framework (001) applies the Working Together 2015
criteria: its screening is this pack's, under its own name. It differs in timescales (the
National Panel is told of a decision within 14 days, 001 §3), which the scheduler's pack of
the same name applies; a case screened under ``wt2015-north-west`` carries that name in its
events so that the scheduler can.
"""

from __future__ import annotations

from dataclasses import replace

from ..rules import RulePack
from .grounds import NOTIFIABLE_GROUNDS, NOTIFIABLE_RULES, REVIEW_KINDS, SCR_GROUNDS, SCR_RULES
from .methods import CROSS_BORDER, METHOD_ROWS, METHODS
from .notes import NOTES
from .recommendations import RECOMMENDATIONS

WT2015 = RulePack(
    id="wt2015",
    title="Working Together to Safeguard Children 2015, chapter 4",
    scr_rules=SCR_RULES,
    notifiable_rules=NOTIFIABLE_RULES,
    recommendations=RECOMMENDATIONS,
    review_kinds=REVIEW_KINDS,
    notes=NOTES,
    methods=METHOD_ROWS,
    cross_border=CROSS_BORDER,
)

WT2015_NORTH_WEST = replace(
    WT2015,
    id="wt2015-north-west",
    title="Working Together to Safeguard Children 2015, chapter 4, with the North West Learning "
    "and Improvement Framework",
)

__all__ = [
    "METHODS",
    "METHOD_ROWS",
    "NOTES",
    "NOTIFIABLE_GROUNDS",
    "NOTIFIABLE_RULES",
    "RECOMMENDATIONS",
    "REVIEW_KINDS",
    "SCR_GROUNDS",
    "SCR_RULES",
    "WT2015",
    "WT2015_NORTH_WEST",
]
