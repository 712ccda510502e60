"""The current guidance's deadlines: rule packs ``wt2018`` and ``wt2023``.

Working Together to Safeguard Children 2018, chapter 4 ("Improving child protection and
safeguarding practice"), and 2023, chapter 5 ("Learning from serious child safeguarding
incidents"), with the Children Act 2004 ss.16A-16F and the Child Safeguarding Practice Review
and Relevant Agency (England) Regulations 2018 (SI 2018/789). The safeguarding partners (the
local authority, the clinical commissioning group, later the integrated care board, and the
police) replace the LSCB; the Child Safeguarding Practice Review Panel replaces the National
Panel of Independent Experts.

Each rule cites document, chapter and section heading where the heading is known. Paragraph
numbers of either chapter could not be checked against the published text, so none is cited.
The W18-n / W23-n marks name the rows of issue 12's research notes (sources, and how sure each is).
"""

from __future__ import annotations

from dataclasses import replace

from services.scheduler.domain.deadline_rule import DeadlineRule, RulePack

RAPID_REVIEW = "rapid_review"  # the deadline's code; met by RapidReviewRecorded (its completed_on)

# -- Working Together 2018 -----------------------------------------------------------------------

# W18-3: within 5 working days of becoming aware, for every serious child safeguarding case
# (abuse or neglect known or suspected, and the child died or was seriously harmed: s.16C(1)).
# Under these packs ``ReferralSubmitted.notifiable`` is read as exactly that: a looked-after
# child's death without abuse or neglect is told to the Secretary of State and Ofsted instead
# (W18-6), is not a serious child safeguarding case, and owes neither this nor a rapid review.
# Met when the notifications service sends ``panel_incident_notification`` to ``national_panel``
# (domain ``notices``); the Panel shares every notification with the DfE and Ofsted (W18-5).
WT2018_INCIDENT_NOTIFICATION = DeadlineRule(
    code="incident_notification",
    anchor="became_aware_on",
    offset=5,
    unit="working_days",
    direction=1,
    concerns="local_authority",
    description=(
        "The local authority notifies the Child Safeguarding Practice Review Panel of the serious incident"
    ),
    source=(
        "Working Together 2018, chapter 4, 'Duty on local authorities to notify incidents to the "
        "Child Safeguarding Practice Review Panel'; Children Act 2004 s.16C(1)"
    ),
    notifiable_only=True,
)

# W18-10/W18-11: the clock starts when the safeguarding partners become aware of the incident,
# as the chapter's text is quoted (2020 update). The local authority is one of the partners, so
# they are aware once it is: the date the product holds, ``became_aware_on``. Only a
# serious child safeguarding case (notifiable) has a rapid review. Met by RapidReviewRecorded.
WT2018_RAPID_REVIEW = DeadlineRule(
    code=RAPID_REVIEW,
    anchor="became_aware_on",
    offset=15,
    unit="working_days",
    direction=1,
    concerns="safeguarding_partners",
    description="The safeguarding partners complete their rapid review of the case",
    source=(
        "Working Together 2018, chapter 4, 'The rapid review' (15 working days from becoming aware "
        "of the incident)"
    ),
    notifiable_only=True,
)

# W18-20: the partners publish the report, or if that is inappropriate the information about
# improvements, and keep it publicly available for at least a year.
WT2018_PUBLICATION_RETENTION = DeadlineRule(
    code="publication_retention",
    anchor="published_on",
    offset=12,
    unit="months",
    direction=1,
    concerns="safeguarding_partners",
    description="The published report (or the information about improvements) stays publicly available",
    connector="until at least",
    source="Working Together 2018, chapter 4 (publication of local child safeguarding practice reviews)",
)

# DOMAIN notes, wt2018: left out, for want of a rule the research could cite (A or B):
# - review_completion: six months from the decision to hold a local review appears only in a
#   partnership's 2020 note on the COVID relaxation (W18-19, marked C), not in the chapter's text.
# - pre_publication_copies: a copy to the Panel and the Secretary of State 7 working days before
#   publication was not found (W18-21, X; SI 2018/789 regs 15-17 unread).
# - decision_notification, scr_decision: telling the Panel, Ofsted and the DfE of the decision to
#   hold a local review was not found (W18-17, X); the decision is the rapid review's outcome
#   (W18-10), whose time limit is rapid_review's. The Panel's answer on a national review has
#   no time limit in the guidance (W18-16: "about 10 days" is local experience, C).
# - sending the rapid review to the Panel (W18-12) is part of completing it; no time limit of its own.
# - the report to the safeguarding partners within the same 5 working days (W18-4) is the
#   referral to the partnership itself (board_notified_on): no separate deadline.
# - a looked-after child's death notified to the Secretary of State and Ofsted (W18-6): no time
#   limit found for that notice; deaths in regulated settings (W18-7, X) are not a ground.
# - action_plan_progress (quarterly, 000 §9) is the Wirral board's practice, not the guidance's.
# - SI 2018/789 reg 14 (monitor time and quality "at regular intervals") sets no interval.

WT2018 = RulePack(
    code="wt2018",
    title="Working Together 2018 (safeguarding partners; Child Safeguarding Practice Review Panel)",
    rules=(WT2018_INCIDENT_NOTIFICATION, WT2018_RAPID_REVIEW, WT2018_PUBLICATION_RETENTION),
)

# -- Working Together 2023 -----------------------------------------------------------------------

# W23-3: unchanged from 2018 (s.16C(1)); met as in wt2018.
WT2023_INCIDENT_NOTIFICATION = replace(
    WT2018_INCIDENT_NOTIFICATION,
    source=(
        "Working Together 2023, chapter 5, 'Learning from serious child safeguarding incidents' "
        "(notifying the Panel within 5 working days of becoming aware); Children Act 2004 s.16C(1)"
    ),
)

# W23-9: the Panel's guidance for safeguarding partners (June 2025) counts the 15 working days
# from the date the notification was sent to the Panel, not from becoming aware: this pack
# follows it. ``panel_notified_on`` is the day the notifications service sent
# ``panel_incident_notification`` to the Panel; until then the rapid review has no due date, as a
# rapid review needs a notification first (W23-10, the Panel's FAQ). Met by RapidReviewRecorded.
WT2023_RAPID_REVIEW = replace(
    WT2018_RAPID_REVIEW,
    anchor="panel_notified_on",
    source=(
        "Child Safeguarding Practice Review Panel, guidance for safeguarding partners (June 2025): "
        "15 working days from the notification to the Panel; Working Together 2023, chapter 5 "
        "(the rapid review)"
    ),
)

# DOMAIN notes, wt2023: left out, as for wt2018, and also:
# - review_completion: no six-month aim found in a source citing the 2023 text (W23-15, X).
# - publication_retention: partnerships' pages repeat the 2018 year online, but none attributes
#   it to the 2023 text (W23-16, C).
# - pre_publication_copies and redaction (W23-17, X); deaths in regulated settings (W23-7, X).
# - a care leaver's death up to the age of 24 notified to the Secretary of State and Ofsted
#   (W23-5, new in 2023) has no time limit in what was found: no deadline.

WT2023 = RulePack(
    code="wt2023",
    title="Working Together 2023 (safeguarding partners; Child Safeguarding Practice Review Panel)",
    rules=(WT2023_INCIDENT_NOTIFICATION, WT2023_RAPID_REVIEW),
)
