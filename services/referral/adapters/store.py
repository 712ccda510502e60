"""The referral service's records in MongoDB (mongoengine): the case, with its outbox of events,
the reference counter and the drafts of referrals.

Handlers reach them through the repositories (:mod:`.repository`), never directly.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from mongoengine import (
    BooleanField,
    DateField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentField,
    EmbeddedDocumentListField,
    IntField,
    ListField,
    StringField,
)

from shared.bus import OutboxDocument
from shared.crypto import EncryptedStringField


def now() -> datetime:
    return datetime.now(UTC)


class Child(EmbeddedDocument):
    """Identifying details of the child: encrypted at rest, on the bus only sealed, never in logs."""

    name = EncryptedStringField()
    date_of_birth = EncryptedStringField()
    address = EncryptedStringField()
    nhs_number = EncryptedStringField()

    def as_dict(self) -> dict[str, str | None]:
        return {k: getattr(self, k) for k in ("name", "date_of_birth", "address", "nhs_number")}


class Referrer(EmbeddedDocument):
    name = StringField(required=True)
    agency = StringField(required=True)
    email = StringField(required=True)


class LeadReviewer(EmbeddedDocument):
    name = StringField(required=True)
    organisation = StringField(required=True)
    email = StringField()
    agency = StringField()  # the board agency they belong to, if any
    qualifications = StringField()
    declarations = DictField()  # independence declarations: key -> True/False (domain/reviewers.py)


class Confirmation(EmbeddedDocument):
    """After a challenge, the decision was kept."""

    confirmed_on = DateField(required=True)
    rationale = StringField()
    challenged_by = StringField()
    chair_name = StringField()
    recorded_by = StringField()
    recorded_at = DateTimeField()


class Decision(EmbeddedDocument):
    decision_id = StringField(required=True)
    outcome = StringField(required=True)
    decided_on = DateField(required=True)
    initiated_on = DateField()
    rationale = StringField()
    lead_reviewers = EmbeddedDocumentListField(LeadReviewer)
    case_factors = ListField(StringField())
    context_factors = ListField(StringField())
    method = StringField()  # an SCR's: intensive or targeted
    panel_scrutiny = BooleanField(default=False)
    # The Chair who made the decision: the one named in letters. Whoever recorded it (an admin
    # acting for the Chair, say) is ``recorded_by``.
    chair_id = StringField()
    chair_name = StringField()
    recorded_by = StringField()
    recorded_by_name = StringField()
    recorded_at = DateTimeField()
    previous_outcome = StringField()
    confirmations = EmbeddedDocumentListField(Confirmation)

    @property
    def chair(self) -> str:
        """The Chair's name; decisions recorded before the Chair was named give the recorder's."""
        return str(self.chair_name or self.recorded_by_name or "")


class Challenge(EmbeddedDocument):
    challenge_id = StringField(required=True)
    challenged_by = StringField(required=True)  # "peer" or "national_panel"
    challenged_on = DateField(required=True)
    summary = StringField()
    recorded_by = StringField()
    # A peer challenge sought while the Chair was still considering the decision (003 checklist).
    before_decision = BooleanField(default=False)
    outcome = StringField()  # "decision changed" or "decision kept" once answered


class RapidReview(EmbeddedDocument):
    """The safeguarding partners' rapid review (wt2018, wt2023)."""

    completed_on = DateField(required=True)
    recommends_local_review = BooleanField(required=True)
    suggests_national_review = BooleanField(required=True)
    summary = StringField(required=True)
    recorded_by = StringField()
    recorded_by_name = StringField()
    recorded_at = DateTimeField()


class HistoryEntry(EmbeddedDocument):
    at = DateTimeField(required=True)
    actor = StringField()
    action = StringField(required=True)
    from_status = StringField()
    to_status = StringField()
    detail = StringField()


class NextDeadline(EmbeddedDocument):
    code = StringField()
    due = DateField()
    status = StringField()  # due_soon or overdue, as the scheduler announced


class Case(OutboxDocument):
    meta: dict[str, Any] = {
        "collection": "cases",
        "indexes": [
            # Also the board's list of cases, read backwards (newest first: ``CASE_ORDER``).
            {"fields": ["board_id", "reference"], "unique": True},
            # The lists of cases narrowed by a filter (``MongoCaseRepository.list``): the filter,
            # then the list's order, so the store reads a page from the index instead of sorting
            # the board's cases. Agency staff see what their agency referred or was shown: one
            # index for each side of that "or".
            ("board_id", "status", "-reference"),
            ("board_id", "decision.outcome", "-reference"),
            ("board_id", "next_deadline.status", "-reference"),
            ("board_id", "referring_agency", "-reference"),
            ("board_id", "shared_with", "-reference"),
            # Found by the child's pseudonym ("Child A"): not personal data, kept in clear.
            ("board_id", "pseudonym", "-reference"),
        ],
    }

    case_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    reference = StringField(required=True)
    # The name published reports give the child ("Child A"), set by the business unit.
    pseudonym = StringField(max_length=40)
    status = StringField(required=True)
    rule_pack = StringField(required=True)
    facts = DictField(required=True)
    screening = DictField(required=True)
    incident_on = DateField(required=True)
    became_aware_on = DateField(required=True)
    board_notified_on = DateField(required=True)
    summary = StringField(required=True)
    agencies_involved = ListField(StringField())
    # The board where the child normally lives, when it is another board; other boards involved.
    home_board = StringField()
    other_boards = ListField(StringField())
    referrer = EmbeddedDocumentField(Referrer, required=True)
    referring_agency = StringField()
    shared_with = ListField(StringField())
    child = EmbeddedDocumentField(Child)
    decision = EmbeddedDocumentField(Decision)
    challenges = EmbeddedDocumentListField(Challenge)
    rapid_review = EmbeddedDocumentField(RapidReview)
    history = EmbeddedDocumentListField(HistoryEntry)
    next_deadline = EmbeddedDocumentField(NextDeadline)
    applied_events = ListField(StringField())  # ids of bus events already applied here
    submitted_by = StringField()
    created_at = DateTimeField(default=now)

    @property
    def review_kind(self) -> str | None:
        return self.decision.outcome if self.decision else None


class Counter(Document):
    """The last reference number given, per board and year (see ``CaseRepository.next_reference``)."""

    meta = {"collection": "referral_counters"}
    key = StringField(primary_key=True)
    value = IntField(default=0)


class Draft(Document):
    """A referral being written (on the web pages or through the API), kept so its author can return to it."""

    meta = {
        "collection": "referral_drafts",
        "indexes": [
            # A user's drafts, the one saved last first (``MongoDraftRepository.list``).
            ("board_id", "user_id", "-updated_at", "-draft_id"),
            # A draft holds a child's details: one left alone for 90 days is removed.
            {"fields": ["updated_at"], "expireAfterSeconds": 90 * 24 * 3600},
        ],
    }

    draft_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    user_id = StringField(required=True)
    answers = DictField()
    child = EmbeddedDocumentField(Child)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class DraftNotice(OutboxDocument):
    """Where the events about one draft wait to be published (``referral_draft.saved`` and
    ``.discarded``): a draft is deleted when it is sent or discarded, and its last event must
    outlive it. Nothing else is kept here: no answers, no child's details."""

    meta: dict[str, Any] = {
        "collection": "referral_draft_notices",
        # Kept a little longer than a draft lives (90 days): its events are long published.
        "indexes": [{"fields": ["updated_at"], "expireAfterSeconds": 120 * 24 * 3600}],
    }

    draft_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    updated_at = DateTimeField(default=now)


OUTBOX_DOCUMENTS = (Case, DraftNotice)
