"""The reviews service's events about one case's contributions, as the documents service gets them."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.events.reviews import (
    ChronologyEntry,
    ContributionAccepted,
    ContributionReturned,
    ContributionSubmitted,
    PanelSeat,
    TermsOfReferenceAgreed,
)

SUBMITTED_ON = date(2026, 3, 2)
ACCEPTED_ON = date(2026, 3, 9)

SAAR_SECTIONS = {
    "introduction": "The school knew Jane from Reception.",
    "facts": "An unexplained bruise was seen in June 2024 and referred the same day.",
    "analysis": "The referral was timely; nobody escalated when no strategy discussion followed.",
    "key_issues": "One safeguarding lead held all the knowledge of the case.",
    "learning_points": "Escalation is everyone's task.",
    "recommendations": "1. Every member of staff completes escalation training\n2. Appoint a deputy lead",
    "action_plan": "- Escalation training for all staff\n- Weekly safeguarding meetings",
}
ANSWERS = {
    "went_well": "Staff noticed the change in attendance.",
    "learned": "Concerns were held by one person.",
    "barriers": "No strategy discussion followed our referral.",
    "more_effective": "Escalating sooner.",
    "policies_supported": "Our policy was silent on escalation.",
    "do_differently": "Train all staff on escalation.",
}


def entry(day: date, event: str, time: str | None = None, **flags: Any) -> ChronologyEntry:
    return ChronologyEntry(date=day, time=time, event=event, source=f"Record of {day.isoformat()}", **flags)


def _content(case_id: str, board_id: str, agency: str, kind: str, **given: Any) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "board_id": board_id,
        "contribution_id": given.pop("contribution_id", f"{agency}-{kind}"),
        "agency": agency,
        "kind": kind,
        **given,
    }


def submitted(
    case_id: str, board_id: str, agency: str, kind: str = "chronology", **given: Any
) -> ContributionSubmitted:
    given.setdefault("submitted_on", SUBMITTED_ON)
    return ContributionSubmitted(**_content(case_id, board_id, agency, kind, **given))


def accepted(
    case_id: str, board_id: str, agency: str, kind: str = "chronology", **given: Any
) -> ContributionAccepted:
    given.setdefault("accepted_on", ACCEPTED_ON)
    return ContributionAccepted(**_content(case_id, board_id, agency, kind, **given))


def returned(case_id: str, board_id: str, agency: str, kind: str = "chronology") -> ContributionReturned:
    return ContributionReturned(
        case_id=case_id,
        board_id=board_id,
        contribution_id=f"{agency}-{kind}",
        agency=agency,
        kind=kind,
        returned_on=ACCEPTED_ON,
        comments="Add the source of each entry",
    )


def terms_agreed(case_id: str, board_id: str, agencies: list[str]) -> TermsOfReferenceAgreed:
    return TermsOfReferenceAgreed(
        case_id=case_id,
        board_id=board_id,
        review_kind="serious_case_review",
        agreed_on=date(2026, 1, 12),
        method="systems",
        breadth_and_depth="How agencies worked together in the year before the incident",
        focus_questions=["Was the risk of neglect recognised?"],
        period_from=date(2024, 11, 3),
        period_to=date(2025, 11, 3),
        agencies=agencies,
        proportionality_rationale="Grave concerns about how agencies worked together",
        case_factors=["practice_concern_gravity_complexity"],
        context_factors=["public_interest"],
        reviewer_skills="Accredited in the systems approach",
        panel=[PanelSeat(name="Dr Lee", role="lead_reviewer", organisation="Independent Reviews Ltd")],
    )
