"""The pages of the referral journey in the order the domain asks its questions, and what the
pages need of the whole: where a problem is shown, the final check, the facts described.

Which question is asked when, and which answers are kept, is the domain's
(``domain/journey.py``): this module only maps each question to its page.
"""

from __future__ import annotations

from services.referral.domain import journey
from services.referral.entrypoints.forms.details import (
    AgenciesForm,
    ChildForm,
    DatesForm,
    ReferrerForm,
    SummaryForm,
)
from services.referral.entrypoints.forms.questions import (
    AbuseOrNeglectForm,
    ChildAgeForm,
    CustodyForm,
    DeprivationOfLibertyForm,
    LookedAfterForm,
    MentalHealthActForm,
    RegulatedSettingForm,
    SuspectedSuicideForm,
    WhatHappenedForm,
    WorkingTogetherForm,
)
from services.referral.entrypoints.forms.steps import Problem, State, StepForm
from services.referral.entrypoints.forms.where_child_lives import WhereTheChildLivesForm
from services.referral.entrypoints.forms.widgets import error_list
from services.referral.service_layer.drafts import JourneyContext

STEPS: tuple[type[StepForm], ...] = (
    WhatHappenedForm,
    SuspectedSuicideForm,
    CustodyForm,
    MentalHealthActForm,
    DeprivationOfLibertyForm,
    ChildAgeForm,
    LookedAfterForm,
    RegulatedSettingForm,
    AbuseOrNeglectForm,
    WorkingTogetherForm,
    DatesForm,
    AgenciesForm,
    WhereTheChildLivesForm,
    ReferrerForm,
    SummaryForm,
    ChildForm,
)
BY_SLUG = {step.slug: step for step in STEPS}
SLUGS = tuple(BY_SLUG)
FIRST = STEPS[0]
FACT_STEPS = tuple(BY_SLUG[q.slug] for q in journey.FACT_QUESTIONS)

# One page per question of the domain's journey, in its order.
assert SLUGS == journey.SLUGS

SECTIONS = (
    ("What happened", FACT_STEPS),
    (
        "When it happened and who was involved",
        (DatesForm, AgenciesForm, WhereTheChildLivesForm, ReferrerForm, SummaryForm),
    ),
    ("The child's details", (ChildForm,)),
)


def _page(question: journey.Question | None) -> type[StepForm] | None:
    return None if question is None else BY_SLUG[question.slug]


def applicable(state: State) -> list[type[StepForm]]:
    return [BY_SLUG[q.slug] for q in journey.applicable(state)]


def first_unanswered(state: State) -> type[StepForm] | None:
    return _page(journey.first_unanswered(state))


def next_step(slug: str, state: State) -> type[StepForm] | None:
    return _page(journey.next_question(slug, state))


def previous_step(slug: str, state: State) -> type[StepForm] | None:
    return _page(journey.previous_question(slug, state))


def locate(field_name: str | None) -> tuple[str, str]:
    """The page and element that own a field named by the domain or a handler."""
    name = field_name or ""
    candidates = (name, name.split(".")[0], ".".join(name.split(".")[:2]))
    for step in STEPS:
        for candidate in candidates:
            if candidate in step.anchors:
                return step.slug, step.anchors[candidate]
    return "check", "main-content"


def check_all(state: State, ctx: JourneyContext) -> list[Problem]:
    """Check every page that applies again, as the final submit must: nothing is trusted."""
    problems = []
    for step in applicable(state):
        form = step(formdata=step.raw(state, ctx), meta={"csrf": False})
        form.setup(ctx, state)
        if not form.validate():
            for e in error_list(form):
                problems.append(Problem(step.slug, e["href"].lstrip("#"), e["text"]))
    return problems


def fact_rows(facts: State) -> list[tuple[str, str]]:
    """A case's stored facts described as the journey's pages describe their answers."""
    state = journey.answers_from_facts(facts)
    ctx = JourneyContext()
    return [
        row
        for step in FACT_STEPS
        if step.applies(state) and step.answered(state)
        for row in step.rows(state, ctx)
    ]
