"""The ``wt2015`` recommendation table: which kind of review to suggest, first matching row wins.

How the table reads the seeds
-----------------------------
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

from ..facts import ABUSE_KNOWN_OR_SUSPECTED
from ..rules import RecommendationRow
from .grounds import (
    CRITICAL_INCIDENT_REVIEW,
    LEARNING_REVIEW,
    MULTI_AGENCY_CONCISE_REVIEW,
    NO_REVIEW,
    SERIOUS_CASE_REVIEW,
    SINGLE_AGENCY_REVIEW,
    SRC_CIR,
    SRC_CONCISE,
    SRC_NO_REVIEW,
    SRC_SCR_RECOMMENDED,
    SRC_SINGLE_AGENCY,
)

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
