"""Rule pack ``wt2018``: Working Together to Safeguard Children 2018, chapter 4 "Improving child
protection and safeguarding practice", with the Children Act 2004 ss.16A-16F and SI 2018/789.

No Serious Case Reviews and no LSCB: a serious child safeguarding case (abuse or neglect known or
suspected, and the child died or was seriously harmed) is notified by the local authority to
the Child Safeguarding Practice Review Panel; the safeguarding partners (local authority,
clinical commissioning group, chief officer of police) undertake a rapid review, then decide
whether to hold a local child safeguarding practice review against SI 2018/789 reg 11. The rules
themselves are in :mod:`.rules`, shared with ``wt2023``.

DOMAIN notes: what the guidance was not found to support, and so is left out
------------------------------------------------------------------------------
- Deaths in regulated settings (003's fourth notifiable ground) have no WT2018 rule found:
  those settings notify Ofsted under their own regulations. Not a ground here; a note says so.
- Deaths in custody, under the Mental Health Act or a deprivation of liberty order (003 ¶20)
  have no WT2018 rule found: not a ground here; a note says so.
- WT2018's further "circumstances to have regard to" when deciding on a review were not found.
- The Panel's deadline to decide on a national review was not found (one partnership's
  experience of about 10 days is not a rule).
- Telling the Panel, Ofsted and the DfE of a decision to hold a local review with the reviewer's
  name, the reviewer's independence, and the 7 working days' copy before publication were not
  found: this pack imposes none of them (the decision rules of ``domain/decision.py`` ask no
  independent reviewer for a local review).
- The 15 working days of the rapid review come from partnerships quoting the guidance and the
  Panel's practice guidance (not confirmed in the WT2018 text); the screening says "promptly",
  and the scheduler keeps the 15-day deadline with its own source.
- Paragraph numbers of chapter 4 were not found: rules cite its section headings.
"""

from __future__ import annotations

from .rules import (
    LOCAL_REVIEW,
    LOOKED_AFTER_DEATH,
    NOTIFIABLE_GROUNDS,
    REVIEW_KINDS,
    SERIOUS_CASE,
    Edition,
    build,
    serious_case,
)

CHAPTER = "WT2018 ch. 4"

WT2018_EDITION = Edition(
    id="wt2018",
    title="Working Together to Safeguard Children 2018, chapter 4, and SI 2018/789",
    serious_case=f"{CHAPTER} 'Responsibilities for reviews'",
    notify=f"{CHAPTER} 'Duty on local authorities to notify incidents to the Child Safeguarding "
    "Practice Review Panel'",
    looked_after=f"{CHAPTER} 'Duty on local authorities to notify incidents to the Child "
    "Safeguarding Practice Review Panel'",
    rapid_review=f"{CHAPTER} 'The rapid review'",
    decisions=f"{CHAPTER} 'Decisions on local and national reviews'",
    partners="the local authority, the clinical commissioning group and the chief officer of police",
)

WT2018 = build(WT2018_EDITION)

__all__ = [
    "LOCAL_REVIEW",
    "LOOKED_AFTER_DEATH",
    "NOTIFIABLE_GROUNDS",
    "REVIEW_KINDS",
    "SERIOUS_CASE",
    "WT2018",
    "WT2018_EDITION",
    "Edition",
    "build",
    "serious_case",
]
