"""Rule pack ``wt2015``: Working Together to Safeguard Children (2015), chapter 4.

Every rule names its source as seed and section (see /work/shared/DOMAIN.md):

- 003: Pan Lancashire, Serious Case Reviews (Working Together 2015, chapter 4), with the
  LSCB Regulations 2006 reg 5(2) and the SCR checklist;
- 000: Wirral, reviewing cases below the SCR threshold (Critical Incident and Learning Reviews,
  Single Agency Reviews);
- 001: North West Learning and Improvement Framework (Multi-Agency Concise Reviews,
  Individual Agency Reviews).

How the recommendation table reads the seeds
--------------------------------------------
The statutory rules decide whether an SCR is required; they say nothing about which other
review to choose. The table below is this product's reading of the local frameworks, to be
reviewed by the board:

1. SCR criteria met -> Serious Case Review (003). The Chair may still choose otherwise, with a
   written justification that the National Panel scrutinises (003 checklist; 001 §3).
2. Seriously harmed, abuse or neglect known or suspected, and it is *clear* agencies worked
   together well: the only reason no SCR is required is the absence of inter-agency concern,
   so whatever there is to learn lies inside individual agencies. 001 §4.3 describes exactly
   this case (considered for an SCR, learning limited to one agency) -> Single Agency Review
   (000 §2's six questions). A Critical Incident Review stays the next option.
3. A looked-after child, or a child in a regulated setting, died and abuse or neglect is not
   suspected: notifiable (003) but no SCR. The child came to the gravest harm, so when
   inter-agency working is in question ("yes" or "unclear") -> Critical Incident Review
   (000 §1: a child was harmed); when it is clearly not -> Single Agency Review of the
   agency responsible for the child's care (000 §2; 001 §4.3).
4. A child died or was seriously harmed, abuse or neglect is not suspected and the incident
   is not notifiable: a review is only suggested when there *is* concern about inter-agency
   working -> Critical Incident Review (000 §1, §3). "Unclear" is not treated as concern here:
   that presumption belongs to the statutory SCR test (003), not to the local reviews.
5. Abuse or neglect known or suspected, the child neither died nor was seriously harmed
   (below the SCR threshold):
   - concern about how agencies worked together -> Multi-Agency Concise Review, whose criteria
     are a child harmed through abuse or neglect plus inter-agency concern (001 §4.2, §5.5);
   - concern unclear and the abuse is *known* (the child was harmed) -> Critical Incident
     Review, a multi-agency review of a harmed child that will establish how agencies worked
     (000 §1, §3);
   - concern unclear and the abuse only *suspected* (the child could have been harmed) ->
     Learning Review (000 §1, §3);
   - clearly no inter-agency concern -> Single Agency Review (000 §2; 001 §4.3).
6. Anything else -> no review: nothing points to a statutory review or to learning about how
   the child was protected (000 §2 asks for a review only where learning is likely; 003 leaves
   other cases to the board). The Chair may still commission one.

The Multi-Agency Concise Review's other use, sharing good practice (001 §4.2), and the
"learning already identified" route (001 §4.2) need judgements the facts do not record; they
stay with the Chair, who sees every kind among the options.
"""

from __future__ import annotations

from .screening_core import (
    ABUSE_KNOWN_OR_SUSPECTED,
    Facts,
    Findings,
    Note,
    RecommendationRow,
    Rule,
    RulePack,
)

# -- Vocabulary ----------------------------------------------------------------------------

SERIOUS_CASE_REVIEW = "serious_case_review"
CRITICAL_INCIDENT_REVIEW = "critical_incident_review"
LEARNING_REVIEW = "learning_review"
MULTI_AGENCY_CONCISE_REVIEW = "multi_agency_concise_review"
SINGLE_AGENCY_REVIEW = "single_agency_review"
NO_REVIEW = "no_review"

REVIEW_KINDS = (
    SERIOUS_CASE_REVIEW,
    CRITICAL_INCIDENT_REVIEW,
    LEARNING_REVIEW,
    MULTI_AGENCY_CONCISE_REVIEW,
    SINGLE_AGENCY_REVIEW,
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

# -- Predicates (small, named, one fact pattern each) --------------------------------------


def _died_abuse_or_neglect(f: Facts, _: Findings) -> bool:
    return f.child_died and f.abuse_known_or_suspected


def _seriously_harmed_abuse_or_neglect(f: Facts, _: Findings) -> bool:
    return f.seriously_harmed and f.abuse_known_or_suspected


def _seriously_harmed_with_concern(f: Facts, found: Findings) -> bool:
    return _seriously_harmed_abuse_or_neglect(f, found) and f.interagency_concern in STATUTORY_CONCERN


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
        _seriously_harmed_abuse_or_neglect,
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

# -- The recommendation table: first matching row wins (see the module docstring) ----------

KS = ABUSE_KNOWN_OR_SUSPECTED

RECOMMENDATIONS = (
    RecommendationRow(
        "scr_criteria_met",
        SERIOUS_CASE_REVIEW,
        "The criteria for a Serious Case Review are met, so a Serious Case Review is recommended.",
        SRC_SCR_RECOMMENDED,
        scr_required=(True,),
    ),
    RecommendationRow(
        "serious_harm_no_interagency_concern",
        SINGLE_AGENCY_REVIEW,
        "The child was seriously harmed and abuse or neglect is known or suspected, but it is "
        "clear the agencies worked together well. Any learning is about how each agency "
        "acted on its own, so a Single Agency Review is recommended.",
        SRC_SINGLE_AGENCY,
        scr_required=(False,),
        outcome=("seriously_harmed",),
        abuse_or_neglect=KS,
        interagency_concern=("no",),
    ),
    RecommendationRow(
        "death_in_care_no_interagency_concern",
        SINGLE_AGENCY_REVIEW,
        "A looked-after child, or a child in a regulated setting, died. Abuse or neglect is not "
        "suspected and it is clear the agencies worked together well, so a Single Agency Review "
        "by the agency responsible for the child's care is recommended.",
        SRC_SINGLE_AGENCY,
        scr_required=(False,),
        notifiable=(True,),
        outcome=("died",),
        abuse_or_neglect=("not_suspected",),
        interagency_concern=("no",),
    ),
    RecommendationRow(
        "death_in_care",
        CRITICAL_INCIDENT_REVIEW,
        "A looked-after child, or a child in a regulated setting, died. Abuse or neglect is not "
        "suspected, so no Serious Case Review is required, but how the agencies worked together "
        "may hold lessons, so a multi-agency Critical Incident Review is recommended.",
        SRC_CIR,
        scr_required=(False,),
        notifiable=(True,),
        outcome=("died",),
        abuse_or_neglect=("not_suspected",),
        interagency_concern=("yes", "unclear"),
    ),
    RecommendationRow(
        "harm_without_abuse_interagency_concern",
        CRITICAL_INCIDENT_REVIEW,
        "The child died or was seriously harmed. Abuse or neglect is not suspected, so this is "
        "not a notifiable incident, but there is concern about how the agencies worked "
        "together, so a multi-agency Critical Incident Review is recommended.",
        SRC_CIR,
        scr_required=(False,),
        notifiable=(False,),
        outcome=("died", "seriously_harmed"),
        abuse_or_neglect=("not_suspected",),
        interagency_concern=("yes",),
    ),
    RecommendationRow(
        "abuse_below_threshold_interagency_concern",
        MULTI_AGENCY_CONCISE_REVIEW,
        "Abuse or neglect is known or suspected but the child neither died nor was seriously "
        "harmed, so the case is below the Serious Case Review threshold. There is concern about "
        "how the agencies worked together that could bring new learning, so a Multi-Agency "
        "Concise Review is recommended.",
        SRC_CONCISE,
        scr_required=(False,),
        outcome=("neither",),
        abuse_or_neglect=KS,
        interagency_concern=("yes",),
    ),
    RecommendationRow(
        "harmed_below_threshold_concern_unclear",
        CRITICAL_INCIDENT_REVIEW,
        "The child was harmed by known abuse or neglect, below the Serious Case Review "
        "threshold, and it is not yet clear how well the agencies worked together. A "
        "multi-agency Critical Incident Review, used when a child was harmed, is recommended "
        "to find out.",
        SRC_CIR,
        scr_required=(False,),
        outcome=("neither",),
        abuse_or_neglect=("known",),
        interagency_concern=("unclear",),
    ),
    RecommendationRow(
        "could_have_been_harmed_concern_unclear",
        LEARNING_REVIEW,
        "Abuse or neglect is suspected but the child neither died nor was seriously harmed: "
        "the child could have been harmed. It is not yet clear how well the agencies worked "
        "together, so a multi-agency Learning Review is recommended.",
        SRC_CIR,
        scr_required=(False,),
        outcome=("neither",),
        abuse_or_neglect=("suspected",),
        interagency_concern=("unclear",),
    ),
    RecommendationRow(
        "abuse_below_threshold_no_interagency_concern",
        SINGLE_AGENCY_REVIEW,
        "Abuse or neglect is known or suspected, below the Serious Case Review threshold, and "
        "it is clear the agencies worked together well. Any learning is about how each agency "
        "acted on its own, so a Single Agency Review is recommended.",
        SRC_SINGLE_AGENCY,
        scr_required=(False,),
        outcome=("neither",),
        abuse_or_neglect=KS,
        interagency_concern=("no",),
    ),
    RecommendationRow(
        "nothing_suggests_learning",
        NO_REVIEW,
        "Nothing in the referral points to a statutory review or to lessons about how the "
        "agencies protected the child, so no review is recommended.",
        SRC_NO_REVIEW,
    ),
)

# -- Notes: notable non-conclusions and what follows from a conclusion ---------------------


def _notifiable(_: Facts, found: Findings) -> bool:
    return bool(found.notifiable_grounds)


def _not_notifiable(_: Facts, found: Findings) -> bool:
    return not found.notifiable_grounds


def _suicide(f: Facts, _: Findings) -> bool:
    return f.child_died and f.suspected_suicide


def _unclear_counted_as_concern(f: Facts, found: Findings) -> bool:
    return "serious_harm_interagency_concern" in found.scr_grounds and f.interagency_concern == "unclear"


def _no_scr_clearly_no_concern(f: Facts, found: Findings) -> bool:
    return (
        not found.scr_grounds
        and _seriously_harmed_abuse_or_neglect(f, found)
        and f.interagency_concern == "no"
    )


def _no_scr_abuse_not_suspected(f: Facts, found: Findings) -> bool:
    return not found.scr_grounds and (f.child_died or f.seriously_harmed) and not f.abuse_known_or_suspected


def _no_scr_below_threshold(f: Facts, found: Findings) -> bool:
    return not found.scr_grounds and f.abuse_known_or_suspected and f.outcome == "neither"


def _dol_under_16(f: Facts, _: Findings) -> bool:
    return (
        f.child_died
        and f.deprivation_of_liberty_order
        and f.child_age is not None
        and f.child_age < min(DEPRIVATION_OF_LIBERTY_AGES)
    )


def _scr_required(_: Facts, found: Findings) -> bool:
    return bool(found.scr_grounds)


def _scr_not_required(_: Facts, found: Findings) -> bool:
    return not found.scr_grounds


def _died(f: Facts, _: Findings) -> bool:
    return f.child_died


NOTES = (
    Note(
        "notifiable.report_within_5_working_days",
        _notifiable,
        "The local authority must report this incident to Ofsted and to the board within 5 "
        "working days of becoming aware of it.",
        SRC_NOTIFIABLE,
    ),
    Note(
        "notifiable.none",
        _not_notifiable,
        "None of the conditions for a notifiable incident is met, so it does not have to be "
        "reported to Ofsted.",
        SRC_NOTIFIABLE,
    ),
    Note(
        "suspected_suicide_counts_as_death",
        _suicide,
        "A suspected suicide is treated as a death under both the notification rules and the "
        "Serious Case Review criteria.",
        f"{SRC_NOTIFIABLE}; {SRC_REG_DEATH}",
    ),
    Note(
        "scr.unclear_interagency_concern_counts",
        _unclear_counted_as_concern,
        "It is not clear whether the agencies worked together well. Unless it is clear there "
        "were no such concerns, the board must treat the case as one with concerns.",
        SRC_REG_HARM,
    ),
    Note(
        "scr.not_required.no_interagency_concern",
        _no_scr_clearly_no_concern,
        "The child was seriously harmed, but it is clear there are no concerns about how the "
        "agencies worked together, so a Serious Case Review is not required.",
        SRC_REG_HARM,
    ),
    Note(
        "scr.not_required.abuse_not_suspected",
        _no_scr_abuse_not_suspected,
        "Abuse or neglect is neither known nor suspected, and the child did not die in custody, "
        "while detained under the Mental Health Act 1983, or aged 16 or 17 under a deprivation "
        "of liberty order, so a Serious Case Review is not required.",
        f"{SRC_REG_DEATH}; {SRC_ALWAYS_SCR}",
    ),
    Note(
        "scr.not_required.no_death_or_serious_harm",
        _no_scr_below_threshold,
        "Abuse or neglect is known or suspected, but the child neither died nor was seriously "
        "harmed, so a Serious Case Review is not required.",
        SRC_REG_HARM,
    ),
    Note(
        "scr.deprivation_of_liberty_under_16",
        _dol_under_16,
        "The child was under a deprivation of liberty order but was younger than 16. The rule "
        "that always requires a Serious Case Review covers only children aged 16 or 17.",
        SRC_ALWAYS_SCR,
    ),
    Note(
        "decision.alternative_needs_justification",
        _scr_required,
        "The Chair makes the final decision. Choosing another kind of review, or none, instead "
        "of the required Serious Case Review must be justified in writing, and the National "
        "Panel will scrutinise that decision.",
        SRC_PANEL_SCRUTINY,
    ),
    Note(
        "decision.chair_may_commission_scr",
        _scr_not_required,
        "A Serious Case Review is not required, but the Chair makes the final decision and may "
        "still commission one, choose another kind of review, or decide on none.",
        SRC_CHAIR_MAY_COMMISSION,
    ),
    Note(
        "child_death_review_applies",
        _died,
        "Every child death is also looked at through the separate child death review process, "
        "whatever is decided here.",
        SRC_CHILD_DEATH_REVIEW,
    ),
)

WT2015 = RulePack(
    id="wt2015",
    title="Working Together to Safeguard Children 2015, chapter 4",
    scr_rules=SCR_RULES,
    notifiable_rules=NOTIFIABLE_RULES,
    recommendations=RECOMMENDATIONS,
    review_kinds=REVIEW_KINDS,
    notes=NOTES,
)
