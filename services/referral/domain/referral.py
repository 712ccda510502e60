"""The rules a referral must meet before it becomes a case: its dates, agencies, boards, summary
and the child's details.

Every problem is reported at once, each naming its field, as the error contract asks. A check
whose inputs are missing (``None``: refused already by the input layer) is skipped, so a
request with one field missing still hears about every other problem, cross-field ones
included. Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

Problems = list[dict[str, Any]]

AWARE_BEFORE_INCIDENT = (
    "The date the local authority became aware must be the same as or after the date of the incident"
)
NOTIFIED_BEFORE_AWARE = "The board cannot have been notified before the local authority became aware"

# A summary is a sentence at least: one character, or one word, tells the Chair nothing.
MIN_SUMMARY_WORDS = 2
MIN_SUMMARY_CHARACTERS = 10
SUMMARY_TOO_SHORT = "Describe what happened in at least a sentence"

# The referral is about a child: a person under 18 on the day of the incident (Children Act
# 1989 s.105(1), as the seeds use the word; the screening's ages stop at 17, facts.MAX_CHILD_AGE).
ADULTHOOD = 18
BORN_AFTER_INCIDENT = "The child's date of birth must be the same as or before the date of the incident"
ADULT_AT_INCIDENT = "The child must have been under 18 on the date of the incident: check the date of birth"
NHS_NUMBER_WRONG = (
    "Enter a real NHS number: its last digit does not match the others. Check it and enter it again"
)

MAX_BOARD_NAME = 200
MAX_OTHER_BOARDS = 10


def _problem(field: str, message: str) -> dict[str, Any]:
    return {"field": field, "message": message}


def date_problems(incident_on: date | None, became_aware_on: date | None) -> Problems:
    """The order of the incident and the local authority becoming aware of it."""
    if incident_on and became_aware_on and became_aware_on < incident_on:
        return [_problem("became_aware_on", AWARE_BEFORE_INCIDENT)]
    return []


def nhs_number_is_valid(number: str) -> bool:
    """The NHS number's check digit (modulus 11): the first nine digits weighted 10 down to 2,
    the total's remainder by 11 taken from 11 (11 means 0, 10 means no valid number)."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10 or any(not (c.isdigit() or c == " ") for c in number):
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def age_on(born: date, on: date) -> int:
    """Age in whole years on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def child_problems(
    child: Mapping[str, Any] | None, incident_on: date | None, prefix: str = "child"
) -> Problems:
    """The child's details: a real NHS number; born on or before the incident, and under 18 then."""
    problems: Problems = []
    if not child:
        return problems
    nhs = child.get("nhs_number")
    if nhs and not nhs_number_is_valid(str(nhs)):
        problems.append(_problem(f"{prefix}.nhs_number", NHS_NUMBER_WRONG))
    born = child.get("date_of_birth")
    if isinstance(born, str):
        try:
            born = date.fromisoformat(born)
        except ValueError:
            born = None  # refused by the input layer
    if isinstance(born, date) and incident_on is not None:
        if born > incident_on:
            problems.append(_problem(f"{prefix}.date_of_birth", BORN_AFTER_INCIDENT))
        elif age_on(born, incident_on) >= ADULTHOOD:
            problems.append(_problem(f"{prefix}.date_of_birth", ADULT_AT_INCIDENT))
    return problems


def summary_problems(summary: str | None, field: str = "summary") -> Problems:
    """A summary of at least a sentence."""
    if summary is None:
        return []
    text = summary.strip()
    if len(text.split()) < MIN_SUMMARY_WORDS or len(text) < MIN_SUMMARY_CHARACTERS:
        return [_problem(field, SUMMARY_TOO_SHORT)]
    return []


def board_problems(
    home_board: str | None, other_boards: Sequence[str] | None, this_board: str | None = None
) -> Problems:
    """The other areas a referral names: the child's home board (when not this board), and others."""
    problems: Problems = []
    if home_board is not None:
        name = home_board.strip()
        if not name:
            problems.append(_problem("home_board", "Enter the board where the child normally lives"))
        elif len(name) > MAX_BOARD_NAME:
            problems.append(_problem("home_board", f"Enter at most {MAX_BOARD_NAME} characters"))
        elif this_board and name.casefold() == this_board.casefold():
            problems.append(
                _problem(
                    "home_board",
                    "This is your own board: say the child lives in your board's area instead",
                )
            )
    if other_boards is not None:
        if len(other_boards) > MAX_OTHER_BOARDS:
            problems.append(_problem("other_boards", f"Name at most {MAX_OTHER_BOARDS} other boards"))
        for i, other in enumerate(other_boards):
            if not other.strip() or len(other) > MAX_BOARD_NAME:
                problems.append(
                    _problem(f"other_boards.{i}", f"Enter a board's name of 1 to {MAX_BOARD_NAME} characters")
                )
    return problems


def referral_problems(
    *,
    incident_on: date | None,
    became_aware_on: date | None,
    board_notified_on: date | None,
    agencies_involved: Sequence[str] | None,
    referrer_agency: str | None,
    board_agencies: Mapping[str, str],
    today: date,
    summary: str | None = None,
    child: Mapping[str, Any] | None = None,
    home_board: str | None = None,
    other_boards: Sequence[str] | None = None,
    board_name: str | None = None,
    check_referrer: bool = True,
) -> Problems:
    """Every problem with a referral; ``board_agencies`` maps codes to names.

    ``agencies_involved`` may be empty: a child known to no agency can be referred (issue 12;
    003's referral form asks which agencies were involved, not that one was).
    """
    problems: Problems = []
    for name, value in (
        ("incident_on", incident_on),
        ("became_aware_on", became_aware_on),
        ("board_notified_on", board_notified_on),
    ):
        if value is not None and value > today:
            problems.append(_problem(name, "The date cannot be in the future"))
    problems += date_problems(incident_on, became_aware_on)
    if board_notified_on and became_aware_on and board_notified_on < became_aware_on:
        problems.append(_problem("board_notified_on", NOTIFIED_BEFORE_AWARE))
    for i, code in enumerate(agencies_involved or ()):
        if code not in board_agencies:
            problems.append(_problem(f"agencies_involved.{i}", f"{code!r} is not an agency of this board"))
    if check_referrer and referrer_agency not in board_agencies:
        problems.append(_problem("referrer.agency", "Choose an agency of this board"))
    problems += summary_problems(summary)
    problems += child_problems(child, incident_on)
    problems += board_problems(home_board, other_boards, board_name)
    return problems
