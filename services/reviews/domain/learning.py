"""What a review teaches: its learning summary (001 §7 and Appendix B), the themes it is tagged
with, and the products a board makes to take the learning into practice (001 §4.4). Pure Python.

Every review has a learning summary in the North West template (001 §7: "concise Learning
Summary documentation will form part of all review reports"; the business managers collate them
across the region). Its fields are the template's, in its order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from shared.errors import InvalidInput
from shared.events.reviews import LearningSummaryCompleted

if TYPE_CHECKING:
    from services.reviews.domain.review import Review

# The themes a summary is tagged with, each with where it comes from. The seeds name the first
# ones; the last three are the board's own words for learning it often records (issue 15), which
# the seeds do not list. 001 §8 asks the region to agree a shared typology of learning: this is it.
THEMES: Mapping[str, str] = {
    "neglect": "003 'Serious Case Reviews' (abuse or neglect known or suspected); 001 §4.2",
    "physical_abuse": "003 'Serious Case Reviews' (abuse known or suspected); 003 'seriously harmed'",
    "domestic_abuse": "001 §6 and 002 §2.2 (Domestic Homicide Reviews running beside a review)",
    "mental_health": "003 'seriously harmed' (impairment of mental health); 003 ¶20 (Mental Health Act 1983)",
    "suicide_and_self_harm": "003 'Notifiable incidents' (a child has died, suspected suicide included)",
    "looked_after_children": "003 'Notifiable incidents' (a looked-after child has died)",
    "regulated_settings": "003 'Notifiable incidents' note 52 (childminders, children's homes ...)",
    "custody_and_restraint": "003 ¶9 (use of restraint in secure establishments) and ¶20 (deaths in custody)",
    "youth_justice": "001 §6 (Youth Justice serious incidents); 003 ¶9 (report to the Youth Justice Board)",
    "multi_agency_working": "003 reg 5(2)(b)(ii) (how organisations worked together); 001 §4.2",
    "information_sharing": "001 §4.2 (multi-agency communication, procedures, policy and practice)",
    "voice_of_the_child": "001 §6 (the lived experience of the child; capturing the child's voice)",
    "family_involvement": "001 §6 note 9; 002 §2.5 (families invited to contribute)",
    "good_practice": "001 §4.2 (reviews of good multi-agency practice); 003 ¶6",
    "substance_misuse": "issue 15 (the board's vocabulary; not named in the seeds)",
    "sudden_unexpected_death_in_infancy": "issue 15 (the board's vocabulary; not named in the seeds)",
    "child_sexual_exploitation": "issue 15 (the board's vocabulary; not named in the seeds)",
}

# Products that take a review's learning into practice (001 §4.4 multi-professional discussion
# forums; 001 §2.1 and §3 case file audits; seven-minute briefings are the boards' own form of the
# dissemination 002 §2.9 asks for; 001 §8 training).
PRODUCT_KINDS: tuple[str, ...] = (
    "seven_minute_briefing",
    "practitioner_forum",
    "case_file_audit",
    "training",
)

# The template's text fields (001 Appendix B), each required, and their plain-English names.
TEXT_FIELDS: Mapping[str, str] = {
    "board_area": "the board's area",
    "review_type": "the type of review (methodology, chairing and authoring, how the case was chosen)",
    "summary": "a short summary for the learning repository",
    "case_learning": "what you learnt about the case",
    "method_learning": "what you learnt about the review or methodology",
    "single_agency_recommendations": "the key single-agency recommendations",
    "multi_agency_recommendations": "the key multi-agency recommendations",
    "changes": "how you intend to make changes, and who is doing what",
    "impact_audit": "how you will audit the impact",
}


@dataclass(frozen=True)
class LearningSummary:
    board_area: str
    completed_on: date
    review_type: str
    incident_month: str | None  # "YYYY-MM"
    reference: str | None
    summary: str
    case_learning: str
    method_learning: str
    single_agency_recommendations: str
    multi_agency_recommendations: str
    changes: str
    impact_audit: str
    other_comments: str = ""
    themes: tuple[str, ...] = ()
    completed_by: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["completed_on"] = self.completed_on.isoformat()
        out["themes"] = list(self.themes)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearningSummary:
        given = dict(data)
        given["completed_on"] = date.fromisoformat(given["completed_on"])
        given["themes"] = tuple(given.get("themes") or ())
        return cls(**given)


def summary_problems(given: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every missing or wrong field of a learning summary, at once."""
    problems = [
        {"field": name, "message": f"Enter {label}"}
        for name, label in TEXT_FIELDS.items()
        if not str(given.get(name) or "").strip()
    ]
    themes = list(given.get("themes") or [])
    if not themes:
        problems.append({"field": "themes", "message": "Choose at least one theme"})
    unknown = [t for t in themes if t not in THEMES]
    if unknown:
        problems.append(
            {"field": "themes", "message": f"Not a theme of the vocabulary: {', '.join(unknown)}"}
        )
    return problems


def complete(review: Review, given: Mapping[str, Any], today: date, by: str) -> LearningSummary:
    """Complete (or change) the review's learning summary; the learning_summary document follows."""
    review.ensure_active()
    problems = summary_problems(given)
    if problems:
        raise InvalidInput(problems)
    incident_month = given.get("incident_month") or (
        review.incident_on.strftime("%Y-%m") if review.incident_on else None
    )
    summary = LearningSummary(
        board_area=given["board_area"].strip(),
        completed_on=given.get("completed_on") or today,
        review_type=given["review_type"].strip(),
        incident_month=incident_month,
        reference=given.get("reference") or review.reference,
        summary=given["summary"].strip(),
        case_learning=given["case_learning"].strip(),
        method_learning=given["method_learning"].strip(),
        single_agency_recommendations=given["single_agency_recommendations"].strip(),
        multi_agency_recommendations=given["multi_agency_recommendations"].strip(),
        changes=given["changes"].strip(),
        impact_audit=given["impact_audit"].strip(),
        other_comments=(given.get("other_comments") or "").strip(),
        themes=tuple(dict.fromkeys(given["themes"])),
        completed_by=by,
    )
    review.learning_summary = summary
    fields_ = summary.as_dict()
    fields_.pop("completed_by")
    fields_["completed_on"] = summary.completed_on
    review.events.append(
        LearningSummaryCompleted(
            case_id=review.case_id, board_id=review.board_id, review_kind=review.review_kind, **fields_
        )
    )
    return summary


@dataclass(frozen=True)
class LearningProduct:
    """A seven-minute briefing, practitioner forum, case-file audit or training made from the review."""

    product_id: str
    kind: str
    title: str
    on: date
    reach: int  # how many practitioners it reached
    recorded_by: str
    notes: str = ""
    agencies: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["id"] = out.pop("product_id")
        out["date"] = out.pop("on").isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearningProduct:
        given = dict(data)
        given["product_id"] = given.pop("id")
        given["on"] = date.fromisoformat(given.pop("date"))
        given["agencies"] = list(given.get("agencies") or [])
        return cls(**given)


def add_product(review: Review, product: LearningProduct) -> LearningProduct:
    review.ensure_active()
    for kept in review.learning_products:
        if kept.product_id == product.product_id:
            return kept  # a repeat of the request that recorded it
    review.learning_products.append(product)
    return product
