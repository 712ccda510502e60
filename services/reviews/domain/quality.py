"""The board's self-assessment of a review against the SCR quality markers (004).

NSPCC and SCIE published 18 quality markers in 2016, in three stages: setting the review up,
running it, and its outputs (NSPCC/SCIE (2016) Serious case review quality markers; the list at
https://www.scie.org.uk/safeguarding/children/case-reviews/quality-markers/). The seed (004) is
the full text of one of them, on the form and focus of the review to be commissioned, with its
four questions ("How might you know if you are meeting this quality marker?"); the board rates
each and says what shows it. The other 17 are named here as that list names them; their own
questions were not available to the product, so each is assessed by one overall question in
the product's words until the board records their text. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.errors import InvalidInput

RATINGS: tuple[str, ...] = ("met", "partly_met", "not_met", "not_yet_assessed")


SETUP = "review_setup"
RUNNING = "running_the_review"
OUTPUTS = "review_outputs"
SCIE_LIST = "NSPCC/SCIE (2016) Serious case review quality markers (scie.org.uk, the 18 markers by stage)"


@dataclass(frozen=True)
class Marker:
    code: str
    title: str
    source: str
    questions: Mapping[str, str]
    stage: str = RUNNING


# 004 "Serious Case Review Quality Markers": the quality statement on proportionate form and focus,
# and its four questions, in the product's words.
PROPORTIONATE_FOCUS = Marker(
    code="proportionate_form_and_focus",
    title="Deciding a proportionate form and focus for the review",
    source="004, SCR quality markers: quality statement and its four questions (the commissioning"
    " marker of " + SCIE_LIST + ")",
    questions={
        "members_input": (
            "Board members could give any information they thought relevant to a proportionate approach"
        ),
        "reviewers_influence": (
            "The lead reviewers could properly influence the scope, nature and approach of the review"
        ),
        "factors_considered": (
            "Every case and context factor of the marker was considered in deciding what was commissioned"
        ),
        "rationale_recorded": (
            "The scoping document or terms of reference explain the proportionality decisions by"
            " referring to case and context factors"
        ),
    },
)

# The other markers, by stage, as the published list names them.
_NAMED = {
    SETUP: (
        "Referral",
        "Decision making",
        "Advising board members",
        "Informing the family",
        "Clarity of purpose",
    ),
    RUNNING: (
        "Governance",
        "SCR management",
        "Parallel processes",
        "Assembling information",
        "Practitioner involvement",
        "Family involvement",
        "Analysis",
    ),
    OUTPUTS: (
        "Report",
        "Improvement action",
        "Board written response",
        "Publication",
        "Implementation and evaluation",
    ),
}
OVERALL = "overall"


def _named(stage: str, title: str) -> Marker:
    code = title.lower().replace(" ", "_")
    question = f"How far the review meets the quality marker on {title.lower()}"
    return Marker(code, title, SCIE_LIST, {OVERALL: question}, stage)


MARKERS: Mapping[str, Marker] = {
    m.code: m
    for m in (PROPORTIONATE_FOCUS, *(_named(stage, t) for stage, titles in _NAMED.items() for t in titles))
}


@dataclass(frozen=True)
class Answer:
    rating: str
    evidence: str


@dataclass
class Assessment:
    marker: str
    answers: dict[str, Answer]
    assessed_on: date
    assessed_by: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "marker": self.marker,
            "answers": {k: {"rating": a.rating, "evidence": a.evidence} for k, a in self.answers.items()},
            "assessed_on": self.assessed_on.isoformat(),
            "assessed_by": self.assessed_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assessment:
        return cls(
            marker=data["marker"],
            answers={k: Answer(a["rating"], a["evidence"]) for k, a in data["answers"].items()},
            assessed_on=date.fromisoformat(data["assessed_on"]),
            assessed_by=data["assessed_by"],
        )


def assess(marker: str, answers: Mapping[str, Mapping[str, str]], on: date, by: str) -> Assessment:
    """A marker's assessment: every question of it rated; evidence for any rating but "not yet"."""
    found = MARKERS.get(marker)
    if found is None:
        raise InvalidInput([{"field": "marker", "message": f"Choose one of {', '.join(MARKERS)}"}])
    problems = [
        {"field": f"answers.{k}", "message": "Not a question of this quality marker"}
        for k in sorted(set(answers) - set(found.questions))
    ]
    for key, text in found.questions.items():
        given = answers.get(key)
        if given is None:
            problems.append({"field": f"answers.{key}", "message": f"Rate this question: {text}"})
        elif given["rating"] != "not_yet_assessed" and not given.get("evidence", "").strip():
            problems.append({"field": f"answers.{key}.evidence", "message": "Say what shows this rating"})
    if problems:
        raise InvalidInput(problems)
    return Assessment(
        marker,
        {k: Answer(a["rating"], a.get("evidence", "")) for k, a in answers.items()},
        on,
        by,
    )
