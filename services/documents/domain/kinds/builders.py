"""Short ways to declare the fields the kinds share, so each kind reads as a list of fields."""

from __future__ import annotations

from typing import Any

from ..framework import REVIEW_KIND_LABELS, SERIOUS_CASE_REVIEW
from .fields import CHOICE, DATE, FLAG, LIST, NARRATIVE, TABLE, TEXT, Field, Kind, When


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


def lead_reviewers(when: When | None = None) -> tuple[Field, ...]:
    """The lead reviewers, each with the independence they declared: required when ``when`` holds.

    001 §5.6; 002 §2.2; 003 'Appointing reviewers': the organisation, the board agency they
    belong to (none, for an independent reviewer), their qualifications and their declarations.
    """
    return (
        Field("lead_reviewers", "Lead reviewers", when is not None, TABLE, when=when),
        req("lead_reviewers.*.name", "Lead reviewers: name"),
        opt("lead_reviewers.*.organisation", "Lead reviewers: organisation"),
        opt("lead_reviewers.*.agency", "Lead reviewers: the board's agency they belong to, if any"),
        opt("lead_reviewers.*.qualifications", "Lead reviewers: qualifications"),
        opt("lead_reviewers.*.declarations", "Lead reviewers: independence declarations", LIST),
    )


def notification(told: str, *after_grounds: Field) -> tuple[Field, ...]:
    """What a notification of an incident says: who notifies, the incident, why it is notifiable
    (then ``after_grounds``), the child, the agencies, and the boards or partnerships ``told``.

    To Ofsted (003 'Notifiable Incidents') or to the Panel (``wt2018``/``wt2023``: Children Act
    2004 s.16C(1)), within 5 working days of the local authority becoming aware.
    """
    return (
        req("local_authority", "Local authority making the notification"),
        req("notified_by.name", "Name of the person notifying"),
        opt("notified_by.role", "Role of the person notifying"),
        opt("notified_by.telephone", "Telephone number of the person notifying"),
        opt("notified_by.email", "Email address of the person notifying"),
        req("incident.date", "Date of the incident", DATE),
        req("incident.became_aware_on", "Date the local authority became aware", DATE),
        opt("incident.location", "Where the incident happened"),
        req("incident.summary", "What happened", NARRATIVE),
        opt("notification_due", "Date the notification is due (5 working days)", DATE),
        req("notifiable_criteria", "The grounds on which the incident is notifiable", LIST),
        *after_grounds,
        *child(),
        opt("child.gender", "Child's gender"),
        opt("child.legal_status", "Child's legal status (for example, looked after)"),
        opt("child.address", "Child's address"),
        *people("agencies", "Agencies involved", False, ("involvement", "their involvement")),
        opt("boards_notified", told, LIST),
        opt("home_board", "Board where the child normally lives, when it is another board"),
    )


def boards() -> tuple[Field, ...]:
    """The other boards of a cross-border case (003 checklist; 004)."""
    return (
        opt("home_board", "Board where the child normally lives, when it is another board"),
        opt("other_boards", "Other boards involved", LIST),
    )


# What each pack calls the partnership, the national body and the review (domain/packs.py).
_WORDS = {
    "current": ("Whether the case is under Working Together 2018 or 2023", FLAG),
    "edition": ("Edition of Working Together the case is under", TEXT),
    "partnership": ("Who decides: the board, or the safeguarding partners", TEXT),
    "panel": ("The national panel, as the case's edition names it", TEXT),
    "review": ("The statutory review, as the case's edition names it", TEXT),
}


def wording(*names: str) -> tuple[Field, ...]:
    """The words of the case's rule pack a template uses (``wording.<name>``), all required."""
    return tuple(req(f"wording.{n}", _WORDS[n][0], _WORDS[n][1]) for n in names)


def confirmation() -> tuple[Field, ...]:
    """That the decision was kept after a challenge (003 checklist), when it was."""
    return (
        opt("decision.confirmed_on", "Date the decision was confirmed after a challenge", DATE),
        opt("decision.confirmed_by", "Chair who confirmed the decision"),
        opt("decision.challenged_by", "Who challenged the decision"),
        opt("decision.confirmation_rationale", "Why the decision was kept", NARRATIVE),
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
