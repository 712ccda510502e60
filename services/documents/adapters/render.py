"""Word documents from the board's templates: ``render_docx(kind, context) -> bytes``.

Templates are docxtpl ``.docx`` files in ``templates/`` beside this module, one per kind
(``tools/document_templates/build.py`` makes them). They are only ever found through the
registry of kinds, never from a name or path a user gave.

User text goes into the document as text, never as template: docxtpl renders with a
sandboxed Jinja environment that escapes every value for XML, so ``<b>``, ``&``, ``"``,
``{{ 7*7 }}`` or ``{% for %}`` typed into a form appear as typed. Characters XML 1.0
forbids (most control characters, lone surrogates) are removed first; tabs and line
breaks are kept, and a vertical tab or form feed becomes a line break.

Before rendering, the context is checked against the kind (:class:`MissingContext`,
409, names every missing field; :class:`UnprintableDates`, 409, every date of year 1
or 9999 and the like) and prepared: dates become "14 March 2025" (month fields
"March 2025"; one that cannot be printed so stays as given), choice fields gain a
``<name>_label`` with the printed label, and None prints as nothing.

Each template's bytes are read once and each render works on a fresh copy; the
compiled Jinja template of each template part is kept too, so a render costs the
docxtpl work and nothing more.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from services.documents.domain.kinds import (
    CHOICE,
    DATE,
    MONTH,
    Kind,
    as_date,
    get_kind,
    iter_values,
    require_context,
)

__all__ = [
    "TEMPLATE_DIR",
    "clean_text",
    "long_date",
    "prepare_context",
    "printed_date",
    "render_docx",
    "template_path",
]

TEMPLATE_DIR = Path(__file__).resolve().with_name("templates")
LONDON = ZoneInfo("Europe/London")

# XML 1.0 allows tab, line feed, carriage return and everything from U+0020 except
# surrogates, U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")


# -- Templates ---------------------------------------------------------------------------


def template_path(kind: str) -> Path:
    """The template file of a registered kind (:class:`UnknownKind` otherwise)."""
    return TEMPLATE_DIR / f"{get_kind(kind).code}.docx"


_template_bytes: dict[str, bytes] = {}
_template_lock = threading.Lock()


def _load(spec: Kind) -> bytes:
    data = _template_bytes.get(spec.code)
    if data is None:
        with _template_lock:
            data = _template_bytes.get(spec.code)
            if data is None:
                data = (TEMPLATE_DIR / f"{spec.code}.docx").read_bytes()
                _template_bytes[spec.code] = data
    return data


class _DocumentEnvironment(SandboxedEnvironment):
    """The sandbox, remembering what it compiled.

    docxtpl hands over the XML of each part of the template on every render; that XML
    comes from the board's own template files, so the set is small and fixed, and
    compiling it once is enough.
    """

    MAX_COMPILED = 256

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._compiled: dict[str, Template] = {}
        self._compiled_lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            with self._compiled_lock:
                if len(self._compiled) >= self.MAX_COMPILED:
                    self._compiled.clear()
                self._compiled[source] = template
        return template


def _finalize(value: Any) -> Any:
    return "" if value is None else value


_ENV = _DocumentEnvironment(
    autoescape=True,
    undefined=ChainableUndefined,  # an absent optional field prints as nothing
    finalize=_finalize,
)


# -- Context -----------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold removed; tabs and line breaks kept."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _FORBIDDEN.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def long_date(value: date) -> str:
    """GOV.UK style: "14 March 2025"; an instant adds the London time, "2:30pm"."""
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        hour = local.hour % 12 or 12
        minutes = f":{local.minute:02d}" if local.minute else ""
        return f"{long_date(local.date())}, {hour}{minutes}{'am' if local.hour < 12 else 'pm'}"
    return f"{value.day} {value:%B %Y}"


def printed_date(value: date, month: bool = False) -> str:
    """A date as a document prints it (:func:`long_date`, or "March 2025" for a month field).

    A date that cannot be printed so (an instant in year 1 has no London time) is shown
    as given, in ISO 8601: a document is never lost to a date. Dates a kind declares are
    checked against the printable range before rendering (:func:`require_context`).
    """
    try:
        return f"{value:%B %Y}" if month else long_date(value)
    except (ValueError, OverflowError):
        return value.isoformat()


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(str.__str__(value))  # a str subclass (Markup) loses its powers
    if value is None or isinstance(value, (bool, int, float, Decimal, date)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return clean_text(str(value))  # templates never see objects with methods


def _dates_to_text(value: Any) -> Any:
    if isinstance(value, date):
        return printed_date(value)
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    return value


def _set(context: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target: Any = context
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def prepare_context(spec: Kind, context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as the template reads it: clean text, printed dates, choice labels."""
    prepared = _clean(context)
    for field in spec.fields:
        if field.type not in (DATE, MONTH, CHOICE):
            continue
        for where, value in list(iter_values(prepared, field.path)):
            if field.type == CHOICE:
                if not where.rsplit(".", 1)[-1].isdigit():  # a label sits beside its code
                    label = (field.choices or {}).get(value, value) if isinstance(value, str) else value
                    _set(prepared, f"{where}_label", label)
            elif (d := as_date(value)) is not None:
                _set(prepared, where, printed_date(d, month=field.type == MONTH))
    as_text: dict[str, Any] = _dates_to_text(prepared)
    return as_text


# -- Rendering ---------------------------------------------------------------------------


def render_docx(kind: str, context: Mapping[str, Any]) -> bytes:
    """The document of ``kind`` for ``context``, as the bytes of a .docx file.

    Raises :class:`UnknownKind` (422, field ``kind``) for a kind not in the registry and
    :class:`MissingContext` (409) naming every required field the context lacks.
    """
    spec = require_context(kind, context)
    prepared = prepare_context(spec, context)
    template = DocxTemplate(io.BytesIO(_load(spec)))
    template.render(prepared, _ENV, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
