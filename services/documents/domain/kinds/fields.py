"""What a kind of document is: its fields, and how a context is checked against them.

A field is a dotted path into the context (``decision.outcome``); ``*`` stands for
every item of a list (``lead_reviewers.*.name``). Some fields are required only in
some cases (:class:`When`): a decision to initiate a Serious Case Review needs the
lead reviewers' names, a decision not to needs the justification (003 checklist; 001 §3).

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# Field types: what a form would ask for, and how the renderer formats the value.
TEXT = "text"  # a short line
NARRATIVE = "narrative"  # paragraphs; line breaks are kept
DATE = "date"  # datetime.date or an ISO 8601 string; printed "14 March 2025"
MONTH = "month"  # as DATE, but printed "March 2025": no more precision than asked for
CHOICE = "choice"  # a code from ``choices``; the renderer adds ``<name>_label``
FLAG = "flag"  # True or False
LIST = "list"  # a list of short texts
TABLE = "table"  # a list of mappings; its columns are fields with ``*`` in their path

TYPES = (TEXT, NARRATIVE, DATE, MONTH, CHOICE, FLAG, LIST, TABLE)

# The dates a document prints: from 1900, as the API accepts (shared.validation), to the
# end of 2100. A case's record made from old events may hold year 1 or 9999, a typing slip:
# such a date is refused, naming its field, rather than printed in a statutory letter.
PRINTABLE_FROM = date(1900, 1, 1)
PRINTABLE_TO = date(2100, 12, 31)


@dataclass(frozen=True)
class When:
    """A condition on another field: its value is one of ``values`` (or, negated, is not).

    A condition on a missing value does not hold: that field's own requirement reports it.
    """

    path: str
    values: frozenset[str]
    negate: bool = False

    def holds(self, context: Mapping[str, Any]) -> bool:
        ((_, value),) = resolve(context, self.path)
        if is_missing(value):
            return False
        return (value in self.values) != self.negate


@dataclass(frozen=True)
class Field:
    path: str
    label: str
    required: bool = False
    type: str = TEXT
    choices: Mapping[str, str] | None = None
    when: When | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.path}: unknown field type {self.type!r}")
        if (self.type == CHOICE) != (self.choices is not None):
            raise ValueError(f"{self.path}: a choice field, and only one, has choices")

    def applies(self, context: Mapping[str, Any]) -> bool:
        """Whether this field is required for this context."""
        return self.required and (self.when is None or self.when.holds(context))


@dataclass(frozen=True)
class Kind:
    """A kind of document: its template (by code), title, file name, source and fields.

    ``sent`` marks a letter meant to leave the board (to Ofsted, the Panel, the case
    group): its file travels, sealed, with the event that announces it, so that the
    notifications service can send it without asking for it.
    """

    code: str
    title: str
    filename_stem: str
    source: str
    fields: tuple[Field, ...]
    sent: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        """Paths of the fields that can be required (some only under a condition)."""
        return tuple(f.path for f in self.fields if f.required)

    @property
    def names(self) -> frozenset[str]:
        """The top-level context names the template may read."""
        return frozenset(f.path.split(".", 1)[0] for f in self.fields)

    def filename(self, case_reference: str, extension: str = "docx") -> str:
        """``decision-notification-SCR-2025-014.docx``: safe on every file system."""
        ref = re.sub(r"[^A-Za-z0-9]+", "-", case_reference).strip("-") or "case"
        return f"{self.filename_stem}-{ref}.{extension}"

    def unprintable(self, context: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(path, label) of each date ``context`` gives this kind outside the dates it prints."""
        out: dict[str, str] = {}
        for f in self.fields:
            if f.type not in (DATE, MONTH):
                continue
            for where, value in iter_values(context, f.path):
                d = as_date(value)
                day = d.date() if isinstance(d, datetime) else d
                if day is not None and not PRINTABLE_FROM <= day <= PRINTABLE_TO:
                    out.setdefault(where, f.label)
        return list(out.items())

    def missing(self, context: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(path, label) of each required field ``context`` lacks, in the kind's order."""
        out: dict[str, str] = {}
        for f in self.fields:
            if not f.applies(context):
                continue
            for where, value in resolve(context, f.path):
                if is_missing(value):
                    out.setdefault(where, f.label)
        return list(out.items())


def as_date(value: Any) -> date | None:
    """A date field's value as a date (a datetime for an instant): from a date or ISO 8601 text."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
        except ValueError:
            return None
    return None


# -- Paths -------------------------------------------------------------------------------

_MISSING = object()


def is_missing(value: Any) -> bool:
    """Absent, None, blank text and empty collections are missing; False and 0 are not."""
    if value is _MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, Mapping)):
        return len(value) == 0
    return False


def resolve(context: Any, path: str) -> list[tuple[str, Any]]:
    """Concrete (path, value) pairs for ``path``; ``*`` expands to every list item.

    A plain path gives exactly one pair, with a missing marker when absent; a ``*``
    over an absent or empty list gives none (the list's own field reports it).
    """
    found: list[tuple[str, Any]] = [("", context)]
    for part in path.split("."):
        step: list[tuple[str, Any]] = []
        for where, value in found:
            prefix = f"{where}." if where else ""
            if part == "*":
                if isinstance(value, (list, tuple)):
                    step.extend((f"{prefix}{i}", item) for i, item in enumerate(value))
            elif isinstance(value, Mapping):
                step.append((prefix + part, value.get(part, _MISSING)))
            else:
                step.append((prefix + part, _MISSING))
        found = step
    return found


def iter_values(context: Mapping[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """The values present at ``path`` (``*`` expanded), with their concrete paths."""
    for where, value in resolve(context, path):
        if value is not _MISSING:
            yield where, value
