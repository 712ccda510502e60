"""Events of the reviews service: a review opened after the decision, its stages, its terms of
reference, and the contributions agencies make to it.

They carry what the other services need to act without asking the reviews service back: the
scheduler the due dates, the notifications service who to tell, the documents service the
content it renders (the terms of reference as agreed; a chronology or report as submitted and as
accepted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shared.events.base import CaseEvent, ident
from shared.events.catalogue import event

REVIEWS = ("reviews",)


@dataclass(frozen=True, kw_only=True)
class ChronologyEntry:
    """One significant practice event of an agency's chronology (000 §12; 001 §5.1-5.2)."""

    date: date
    time: str | None = None  # "HH:MM", when the record gives it
    event: str
    source: str
    significance: str | None = None
    # The six questions of 000 §12, each answered yes (True), no (False) or not at all (None).
    changed_assessment: bool | None = None
    pattern: bool | None = None
    statutory_event: bool | None = None
    significant_to_child: bool | None = None
    significant_to_adult: bool | None = None
    learning_point: bool | None = None


@dataclass(frozen=True, kw_only=True)
class PanelSeat:
    """A member of the review panel as documents name them: no contact details."""

    name: str
    role: str
    organisation: str
    agency: str | None = None


@event("review.opened", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ReviewOpened(CaseEvent):
    """The decision started a review of the case: its kind, method and the agencies involved."""

    review_kind: str = ident()
    method: str | None = None
    opened_on: date
    reference: str | None = None
    agencies: list[str] = field(default_factory=list)


@event("review.stage_changed", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ReviewStageChanged(CaseEvent):
    """A review moved to another stage (scoping, information gathering, analysis, ...)."""

    review_kind: str = ident()
    stage: str = ident()
    previous_stage: str | None = None
    changed_on: date


@event("terms_of_reference.agreed", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class TermsOfReferenceAgreed(CaseEvent):
    """The panel agreed the review's terms of reference (004; 002 §2.1), with their content."""

    review_kind: str = ident()
    reference: str | None = None
    agreed_on: date
    method: str = ident()
    breadth_and_depth: str
    focus_questions: list[str]
    period_from: date
    period_to: date
    extended_period_reason: str | None = None
    agencies: list[str]
    parallel_processes: list[str] = field(default_factory=list)
    proportionality_rationale: str
    case_factors: list[str] = field(default_factory=list)
    context_factors: list[str] = field(default_factory=list)
    reviewer_skills: str | None = None
    panel: list[PanelSeat] = field(default_factory=list)


@event("review.panel_changed", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ReviewPanelChanged(CaseEvent):
    """A member joined, changed or left the review's panel. It names who sits on it now (their
    email addresses, so their home pages list the drafts open for their comments) and nothing
    else about them."""

    reference: str | None = None
    # Which save of the review this is: a later panel has a higher number.
    sequence: int
    panel_emails: list[str] = field(default_factory=list)


@event("terms_of_reference.drafted", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class TermsOfReferenceDrafted(CaseEvent):
    """The business unit saved a draft of the review's terms of reference: open for the panel's
    comments until agreed. It names who may comment (the panel's email addresses, so their home
    pages can list the draft) and never carries the draft itself."""

    reference: str | None = None
    drafted_on: date
    # Which save of the review this is: a later draft has a higher number.
    sequence: int
    panel_emails: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ContributionEvent(CaseEvent):
    contribution_id: str = ident()
    agency: str = ident()
    kind: str = ident()


@event("contribution.requested", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ContributionRequested(ContributionEvent):
    """The business unit asked an agency for a chronology, an analysis report or review answers.

    ``contact_email`` (and ``contact_name``): who at the agency is asked, when the requester named
    them; ``link``: where the contribution is written.
    """

    requested_on: date
    due_on: date
    reference: str | None = None
    contact_email: str | None = None
    contact_name: str | None = None
    link: str | None = None


@dataclass(frozen=True, kw_only=True)
class ContributionContent(ContributionEvent):
    """A contribution with what it says: a chronology's entries, a report's sections or the
    answers to the six key questions (000 §2), whichever its kind holds."""

    entries: list[ChronologyEntry] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


@event("contribution.submitted", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ContributionSubmitted(ContributionContent):
    """An agency submitted its contribution for the panel to read; its content as submitted."""

    submitted_on: date


@event("contribution.returned", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ContributionReturned(ContributionEvent):
    """The business unit or panel sent a contribution back to its agency, with comments."""

    returned_on: date
    comments: str


@event("contribution.accepted", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ContributionAccepted(ContributionContent):
    """The business unit or panel accepted a contribution; its content as accepted."""

    accepted_on: date


@dataclass(frozen=True, kw_only=True)
class Attendee:
    """Someone invited to a review meeting: what the invitation needs to reach and name them."""

    name: str
    email: str
    agency: str | None = None
    role: str | None = None


@dataclass(frozen=True, kw_only=True)
class MeetingEvent(CaseEvent):
    """A meeting of the review as its invitations describe it (001 §6; 002 §2.3, §2.6-2.7).

    ``sequence`` grows with every change of what the invitation says, so that calendars replace
    the invitation they hold (RFC 5545 SEQUENCE); times are aware, in Europe/London.
    """

    meeting_id: str = ident()
    kind: str = ident()
    title: str
    reference: str | None = None
    starts_at: datetime
    ends_at: datetime
    place: str | None = None
    link: str | None = None
    agenda: list[str] = field(default_factory=list)
    attendees: list[Attendee] = field(default_factory=list)
    sequence: int = 0


@event("meeting.scheduled", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class MeetingScheduled(MeetingEvent):
    """The business unit scheduled a meeting: every attendee is invited."""


@event("meeting.changed", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class MeetingChanged(MeetingEvent):
    """Its time, place, agenda or attendees changed: the attendees get the invitation again;
    those taken off the list (``removed``) are told it is cancelled for them."""

    removed: list[Attendee] = field(default_factory=list)


@event("meeting.cancelled", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class MeetingCancelled(MeetingEvent):
    """The meeting will not take place: every attendee is told."""


# -- action plans and learning (000 §9-§11; 002 §2.9; 003 "Agreeing improvement action"; 001 §7) --


@dataclass(frozen=True, kw_only=True)
class ActionEvent(CaseEvent):
    """One action of the board's action plan, as the plan document and reminders need it."""

    action_id: str = ident()
    reference: str | None = None
    recommendation: str
    action: str
    owner_agency: str = ident()
    owner_email: str
    due_on: date
    success_measure: str


@event("action.added", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ActionAdded(ActionEvent):
    """An action was added to the review's action plan. ``plan_agreed_on``: the day the plan's
    first action was added, from which its progress is reported quarterly (000 §9)."""

    added_on: date
    plan_agreed_on: date


@event("action.progress_reported", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ActionProgressReported(ActionEvent):
    """Progress against an action: red, amber or green, with a note and the evidence."""

    reported_on: date
    rag: str = ident()
    note: str
    evidence: str = ""


@event("action.closed", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ActionClosed(ActionEvent):
    """The action was done and closed with evidence of its impact (000 §11)."""

    closed_on: date
    evidence_of_impact: str


@event("learning_summary.completed", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class LearningSummaryCompleted(CaseEvent):
    """The review's learning summary (001 §7, Appendix B), every field, as completed or changed."""

    reference: str | None = None
    review_kind: str = ident()
    board_area: str
    completed_on: date
    review_type: str
    incident_month: str | None = None  # "YYYY-MM"
    summary: str
    case_learning: str
    method_learning: str
    single_agency_recommendations: str
    multi_agency_recommendations: str
    changes: str
    impact_audit: str
    other_comments: str = ""
    themes: list[str] = field(default_factory=list)


# -- the final report and its publication (002 §2.5, §2.8, §2.9; 003 "Publication of reports") --
