"""One page of the referral journey: a form for the answers to one question of the domain's
journey (``domain/journey.py``), which says when the question is asked.

Each step knows how to show stored answers again (:meth:`StepForm.raw`), how to read them off
a valid form (:meth:`StepForm.answers`) and how to describe them on "Check your answers"
(:meth:`StepForm.rows`). The rules stay in the domain and the handlers: a step only makes
sure its page was answered in a usable way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, Form, RadioField
from wtforms.validators import StopValidation

from services.referral.domain import journey
from services.referral.entrypoints.forms.widgets import Chosen, Radios
from services.referral.service_layer.drafts import JourneyContext

State = Mapping[str, Any]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the whole referral, and the page and element that own it."""

    slug: str
    anchor: str
    message: str


class StepForm(FlaskForm):
    """One page of the referral journey; ``slug`` names the domain's question it asks."""

    slug: ClassVar[str] = ""
    title: ClassVar[str] = ""  # the page's question, also its <title>
    keys: ClassVar[tuple[str, ...]] = ()  # the answers it owns (the domain's question says)
    anchors: ClassVar[dict[str, str]] = {}  # domain or handler field -> element id on the page
    partial: ClassVar[str] = "question.html"
    inline: ClassVar[bool] = False  # yes/no radios side by side

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "slug" in cls.__dict__:
            cls.keys = journey.BY_SLUG[cls.slug].keys

    @classmethod
    def applies(cls, state: State) -> bool:
        return journey.BY_SLUG[cls.slug].applies(state)

    @classmethod
    def answered(cls, state: State) -> bool:
        return journey.BY_SLUG[cls.slug].answered(state)

    def setup(self, ctx: JourneyContext, state: State | None = None) -> None:
        """Fill in choices that depend on the board; ``state`` is the draft's other answers, for
        checks across pages (the child's date of birth against the date of the incident)."""
        self.ctx, self.state = ctx, state or {}
        self.prepare(ctx)

    def prepare(self, ctx: JourneyContext) -> None:
        """Fill in choices that depend on the board."""

    @classmethod
    def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
        """Stored answers as the page would post them, to show them again or check them again."""
        return MultiDict({k: str(state[k]) for k in cls.keys if k in state and state[k] is not None})

    def answers(self) -> dict[str, Any]:
        return {k: self[k].data for k in self.keys}

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        """(question, answer) pairs for "Check your answers"."""
        raise NotImplementedError


def radio_step(
    page: str,
    question: str,
    choices: dict[str, str],
    message: str,
    *,
    short: str,
    hint: str = "",
    boolean: bool = False,
    anchors: tuple[str, ...] = (),
) -> type[StepForm]:
    """A page asking one question with radios. ``boolean`` stores yes/no as True/False."""
    (key,) = journey.BY_SLUG[page].keys

    class Step(StepForm):
        slug = page

        @classmethod
        def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
            if key not in state:
                return MultiDict()
            value = state[key]
            return MultiDict({key: ("yes" if value else "no") if boolean else value})

        def answers(self) -> dict[str, Any]:
            value = self[key].data
            return {key: value == "yes" if boolean else value}

        @classmethod
        def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
            if key not in state:
                return [(short, "")]
            value = state[key]
            shown = ("yes" if value else "no") if boolean else value
            return [(short, choices.get(shown, str(shown)))]

    Step.__name__ = Step.__qualname__ = "".join(p.title() for p in page.split("-")) + "Form"
    Step.title = question
    Step.anchors = {name: key for name in (key, *anchors)}
    Step.inline = boolean
    setattr(
        Step,
        key,
        RadioField(
            question,
            choices=choices,
            validators=[Chosen(message)],
            widget=Radios(),
            validate_choice=False,
            description=hint,
        ),
    )
    return Step


def whole_number(low: int, high: int, required: str, wrong: str) -> Callable[[Form, Field], None]:
    def check(form: Form, field: Field) -> None:
        text = (field.data or "").strip()
        if not text:
            raise StopValidation(required)
        if not text.isdigit() or not low <= int(text) <= high:
            raise StopValidation(wrong)

    return check
