"""The kinds of document the board produces, and what each needs from the case record.

Each :class:`Kind` names its template (by code), its title, the stem of its file name,
the seed and section it comes from (see ../shared/DOMAIN.md, "Documents the board
produces"), the context fields its template reads (:mod:`.fields`), and whether it is
a letter meant to be sent. The kinds are declared in :mod:`.case` (those the case's
events call for), :mod:`.current` (those of the current guidance alone) and :mod:`.review`
(those of a review under way).

:func:`check_context` lists what is missing, so the service can refuse with 409 and
name every field at once; :func:`require_context` raises that refusal, or, first, the
refusal of a date no document prints (year 1 or 9999 in a record made from old events).

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..errors import MissingContext, UnknownKind, UnprintableDates
from .case import CASE_KINDS
from .current import CURRENT_KINDS
from .fields import (
    CHOICE,
    DATE,
    FLAG,
    LIST,
    MONTH,
    NARRATIVE,
    PRINTABLE_FROM,
    PRINTABLE_TO,
    TABLE,
    TEXT,
    TYPES,
    Field,
    Kind,
    When,
    as_date,
    iter_values,
)
from .review import REVIEW_KINDS

__all__ = [
    "CHOICE",
    "DATE",
    "FLAG",
    "KINDS",
    "LIST",
    "MONTH",
    "NARRATIVE",
    "PRINTABLE_FROM",
    "PRINTABLE_TO",
    "TABLE",
    "TEXT",
    "TYPES",
    "Field",
    "Kind",
    "When",
    "as_date",
    "check_context",
    "get_kind",
    "iter_values",
    "require_context",
]

KINDS: Mapping[str, Kind] = MappingProxyType(
    {k.code: k for k in (*CASE_KINDS, *CURRENT_KINDS, *REVIEW_KINDS)}
)


def get_kind(code: object) -> Kind:
    """The kind with that code; :class:`UnknownKind` (naming ``kind``) otherwise."""
    if isinstance(code, str) and code in KINDS:
        return KINDS[code]
    raise UnknownKind(code, KINDS)


def check_context(kind: str, context: Mapping[str, Any]) -> list[str]:
    """The paths of the required fields missing from ``context``, in the kind's order.

    Blank text, None and empty lists count as missing; False and 0 do not. Raises
    :class:`UnknownKind` for an unknown ``kind``.
    """
    spec = get_kind(kind)
    if not isinstance(context, Mapping):
        raise TypeError("context must be a mapping")
    return [path for path, _ in spec.missing(context)]


def require_context(kind: str, context: Mapping[str, Any]) -> Kind:
    """The kind, once ``context`` has everything it needs and only dates it can print.

    :class:`UnprintableDates` (409) names each date outside the printable range;
    :class:`MissingContext` (409) each required field missing.
    """
    spec = get_kind(kind)
    if not isinstance(context, Mapping):
        raise TypeError("context must be a mapping")
    unprintable = spec.unprintable(context)
    if unprintable:
        raise UnprintableDates(spec.title, unprintable)
    missing = spec.missing(context)
    if missing:
        raise MissingContext(spec.code, spec.title, missing)
    return spec
