"""A chronology from the CSV file an agency already keeps: a header row, then one event a row.

The header names the columns, in any order and case: ``date``, ``event`` and ``source`` are
required; ``time``, ``significance`` and the six questions of 000 §12 (``changed_assessment``,
``pattern``, ``statutory_event``, ``significant_to_child``, ``significant_to_adult``,
``learning_point``, each yes, no or blank) may be given. A date is ``YYYY-MM-DD`` or
``DD/MM/YYYY``. Every problem is reported at once, as ``rows.<line>.<column>`` where
``<line>`` is the line of the file (the header is line 1). Text is normalised to Unicode NFC
and a control character is refused, as in a JSON body.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Any

from marshmallow import ValidationError

from services.reviews.entrypoints.schemas import QUESTION_COLUMNS, EntrySchema
from shared.errors import InvalidInput, flatten_messages

REQUIRED = ("date", "event", "source")
OPTIONAL = ("time", "significance", *QUESTION_COLUMNS)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
MAX_BYTES = 5 * 1024 * 1024


def _problem(where: str, message: str) -> dict[str, str]:
    return {"field": where, "message": message}


def _control(value: str) -> bool:
    """Whether a cell holds a control character other than tab and line breaks, which the JSON
    body refuses too (:mod:`shared.input`)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value)


def _cell(column: str, value: str) -> Any:
    text = unicodedata.normalize("NFC", value.strip())
    if column in QUESTION_COLUMNS:
        if not text:
            return None
        low = text.lower()
        return True if low in YES else False if low in NO else text  # anything else is refused below
    if column == "date":
        uk = UK_DATE.match(text)
        return f"{uk[3]}-{int(uk[2]):02d}-{int(uk[1]):02d}" if uk else text
    if column in ("time", "significance"):
        return text or None
    return text


def read_chronology(data: bytes) -> list[dict[str, Any]]:
    """The entries of a CSV file, loaded as the JSON body's would be; InvalidInput naming every bad cell."""
    if len(data) > MAX_BYTES:
        raise InvalidInput([_problem("file", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([_problem("file", "Save the file as CSV in UTF-8 and upload it again")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise InvalidInput([_problem("file", "The file is empty: give a header row, then one event a row")])
    columns = [h.strip().lower().replace(" ", "_") for h in header]
    problems = [_problem("columns", f"Add a {name!r} column") for name in REQUIRED if name not in columns]
    unknown = [c for c in columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        problems.append(_problem("columns", f"Unknown columns: {', '.join(unknown)}"))
    if problems:
        raise InvalidInput(problems)
    entries: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            problems.append(
                _problem(f"rows.{line}", f"{len(row)} cells, but the header names {len(columns)}")
            )
            continue
        cells = dict(zip(columns, row, strict=False))
        bad = [c for c, v in cells.items() if _control(v)]
        if bad:
            problems += [
                _problem(f"rows.{line}.{c}", "The text holds a control character; remove it") for c in bad
            ]
            continue
        raw = {c: _cell(c, v) for c, v in cells.items()}
        try:
            entries.append(EntrySchema().load(raw))
        except ValidationError as exc:
            for p in flatten_messages(exc.messages):
                problems.append(_problem(f"rows.{line}.{p['field']}", p["message"]))
    if problems:
        raise InvalidInput(problems)
    if not entries:
        raise InvalidInput([_problem("file", "The file has a header row but no events")])
    return entries
