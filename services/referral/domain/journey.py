"""The referral journey: which questions a referral asks, in which order, and when each applies.

A referral being written is a draft of answers, keyed as below. Whether the death is a
suspected suicide is asked only when the child died; where the child was held (custody, the
Mental Health Act, a deprivation of liberty order) when the child died or was seriously harmed
(003 ¶20 makes a death there decisive; a harmed child there is screened on the other criteria);
and the child's age only for a death under a deprivation of liberty order (the rule that needs
it: 003 ¶20). An answer to a question that
no longer applies is dropped (:func:`tidy`), so a draft never holds facts that contradict
each other, and a draft becomes a referral only once every question that applies has been
answered (:func:`unanswered`).

The web pages ask one question per page; the API takes the same answers. Pure Python: no
Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .screening import DEATH_ONLY_FIELDS, SETTING_FIELDS, Facts

Answers = Mapping[str, Any]

WHAT_HAPPENED = ("died", "seriously_harmed", "neither")
NONE = "none"  # the "not in custody" / "not in a regulated setting" answer

# The child's identifying details: optional, and kept apart from the other answers (encrypted).
CHILD = "child"
CHILD_FIELDS = ("name", "date_of_birth", "address", "nhs_number")


def always(answers: Answers) -> bool:
    return True


def died(answers: Answers) -> bool:
    return answers.get("what_happened") == "died"


def died_or_harmed(answers: Answers) -> bool:
    return answers.get("what_happened") in ("died", "seriously_harmed")


def deprivation_of_liberty(answers: Answers) -> bool:
    return died(answers) and answers.get("deprivation_of_liberty_order") is True


@dataclass(frozen=True)
class Question:
    """One question: the answers it owns (``keys``, each needed; ``optional``, kept when given)
    and when it is asked."""

    slug: str
    keys: tuple[str, ...]
    applies: Callable[[Answers], bool] = always
    optional: tuple[str, ...] = ()

    def answered(self, answers: Answers) -> bool:
        return all(k in answers for k in self.keys)


# Where the child normally lives: the board of that area decides (003 checklist), and a case
# that crosses borders involves every board concerned (004). ``home_board`` names the other
# board when the child does not live in this board's area; ``other_boards`` any others.
LIVES_HERE = "child_lives_in_area"
HOME_BOARD = "home_board"
OTHER_BOARDS = "other_boards"

QUESTIONS: tuple[Question, ...] = (
    Question("what-happened", ("what_happened",)),
    Question("suspected-suicide", ("suspected_suicide",), died),
    Question("custody", ("custody_setting",), died_or_harmed),
    Question("mental-health-act", ("detained_mental_health_act",), died_or_harmed),
    Question("deprivation-of-liberty", ("deprivation_of_liberty_order",), died_or_harmed),
    Question("child-age", ("child_age",), deprivation_of_liberty),
    Question("looked-after", ("looked_after",)),
    Question("regulated-setting", ("regulated_setting",)),
    Question("abuse-or-neglect", ("abuse_or_neglect",)),
    Question("working-together", ("interagency_concern",)),
    Question("dates", ("incident_on", "became_aware_on")),
    Question("agencies", ("agencies_involved",)),
    Question("where-the-child-lives", (LIVES_HERE,), optional=(HOME_BOARD, OTHER_BOARDS)),
    Question("referrer", ("referrer",)),
    Question("summary", ("summary",)),
    Question(CHILD, ()),  # optional: nothing to answer
)
BY_SLUG: Mapping[str, Question] = {q.slug: q for q in QUESTIONS}
SLUGS = tuple(BY_SLUG)
KEYS = frozenset(k for q in QUESTIONS for k in (*q.keys, *q.optional)) | {CHILD}
FACT_QUESTIONS = QUESTIONS[: SLUGS.index("working-together") + 1]

# Every fact of the screening is asked by exactly one question ("what happened" asks two).
assert set(Facts.__dataclass_fields__) - {"child_died", "seriously_harmed"} <= {
    k for q in FACT_QUESTIONS for k in q.keys
}


def applicable(answers: Answers) -> list[Question]:
    return [q for q in QUESTIONS if q.applies(answers)]


def unanswered(answers: Answers) -> list[Question]:
    return [q for q in applicable(answers) if not q.answered(answers)]


def first_unanswered(answers: Answers) -> Question | None:
    missing = unanswered(answers)
    return missing[0] if missing else None


def next_question(slug: str, answers: Answers) -> Question | None:
    after = QUESTIONS[SLUGS.index(slug) + 1 :]
    return next((q for q in after if q.applies(answers)), None)


def previous_question(slug: str, answers: Answers) -> Question | None:
    before = QUESTIONS[: SLUGS.index(slug)]
    return next((q for q in reversed(before) if q.applies(answers)), None)


def tidy(answers: Answers) -> dict[str, Any]:
    """The answers without those to questions that no longer apply (the child did not die after
    all), nor another home board for a child who lives in this board's area."""
    stale = {k for q in QUESTIONS if not q.applies(answers) for k in (*q.keys, *q.optional)}
    if answers.get(LIVES_HERE) is not False:
        stale.add(HOME_BOARD)
    return {k: v for k, v in answers.items() if k not in stale}


def unknown_keys(answers: Answers) -> list[str]:
    return sorted(k for k in answers if k not in KEYS)


def completeness_problems(answers: Answers) -> list[dict[str, Any]]:
    """One problem per question that applies and is not answered yet, naming its first answer."""
    problems = [
        {"field": q.keys[0], "message": "Answer this question before the referral is sent"}
        for q in unanswered(answers)
    ]
    if answers.get(LIVES_HERE) is False and not answers.get(HOME_BOARD):
        problems.append({"field": HOME_BOARD, "message": "Enter the board where the child normally lives"})
    return problems


def facts_from(answers: Answers) -> Facts:
    """The screening's facts from the answers; raises ``InvalidFacts`` naming the fields."""
    what = answers.get("what_happened")
    values: dict[str, Any] = {
        "abuse_or_neglect": answers.get("abuse_or_neglect"),
        "child_died": what == "died",
        "seriously_harmed": what == "seriously_harmed",
        "looked_after": answers.get("looked_after"),
        "regulated_setting": None
        if answers.get("regulated_setting") == NONE
        else answers.get("regulated_setting"),
        "interagency_concern": answers.get("interagency_concern"),
    }
    if what == "died":
        for name in DEATH_ONLY_FIELDS:
            values[name] = answers.get(name)
        values["child_age"] = answers.get("child_age")
    if what in ("died", "seriously_harmed"):
        for name in SETTING_FIELDS:
            values[name] = answers.get(name)
        if values["custody_setting"] == NONE:
            values["custody_setting"] = None
    return Facts(**values)


def answers_from_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """A case's stored facts read back as the journey's answers, to describe them the same way."""
    answers = {k: v for k, v in facts.items() if v is not None}
    if facts.get("child_died"):
        answers["what_happened"] = "died"
    elif facts.get("seriously_harmed"):
        answers["what_happened"] = "seriously_harmed"
    else:
        answers["what_happened"] = "neither"
    answers["regulated_setting"] = facts.get("regulated_setting") or NONE
    if facts.get("child_died") or facts.get("seriously_harmed"):
        answers["custody_setting"] = facts.get("custody_setting") or NONE
    return answers
