"""A case's review: the aggregate every change of the reviews service goes through.

It is opened by the decision that starts a review, follows that decision if it is changed or
confirmed after a challenge, and holds the panel, the terms of reference and the agencies'
contributions. Each change that others need to know of raises an event (``events``), which
the unit of work stores with the review and the outbox relay publishes. Pure Python.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.reviews.domain import meetings as meeting_rules
from services.reviews.domain.actions import Action
from services.reviews.domain.contributions import Contribution, entry_key
from services.reviews.domain.family import Family
from services.reviews.domain.interim import InterimLearning
from services.reviews.domain.learning import LearningProduct, LearningSummary
from services.reviews.domain.meetings import Meeting
from services.reviews.domain.panel import PanelMember, changed_panel, member_problems
from services.reviews.domain.quality import Assessment
from services.reviews.domain.terms import Comment, Terms, terms_problems
from services.reviews.domain.vocabulary import (
    ACCEPTED,
    ANALYSIS,
    CONTRIBUTION_KINDS,
    INFORMATION_GATHERING,
    SCOPING,
    SCR,
    WITHDRAWN,
)
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events.reviews import (
    ChronologyEntry,
    ContributionAccepted,
    ContributionRequested,
    ContributionReturned,
    ContributionSubmitted,
    MeetingCancelled,
    MeetingChanged,
    MeetingScheduled,
    PanelSeat,
    ReviewOpened,
    ReviewStageChanged,
    TermsOfReferenceAgreed,
)


@dataclass(frozen=True)
class MergedEntry:
    agency: str
    contribution_id: str
    status: str
    entry: ChronologyEntry


@dataclass
class Review:
    case_id: str
    board_id: str
    review_kind: str
    opened_on: date
    method: str | None = None
    stage: str = SCOPING
    reference: str | None = None
    incident_on: date | None = None
    agencies: list[str] = field(default_factory=list)
    panel: list[PanelMember] = field(default_factory=list)
    terms: Terms | None = None
    terms_comments: list[Comment] = field(default_factory=list)
    terms_agreed_on: date | None = None
    contributions: list[Contribution] = field(default_factory=list)
    # Meetings, the family, quality markers and interim learning: see their own modules.
    meetings: list[Meeting] = field(default_factory=list)
    family: Family = field(default_factory=Family)
    quality: dict[str, Assessment] = field(default_factory=dict)
    interim_learning: list[InterimLearning] = field(default_factory=list)
    # The action plan, learning summary and learning products: domain.actions, domain.learning.
    actions: list[Action] = field(default_factory=list)
    learning_summary: LearningSummary | None = None
    learning_products: list[LearningProduct] = field(default_factory=list)
    action_plan_response: dict[str, Any] | None = None
    applied_events: list[str] = field(default_factory=list)
    version: int = 0
    events: list[Any] = field(default_factory=list)  # payloads raised and not stored yet

    @classmethod
    def open(
        cls,
        *,
        case_id: str,
        board_id: str,
        review_kind: str,
        opened_on: date,
        method: str | None,
        reference: str | None,
        incident_on: date | None,
        agencies: list[str],
    ) -> Review:
        review = cls(
            case_id=case_id,
            board_id=board_id,
            review_kind=review_kind,
            opened_on=opened_on,
            method=method,
            reference=reference,
            incident_on=incident_on,
            agencies=list(agencies),
        )
        review.events.append(
            ReviewOpened(
                case_id=case_id,
                board_id=board_id,
                review_kind=review_kind,
                method=method,
                opened_on=opened_on,
                reference=reference,
                agencies=list(agencies),
            )
        )
        return review

    # -- the decision ---------------------------------------------------------------------------

    def has_applied(self, event_id: str) -> bool:
        return event_id in self.applied_events

    def applied(self, event_id: str) -> None:
        self.applied_events.append(event_id)

    def decision_changed(self, review_kind: str | None, method: str | None, on: date) -> None:
        """The final outcome after a challenge: another kind of review, or none (withdrawn)."""
        if review_kind is None:
            self._move(WITHDRAWN, on)
            return
        self.review_kind = review_kind
        self.method = method or self.method
        if self.stage == WITHDRAWN:
            self._move(SCOPING, on)

    def _move(self, stage: str, on: date) -> None:
        if stage == self.stage:
            return
        previous, self.stage = self.stage, stage
        self.events.append(
            ReviewStageChanged(
                case_id=self.case_id,
                board_id=self.board_id,
                review_kind=self.review_kind,
                stage=stage,
                previous_stage=previous,
                changed_on=on,
            )
        )

    def ensure_active(self) -> None:
        if self.stage == WITHDRAWN:
            raise Conflict("The decision no longer holds this review: it was withdrawn", "stage")

    # -- panel ----------------------------------------------------------------------------------

    def add_member(self, member: PanelMember, board_agencies: Mapping[str, str]) -> PanelMember:
        self.ensure_active()
        problems = member_problems(
            member,
            scr=self.review_kind == SCR,
            board_agencies=board_agencies,
            emails_on_panel={m.email.lower() for m in self.panel},
        )
        if problems:
            raise InvalidInput(problems)
        self.panel.append(member)
        return member

    def change_member(
        self, member_id: str, to: PanelMember | None, board_agencies: Mapping[str, str]
    ) -> None:
        """Change a member of the panel, or remove them (``to`` None)."""
        self.ensure_active()
        self.panel = changed_panel(
            self.panel, member_id, to, scr=self.review_kind == SCR, board_agencies=board_agencies
        )

    def sits_on_panel(self, email: str | None) -> bool:
        return bool(email) and any(m.email.lower() == (email or "").lower() for m in self.panel)

    # -- terms of reference ---------------------------------------------------------------------

    def draft_terms(self, terms: Terms, board_agencies: Mapping[str, str]) -> None:
        self.ensure_active()
        if self.terms_agreed_on is not None:
            raise Conflict("The terms of reference were agreed and no longer change", "terms_of_reference")
        problems = terms_problems(terms, incident_on=self.incident_on, board_agencies=board_agencies)
        if problems:
            raise InvalidInput(problems)
        self.terms = terms
        self.method = terms.method

    def comment_on_terms(self, comment: Comment) -> None:
        self.ensure_active()
        if self.terms is None:
            raise Conflict("There are no terms of reference to comment on yet", "terms_of_reference")
        if self.terms_agreed_on is not None:
            raise Conflict("The terms of reference were agreed: comments are closed", "terms_of_reference")
        if not comment.text.strip():
            raise InvalidInput([{"field": "text", "message": "Write the comment"}])
        self.terms_comments.append(comment)

    def agree_terms(self, on: date) -> None:
        self.ensure_active()
        if self.terms is None:
            raise Conflict("Draft the terms of reference before agreeing them", "terms_of_reference")
        if self.terms_agreed_on is not None:
            raise Conflict("The terms of reference were agreed already", "terms_of_reference")
        t = self.terms
        self.terms_agreed_on = on
        self.events.append(
            TermsOfReferenceAgreed(
                case_id=self.case_id,
                board_id=self.board_id,
                review_kind=self.review_kind,
                reference=self.reference,
                agreed_on=on,
                method=t.method,
                breadth_and_depth=t.breadth_and_depth,
                focus_questions=list(t.focus_questions),
                period_from=t.period_from,
                period_to=t.period_to,
                extended_period_reason=t.extended_period_reason,
                agencies=list(t.agencies),
                parallel_processes=list(t.parallel_processes),
                proportionality_rationale=t.proportionality_rationale,
                case_factors=list(t.case_factors),
                context_factors=list(t.context_factors),
                reviewer_skills=t.reviewer_skills,
                panel=[
                    PanelSeat(name=m.name, role=m.role, organisation=m.organisation, agency=m.agency)
                    for m in self.panel
                ],
            )
        )
        if self.stage == SCOPING:
            self._move(INFORMATION_GATHERING, on)

    # -- contributions --------------------------------------------------------------------------

    def request(
        self,
        *,
        agency: str,
        kind: str,
        requested_on: date,
        due_on: date,
        board_agencies: Mapping[str, str],
        contribution_id: str | None = None,
        contact_email: str | None = None,
        contact_name: str | None = None,
        link: str | None = None,
    ) -> Contribution:
        self.ensure_active()
        problems = []
        if agency not in board_agencies:
            problems.append({"field": "agency", "message": f"{agency!r} is not an agency of this board"})
        if kind not in CONTRIBUTION_KINDS:
            problems.append({"field": "kind", "message": f"Choose one of {', '.join(CONTRIBUTION_KINDS)}"})
        if due_on < requested_on:
            problems.append({"field": "due_on", "message": "The due date cannot be before the request"})
        if problems:
            raise InvalidInput(problems)
        if any(c.agency == agency and c.kind == kind for c in self.contributions):
            raise Conflict(f"A {kind} was already requested from {agency}", "agency")
        contribution = Contribution(
            contribution_id=contribution_id or uuid.uuid4().hex,
            agency=agency,
            kind=kind,
            requested_on=requested_on,
            due_on=due_on,
            contact_email=contact_email,
            contact_name=contact_name,
        )
        self.contributions.append(contribution)
        if self.stage == ANALYSIS:  # more information wanted after all
            self._move(INFORMATION_GATHERING, requested_on)
        self.events.append(
            ContributionRequested(
                **self._about(contribution),
                requested_on=requested_on,
                due_on=due_on,
                reference=self.reference,
                contact_email=contact_email,
                contact_name=contact_name,
                link=link,
            )
        )
        return contribution

    def contribution(self, contribution_id: str, agency: str | None = None) -> Contribution:
        """One contribution; with ``agency``, only if it is that agency's."""
        for c in self.contributions:
            if c.contribution_id == contribution_id and (agency is None or c.agency == agency):
                return c
        raise NotFound("No such contribution to this review", "contribution_id")

    def _about(self, c: Contribution) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "board_id": self.board_id,
            "contribution_id": c.contribution_id,
            "agency": c.agency,
            "kind": c.kind,
        }

    def _content(self, c: Contribution) -> dict[str, Any]:
        return {
            **self._about(c),
            "entries": list(c.entries),
            "sections": dict(c.sections),
            "answers": dict(c.answers),
        }

    def submit(self, c: Contribution, today: date, by: str) -> None:
        self.ensure_active()
        c.submit(today, by)
        self.events.append(ContributionSubmitted(**self._content(c), submitted_on=today))

    def accept(self, c: Contribution, today: date, by: str) -> None:
        self.ensure_active()
        c.accept(today, by)
        self.events.append(ContributionAccepted(**self._content(c), accepted_on=today))
        if self.stage == INFORMATION_GATHERING and all(x.status == ACCEPTED for x in self.contributions):
            self._move(ANALYSIS, today)

    def send_back(self, c: Contribution, comments: str, today: date, by: str) -> None:
        self.ensure_active()
        c.send_back(comments, today, by)
        self.events.append(ContributionReturned(**self._about(c), returned_on=today, comments=comments))

    # -- meetings (rules in domain.meetings) ------------------------------------------------------

    def _invitation(self, m: Meeting) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "board_id": self.board_id,
            "reference": self.reference,
            **m.invitation(),
        }

    def schedule_meeting(self, meeting: Meeting) -> Meeting:
        self.ensure_active()
        for kept in self.meetings:
            if kept.meeting_id == meeting.meeting_id:
                return kept  # a repeat of the request that scheduled it
        meeting_rules.schedule(self.meetings, meeting)
        self.events.append(MeetingScheduled(**self._invitation(meeting)))
        return meeting

    def change_meeting(self, meeting_id: str, given: dict[str, Any]) -> Meeting:
        """Change a meeting; the attendees are invited again if the invitation changed."""
        self.ensure_active()
        meeting = meeting_rules.find(self.meetings, meeting_id)
        removed = meeting_rules.change(meeting, given)
        if removed is not None:
            self.events.append(MeetingChanged(**self._invitation(meeting), removed=removed))
        return meeting

    def cancel_meeting(self, meeting_id: str) -> Meeting:
        meeting = meeting_rules.find(self.meetings, meeting_id)
        meeting_rules.cancel(meeting)
        self.events.append(MeetingCancelled(**self._invitation(meeting)))
        return meeting

    # -- the merged chronology ------------------------------------------------------------------

    def merged_chronology(
        self, agency: str | None = None, since: date | None = None, until: date | None = None
    ) -> list[MergedEntry]:
        """Every submitted or accepted entry of every agency, in date and time order."""
        rows = [
            MergedEntry(c.agency, c.contribution_id, c.status, e)
            for c in self.contributions
            if c.in_chronology and (agency is None or c.agency == agency)
            for e in c.entries
            if (since is None or e.date >= since) and (until is None or e.date <= until)
        ]
        return sorted(rows, key=lambda r: (*entry_key(r.entry), r.agency))
