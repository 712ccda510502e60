"""Vocabulary of the statutory framework that more than one service uses."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")


def today_in_england() -> date:
    """The statutory day: the date in England, whatever the server's timezone."""
    return datetime.now(ENGLAND).date()


# The kinds of review a decision can choose (DOMAIN.md "Kinds of review"), as people read them.
REVIEW_KIND_LABELS = {
    "serious_case_review": "Serious Case Review",
    "critical_incident_review": "Critical Incident Review",
    "learning_review": "Learning Review",
    "multi_agency_concise_review": "Multi-Agency Concise Review",
    "single_agency_review": "Single Agency Review",
    # 001 §4.2: learning the board already identified is reviewed for how it is embedded.
    "embedded_learning_review": "Review of how learning already identified is embedded",
    # Working Together 2018 ch. 4 and 2023 ch. 5: the safeguarding partners' local review.
    "local_child_safeguarding_practice_review": "Local child safeguarding practice review",
    "no_review": "No review",
}

# Seed 004: what a proportionate review takes into account.
CASE_FACTORS = {
    "family_strengths_vulnerabilities_risks": (
        "Strengths and vulnerabilities of the family and carers, and the risks to the child"
    ),
    "practice_concern_gravity_complexity": (
        "How grave or complex the concerns about professional practice are"
    ),
    "legal_requirements": (
        "Specific legal requirements, such as the Human Rights Act for a child in state care"
    ),
}
CONTEXT_FACTORS = {
    "previous_local_learning": "What is already known locally, and where less is known",
    "reviewer_availability": "Which reviewers are available, and their knowledge and skills",
    "public_interest": "Public interest in the case",
    "local_capacity": "Local capacity beside other learning and improvement work",
    "strategic_priorities": "The board's learning and improvement plans and priorities",
    "board_capacity": "The board's capacity to carry out and learn from the review now",
    "practitioner_openness": "Local circumstances affecting how openly practitioners can take part",
}
PROPORTIONALITY_SOURCE = "004 Quality marker: proportionate form and focus"
