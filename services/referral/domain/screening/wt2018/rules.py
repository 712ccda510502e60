"""The rules Working Together 2018 and 2023 share, built for one edition's citations.

Both editions apply the same law: the Children Act 2004 ss.16A-16F (the Child Safeguarding
Practice Review Panel; the local authority's duty to notify it; the safeguarding partners' duty
to identify and review serious child safeguarding cases) and the Child Safeguarding Practice
Review and Relevant Agency (England) Regulations 2018, SI 2018/789. What differs between them is
the chapter that explains it (2018 ch. 4, 2023 ch. 5), the names of the partners (a clinical
commissioning group in 2018, an integrated care board in 2023), and a few duties (2023's care
leavers). :func:`build` makes one edition's pack from its :class:`Edition`.

The research behind it (issue 12) marks how sure each rule is; rules marked "not found" are left
out, each with a DOMAIN note where the edition's package says so. Paragraph numbers of the
guidance were not found: rules cite chapter and section heading.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import ABUSE_KNOWN_OR_SUSPECTED, Facts
from ..rules import CrossBorder, Findings, Note, RecommendationRow, Rule, RulePack

# -- Vocabulary --------------------------------------------------------------------------------

LOCAL_REVIEW = "local_child_safeguarding_practice_review"
NO_REVIEW = "no_review"
REVIEW_KINDS = (LOCAL_REVIEW, NO_REVIEW)

SERIOUS_CASE = "serious_child_safeguarding_case"
LOOKED_AFTER_DEATH = "looked_after_child_death"
NOTIFIABLE_GROUNDS = (SERIOUS_CASE, LOOKED_AFTER_DEATH)

# Sources common to both editions (primary texts, seen on legislation.gov.uk).
SRC_NOTIFY_DUTY = "Children Act 2004 s.16C(1)"
SRC_PARTNERS_DUTY = "Children Act 2004 s.16F(1)"
SRC_LOCAL_CRITERIA = "SI 2018/789 reg 11"
SRC_NATIONAL = "Children Act 2004 s.16B; SI 2018/789 reg 3"
SRC_PANEL_FAQ = "Child Safeguarding Practice Review Panel, FAQs"
SRC_GOV_SIN = "gov.uk, Report a serious child safeguarding incident"


@dataclass(frozen=True)
class Edition:
    """One edition of Working Together: its pack id, title, citations and words."""

    id: str
    title: str
    serious_case: str  # where the guidance defines a serious child safeguarding case
    notify: str  # the local authority's duty to notify the Panel
    looked_after: str  # the death of a looked-after child
    rapid_review: str
    decisions: str  # decisions on local and national reviews
    partners: str  # who the safeguarding partners are, in this edition's words


# -- Predicates ----------------------------------------------------------------------------------


def serious_case(f: Facts, _: Findings) -> bool:
    """Abuse or neglect known or suspected, and the child died or was seriously harmed."""
    return f.abuse_or_neglect in ABUSE_KNOWN_OR_SUSPECTED and (f.child_died or f.seriously_harmed)


def _found_serious(_: Facts, found: Findings) -> bool:
    return SERIOUS_CASE in found.notifiable_grounds


def _not_notifiable(_: Facts, found: Findings) -> bool:
    return not found.notifiable_grounds


def _looked_after_died(f: Facts, _: Findings) -> bool:
    return f.child_died and f.looked_after


def _suicide(f: Facts, _: Findings) -> bool:
    return f.child_died and f.suspected_suicide


def _held(f: Facts, _: Findings) -> bool:
    return f.custody_setting is not None or f.detained_mental_health_act or f.deprivation_of_liberty_order


def _regulated(f: Facts, _: Findings) -> bool:
    return f.regulated_setting is not None


def build(e: Edition) -> RulePack:
    """The pack of one edition."""
    notifiable_rules = (
        Rule(
            SERIOUS_CASE,
            serious_case,
            "Abuse or neglect is known or suspected and the child died or was seriously harmed: "
            "this is a serious child safeguarding case, which the local authority must notify to "
            "the Child Safeguarding Practice Review Panel.",
            f"{SRC_NOTIFY_DUTY}; {e.serious_case}",
        ),
        Rule(
            LOOKED_AFTER_DEATH,
            _looked_after_died,
            "A looked-after child died: the local authority must notify the Secretary of State "
            "and Ofsted, whether or not abuse or neglect is known or suspected. That alone does "
            "not make it a serious child safeguarding case.",
            e.looked_after,
        ),
    )
    recommendations = (
        RecommendationRow(
            "serious_case_concern",
            LOCAL_REVIEW,
            "This is a serious child safeguarding case and there is concern, or it is not yet "
            "clear, how the agencies worked together. After their rapid review, the safeguarding "
            "partners should consider a local child safeguarding practice review: the case may "
            "raise concerns about two or more agencies working together. Meeting a criterion "
            "does not by itself require a review: the partners decide.",
            f"{e.rapid_review}; {SRC_LOCAL_CRITERIA}(c)",
            outcome=("died", "seriously_harmed"),
            abuse_or_neglect=ABUSE_KNOWN_OR_SUSPECTED,
            interagency_concern=("yes", "unclear"),
        ),
        RecommendationRow(
            "serious_case_no_concern",
            NO_REVIEW,
            "This is a serious child safeguarding case, but it is clear the agencies worked "
            "together well. The rapid review decides whether a local review is still worth "
            "holding: for instance if the case highlights improvements needed or recurrent "
            "themes, or the Panel thinks a local review more appropriate than a national one.",
            f"{e.rapid_review}; {SRC_LOCAL_CRITERIA}(a), (b), (d)",
            outcome=("died", "seriously_harmed"),
            abuse_or_neglect=ABUSE_KNOWN_OR_SUSPECTED,
            interagency_concern=("no",),
        ),
        RecommendationRow(
            "not_a_serious_case",
            NO_REVIEW,
            "This is not a serious child safeguarding case (abuse or neglect known or suspected, "
            "and the child died or was seriously harmed), so no rapid review or local child "
            "safeguarding practice review follows from it.",
            f"{e.serious_case}; {SRC_PARTNERS_DUTY}",
        ),
    )
    notes = (
        Note(
            "notifiable.notify_panel_within_5_working_days",
            _found_serious,
            "The local authority notifies the Child Safeguarding Practice Review Panel within 5 "
            "working days of becoming aware of the incident, and tells the safeguarding partners "
            "in its area. The Panel shares the notification with the Department for Education "
            "and Ofsted.",
            f"{e.notify}; {SRC_GOV_SIN}",
        ),
        Note(
            "notifiable.none",
            _not_notifiable,
            "None of the conditions for notifying the incident is met.",
            f"{SRC_NOTIFY_DUTY}; {e.notify}",
        ),
        Note(
            "suspected_suicide_counts_as_death",
            _suicide,
            "A suspected suicide is treated as a death.",
            e.notify,
        ),
        Note(
            "rapid_review.required",
            _found_serious,
            "The safeguarding partners promptly undertake a rapid review: they gather the facts, "
            "decide on any immediate action to keep children safe, consider what improvements may "
            "be identified, and decide what to do next, including whether to hold a local child "
            "safeguarding practice review. They send the rapid review to the Panel.",
            e.rapid_review,
        ),
        Note(
            "rapid_review.national_review",
            _found_serious,
            "The Panel may itself arrange a national review of a case that raises issues that are "
            "complex or of national importance; the rapid review says whether the partners think "
            "the case may need one.",
            SRC_NATIONAL,
        ),
        Note(
            "decision.safeguarding_partners_decide",
            _found_serious,
            f"The safeguarding partners ({e.partners}) decide whether to hold a local child "
            "safeguarding practice review, against the criteria of the regulations. The decision "
            "and its reasons are recorded for the Panel to see.",
            f"{SRC_PARTNERS_DUTY}; {SRC_LOCAL_CRITERIA}; {e.decisions}",
        ),
        Note(
            "scr.settings_have_no_rule_of_their_own",
            _held,
            "Custody, detention under the Mental Health Act and deprivation of liberty have no "
            "rule of their own in this guidance: the case is screened on whether it is a serious "
            "child safeguarding case.",
            e.serious_case,
        ),
        Note(
            "notifiable.regulated_setting_has_no_rule_of_its_own",
            _regulated,
            "A regulated setting has no notification rule of its own in this guidance: the "
            "setting's own regulations say whom it tells. The case is screened on whether it is a "
            "serious child safeguarding case.",
            e.serious_case,
        ),
    )
    return RulePack(
        id=e.id,
        title=e.title,
        scr_rules=(),
        notifiable_rules=notifiable_rules,
        recommendations=recommendations,
        review_kinds=REVIEW_KINDS,
        notes=notes,
        cross_border=CrossBorder(
            home="The child normally lives in the area of {home}. The local authority where the "
            "incident happened leads the rapid review, working with the child's home authority; "
            "tell the safeguarding partners there.",
            home_source=f"{SRC_PANEL_FAQ}; {e.notify}",
            others="Other areas are involved ({others}): tell their safeguarding partners, and "
            "involve them in the rapid review.",
            others_source=e.notify,
        ),
        rapid_review=True,
        serious_case_ground=SERIOUS_CASE,
    )
