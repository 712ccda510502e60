"""The work queue's records of the drafts a review's panel comments on (:mod:`.work_store`).

Two drafts of a review are open for the panel's comments: its terms of reference, from the
first save until they are agreed, and its final report, whose latest version is open until it
is signed off (a version saved after a sign-off is open again). Who sits on each panel is kept
by email address, as the latest draft of the terms named them, to match the signed-in panel
member or lead reviewer. Neither the terms nor the report's text is kept: only which version,
and when.

Each write is the same whatever order the events arrive in: agreed terms stay agreed, a version
or sign-off older than one known changes nothing, and an older panel never replaces a newer one.
"""

from __future__ import annotations

import abc
from datetime import date

from mongoengine import BooleanField, DateField, Document, IntField, ListField, StringField

from services.scheduler.domain import work
from services.scheduler.domain.work import Found, WorkItem


class WorkPanel(Document):
    """Who sits on a review's panel (their email addresses), as the latest draft of its terms said."""

    meta = {"collection": "work_panels", "indexes": [("board_id", "emails")]}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    emails = ListField(StringField())
    sequence = IntField(default=0)


class WorkReviewDraft(Document):
    """A draft of a review (its terms of reference or its final report) and whether it is still
    open for comments."""

    meta = {"collection": "work_review_drafts", "indexes": [("board_id", "case_id", "open", "-on")]}

    draft_id = StringField(primary_key=True)  # "<case_id>:<kind>"
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    kind = StringField(required=True, choices=(work.TERMS_OF_REFERENCE, work.FINAL_REPORT))
    reference = StringField()
    on = DateField()  # drafted, or the latest version saved
    sequence = IntField(default=0)  # terms: the save of the review that drafted them
    number = IntField(default=0)  # report: its latest version
    signed_off = IntField(default=0)  # report: the latest version signed off
    agreed = BooleanField(default=False)  # terms
    open = BooleanField(default=False)


class ReviewDrafts(abc.ABC):
    """What the work handlers write of reviews' drafts, and what the home page reads."""

    @abc.abstractmethod
    def terms_drafted(
        self,
        case_id: str,
        board_id: str,
        *,
        reference: str | None,
        drafted_on: date,
        sequence: int,
        panel_emails: list[str],
    ) -> None:
        """The terms of reference were drafted (again); ``panel_emails`` sit on the panel."""

    @abc.abstractmethod
    def panel_changed(self, case_id: str, board_id: str, *, sequence: int, panel_emails: list[str]) -> None:
        """``panel_emails`` sit on the panel now (as of the review's save ``sequence``)."""

    @abc.abstractmethod
    def terms_agreed(self, case_id: str, board_id: str, *, reference: str | None) -> None:
        """The terms of reference were agreed: no longer open for comments, whatever comes later."""

    @abc.abstractmethod
    def report_saved(
        self, case_id: str, board_id: str, *, reference: str | None, version: int, saved_on: date
    ) -> None:
        """Version ``version`` of the final report was saved."""

    @abc.abstractmethod
    def report_signed_off(self, case_id: str, board_id: str, *, reference: str | None, version: int) -> None:
        """Version ``version`` of the final report was signed off."""

    @abc.abstractmethod
    def drafts_to_comment(self, board_id: str, email: str) -> Found:
        """The drafts open for comments of the reviews whose panel ``email`` sits on, the one
        drafted or saved last first."""


class MongoReviewDrafts(ReviewDrafts):
    def terms_drafted(
        self,
        case_id: str,
        board_id: str,
        *,
        reference: str | None,
        drafted_on: date,
        sequence: int,
        panel_emails: list[str],
    ) -> None:
        self.panel_changed(case_id, board_id, sequence=sequence, panel_emails=panel_emails)
        draft = _draft(case_id, board_id, work.TERMS_OF_REFERENCE, reference)
        if draft.sequence <= sequence:
            draft.on, draft.sequence = drafted_on, sequence
        draft.open = not draft.agreed
        draft.save()

    def panel_changed(self, case_id: str, board_id: str, *, sequence: int, panel_emails: list[str]) -> None:
        panel = WorkPanel.objects(case_id=case_id).only("sequence").first()
        if panel is None or panel.sequence <= sequence:
            WorkPanel(
                case_id=case_id,
                board_id=board_id,
                emails=sorted({e.lower() for e in panel_emails if e}),
                sequence=sequence,
            ).save()

    def terms_agreed(self, case_id: str, board_id: str, *, reference: str | None) -> None:
        draft = _draft(case_id, board_id, work.TERMS_OF_REFERENCE, reference)
        draft.agreed, draft.open = True, False
        draft.save()

    def report_saved(
        self, case_id: str, board_id: str, *, reference: str | None, version: int, saved_on: date
    ) -> None:
        draft = _draft(case_id, board_id, work.FINAL_REPORT, reference)
        if version >= draft.number:
            draft.number, draft.on = version, saved_on
        draft.open = work.report_open(draft.number, draft.signed_off)
        draft.save()

    def report_signed_off(self, case_id: str, board_id: str, *, reference: str | None, version: int) -> None:
        draft = _draft(case_id, board_id, work.FINAL_REPORT, reference)
        draft.signed_off = max(draft.signed_off or 0, version)
        draft.open = work.report_open(draft.number, draft.signed_off)
        draft.save()

    def drafts_to_comment(self, board_id: str, email: str) -> Found:
        panels = WorkPanel.objects(board_id=board_id, emails=email.lower()).only("case_id")
        case_ids = [p.case_id for p in panels]
        if not case_ids:
            return Found([], 0)
        qs = WorkReviewDraft.objects(board_id=board_id, case_id__in=case_ids, open=True)
        items = [_item(d) for d in qs.order_by("-on", "draft_id").limit(work.SHOWN)]
        return Found(items, qs.count())


def _draft(case_id: str, board_id: str, kind: str, reference: str | None) -> WorkReviewDraft:
    """The record of the case's draft of this kind, as kept or new; the reference as last told."""
    draft_id = f"{case_id}:{kind}"
    draft = WorkReviewDraft.objects(draft_id=draft_id).first()
    if draft is None:
        draft = WorkReviewDraft(draft_id=draft_id, board_id=board_id, case_id=case_id, kind=kind)
    if reference:
        draft.reference = reference
    return draft


def _item(d: WorkReviewDraft) -> WorkItem:
    """A draft as the home page lists it; ``target`` is its page below the review's address."""
    if d.kind == work.FINAL_REPORT:
        target = f"{d.case_id}/report/versions/{d.number}"
        return WorkItem(d.case_id, d.reference, label=d.kind, on=d.on, detail=str(d.number), target=target)
    return WorkItem(d.case_id, d.reference, label=d.kind, on=d.on, target=f"{d.case_id}/terms-of-reference")
