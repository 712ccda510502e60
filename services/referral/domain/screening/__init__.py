"""Statutory screening of a referral: is the incident notifiable, is an SCR required, and
which kind of review to recommend, each conclusion with its reason and source.

    >>> s = screen(Facts(abuse_or_neglect="suspected", child_died=True))
    >>> s.notifiable, s.scr_required, s.recommended
    (True, True, 'serious_case_review')

The rules live in rule packs (:class:`RulePack`), one per edition of the guidance, registered
in :data:`RULE_PACKS`. To add an edition, write a package like :mod:`.wt2015` and register
its pack here. The screening only advises: the Chair always decides.

- :mod:`.facts`: what the referral says happened, refused when impossible;
- :mod:`.rules`: the machinery (rules, recommendation rows, notes, the rule pack);
- :mod:`.wt2015`: Working Together 2015, and the North West framework that applies it;
- :mod:`.wt2018`, :mod:`.wt2023`: Working Together 2018 and 2023, with the Children Act 2004
  ss.16A-16F and SI 2018/789 (no SCR: a rapid review, then perhaps a local child safeguarding
  practice review).

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .facts import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    DEATH_ONLY_FIELDS,
    INTERAGENCY_CONCERN,
    MAX_CHILD_AGE,
    MIN_CHILD_AGE,
    REGULATED_SETTINGS,
    SETTING_FIELDS,
    Facts,
    InvalidFacts,
    Problem,
    combination_problems,
)
from .rules import (
    CrossBorder,
    Findings,
    MethodRow,
    Note,
    Reason,
    RecommendationRow,
    Rule,
    RulePack,
    Screening,
    UnknownRulePack,
)
from .wt2015 import METHODS, WT2015, WT2015_NORTH_WEST
from .wt2018 import WT2018
from .wt2023 import WT2023

DEFAULT_RULE_PACK = "wt2015"

RULE_PACKS: Mapping[str, RulePack] = MappingProxyType(
    {p.id: p for p in (WT2015, WT2015_NORTH_WEST, WT2018, WT2023)}
)


def rule_pack(pack: str) -> RulePack:
    """The pack called ``pack``; raises :class:`UnknownRulePack` for an unknown id."""
    try:
        return RULE_PACKS[pack]
    except KeyError:
        raise UnknownRulePack(pack, RULE_PACKS) from None


def screen(facts: Facts, pack: str = DEFAULT_RULE_PACK) -> Screening:
    """Apply rule pack ``pack`` to ``facts``; raises :class:`UnknownRulePack` for an unknown id."""
    return rule_pack(pack).evaluate(facts)


__all__ = [
    "ABUSE_OR_NEGLECT",
    "CUSTODY_SETTINGS",
    "CrossBorder",
    "DEATH_ONLY_FIELDS",
    "DEFAULT_RULE_PACK",
    "INTERAGENCY_CONCERN",
    "MAX_CHILD_AGE",
    "METHODS",
    "MIN_CHILD_AGE",
    "MethodRow",
    "REGULATED_SETTINGS",
    "RULE_PACKS",
    "SETTING_FIELDS",
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
    "rule_pack",
    "screen",
]
