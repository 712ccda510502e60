"""The words of a review: its kinds, stages and methods, the panel's roles, the contributions
agencies make and what each holds. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.framework import REVIEW_KIND_LABELS

NO_REVIEW = "no_review"
SCR = "serious_case_review"

# Every outcome of the decision that starts a review (DOMAIN.md "Kinds of review"; under
# wt2018/wt2023 the safeguarding partners' local child safeguarding practice review).
REVIEW_KINDS: tuple[str, ...] = tuple(k for k in REVIEW_KIND_LABELS if k != NO_REVIEW)

# The stages a review passes through. Scoping: the panel is formed and the terms of reference
# drafted (004; 002 §2.1). Information gathering: agencies' chronologies and reports (000 §6
# weeks 1-4; 001 §6; 002 §2.4). Analysis: every contribution accepted, the panel analyses
# (002 §2.6-2.7). ``withdrawn``: a changed decision holds no review any more.
SCOPING = "scoping"
INFORMATION_GATHERING = "information_gathering"
ANALYSIS = "analysis"
WITHDRAWN = "withdrawn"
STAGES: tuple[str, ...] = (SCOPING, INFORMATION_GATHERING, ANALYSIS, WITHDRAWN)

# Methods (001 §5.3-5.4 intensive and targeted SCRs; 000 §3 the systems approach; 000 §6 the
# seven-week timetable below the SCR threshold).
METHODS: tuple[str, ...] = ("intensive", "targeted", "systems", "seven_week")

# Roles on a review panel (001 §5.6; 002 §2.1-2.2).
PANEL_ROLES: tuple[str, ...] = ("panel_chair", "member", "lead_reviewer", "adviser", "minute_taker")

# Independence declarations asked of panel members and reviewers, as the decision asks them of
# an SCR's lead reviewers (001 §5.6; 002 §2.2; 003 "Appointing reviewers"): a "yes" means ...
DECLARATIONS: Mapping[str, str] = {
    "works_for_involved_agency": "works for an agency involved with the child or family",
    "line_manages_involved_staff": "line-manages staff who were involved in the case",
    "involved_in_case": "was involved in the case",
    "works_for_board_agency": "works for one of the board's agencies",
}
# What every panel member must be independent of: the case itself (001 §5.6: "senior managers
# ... independent of the case"; 002 §2.2).
CASE_INDEPENDENCE: tuple[str, ...] = ("line_manages_involved_staff", "involved_in_case")

# Processes that run beside a review and can move its timetable (001 §6; 002 §2.2).
PARALLEL_PROCESSES: tuple[str, ...] = (
    "criminal_investigation",
    "criminal_proceedings",
    "coroners_inquest",
    "domestic_homicide_review",
    "mappa_review",
    "youth_justice_review",
    "health_serious_incident",
)

# What an agency contributes (000 §2, §12; 001 §5.1-5.2; 002 §2.4 and Appendix 1).
CHRONOLOGY = "chronology"
SAAR = "single_agency_analysis_report"
SINGLE_AGENCY_REVIEW = "single_agency_review"
CONTRIBUTION_KINDS: tuple[str, ...] = (CHRONOLOGY, SAAR, SINGLE_AGENCY_REVIEW)

# A contribution's states: requested -> draft -> submitted -> accepted, or returned to its
# agency -> (draft ->) submitted again.
REQUESTED = "requested"
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
ACCEPTED = "accepted"
CONTRIBUTION_STATUSES: tuple[str, ...] = (REQUESTED, DRAFT, SUBMITTED, RETURNED, ACCEPTED)

# The headings of a single agency analysis report (002 Appendix 1).
SAAR_SECTIONS: tuple[str, ...] = (
    "introduction",
    "facts",
    "analysis",
    "key_issues",
    "learning_points",
    "recommendations",
    "action_plan",
)

# The six key questions a single agency review answers (000 §2).
KEY_QUESTIONS: Mapping[str, str] = {
    "went_well": "What went well with the case",
    "learned": "What was learned from how the case progressed",
    "barriers": "Barriers to the intervention the agency was trying to provide",
    "more_effective": "What could have made safeguarding this child more effective",
    "policies_supported": "Whether policies, procedures and guidance supported the decisions",
    "do_differently": "What the agency might do differently: the key safeguarding learning points",
}

# The six questions of 000 §12 that say why a practice event is significant.
SIGNIFICANCE_QUESTIONS: Mapping[str, str] = {
    "changed_assessment": "Changed, or could have changed, the assessment of the child's situation",
    "pattern": "Symbolic or part of a pattern of events",
    "statutory_event": "A statutory event, such as a child protection conference or a court hearing",
    "significant_to_child": "Significant to the child",
    "significant_to_adult": "Significant to a significant adult",
    "learning_point": "A learning point for agencies",
}

# A contribution's default due date: the seven-week timetable sends the requests in weeks 1-2
# and expects the chronologies back in weeks 3-4 (000 §6), so three working weeks.
DEFAULT_DUE_WORKING_DAYS = 15

# The period under review: at most 12 months before the incident, exceptionally up to 24
# (002 §2.1).
USUAL_PERIOD_MONTHS = 12
LONGEST_PERIOD_MONTHS = 24
