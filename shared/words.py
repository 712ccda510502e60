"""Words for people: dates as GOV.UK writes them and product codes in plain English.

Pages and documents never show a stored code (``scr_decision``, ``wt2015``,
``None``): :func:`plain` gives the words for a code, and :func:`long_date` the
date as "8 December 2026". Services add their own codes' words with
:func:`register`; a code nobody named is spelled out from its parts as a last
resort, so a new code is readable before it is named.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Words for codes that any page may show. Services register their own in addition.
WORDS: dict[str, str] = {
    # rule packs
    "wt2015": "Working Together 2015",
    "wt2015-north-west": "Working Together 2015 with the North West procedures",
    "wt2018": "Working Together 2018",
    "wt2023": "Working Together 2023",
    # roles
    "business_unit": "Business unit",
    "chair": "Chair",
    "admin": "Administrator",
    "panel_member": "Panel member",
    "lead_reviewer": "Lead reviewer",
    "agency_practitioner": "Agency practitioner",
    "agency_manager": "Agency manager",
    "family_viewer": "Family member",
    # review outcomes
    "serious_case_review": "Serious case review",
    "scr": "Serious case review",
    "local_child_safeguarding_practice_review": "Local child safeguarding practice review",
    "no_review": "No review",
    # parallel processes the scheduler and the reviews service both name (001 §6; 002 §2.2)
    "domestic_homicide_review": "A Domestic Homicide Review",
    "health_serious_incident": "A health serious incident process",
    # bodies
    "ofsted": "Ofsted",
    "dfe": "Department for Education",
    "national_panel": "National Panel",
    "panel": "Child Safeguarding Practice Review Panel",
    "nhs": "NHS",
}

# Parts of a code written otherwise when a code is spelled out: abbreviations keep their capitals.
_ACRONYMS = {
    "scr": "serious case review",
    "nhs": "NHS",
    "dfe": "DfE",
    "saar": "SAAR",
    "spe": "SPE",
    "ics": "ICS",
    "id": "ID",
}


def register(words: Mapping[str, str]) -> None:
    """Name a service's own codes (statuses, deadline rules, document kinds).

    A code already named otherwise is refused: the words of a code must not depend on which
    services share the process (``make run`` runs them all in one).
    """
    clashes = {code: (WORDS[code], text) for code, text in words.items() if WORDS.get(code, text) != text}
    if clashes:
        raise ValueError(f"codes already named otherwise: {clashes}")
    WORDS.update(words)


def plain(code: object, default: str = "") -> str:
    """The words for ``code``: "Serious case review decision" for ``scr_decision``.

    ``None`` and the empty string give ``default``, never the word "None".
    """
    if code is None or code == "":
        return default
    text = str(code)
    if text in WORDS:
        return WORDS[text]
    parts = text.replace("-", "_").split("_")
    spelled = [_ACRONYMS.get(p, p) for p in parts if p]
    if not spelled:
        return default
    first = spelled[0]
    spelled[0] = first[0].upper() + first[1:]
    return " ".join(spelled)


def long_date(value: date | datetime | str | None, default: str = "") -> str:
    """GOV.UK style: "8 December 2026"; an instant adds its London time: "8 December 2026, 2:30pm".

    ISO 8601 text (as events and stored contexts carry dates) is read first; text that is not
    a date is returned as it is, so a date is never lost to its wording.
    """
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            read: date = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
        return long_date(read)
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        hour = local.hour % 12 or 12
        minutes = f":{local.minute:02d}" if local.minute else ""
        return f"{long_date(local.date())}, {hour}{minutes}{'am' if local.hour < 12 else 'pm'}"
    return f"{value.day} {value:%B %Y}"
