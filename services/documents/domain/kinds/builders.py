"""Short ways to declare the fields the kinds share, so each kind reads as a list of fields."""

from __future__ import annotations

from typing import Any

from ..framework import REVIEW_KIND_LABELS, SERIOUS_CASE_REVIEW
from .fields import CHOICE, DATE, TABLE, TEXT, Field, Kind, When


def opt(path: str, label: str, type: str = TEXT, **kw: Any) -> Field:
    """An optional field."""
    return Field(path, label, False, type, **kw)


def req(path: str, label: str, type: str = TEXT, **kw: Any) -> Field:
    """A required field."""
    return Field(path, label, True, type, **kw)


def review_kind(path: str, label: str, required: bool = True) -> Field:
    return Field(path, label, required, CHOICE, choices=REVIEW_KIND_LABELS)


def period(required: bool) -> tuple[Field, ...]:
    return (
        Field("review_period.start", "First day of the period under review", required, DATE),
        Field("review_period.end", "Last day of the period under review", required, DATE),
    )


def child(*, dob: bool = True) -> tuple[Field, ...]:
    fields = [req("child.name", "Child's name")]
    if dob:
        fields.append(opt("child.date_of_birth", "Child's date of birth", DATE))
    return tuple(fields)


def timetable() -> tuple[Field, ...]:
    return (
        opt("timetable", "Timetable of the review", TABLE),
        req("timetable.*.when", "Timetable: when (a date, or a week such as 'Week 6')"),
        opt("timetable.*.what", "Timetable: what happens"),
    )


def people(path: str, label: str, required: bool, *columns: tuple[str, str]) -> tuple[Field, ...]:
    """A table of people: the list, each person's name (required when the list is), columns."""
    return (
        Field(path, label, required, TABLE),
        Field(f"{path}.*.name", f"{label}: name", True, TEXT),
        *(opt(f"{path}.*.{name}", f"{label}: {text}") for name, text in columns),
    )


SCR_DECIDED = When("decision.outcome", frozenset({SERIOUS_CASE_REVIEW}))
SCR_NOT_DECIDED = When("decision.outcome", frozenset({SERIOUS_CASE_REVIEW}), negate=True)

COMMON: tuple[Field, ...] = (
    req("board_name", "Name of the safeguarding children board"),
    req("case_reference", "Case reference"),
    req("document_date", "Date of the document", DATE),
)


def declare(
    code: str, title: str, source: str, *fields: Field | tuple[Field, ...], sent: bool = False
) -> Kind:
    """A kind with the common fields first; ``sent`` for a letter meant to leave the board."""
    flat: list[Field] = list(COMMON)
    for item in fields:
        flat.extend(item if isinstance(item, tuple) else (item,))
    paths = [f.path for f in flat]
    if len(paths) != len(set(paths)):
        raise ValueError(f"{code}: a field is declared twice")
    return Kind(code, title, code.replace("_", "-"), source, tuple(flat), sent=sent)
