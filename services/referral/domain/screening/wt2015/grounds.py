"""Rule pack ``wt2015``, its vocabulary and grounds: Working Together 2015, chapter 4.

Every rule names its source as seed and section (see /work/shared/DOMAIN.md):

- 003: Pan Lancashire, Serious Case Reviews (Working Together 2015, chapter 4), with the
  LSCB Regulations 2006 reg 5(2) and the SCR checklist;
- 000: Wirral, reviewing cases below the SCR threshold (Critical Incident and Learning Reviews,
  Single Agency Reviews);
- 001: North West Learning and Improvement Framework (Multi-Agency Concise Reviews,
  Individual Agency Reviews).
"""

from __future__ import annotations

from ..facts import Facts
from ..rules import Findings, Rule

# -- Vocabulary ----------------------------------------------------------------------------

SERIOUS_CASE_REVIEW = "serious_case_review"
CRITICAL_INCIDENT_REVIEW = "critical_incident_review"
LEARNING_REVIEW = "learning_review"
MULTI_AGENCY_CONCISE_REVIEW = "multi_agency_concise_review"
SINGLE_AGENCY_REVIEW = "single_agency_review"
# Where a case repeats learning already identified, the board reviews how that learning is being
# embedded, outside a concise review (001 §4.2). A judgement the facts do not record: the Chair
# chooses it; the screening never recommends it.
EMBEDDED_LEARNING_REVIEW = "embedded_learning_review"
NO_REVIEW = "no_review"

REVIEW_KINDS = (
    SERIOUS_CASE_REVIEW,
    CRITICAL_INCIDENT_REVIEW,
    LEARNING_REVIEW,
    MULTI_AGENCY_CONCISE_REVIEW,
    SINGLE_AGENCY_REVIEW,
    EMBEDDED_LEARNING_REVIEW,
    NO_REVIEW,
)

NOTIFIABLE_GROUNDS = (
    "death_abuse_neglect",
    "serious_harm_abuse_neglect",
    "looked_after_child_death",
    "regulated_setting_death",
    "scr_criteria_met",
)

SCR_GROUNDS = (
    "death_abuse_neglect",
    "serious_harm_interagency_concern",
    "death_in_custody",
    "death_detained_mental_health_act",
    "death_deprivation_of_liberty",
)

# A deprivation of liberty order calls for an SCR only for these ages (003 ¶20).
DEPRIVATION_OF_LIBERTY_AGES = (16, 17)

# Inter-agency concern as the statutory SCR test reads it: unless it is clear there is none,
# there is concern (003 "Serious Case Reviews", on reg 5(2)(b)(ii)).
STATUTORY_CONCERN = ("yes", "unclear")

# -- Sources -------------------------------------------------------------------------------

SRC_NOTIFIABLE = "003 Notifiable Incidents"
SRC_REGULATED = "003 Notifiable Incidents, note 52"
SRC_SCR_IS_NOTIFIABLE = "003 ¶15"
SRC_REG_DEATH = "003 Serious Case Reviews (reg 5(2)(a), (b)(i))"
SRC_REG_HARM = "003 Serious Case Reviews (reg 5(2)(a), (b)(ii))"
SRC_ALWAYS_SCR = "003 ¶20"
SRC_SCR_RECOMMENDED = "003 Serious Case Reviews; 003 ¶20"
SRC_CHAIR_MAY_COMMISSION = "003 Serious Case Reviews"
SRC_PANEL_SCRUTINY = "003 SCR checklist; 001 §3"
SRC_CHILD_DEATH_REVIEW = "003 ¶8"
SRC_CIR = "000 §1, §3"
SRC_SINGLE_AGENCY = "001 §4.3; 000 §2"
SRC_CONCISE = "001 §4.2, §5.5"
SRC_NO_REVIEW = "000 §2; 003 Serious Case Reviews"
SRC_EMBEDDED_LEARNING = "001 §4.2"
SRC_INTENSIVE = "001 §5.3"
SRC_TARGETED = "001 §5.4"
SRC_HOME_BOARD = "003 SCR checklist (Decisions whether to initiate an SCR)"
SRC_OTHER_BOARDS = "004 Tackling some common obstacles"

# -- Predicates (small, named, one fact pattern each) --------------------------------------


def _died_abuse_or_neglect(f: Facts, _: Findings) -> bool:
    return f.child_died and f.abuse_known_or_suspected


def seriously_harmed_abuse_or_neglect(f: Facts, _: Findings) -> bool:
    return f.seriously_harmed and f.abuse_known_or_suspected


def _seriously_harmed_with_concern(f: Facts, found: Findings) -> bool:
    return seriously_harmed_abuse_or_neglect(f, found) and f.interagency_concern in STATUTORY_CONCERN


def _died_in_custody(f: Facts, _: Findings) -> bool:
    return f.child_died and f.in_custody


def _died_detained_mha(f: Facts, _: Findings) -> bool:
    return f.child_died and f.detained_mental_health_act


def _died_under_dol_aged_16_or_17(f: Facts, _: Findings) -> bool:
    return f.child_died and f.deprivation_of_liberty_order and f.child_age in DEPRIVATION_OF_LIBERTY_AGES


def _looked_after_died(f: Facts, _: Findings) -> bool:
    return f.child_died and f.looked_after


def _died_in_regulated_setting(f: Facts, _: Findings) -> bool:
    return f.child_died and f.in_regulated_setting


def _scr_criteria_met(_: Facts, found: Findings) -> bool:
    return bool(found.scr_grounds)


# -- Grounds -------------------------------------------------------------------------------

SCR_RULES = (
    Rule(
        "death_abuse_neglect",
        _died_abuse_or_neglect,
        "The child died and abuse or neglect is known or suspected, so the law requires a "
        "Serious Case Review.",
        SRC_REG_DEATH,
    ),
    Rule(
        "serious_harm_interagency_concern",
        _seriously_harmed_with_concern,
        "The child was seriously harmed, abuse or neglect is known or suspected, and there is "
        "concern about how the agencies worked together to keep the child safe, so the law "
        "requires a Serious Case Review.",
        SRC_REG_HARM,
    ),
    Rule(
        "death_in_custody",
        _died_in_custody,
        "The child died in custody (police custody, on remand or after sentence, a Young "
        "Offender Institution, a secure training centre or a secure children's home). A "
        "Serious Case Review is always required then, whether or not abuse or neglect is "
        "suspected.",
        SRC_ALWAYS_SCR,
    ),
    Rule(
        "death_detained_mental_health_act",
        _died_detained_mha,
        "The child died while detained under the Mental Health Act 1983. A Serious Case Review "
        "is always required then, whether or not abuse or neglect is suspected.",
        SRC_ALWAYS_SCR,
    ),
    Rule(
        "death_deprivation_of_liberty",
        _died_under_dol_aged_16_or_17,
        "The child died aged 16 or 17 while under a deprivation of liberty order (Mental "
        "Capacity Act 2005). A Serious Case Review is always required then, whether or not "
        "abuse or neglect is suspected.",
        SRC_ALWAYS_SCR,
    ),
)

NOTIFIABLE_RULES = (
    Rule(
        "death_abuse_neglect",
        _died_abuse_or_neglect,
        "The child died and abuse or neglect is known or suspected, so this is a notifiable incident.",
        SRC_NOTIFIABLE,
    ),
    Rule(
        "serious_harm_abuse_neglect",
        seriously_harmed_abuse_or_neglect,
        "The child was seriously harmed and abuse or neglect is known or suspected, so this is "
        "a notifiable incident.",
        SRC_NOTIFIABLE,
    ),
    Rule(
        "looked_after_child_death",
        _looked_after_died,
        "A looked-after child died, so this is a notifiable incident whether or not abuse or "
        "neglect is known or suspected.",
        SRC_NOTIFIABLE,
    ),
    Rule(
        "regulated_setting_death",
        _died_in_regulated_setting,
        "The child died in a regulated setting or service (such as a childminder, a children's "
        "home or a fostering agency), so this is a notifiable incident whether or not abuse or "
        "neglect is known or suspected.",
        SRC_REGULATED,
    ),
    Rule(
        "scr_criteria_met",
        _scr_criteria_met,
        "The case meets the criteria for a Serious Case Review, and every such case is also a "
        "notifiable incident.",
        SRC_SCR_IS_NOTIFIABLE,
    ),
)
