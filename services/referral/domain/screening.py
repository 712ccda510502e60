"""Statutory screening of a referral: is the incident notifiable, is an SCR required, and
which kind of review to recommend, each conclusion with its reason and source.

    >>> s = screen(Facts(abuse_or_neglect="suspected", child_died=True))
    >>> s.notifiable, s.scr_required, s.recommended
    (True, True, 'serious_case_review')

The rules live in rule packs (:class:`RulePack`), one per edition of the guidance, registered
in :data:`RULE_PACKS`. To add an edition, write a module like :mod:`.screening_wt2015` and
register its pack here. The screening only advises: the Chair always decides.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .screening_core import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    DEATH_ONLY_FIELDS,
    INTERAGENCY_CONCERN,
    MAX_CHILD_AGE,
    MIN_CHILD_AGE,
    REGULATED_SETTINGS,
    Facts,
    Findings,
    InvalidFacts,
    Note,
    Problem,
    Reason,
    RecommendationRow,
    Rule,
    RulePack,
    Screening,
    UnknownRulePack,
    combination_problems,
)
from .screening_wt2015 import WT2015

DEFAULT_RULE_PACK = "wt2015"

RULE_PACKS: Mapping[str, RulePack] = MappingProxyType({WT2015.id: WT2015})


def screen(facts: Facts, pack: str = DEFAULT_RULE_PACK) -> Screening:
    """Apply rule pack ``pack`` to ``facts``; raises :class:`UnknownRulePack` for an unknown id."""
    try:
        rule_pack = RULE_PACKS[pack]
    except KeyError:
        raise UnknownRulePack(pack, RULE_PACKS) from None
    return rule_pack.evaluate(facts)


__all__ = [
    "ABUSE_OR_NEGLECT",
    "CUSTODY_SETTINGS",
    "DEATH_ONLY_FIELDS",
    "DEFAULT_RULE_PACK",
    "INTERAGENCY_CONCERN",
    "MAX_CHILD_AGE",
    "MIN_CHILD_AGE",
    "REGULATED_SETTINGS",
    "RULE_PACKS",
    "Facts",
    "Findings",
    "InvalidFacts",
    "Note",
    "Problem",
    "Reason",
    "RecommendationRow",
    "Rule",
    "RulePack",
    "Screening",
    "UnknownRulePack",
    "combination_problems",
    "screen",
]
