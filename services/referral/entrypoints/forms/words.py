"""The words the referral pages show for the domain's values, and a screening grouped for reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.referral.domain import case as rules
from services.referral.domain import journey
from services.referral.domain.decision import OUTCOMES, deciders, has_scr
from services.referral.domain.screening import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    INTERAGENCY_CONCERN,
    METHODS,
    REGULATED_SETTINGS,
    rule_pack,
)
from shared.auth.models import aware
from shared.framework import ENGLAND, REVIEW_KIND_LABELS

WHAT_HAPPENED = {
    "died": "The child died",
    "seriously_harmed": "The child was seriously harmed",
    "neither": "Neither: the child did not die and was not seriously harmed",
}
CUSTODY_LABELS = {
    "police_custody": "In police custody",
    "remand": "On remand",
    "following_sentence": "In custody following sentencing",
    "young_offender_institution": "In a Young Offender Institution",
    "secure_training_centre": "In a secure training centre",
    "secure_childrens_home": "In a secure children's home",
    "custody": "In another kind of custody",
}
REGULATED_LABELS = {
    "childcare_domestic": "Childcare on domestic premises",
    "childcare_non_domestic": "Childcare on non-domestic premises",
    "home_childcarer": "A home childcarer",
    "childminder": "A childminder",
    "childrens_home": "A children's home",
    "secure_childrens_home": "A secure children's home",
    "adoption_support_agency": "An adoption support agency",
    "voluntary_adoption_agency": "A voluntary adoption agency",
    "independent_fostering_agency": "An independent fostering agency",
    "residential_family_centre": "A residential family centre",
    "holiday_scheme_disabled_children": "A holiday scheme for disabled children",
}
ABUSE_LABELS = {
    "known": "Known",
    "suspected": "Suspected",
    "not_suspected": "Not suspected",
}
CONCERN_LABELS = {
    "yes": "Yes, there is concern",
    "no": "No, it is clear they worked together well",
    "unclear": "It is not clear yet",
}
OUTCOME_LABELS = REVIEW_KIND_LABELS
METHOD_LABELS = {
    "intensive": "Intensive: for a very serious or very complex case",
    "targeted": "Targeted: review activity targeted in proportion to the case",
}
NONE = journey.NONE  # the "not in custody" / "not in a regulated setting" answer
YES_NO = {"yes": "Yes", "no": "No"}

assert set(WHAT_HAPPENED) == set(journey.WHAT_HAPPENED)
assert set(CUSTODY_LABELS) == set(CUSTODY_SETTINGS)
assert set(REGULATED_LABELS) == set(REGULATED_SETTINGS)
assert set(ABUSE_LABELS) == set(ABUSE_OR_NEGLECT)
assert set(CONCERN_LABELS) == set(INTERAGENCY_CONCERN)
assert set(OUTCOME_LABELS) >= set(OUTCOMES)
assert set(METHOD_LABELS) == set(METHODS)


@dataclass(frozen=True)
class PackWords:
    """How the pages name who decides and whom they tell, under a rule pack."""

    deciders: str  # "the Chair" / "the safeguarding partners"
    deciders_possessive: str
    panel: str
    has_scr: bool
    rapid_review: bool
    title: str


def pack_words(pack_id: str) -> PackWords:
    pack = rule_pack(pack_id)
    partners = pack.rapid_review
    return PackWords(
        deciders="the safeguarding partners" if partners else "the Chair",
        deciders_possessive=deciders(pack),
        panel="the Child Safeguarding Practice Review Panel"
        if partners
        else "the National Panel of Independent Experts",
        has_scr=has_scr(pack),
        rapid_review=partners,
        title=pack.title,
    )


# The scheduler's deadline codes (services/scheduler/domain/rules.py), as the case list shows them.
DEADLINE_LABELS = {
    "incident_notification": "Incident notified",
    "rapid_review": "Rapid review by the safeguarding partners",
    "scr_decision": "Chair's decision on a Serious Case Review",
    "decision_notification": "Decision sent to Ofsted, the DfE and the National Panel",
    "national_panel_decision_notification": "Decision sent to the National Panel",
    "review_completion": "Review complete",
    "review_completion_incident_limit": "Review complete within 12 months of the incident",
    "pre_publication_copies": "Final report sent before publication",
    "publication_retention": "Report kept on the board's website",
    "action_plan_progress": "Action plan progress reported",
}


def words(value: str | None) -> str:
    """A code such as ``awaiting_decision`` as words: "Awaiting decision"."""
    return (value or "").replace("_", " ").capitalize()


def sentence(value: str | None) -> str:
    """Text with its first letter in capitals, the rest untouched ("the Chair" stays)."""
    value = value or ""
    return value[:1].upper() + value[1:]


def deadline_label(code: str | None) -> str:
    return DEADLINE_LABELS.get(code or "", words(code))


# How the case list and the case page show a case's next deadline: the colour and the words.
DEADLINE_TAGS = {
    rules.OVERDUE: {"text": "Overdue", "classes": "govuk-tag--red"},
    rules.DUE_SOON: {"text": "Due soon", "classes": "govuk-tag--orange"},
    rules.ON_TRACK: {"text": "On track", "classes": "govuk-tag--green"},
}


def deadline_tag(deadline: Any, on: date) -> dict[str, str]:
    """The tag of a case's next deadline (a ``NextDeadline`` or None), as of ``on``."""
    if deadline is None:
        return DEADLINE_TAGS[rules.ON_TRACK]
    return DEADLINE_TAGS[rules.deadline_state(deadline.status, deadline.due, on)]


def show_date(value: date | str | None) -> str:
    """A date in words, like "8 December 2026"."""
    if not value:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day} {d.strftime('%B %Y')}"


def show_instant(at: datetime) -> str:
    """An instant as the time in England, like "3 March 2025 at 2:05pm"."""
    local = aware(at).astimezone(ENGLAND)
    return f"{local.day} {local.strftime('%B %Y')} at {local.strftime('%I:%M%p').lstrip('0').lower()}"


@dataclass
class ScreeningView:
    """A stored screening grouped for reading: each reason with its source."""

    notifiable: bool
    scr_required: bool
    recommended: str
    options: list[str]
    words: PackWords
    serious_case: bool = False
    suggested_method: str | None = None
    notifiable_reasons: list[dict[str, str]] = field(default_factory=list)
    scr_reasons: list[dict[str, str]] = field(default_factory=list)
    recommendation_reasons: list[dict[str, str]] = field(default_factory=list)
    method_reasons: list[dict[str, str]] = field(default_factory=list)
    rapid_review_reasons: list[dict[str, str]] = field(default_factory=list)
    cross_border_reasons: list[dict[str, str]] = field(default_factory=list)
    other_reasons: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, screening: dict[str, Any]) -> ScreeningView:
        pack = rule_pack(screening["rule_pack"])
        view = cls(
            notifiable=screening["notifiable"],
            scr_required=screening["scr_required"],
            recommended=screening["recommended"],
            options=list(screening["options"]),
            words=pack_words(pack.id),
            serious_case=pack.is_serious_case(screening["notifiable_grounds"]),
            suggested_method=screening.get("suggested_method"),
        )
        groups = {
            "notifiable": view.notifiable_reasons,
            "scr": view.scr_reasons,
            "recommended": view.recommendation_reasons,
            "decision": view.recommendation_reasons,
            "method": view.method_reasons,
            "rapid_review": view.rapid_review_reasons,
            "cross_border": view.cross_border_reasons,
        }
        for reason in screening["reasons"]:
            groups.get(reason["code"].split(".")[0], view.other_reasons).append(reason)
        return view
