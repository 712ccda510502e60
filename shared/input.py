"""What the product accepts as JSON, before any schema sees it.

Every request body parsed as JSON goes through :class:`SafeJSONProvider`:

- a body nested more than :data:`MAX_DEPTH` levels is refused (400), instead of
  exhausting the parser's recursion (which answered 500);
- every string, keys included, is normalised to Unicode NFC, and one holding a
  lone surrogate (``\\ud800``: it cannot be stored or written to a document) or
  a control character other than tab, line feed and carriage return is refused
  with 422 naming the field, every such field at once.

The size of a body is limited by Flask's ``MAX_CONTENT_LENGTH`` (413), set in
:func:`shared.web.create_service_app`.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest

from shared.errors import InvalidInput

MAX_DEPTH = 32
MAX_BODY_BYTES = 10 * 1024 * 1024
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


class TooDeep(BadRequest):
    description = f"The JSON body is nested more than {MAX_DEPTH} levels deep"


class SafeJSONProvider(DefaultJSONProvider):
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise TooDeep() from None
        problems: list[dict[str, Any]] = []
        cleaned = _clean(value, "", 0, problems)
        if problems:
            raise InvalidInput(problems)
        return cleaned


def _clean(value: Any, path: str, depth: int, problems: list[dict[str, Any]]) -> Any:
    if depth > MAX_DEPTH:
        raise TooDeep()
    if isinstance(value, str):
        return _text(value, path or "body", problems)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            name = _text(key, f"{path}.{key}" if path else key, problems)
            out[name] = _clean(item, f"{path}.{name}" if path else name, depth + 1, problems)
        return out
    if isinstance(value, list):
        return [
            _clean(item, f"{path}.{i}" if path else str(i), depth + 1, problems)
            for i, item in enumerate(value)
        ]
    return value


def _text(value: str, field: str, problems: list[dict[str, Any]]) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(
            {"field": _printable(field), "message": "The text holds a character that is not valid"}
        )
        return value
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in value):
        problems.append({"field": field, "message": "The text holds a control character; remove it"})
        return value
    return unicodedata.normalize("NFC", value)


def _printable(field: str) -> str:
    return field.encode("utf-8", "backslashreplace").decode("utf-8")
