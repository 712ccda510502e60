"""How the messages of a case name the partnership and the national bodies, by the case's rule pack.

A case keeps the pack it was screened under for life (its events carry ``rule_pack``). The
recipient roles stay the same in every pack; what a message calls them changes:

- ``wt2015``, ``wt2015-north-west``: the safeguarding children board, whose Chair decides
  (003 checklist), and the National Panel of Independent Experts on Serious Case Reviews (003
  'National panel of independent experts on Serious Case Reviews');
- ``wt2018``, ``wt2023``: the safeguarding partners, who decide (Children Act 2004 s.16E,
  s.16F(1)), and the Child Safeguarding Practice Review Panel (s.16A; SI 2018/789 reg 2),
  which the role ``national_panel`` stands for.

Pure Python.
"""

from __future__ import annotations

from typing import Any

CURRENT_PACKS = frozenset({"wt2018", "wt2023"})
DEFAULT_PACK = "wt2015"  # the pack of a case whose events never said one

NATIONAL_PANEL_2015 = "the National Panel of Independent Experts on Serious Case Reviews"
PANEL_2018 = "the Child Safeguarding Practice Review Panel"

# What each pack calls the holder of a role, where the pack changes it.
_ROLE_NAMES = {
    "ofsted": "Ofsted",
    "dfe": "the Department for Education",
    "national_panel": NATIONAL_PANEL_2015,
    "chair": "the Chair of the board",
}
_ROLE_NAMES_CURRENT = {
    **_ROLE_NAMES,
    "national_panel": PANEL_2018,
    "chair": "the Chair, for the safeguarding partners",
}


def is_current(pack: str | None) -> bool:
    """Whether ``pack`` is the current guidance (safeguarding partners, the Panel)."""
    return (pack or DEFAULT_PACK) in CURRENT_PACKS


def role_name(pack: str | None, role: str) -> str:
    """What a message of a case under ``pack`` calls the holder of ``role``."""
    names = _ROLE_NAMES_CURRENT if is_current(pack) else _ROLE_NAMES
    return names.get(role, role.replace("_", " "))


def context(pack: str | None) -> dict[str, Any]:
    """The words of ``pack`` the message templates use."""
    current = is_current(pack)
    return {
        "rule_pack": pack or DEFAULT_PACK,
        "current": current,
        "partnership": "the safeguarding partners" if current else "the safeguarding children board",
        "panel": PANEL_2018 if current else NATIONAL_PANEL_2015,
    }
