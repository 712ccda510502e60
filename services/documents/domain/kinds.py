"""The kinds of document the board produces, and what each needs from the case record.

Each :class:`Kind` names its template (by code), its title, the stem of its file
name, the seed and section it comes from (see ../shared/DOMAIN.md, "Documents the
board produces"), and the context fields its template reads. A field is a dotted path
into the context (``decision.outcome``); ``*`` stands for every item of a list
(``lead_reviewers.*.name``). Some fields are required only in some cases: a decision
to initiate a Serious Case Review needs the lead reviewers' names, a decision not to
needs the justification (003 checklist; 001 §3).

:func:`check_context` lists what is missing, so the service can refuse with 409 and
name every field at once; :func:`require_context` raises that refusal.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .errors import MissingContext, UnknownKind
from .framework import REVIEW_KIND_LABELS, SERIOUS_CASE_REVIEW

# Field types: what a form would ask for, and how the renderer formats the value.
TEXT = "text"  # a short line
NARRATIVE = "narrative"  # paragraphs; line breaks are kept
DATE = "date"  # datetime.date or an ISO 8601 string; printed "14 March 2025"
MONTH = "month"  # as DATE, but printed "March 2025": no more precision than asked for
CHOICE = "choice"  # a code from ``choices``; the renderer adds ``<name>_label``
FLAG = "flag"  # True or False
LIST = "list"  # a list of short texts
TABLE = "table"  # a list of mappings; its columns are fields with ``*`` in their path
GROUP = "group"  # a mapping whose members are fields of their own

TYPES = (TEXT, NARRATIVE, DATE, MONTH, CHOICE, FLAG, LIST, TABLE, GROUP)


@dataclass(frozen=True)
class When:
    """A condition on another field: its value is one of ``values`` (or, negated, is not).

    A condition on a missing value does not hold: that field's own requirement reports it.
    """

    path: str
    values: frozenset[str]
    negate: bool = False

    def holds(self, context: Mapping[str, Any]) -> bool:
        ((_, value),) = _resolve(context, self.path)
        if _is_missing(value):
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
    code: str
    title: str
    filename_stem: str
    source: str
    fields: tuple[Field, ...]

    @property
    def required(self) -> tuple[str, ...]:
        """Paths of the fields that can be required (some only under a condition)."""
        return tuple(f.path for f in self.fields if f.required)

    @property
    def names(self) -> frozenset[str]:
        """The top-level context names the template may read."""
        return frozenset(f.path.split(".", 1)[0] for f in self.fields)

    def field(self, path: str) -> Field:
        for f in self.fields:
            if f.path == path:
                return f
        raise KeyError(path)

    def filename(self, case_reference: str, extension: str = "docx") -> str:
        """``decision-notification-SCR-2025-014.docx``: safe on every file system."""
        ref = re.sub(r"[^A-Za-z0-9]+", "-", case_reference).strip("-") or "case"
        return f"{self.filename_stem}-{ref}.{extension}"


# -- Paths -------------------------------------------------------------------------------

_MISSING = object()


def _is_missing(value: Any) -> bool:
    if value is _MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, Mapping)):
        return len(value) == 0
    return False


def _resolve(context: Any, path: str) -> list[tuple[str, Any]]:
    """Concrete (path, value) pairs for ``path``; ``*`` expands to every list item.

    A plain path gives exactly one pair, with ``_MISSING`` when absent; a ``*`` over an
    absent or empty list gives none (the list's own field reports it).
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
    for where, value in _resolve(context, path):
        if value is not _MISSING:
            yield where, value


# -- Field builders ----------------------------------------------------------------------


def _f(path: str, label: str, type: str = TEXT, **kw: Any) -> Field:
    return Field(path, label, False, type, **kw)


def _r(path: str, label: str, type: str = TEXT, **kw: Any) -> Field:
    return Field(path, label, True, type, **kw)


def _review_kind(path: str, label: str, required: bool = True) -> Field:
    return Field(path, label, required, CHOICE, choices=REVIEW_KIND_LABELS)


def _period(required: bool) -> tuple[Field, ...]:
    return (
        Field("review_period.start", "First day of the period under review", required, DATE),
        Field("review_period.end", "Last day of the period under review", required, DATE),
    )


def _child(*, dob: bool = True) -> tuple[Field, ...]:
    fields = [_r("child.name", "Child's name")]
    if dob:
        fields.append(_f("child.date_of_birth", "Child's date of birth", DATE))
    return tuple(fields)


def _timetable() -> tuple[Field, ...]:
    return (
        _f("timetable", "Timetable of the review", TABLE),
        _r("timetable.*.when", "Timetable: when (a date, or a week such as 'Week 6')"),
        _f("timetable.*.what", "Timetable: what happens"),
    )


def _people(path: str, label: str, required: bool, *columns: tuple[str, str]) -> tuple[Field, ...]:
    """A table of people: the list, each person's name (required when the list is), columns."""
    return (
        Field(path, label, required, TABLE),
        Field(f"{path}.*.name", f"{label}: name", True, TEXT),
        *(_f(f"{path}.*.{name}", f"{label}: {text}") for name, text in columns),
    )


_SCR_DECIDED = When("decision.outcome", frozenset({SERIOUS_CASE_REVIEW}))
_SCR_NOT_DECIDED = When("decision.outcome", frozenset({SERIOUS_CASE_REVIEW}), negate=True)

COMMON: tuple[Field, ...] = (
    _r("board_name", "Name of the safeguarding children board"),
    _r("case_reference", "Case reference"),
    _r("document_date", "Date of the document", DATE),
)


def _kind(code: str, title: str, source: str, *fields: Field | tuple[Field, ...]) -> Kind:
    flat: list[Field] = list(COMMON)
    for item in fields:
        flat.extend(item if isinstance(item, tuple) else (item,))
    paths = [f.path for f in flat]
    if len(paths) != len(set(paths)):
        raise ValueError(f"{code}: a field is declared twice")
    return Kind(code, title, code.replace("_", "-"), source, tuple(flat))


# -- The kinds ---------------------------------------------------------------------------

_KINDS = (
    _kind(
        "referral_summary",
        "Referral for consideration of a case review",
        "003 referral form, 'Notifiable Incidents' and 'Serious Case Reviews'",
        _r("referral.received_on", "Date the board received the referral", DATE),
        _r("referrer.name", "Referrer's name"),
        _f("referrer.role", "Referrer's role"),
        _r("referrer.agency", "Referrer's agency"),
        _child(),
        _f("child.age", "Child's age at the incident"),
        _f("child.gender", "Child's gender"),
        _f("child.legal_status", "Child's legal status (for example, looked after)"),
        _f("child.address", "Child's address"),
        _f("child.nhs_number", "Child's NHS number"),
        _people("family", "Family members", False, ("relationship", "relationship to the child")),
        _r("incident.date", "Date of the incident", DATE),
        _f("incident.location", "Where the incident happened"),
        _r("incident.summary", "What happened", NARRATIVE),
        _r("criteria", "Criteria the referrer thinks are met", TABLE),
        _r("criteria.*.criterion", "Criterion"),
        _f("criteria.*.answer", "Criterion: the referrer's answer"),
        _f("criteria.*.notes", "Criterion: notes"),
        _people("agencies", "Agencies involved", True, ("involvement", "their involvement")),
        _f("parallel_processes", "Parallel processes (criminal, coroner, other reviews)", LIST),
    ),
    _kind(
        "screening_decision_record",
        "Screening and decision record",
        "003 'Notifiable Incidents', 'Serious Case Reviews' and checklist; 001 §3",
        _r("incident.date", "Date of the incident", DATE),
        _r("incident.summary", "What happened", NARRATIVE),
        _r("board_notified_on", "Date the board was notified", DATE),
        _f("decision_due", "Date the Chair's decision is due", DATE),
        _r("screening.notifiable", "Whether the incident is notifiable", FLAG),
        _r("screening.scr_required", "Whether the statutory criteria for an SCR are met", FLAG),
        _review_kind("screening.recommended", "The review the screening recommends"),
        _f("screening.rule_pack", "Edition of the guidance applied"),
        _r("screening.reasons", "Reasons for the screening's conclusions", TABLE),
        _r("screening.reasons.*.conclusion", "Reason: conclusion"),
        _f("screening.reasons.*.reason", "Reason: why"),
        _f("screening.reasons.*.source", "Reason: source"),
        _review_kind("decision.outcome", "The Chair's decision"),
        _r("decision.decided_on", "Date of the Chair's decision", DATE),
        _r("decision.chair_name", "Name of the Chair"),
        Field(
            "decision.rationale",
            "Why no Serious Case Review was initiated",
            True,
            NARRATIVE,
            when=_SCR_NOT_DECIDED,
        ),
        _f("decision.peer_challenge", "Peer challenge sought, and its outcome", NARRATIVE),
        _f("decision.initiated_on", "Date the review was initiated", DATE),
        _people("lead_reviewers", "Lead reviewers", False, ("organisation", "organisation")),
    ),
    _kind(
        "ofsted_incident_notification",
        "Notification of a serious incident to Ofsted",
        "003 'Notifiable Incidents'",
        _r("local_authority", "Local authority making the notification"),
        _r("notified_by.name", "Name of the person notifying"),
        _f("notified_by.role", "Role of the person notifying"),
        _f("notified_by.telephone", "Telephone number of the person notifying"),
        _f("notified_by.email", "Email address of the person notifying"),
        _r("incident.date", "Date of the incident", DATE),
        _r("incident.became_aware_on", "Date the local authority became aware", DATE),
        _f("incident.location", "Where the incident happened"),
        _r("incident.summary", "What happened", NARRATIVE),
        _f("notification_due", "Date the notification is due (5 working days)", DATE),
        _r("notifiable_criteria", "Which notifiable-incident criteria are met", LIST),
        _f("regulated_setting", "Regulated setting or service, if the child died in one"),
        _child(),
        _f("child.gender", "Child's gender"),
        _f("child.legal_status", "Child's legal status (for example, looked after)"),
        _f("child.address", "Child's address"),
        _people("agencies", "Agencies involved", False, ("involvement", "their involvement")),
        _f("boards_notified", "Safeguarding children boards told of the incident", LIST),
    ),
    _kind(
        "decision_notification",
        "Decision on a Serious Case Review",
        "003 checklist, 'Decisions whether to initiate an SCR' and 'Appointing reviewers'; 001 §3",
        _r("incident.date", "Date of the incident", DATE),
        _f("incident.summary", "Outline of the incident, without names", NARRATIVE),
        _r("board_notified_on", "Date the board was notified", DATE),
        _review_kind("decision.outcome", "The Chair's decision"),
        _r("decision.decided_on", "Date of the Chair's decision", DATE),
        _r("decision.chair_name", "Name of the Chair"),
        _f("decision.methodology", "Methodology of the review (for example, targeted)"),
        Field(
            "decision.rationale",
            "Justification for not initiating a Serious Case Review",
            True,
            NARRATIVE,
            when=_SCR_NOT_DECIDED,
        ),
        _f("decision.peer_challenge", "Peer challenge sought, and its outcome", NARRATIVE),
        _f("screening.scr_required", "Whether the statutory criteria for an SCR are met", FLAG),
        Field("lead_reviewers", "Lead reviewers", True, TABLE, when=_SCR_DECIDED),
        _r("lead_reviewers.*.name", "Lead reviewers: name"),
        _f("lead_reviewers.*.organisation", "Lead reviewers: organisation"),
        _f("contact.name", "Contact at the board"),
        _f("contact.email", "Contact's email address"),
        _f("contact.telephone", "Contact's telephone number"),
    ),
    _kind(
        "case_group_letter",
        "Request to a member of the case group",
        "000 §6, with the questions of 000 §2 and §12 and the principles of 001 §5.1",
        _r("recipient.name", "Recipient's name"),
        _f("recipient.role", "Recipient's role"),
        _r("recipient.agency", "Recipient's agency"),
        _review_kind("review.kind", "Kind of review"),
        _child(),
        _period(True),
        _r("return_by", "Date the chronology, audit and answers are due", DATE),
        _r("sender.name", "Sender's name"),
        _f("sender.role", "Sender's role"),
        _f("sender.email", "Sender's email address"),
        _f("sender.telephone", "Sender's telephone number"),
        _timetable(),
    ),
    _kind(
        "spe_chronology_form",
        "Significant practice events chronology",
        "000 §12; 001 §5.1-5.2",
        _r("agency", "Agency completing the chronology"),
        _f("author.name", "Author's name"),
        _f("author.role", "Author's role"),
        _child(),
        _period(False),
        _f("entries", "Significant practice events", TABLE),
        _r("entries.*.date", "Event: date", DATE),
        _r("entries.*.event", "Event: what happened", NARRATIVE),
        _f("entries.*.risk", "Event: risk", NARRATIVE),
        _f("entries.*.response", "Event: response", NARRATIVE),
        _f("entries.*.partnership", "Event: partnership", NARRATIVE),
        _f("entries.*.learning", "Event: learning", NARRATIVE),
    ),
    _kind(
        "single_agency_review_questionnaire",
        "Single agency review: the key questions",
        "000 §2",
        _r("agency", "Agency answering"),
        _f("respondent.name", "Respondent's name"),
        _f("respondent.role", "Respondent's role"),
        _child(dob=False),
        _f("return_by", "Date the answers are due", DATE),
        _f("answers.went_well", "What went well", NARRATIVE),
        _f("answers.learned", "What the agency learned", NARRATIVE),
        _f("answers.barriers", "Barriers to the intervention", NARRATIVE),
        _f("answers.more_effective", "What would have been more effective", NARRATIVE),
        _f("answers.policy_support", "Support from policies, procedures and guidance", NARRATIVE),
        _f("answers.do_differently", "What the agency will do differently", NARRATIVE),
    ),
    _kind(
        "single_agency_analysis_report",
        "Single agency analysis report",
        "002 §2.4 and Appendix 1",
        _r("agency", "Agency reporting"),
        _r("author.name", "Author's name"),
        _f("author.role", "Author's role"),
        _f("version", "Version (for example, draft 2)"),
        _child(dob=False),
        _r("introduction", "The agency's involvement and the reason for referral", NARRATIVE),
        _r("family_background", "Family background and circumstances", NARRATIVE),
        _f("chronology", "Outline chronology of significant events", TABLE),
        _r("chronology.*.date", "Chronology: date", DATE),
        _r("chronology.*.event", "Chronology: event", NARRATIVE),
        _r("analysis", "Analysis of the agency's involvement", NARRATIVE),
        _r("key_issues", "Key issues, and how they came about", NARRATIVE),
        _r("learning_points", "Learning points, good practice and changes since", NARRATIVE),
        _r("recommendations", "SMART recommendations", TABLE),
        _r("recommendations.*.recommendation", "Recommendation"),
        _f("recommendations.*.measure", "Recommendation: how success is measured"),
        _f("recommendations.*.due_by", "Recommendation: due by", DATE),
        _f("action_plan", "Single agency action plan", TABLE),
        _r("action_plan.*.action", "Action"),
        _f("action_plan.*.owner", "Action: owner"),
        _f("action_plan.*.due_by", "Action: due by", DATE),
        _f("action_plan.*.outcome", "Action: how its outcome and impact are reviewed"),
    ),
    _kind(
        "terms_of_reference",
        "Terms of reference",
        "004 quality marker on proportionate form and focus; 002 §2.1",
        _review_kind("review.kind", "Kind of review"),
        _r("review.methodology", "Methodology (for example, systems approach, targeted)"),
        _period(True),
        _f("review_period.reason", "Why the period is longer than 12 months", NARRATIVE),
        _r("scope", "Breadth and depth of the review", NARRATIVE),
        _r("focus_questions", "Specific areas of focus or questions", LIST),
        _r("method", "How information is gathered and analysed", NARRATIVE),
        _r("reviewer_skills", "Knowledge and skills the reviewers need", NARRATIVE),
        _people("lead_reviewers", "Lead reviewers", False, ("organisation", "organisation")),
        _people("review_panel", "Review panel", False, ("role", "role"), ("agency", "agency")),
        _people("agencies", "Agencies involved", True, ("involvement", "their involvement")),
        _r("proportionality.rationale", "Why this form and focus are proportionate", NARRATIVE),
        _r("proportionality.case_factors", "Factors of the case that shaped it", TABLE),
        _r("proportionality.case_factors.*.factor", "Case factor"),
        _f("proportionality.case_factors.*.bearing", "Case factor: its bearing on the review"),
        _r("proportionality.context_factors", "Factors of the local context that shaped it", TABLE),
        _r("proportionality.context_factors.*.factor", "Context factor"),
        _f("proportionality.context_factors.*.bearing", "Context factor: its bearing"),
        _f("parallel_processes", "Parallel processes and how the review allows for them", LIST),
        _f("family_involvement", "How the family will be involved", NARRATIVE),
        _f("other_boards", "Other boards involved (cross-border cases)", LIST),
        _timetable(),
    ),
    _kind(
        "family_notification_letter",
        "Letter to a family member about the review",
        "002 §2.5; 001 §6 note 9",
        _r("recipient.name", "Recipient's name"),
        _f("recipient.address", "Recipient's postal address", NARRATIVE),
        _child(dob=False),
        _review_kind("review.kind", "Kind of review"),
        _r("support", "Where the family can find support", TABLE),
        _r("support.*.name", "Support: organisation or person"),
        _f("support.*.offers", "Support: what they offer"),
        _f("support.*.contact", "Support: how to contact them"),
        _f("contact_plan", "Proposed contact with the family: how often and how", NARRATIVE),
        _f("criminal_proceedings", "Whether criminal proceedings are under way", FLAG),
        _r("sender.name", "Sender's name"),
        _f("sender.role", "Sender's role"),
        _f("sender.email", "Sender's email address"),
        _f("sender.telephone", "Sender's telephone number"),
    ),
    _kind(
        "learning_summary",
        "Learning summary",
        "001 §7 and Appendix B",
        _f("board_area", "Area of the board (if not its name)"),
        _review_kind("review.kind", "Type of review"),
        _r("review.methodology", "Methodology of the review"),
        _f("review.chairing", "Who chaired and who wrote the review"),
        _f("review.selection", "How the case was selected"),
        _r("incident_month", "Month and year of the incident", MONTH),
        _r("case_learning", "What the case taught: key themes and early learning", NARRATIVE),
        _r("methodology_learning", "What the review and its method taught", NARRATIVE),
        _f("recommendations_single_agency", "Key single-agency recommendations", LIST),
        _f("recommendations_multi_agency", "Key multi-agency recommendations", LIST),
        _r("changes", "How changes will be made, and who does what", TABLE),
        _r("changes.*.action", "Change"),
        _f("changes.*.owner", "Change: who"),
        _r("impact_audit", "How the impact will be audited", NARRATIVE),
        _f("other_comments", "Other comments, advice or suggestions", NARRATIVE),
    ),
    _kind(
        "final_report_skeleton",
        "Case review report",
        "002 §2.8; 003 'Publication of reports'",
        _review_kind("review.kind", "Kind of review"),
        _r("review.methodology", "Methodology of the review"),
        _child(dob=False),
        _period(True),
        _r("circumstances", "Circumstances that led to the review", NARRATIVE),
        _people("lead_reviewers", "Lead reviewers", True, ("organisation", "organisation")),
        _people("review_panel", "Review panel", False, ("role", "role"), ("agency", "agency")),
        _people("agencies", "Agencies that took part", False),
        _f("process", "How the review was carried out", NARRATIVE),
        _f("participation", "How practitioners and the family took part", NARRATIVE),
        _f("good_practice", "Good practice to recognise and sustain", LIST),
        _f("findings", "Where practice can improve", TABLE),
        _r("findings.*.title", "Finding: title"),
        _f("findings.*.detail", "Finding: analysis", NARRATIVE),
        _f("actions_taken", "Actions agencies have already taken", LIST),
        _f("conclusion", "Conclusion on the effectiveness of local practice", NARRATIVE),
        _f("recommendations", "Recommendations or practice challenges", LIST),
    ),
    _kind(
        "board_response_action_plan",
        "Board response and action plan",
        "002 §2.9; 003 'Agreeing improvement action' and 'Publication of reports'; 000 §9-§11",
        _review_kind("review.kind", "Kind of review", required=False),
        _r("publication.planned_on", "Planned date of publication", DATE),
        _f(
            "publication.national_bodies_by",
            "Date the report goes to Ofsted, DfE and the Panel",
            DATE,
        ),
        _f("publication.notes", "Notes on the timing of publication", NARRATIVE),
        _r("feedback.practitioners", "How findings are shared with practitioners", NARRATIVE),
        _r("feedback.family", "How findings are shared with the family", NARRATIVE),
        _r("dissemination", "How lessons reach the wider children's workforce", LIST),
        _r("actions", "Actions", TABLE),
        _f("actions.*.recommendation", "Action: the recommendation it answers"),
        _r("actions.*.action", "Action: what will be done"),
        _r("actions.*.owner", "Action: owner"),
        _f("actions.*.due_by", "Action: due by", DATE),
        _f("actions.*.success_measure", "Action: how success is measured"),
        _f("actions.*.status", "Action: progress"),
        _f("actions_taken", "Actions already taken", LIST),
        _f("impact", "The impact of the actions so far", NARRATIVE),
        _f("further_work", "What more will be done", NARRATIVE),
        _f("signed_off.name", "Who signed off the response"),
        _f("signed_off.on", "Date of sign-off", DATE),
    ),
)

KINDS: Mapping[str, Kind] = MappingProxyType({k.code: k for k in _KINDS})


def get_kind(code: object) -> Kind:
    """The kind with that code; :class:`UnknownKind` (naming ``kind``) otherwise."""
    if isinstance(code, str) and code in KINDS:
        return KINDS[code]
    raise UnknownKind(code, KINDS)


def _missing(kind: Kind, context: Mapping[str, Any]) -> list[tuple[str, str]]:
    out: dict[str, str] = {}
    for f in kind.fields:
        if not f.applies(context):
            continue
        for where, value in _resolve(context, f.path):
            if _is_missing(value):
                out.setdefault(where, f.label)
    return list(out.items())


def check_context(kind: str, context: Mapping[str, Any]) -> list[str]:
    """The paths of the required fields missing from ``context``, in the kind's order.

    Blank text, None and empty lists count as missing; False and 0 do not. Raises
    :class:`UnknownKind` for an unknown ``kind``.
    """
    spec = get_kind(kind)
    if not isinstance(context, Mapping):
        raise TypeError("context must be a mapping")
    return [path for path, _ in _missing(spec, context)]


def require_context(kind: str, context: Mapping[str, Any]) -> Kind:
    """The kind, once ``context`` has everything it needs; :class:`MissingContext` if not."""
    spec = get_kind(kind)
    if not isinstance(context, Mapping):
        raise TypeError("context must be a mapping")
    missing = _missing(spec, context)
    if missing:
        raise MissingContext(spec.code, spec.title, missing)
    return spec
