"""Every problem with a request at once: what the input layer refused, and what the rules found.

The input layer (marshmallow) refuses what it can on its own and hands on the rest; the rules
then check what is left, cross-field checks included. A problem the rules find about a field
the input layer refused already (or a part of it, or the whole it is part of) says nothing new,
and is dropped.
"""

from __future__ import annotations

from typing import Any

Problems = list[dict[str, Any]]


def _parts(field: Any) -> tuple[str, ...]:
    return tuple(str(field or "").split("."))


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def merged(refused: Problems, found: Problems) -> Problems:
    """``refused`` first, then each of ``found`` about a field none of them names."""
    named = [_parts(p.get("field")) for p in refused if p.get("field")]
    return list(refused) + [p for p in found if not any(_overlap(_parts(p.get("field")), n) for n in named)]
