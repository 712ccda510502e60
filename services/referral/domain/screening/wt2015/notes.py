"""The ``wt2015`` notes: notable non-conclusions and what follows from a conclusion."""

from __future__ import annotations

from ..facts import Facts
from ..rules import Findings, Note
from .grounds import (
    DEPRIVATION_OF_LIBERTY_AGES,
    MULTI_AGENCY_CONCISE_REVIEW,
    SRC_ALWAYS_SCR,
    SRC_CHAIR_MAY_COMMISSION,
    SRC_CHILD_DEATH_REVIEW,
    SRC_EMBEDDED_LEARNING,
    SRC_NOTIFIABLE,
    SRC_PANEL_SCRUTINY,
    SRC_REG_DEATH,
    SRC_REG_HARM,
    seriously_harmed_abuse_or_neglect,
)


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
        and seriously_harmed_abuse_or_neglect(f, found)
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


def _held_but_alive(f: Facts, _: Findings) -> bool:
    return not f.child_died and (
        f.custody_setting is not None or f.detained_mental_health_act or f.deprivation_of_liberty_order
    )


def _concise_recommended(_: Facts, found: Findings) -> bool:
    return found.recommended == MULTI_AGENCY_CONCISE_REVIEW


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
        "scr.setting_without_death",
        _held_but_alive,
        "The child was in custody, detained under the Mental Health Act 1983 or under a "
        "deprivation of liberty order, but did not die. The rule that always requires a Serious "
        "Case Review covers deaths in those settings only, so the case is screened on the other "
        "criteria.",
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
        "still commission one, choose another kind of review, or decide on none. A decision not "
        "to hold one goes to the National Panel with the reasons for it, so they must be written "
        "down.",
        f"{SRC_CHAIR_MAY_COMMISSION}; 001 §3",
    ),
    Note(
        "decision.learning_already_identified",
        _concise_recommended,
        "If the case repeats learning already identified in earlier reviews, forums or audits, "
        "the Chair may decide instead to review how that learning is being embedded, and why it "
        "was not sustained.",
        SRC_EMBEDDED_LEARNING,
    ),
    Note(
        "child_death_review_applies",
        _died,
        "Every child death is also looked at through the separate child death review process, "
        "whatever is decided here.",
        SRC_CHILD_DEATH_REVIEW,
    ),
)
