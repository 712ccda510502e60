"""The ``wt2015`` SCR methods (001 §5.3-5.4), and what the pack says about other areas.

The North West framework offers two methods of SCR. An *intensive* review is for very serious
or very complex cases (001 §5.3). A *targeted* review fits (001 §5.4): (1) a death in custody, or
of a child detained under the Mental Health Act, where abuse or neglect is not known or
suspected (reg 5(2)(a) is not met); (2) a case where proportionality points to it, including
one where the Chair does not think the threshold met but peer challenge or the National Panel
suggest an SCR may be prudent. The other proportionality cases of (2) (few significant practice
events, learning already identified, historical cases) are judgements the facts do not record:
the Chair makes them, and records the method chosen.
"""

from __future__ import annotations

from ..facts import Facts
from ..rules import CrossBorder, Findings, MethodRow
from .grounds import SRC_HOME_BOARD, SRC_INTENSIVE, SRC_OTHER_BOARDS, SRC_TARGETED

INTENSIVE = "intensive"
TARGETED = "targeted"
METHODS = (INTENSIVE, TARGETED)

# 001 §5.4 (1) names deaths in custody and under the Mental Health Act, not deprivation of liberty.
_TARGETED_GROUNDS = frozenset({"death_in_custody", "death_detained_mental_health_act"})


def _custody_without_abuse(f: Facts, found: Findings) -> bool:
    return (
        bool(found.scr_grounds)
        and not f.abuse_known_or_suspected
        and bool(_TARGETED_GROUNDS & set(found.scr_grounds))
    )


def _scr_required(_: Facts, found: Findings) -> bool:
    return bool(found.scr_grounds)


def _anything(_: Facts, __: Findings) -> bool:
    return True


METHOD_ROWS = (
    MethodRow(
        "targeted.custody_without_abuse",
        TARGETED,
        _custody_without_abuse,
        "The child died in custody or while detained under the Mental Health Act, and abuse or "
        "neglect is not known or suspected, so a Targeted Serious Case Review is suggested.",
        f"{SRC_TARGETED} (1)",
    ),
    MethodRow(
        "intensive.criteria_met",
        INTENSIVE,
        _scr_required,
        "The criteria for a Serious Case Review are met: a very serious case, so an Intensive "
        "Serious Case Review is suggested. The Chair may choose a Targeted one where that is "
        "proportionate (for example, few significant practice events, or learning already "
        "identified).",
        f"{SRC_INTENSIVE}; {SRC_TARGETED} (2)",
    ),
    MethodRow(
        "targeted.criteria_not_met",
        TARGETED,
        _anything,
        "The criteria for a Serious Case Review are not met. Should the Chair commission one "
        "anyway, for example after peer challenge or advice from the National Panel, a Targeted "
        "Serious Case Review is suggested.",
        f"{SRC_TARGETED} (2)",
    ),
)

CROSS_BORDER = CrossBorder(
    home="The child normally lives in the area of {home}. The board for the area where the "
    "child normally lives decides whether to hold a Serious Case Review: tell that board, and "
    "decide together which board leads.",
    home_source=SRC_HOME_BOARD,
    others="Other boards are involved ({others}). A case that crosses borders needs them "
    "involved early in the decisions about the review.",
    others_source=SRC_OTHER_BOARDS,
)
