"""Rule pack ``wt2023``: Working Together to Safeguard Children 2023, chapter 5 "Learning from
serious child safeguarding incidents", with the Children Act 2004 ss.16A-16F and SI 2018/789.

The law is the 2018 law, so the rules are ``wt2018``'s (:mod:`..wt2018.rules`) with this
edition's citations and words: the safeguarding partners are the local authority, the
integrated care board and the chief officer of police (Children Act 2004 s.16E(3), as amended),
led by the Lead Safeguarding Partners.

DOMAIN notes: what the guidance was not found to support, and so is left out
------------------------------------------------------------------------------
- Care leavers: WT2023 ch. 5 asks the local authority to notify the Secretary of State and
  Ofsted of the death of a care leaver up to and including the age of 24. The facts a referral
  records describe a child under 18 (``facts.MAX_CHILD_AGE``), with no "care leaver" fact, so the
  rule cannot be expressed: it is left out until referrals can describe a young adult.
- Deaths in regulated settings, and in custody or under the Mental Health Act or a deprivation
  of liberty order: no WT2023 rule found (as ``wt2018``).
- Reviewer appointment and independence, the six-month completion, the 7 working days' copy
  before publication, and redaction: not found for 2023.
- The section headings of chapter 5 were not found: rules cite the chapter and say what the
  passage is about. Paragraph numbers were not found either.
"""

from __future__ import annotations

from ..wt2018.rules import Edition, build

CHAPTER = "WT2023 ch. 5 'Learning from serious child safeguarding incidents'"

WT2023_EDITION = Edition(
    id="wt2023",
    title="Working Together to Safeguard Children 2023, chapter 5, and SI 2018/789",
    serious_case=f"{CHAPTER}, on serious child safeguarding cases",
    notify=f"{CHAPTER}, on notifying the Panel",
    looked_after=f"{CHAPTER}, on the deaths of looked-after children",
    rapid_review=f"{CHAPTER}, on the rapid review",
    decisions=f"{CHAPTER}, on decisions on local and national reviews",
    partners="the local authority, the integrated care board and the chief officer of police",
)

WT2023 = build(WT2023_EDITION)

__all__ = ["WT2023", "WT2023_EDITION"]
