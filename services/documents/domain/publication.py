"""The publication copy of a document's context: pseudonyms in, identifying values out.

Published reports must not identify the child or the family, nor harm the welfare of
any child or vulnerable adult involved, and must comply with UK GDPR and the Data
Protection Act 2018 (003 'Publication of reports'; DOMAIN.md "Data protection").

:func:`pseudonymise` takes a context and a glossary of real value -> stand-in
(``{"Jane Doe": "Child A", "Mary Doe": "Mother"}``) and returns a copy in which:

- every identifying field (:data:`IDENTIFYING_FIELDS`: date of birth, address, postcode,
  NHS number) is dropped, at any depth;
- every glossary entry is replaced wherever it occurs in any text, whatever its case;
- so are the values of the dropped fields, in the forms they are commonly written
  (a date of birth as "12 March 2014", "12/03/2014", "2014-03-12"...; an NHS number
  with or without spaces; an address whole, line by line and its postcode);
- so is each part of a glossary name on its own ("Jane" alone becomes "Child A"); a
  part shared by several people, such as a family name, becomes ``[name withheld]``;
- the child's name and family members' names that the glossary does not cover get a
  stand-in of their own ("Child A"; the relationship, such as "Mother" or "Sibling 2"),
  so a forgotten glossary entry cannot leak a name.

Names of people outside the family (practitioners, for example) are replaced only when
the glossary lists them. A place name without a house number is not treated as part of
an address, because the board's own name usually contains it.

:func:`replacements` lists what :func:`pseudonymise` replaces, by kind and stand-in and never
by value, for the business unit to check before the copy goes on the website.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

IDENTIFYING_FIELDS = frozenset({"date_of_birth", "address", "postcode", "nhs_number"})

STAND_INS = {
    "date_of_birth": "[date of birth]",
    "address": "[address]",
    "postcode": "[address]",
    "nhs_number": "[NHS number]",
}
SHARED_NAME = "[name withheld]"

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master"})
_NAME = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_NAME_KEY = re.compile(r"^[^\W\d_]+(?:[\s'\u2019.-]+[^\W\d_]+)*\.?$")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"^\s*(?:flat\s+\w+,?\s*)?\d+[a-z]?\s+", re.IGNORECASE)


def pseudonymise(context: Mapping[str, Any], glossary: Mapping[str, str]) -> dict[str, Any]:
    """A copy of ``context`` fit for publication; ``context`` itself is left as it was."""
    terms = _Terms()
    for real, stand_in in glossary.items():
        if isinstance(real, str) and real.strip():
            terms.add_value(real.strip(), str(stand_in))
    for real, stand_in in _default_names(context, glossary).items():
        terms.add_value(real, stand_in)
    for key, value in _identifying_values(context):
        terms.add_identifying(key, value, glossary)
    for real, stand_in in list(terms.names.items()):
        terms.add_name_parts(real, stand_in)
    copied: dict[str, Any] = _copy(context, terms.compile(), terms.dates)
    return copied


@dataclass(frozen=True)
class Replacement:
    """One kind of detail the copy replaces and what stands in for it."""

    kind: str  # child_name, family_name, glossary, or one of IDENTIFYING_FIELDS
    stand_in: str


def replacements(context: Mapping[str, Any], glossary: Mapping[str, str]) -> list[Replacement]:
    """What :func:`pseudonymise` replaces in ``context`` with ``glossary``, each kind and stand-in
    once, in the order: the glossary, the child's and family's names, then identifying fields."""
    found: list[Replacement] = []

    def add(kind: str, stand_in: str) -> None:
        if Replacement(kind, stand_in) not in found:
            found.append(Replacement(kind, stand_in))

    for real, stand_in in glossary.items():
        if isinstance(real, str) and real.strip():
            add("glossary", str(stand_in))
    child = context.get("child")
    child_name = child.get("name") if isinstance(child, Mapping) else None
    for real, stand_in in _default_names(context, glossary).items():
        is_child = isinstance(child_name, str) and real == child_name.strip()
        add("child_name" if is_child else "family_name", stand_in)
    for key, value in _identifying_values(context):
        texts = [value.isoformat()] if isinstance(value, (date, datetime)) else list(_texts(value))
        for text in texts:
            add(key, _glossed(glossary, text, STAND_INS[key]))
    return found


# -- Collecting what to replace ----------------------------------------------------------


class _Terms:
    def __init__(self) -> None:
        self.exact: dict[str, tuple[str, str]] = {}  # casefolded -> (pattern, stand-in)
        self.names: dict[str, str] = {}  # full names -> stand-in, for their parts
        self.parts: dict[str, set[str]] = {}  # a single name part -> stand-ins it has
        self.dates: dict[date, str] = {}

    def _put(self, text: str, pattern: str, stand_in: str) -> None:
        self.exact.setdefault(text.casefold(), (pattern, stand_in))

    def add_literal(self, text: str, stand_in: str) -> None:
        text = " ".join(text.split())
        if text:
            # Any run of spaces or line breaks in the text matches the term's spaces.
            pattern = r"\s+".join(re.escape(word) for word in text.split(" "))
            self._put(text, f"(?i:{pattern})", stand_in)

    def add_value(self, text: str, stand_in: str) -> None:
        """A glossary entry: a name, a date, an NHS number or any other text."""
        self.add_literal(text, stand_in)
        if (d := _parse_date(text)) is not None:
            self.add_date(d, stand_in)
        digits = re.sub(r"[\s-]", "", text)
        if len(digits) == 10 and digits.isdigit():
            self.add_digits(digits, stand_in)
        if _NAME_KEY.match(text):
            self.names.setdefault(text, stand_in)

    def add_date(self, d: date, stand_in: str) -> None:
        self.dates.setdefault(d, stand_in)
        for text in _date_forms(d):
            self.add_literal(text, stand_in)

    def add_digits(self, digits: str, stand_in: str) -> None:
        pattern = r"[\s-]?".join(digits)
        self._put(digits, f"(?<!\\d){pattern}(?!\\d)", stand_in)

    def add_identifying(self, key: str, value: Any, glossary: Mapping[str, str]) -> None:
        stand_in = STAND_INS[key]
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            self.add_date(value, _glossed(glossary, value.isoformat(), stand_in))
            return
        for text in _texts(value):
            stand = _glossed(glossary, text, stand_in)
            self.add_literal(text, stand)
            if key == "nhs_number":
                digits = re.sub(r"\D", "", text)
                if digits:
                    self.add_digits(digits, stand)
            elif key == "date_of_birth":
                if (d := _parse_date(text)) is not None:
                    self.add_date(d, stand)
            else:
                self._add_address_parts(text, stand)

    def _add_address_parts(self, text: str, stand_in: str) -> None:
        self.add_literal(text.replace("\n", ", "), stand_in)
        for part in re.split(r"[,\n]", text):
            part = part.strip()
            if not part:
                continue
            for m in _POSTCODE.finditer(part):
                pattern = rf"(?i:\b{re.escape(m.group(1))}\s*{re.escape(m.group(2))}\b)"
                self._put(m.group(1) + m.group(2), pattern, stand_in)
            if any(ch.isdigit() for ch in part) and not _POSTCODE.fullmatch(part):
                self.add_literal(part, stand_in)
                street = _HOUSE_NUMBER.sub("", part)
                if street != part and len(street.split()) >= 2:
                    self.add_literal(street, stand_in)

    def add_name_parts(self, name: str, stand_in: str) -> None:
        for part in _NAME.findall(name):
            if len(part) >= 2 and part.casefold() not in _TITLES:
                self.parts.setdefault(part, set()).add(stand_in)

    def compile(self) -> tuple[re.Pattern[str], list[str]] | None:
        alternatives: list[tuple[int, str, str]] = [
            (len(key), pattern, stand_in) for key, (pattern, stand_in) in self.exact.items()
        ]
        for part, stand_ins in self.parts.items():
            if part.casefold() in self.exact:
                continue  # the glossary names this part itself
            stand_in = next(iter(stand_ins)) if len(stand_ins) == 1 else SHARED_NAME
            # Case-sensitive: a name part is a word with a capital ("Will", "WILL", not "will").
            forms = {part, part.upper(), part[0].upper() + part[1:]}
            pattern = "|".join(re.escape(f) for f in sorted(forms))
            alternatives.append((len(part), f"(?:{pattern})", stand_in))
        if not alternatives:
            return None
        alternatives.sort(key=lambda a: -a[0])  # longest first: "Jane Doe" before "Jane"
        body = "|".join(f"(?P<t{i}>{pattern})" for i, (_, pattern, _) in enumerate(alternatives))
        regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
        return regex, [stand_in for _, _, stand_in in alternatives]


def _glossed(glossary: Mapping[str, str], text: str, default: str) -> str:
    for real, stand_in in glossary.items():
        if isinstance(real, str) and real.strip().casefold() == text.strip().casefold():
            return str(stand_in)
    return default


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        if value.strip():
            yield value.strip()
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _texts(v)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def _identifying_values(value: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k in IDENTIFYING_FIELDS:
                yield k, v
            else:
                yield from _identifying_values(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _identifying_values(v)


def _default_names(context: Mapping[str, Any], glossary: Mapping[str, str]) -> dict[str, str]:
    """Stand-ins for the child's and family members' names the glossary does not cover."""
    covered = {k.strip().casefold() for k in glossary if isinstance(k, str)}
    used = {str(v) for v in glossary.values()}
    out: dict[str, str] = {}

    def give(name: str, label: str, numbered: bool) -> None:
        if not name or name.casefold() in covered or name in out:
            return
        n = 1
        stand_in = f"{label} {n}" if numbered else label
        while stand_in in used:
            n += 1
            stand_in = f"{label} {n}"
        used.add(stand_in)
        out[name] = stand_in

    child = context.get("child")
    if isinstance(child, Mapping) and isinstance(child.get("name"), str):
        give(child["name"].strip(), "Child A", numbered=False)
    family = context.get("family")
    if isinstance(family, (list, tuple)):
        members = [m for m in family if isinstance(m, Mapping) and isinstance(m.get("name"), str)]
        roles = [str(m.get("relationship") or "").strip().capitalize() for m in members]
        for member, role in zip(members, roles, strict=True):
            label = role or "Family member"
            give(member["name"].strip(), label, numbered=not role or roles.count(role) > 1)
    return out


# -- Dates -------------------------------------------------------------------------------


def _parse_date(text: str) -> date | None:
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))  # UK order
        except ValueError:
            return None
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _date_forms(d: date) -> set[str]:
    day, month, year = d.day, d.month, d.year
    long_month, short_month = d.strftime("%B"), d.strftime("%b")
    forms = {d.isoformat(), f"{year}/{month:02d}/{day:02d}"}
    for dd in {str(day), f"{day:02d}"}:
        for mm in {str(month), f"{month:02d}"}:
            for sep in "/.-":
                forms.add(f"{dd}{sep}{mm}{sep}{year}")
                forms.add(f"{dd}{sep}{mm}{sep}{year % 100:02d}")
        for name in (long_month, short_month):
            forms.add(f"{dd} {name} {year}")
            forms.add(f"{name} {dd}, {year}")
        forms.add(f"{dd}{_ordinal(day)} {long_month} {year}")
    return forms


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


# -- The copy ----------------------------------------------------------------------------


def _copy(value: Any, compiled: tuple[re.Pattern[str], list[str]] | None, dates: Mapping[date, str]) -> Any:
    if isinstance(value, str):
        if compiled is None:
            return value
        regex, stand_ins = compiled
        return regex.sub(lambda m: stand_ins[int(str(m.lastgroup)[1:])], value)
    if isinstance(value, datetime):
        return dates.get(value.date(), value)
    if isinstance(value, date):
        return dates.get(value, value)
    if isinstance(value, Mapping):
        return {k: _copy(v, compiled, dates) for k, v in value.items() if k not in IDENTIFYING_FIELDS}
    if isinstance(value, (list, tuple)):
        return [_copy(v, compiled, dates) for v in value]
    return value
