"""The words a case's documents use, by the rule pack the case was screened under.

A case keeps its pack for life: it travels in every event as ``rule_pack``, and the
documents of the case read it from the service's record of the case, never from the
board's current setting.

- ``wt2015`` and ``wt2015-north-west`` (Working Together 2015, ch. 4, as 003 sets it out):
  the Local Safeguarding Children Board, its Chair decides whether a Serious Case Review is
  held (003 checklist, 'Decisions whether to initiate an SCR'), and the national body is the
  National Panel of Independent Experts on Serious Case Reviews (003 'National panel of
  independent experts on Serious Case Reviews'). A notifiable incident is notified to Ofsted
  (003 'Notifiable Incidents').
- ``wt2018`` (Working Together 2018, ch. 4 'Improving child protection and safeguarding
  practice') and ``wt2023`` (Working Together 2023, ch. 5 'Learning from serious child
  safeguarding incidents'): the safeguarding partners (Children Act 2004 s.16E) identify
  serious child safeguarding cases and decide whether a local child safeguarding practice
  review is held (s.16F(1); SI 2018/789 reg 11); in the product their decision is recorded by
  the user with the Chair role, acting for them. The national body is the Child Safeguarding
  Practice Review Panel (Children Act 2004 s.16A; SI 2018/789 reg 2), which the local
  authority notifies of a serious incident (WT2018 ch. 4 'Duty on local authorities to notify
  incidents to the Child Safeguarding Practice Review Panel'; gov.uk 'Report a serious child
  safeguarding incident', which shares each notification with the DfE and Ofsted), and to
  which the rapid review goes (WT2018 ch. 4 'The rapid review'; WT2023 ch. 5, rapid review).

DOMAIN notes, rules of ``wt2018``/``wt2023`` left out because the guidance could not be cited
(/tmp/wt-research.md, marked X): telling Ofsted and the DfE of the decision on a local review,
with the reviewer's name (W18-17); any requirement that a local reviewer be independent of
the partnership (W18-18, W23-14), so the independence declarations are printed as recorded
and no 2015 wording about independence is used; the death in a regulated setting as a ground
of its own (W18-7, W23-7); the copy to the Panel and the Secretary of State seven working days
before publication (W18-21, W23-17). Paragraph numbers of WT2018 ch. 4 and WT2023 ch. 5 were
not found: sources here cite chapter and section heading only.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The packs of the current guidance: safeguarding partners, the Panel, rapid reviews.
CURRENT_PACKS = frozenset({"wt2018", "wt2023"})


@dataclass(frozen=True)
class Wording:
    """What a pack calls the people, bodies and reviews a document names."""

    pack: str
    edition: str  # the guidance, as a document names it
    partnership: str  # who decides: "the board" or "the safeguarding partners"
    panel: str  # the national body
    review: str  # the statutory review the decision is about
    source: str

    @property
    def current(self) -> bool:
        """Whether the pack is the current guidance (safeguarding partners, the Panel)."""
        return self.pack in CURRENT_PACKS

    def as_context(self) -> dict[str, Any]:
        """The ``wording`` of a document's context."""
        return {
            "current": self.current,
            "edition": self.edition,
            "partnership": self.partnership,
            "panel": self.panel,
            "review": self.review,
        }


_LSCB = {
    "partnership": "the board",
    "panel": "the National Panel of Independent Experts on Serious Case Reviews",
    "review": "Serious Case Review",
    "source": "003 'National panel of independent experts on Serious Case Reviews' and checklist",
}
_PARTNERS = {
    "partnership": "the safeguarding partners",
    "panel": "the Child Safeguarding Practice Review Panel",
    "review": "local child safeguarding practice review",
    "source": "Children Act 2004 s.16A, s.16E, s.16F(1); SI 2018/789 regs 2 and 11",
}

PACKS: dict[str, Wording] = {
    "wt2015": Wording("wt2015", "Working Together to Safeguard Children 2015", **_LSCB),
    "wt2015-north-west": Wording(
        "wt2015-north-west",
        "Working Together to Safeguard Children 2015, with the North West timescales",
        **_LSCB,
    ),
    "wt2018": Wording("wt2018", "Working Together to Safeguard Children 2018", **_PARTNERS),
    "wt2023": Wording("wt2023", "Working Together to Safeguard Children 2023", **_PARTNERS),
}
DEFAULT_PACK = "wt2015"  # the pack of a board that never chose one


def wording_for(pack: str | None) -> Wording:
    """The words of ``pack``; a pack this service does not know reads as the default one."""
    return PACKS.get(pack or DEFAULT_PACK) or PACKS[DEFAULT_PACK]


def is_current(pack: str | None) -> bool:
    return (pack or DEFAULT_PACK) in CURRENT_PACKS
