"""The documents service's own record of each case, kept from the referral service's events.

Event-carried state: ``referral.submitted`` gives the case's particulars (with the
board where the child normally lives, when it is another, and the other boards involved),
``case.screened`` the screening with its facts and reasons, ``decision.recorded`` and
``decision.changed`` the Chair's decision, ``decision.confirmed`` that it was kept after a
challenge, ``rapid_review.recorded`` the safeguarding partners' rapid review (``wt2018``,
``wt2023``). Nothing is asked of the referral service. The reviews service's events add the
review under way (:mod:`.review_record`).

The child's identifying details stay sealed as they arrived (``child_sealed``); they
are opened only to render a document that prints them (:mod:`..service_layer.context`).

Each part remembers the instant of the event it came from, so a late repeat of an
older event does not overwrite a newer state.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mongoengine import (
    BooleanField,
    DateField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentField,
    ListField,
    StringField,
)

from services.documents.adapters.review_record import ReviewRecord
from shared.auth.principal import Principal
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
    Reviewer,
)


class ReferrerRecord(EmbeddedDocument):
    name = StringField(required=True)
    agency = StringField(required=True)
    email = StringField(required=True)


class ReasonRecord(EmbeddedDocument):
    code = StringField(required=True)
    text = StringField(required=True)
    source = StringField(required=True)


class ScreeningRecord(EmbeddedDocument):
    rule_pack = StringField()
    notifiable = BooleanField(required=True)
    notifiable_grounds = ListField(StringField())
    scr_required = BooleanField(required=True)
    scr_grounds = ListField(StringField())
    recommended = StringField()
    facts = DictField()
    reasons = ListField(EmbeddedDocumentField(ReasonRecord))
    as_of = DateTimeField(required=True)


class ReviewerRecord(EmbeddedDocument):
    name = StringField(required=True)
    organisation = StringField(required=True)
    role = StringField()
    agency = StringField()  # the board agency the reviewer belongs to; None: none of them
    qualifications = StringField()
    # Independence declarations (001 §5.6; 002 §2.2; 003 "Appointing reviewers"): key -> bool.
    declarations = DictField()

    @classmethod
    def of(cls, reviewer: Reviewer) -> ReviewerRecord:
        return cls(
            name=reviewer.name,
            organisation=reviewer.organisation,
            role=reviewer.role,
            agency=reviewer.agency,
            qualifications=reviewer.qualifications,
            declarations={k: bool(v) for k, v in reviewer.declarations.items()},
        )


class DecisionRecord(EmbeddedDocument):
    decision_id = StringField(required=True)
    outcome = StringField(required=True)
    previous_outcome = StringField()
    scr_required = BooleanField()
    decided_on = DateField(required=True)
    initiated_on = DateField()
    rationale = StringField()
    chair_name = StringField()
    lead_reviewers = ListField(EmbeddedDocumentField(ReviewerRecord))
    case_factors = ListField(StringField())
    context_factors = ListField(StringField())
    method = StringField()  # intensive or targeted, for an SCR (001 §5.3-5.4)
    # Kept after a challenge (003 checklist): when, why, by which Chair, challenged by whom.
    confirmed_on = DateField()
    confirmation_rationale = StringField()
    confirmed_by = StringField()
    challenged_by = StringField()
    as_of = DateTimeField(required=True)


class RapidReviewRecord(EmbeddedDocument):
    """The safeguarding partners' rapid review (WT2018 ch. 4 'The rapid review'; WT2023 ch. 5)."""

    completed_on = DateField(required=True)
    recommends_local_review = BooleanField(required=True)
    suggests_national_review = BooleanField(required=True)
    summary = StringField()
    as_of = DateTimeField(required=True)


class CaseRecord(Document):
    meta = {"collection": "case_records", "indexes": ["board_id"]}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    reference = StringField(required=True)
    rule_pack = StringField()
    incident_on = DateField(required=True)
    became_aware_on = DateField()
    board_notified_on = DateField()
    summary = StringField()
    agencies_involved = ListField(StringField())
    # The board where the child normally lives, when it is another board (003 checklist), and
    # the other boards involved (004): as the referral named them.
    home_board = StringField()
    other_boards = ListField(StringField())
    referrer = EmbeddedDocumentField(ReferrerRecord)
    child_sealed = StringField()  # the child's details, sealed with the field-encryption keys
    screening = EmbeddedDocumentField(ScreeningRecord)
    decision = EmbeddedDocumentField(DecisionRecord)
    rapid_review = EmbeddedDocumentField(RapidReviewRecord)
    # The review under way, as the reviews service's events told it (:mod:`.review_record`).
    review = EmbeddedDocumentField(ReviewRecord)

    @classmethod
    def from_referral(cls, data: ReferralSubmitted) -> CaseRecord:
        record = cls(case_id=data.case_id)
        record.apply_referral(data)
        return record

    def visible_to(self, principal: Principal) -> bool:
        """A board sees only its own cases; agency staff only the cases their agency referred.

        (The referral service also lets agency staff see cases shared with their agency;
        no event carries those shares, and no agency role may ask for documents.)
        """
        if principal.board_id != self.board_id:
            return False
        if principal.agency_only:
            return self.referrer is not None and self.referrer.agency == principal.agency
        return True

    def apply_referral(self, data: ReferralSubmitted) -> None:
        self.board_id = data.board_id
        self.reference = data.reference
        self.rule_pack = data.rule_pack
        self.incident_on = data.incident_on
        self.became_aware_on = data.became_aware_on
        self.board_notified_on = data.board_notified_on
        self.summary = data.summary
        self.agencies_involved = list(data.agencies_involved)
        self.home_board = data.home_board
        self.other_boards = list(data.other_boards)
        self.referrer = ReferrerRecord(
            name=data.referrer.name, agency=data.referrer.agency, email=data.referrer.email
        )
        self.child_sealed = data.child_sealed

    def apply_screening(self, data: CaseScreened, at: datetime) -> bool:
        """Keep the screening unless a newer one is already kept; whether it was kept."""
        if self.screening is not None and _aware(self.screening.as_of) > at:
            return False
        self.screening = ScreeningRecord(
            rule_pack=data.rule_pack,
            notifiable=data.notifiable,
            notifiable_grounds=list(data.notifiable_grounds),
            scr_required=data.scr_required,
            scr_grounds=list(data.scr_grounds),
            recommended=data.recommended,
            facts=dict(data.facts),
            reasons=[ReasonRecord(code=r.code, text=r.text, source=r.source) for r in data.reasons],
            as_of=at,
        )
        return True

    def apply_decision(self, data: DecisionRecorded | DecisionChanged, at: datetime) -> bool:
        """Keep the decision unless a newer one is already kept; whether it was kept."""
        if self.decision is not None and _aware(self.decision.as_of) > at:
            return False
        self.decision = DecisionRecord(
            decision_id=data.decision_id,
            outcome=data.outcome,
            previous_outcome=getattr(data, "previous_outcome", None),
            scr_required=data.scr_required,
            decided_on=data.decided_on,
            initiated_on=data.initiated_on,
            rationale=data.rationale,
            chair_name=data.chair_name,
            lead_reviewers=[ReviewerRecord.of(r) for r in data.lead_reviewers],
            case_factors=list(data.case_factors),
            context_factors=list(data.context_factors),
            method=data.method,
            as_of=at,
        )
        return True

    def apply_confirmation(self, data: DecisionConfirmed, at: datetime) -> bool:
        """Keep that the decision stood after a challenge, unless a newer decision is kept.

        A confirmation of a decision this record does not hold (lost, or not yet received) is
        not kept: whether it was kept.
        """
        decision = self.decision
        if decision is None or decision.decision_id != data.decision_id or _aware(decision.as_of) > at:
            return False
        decision.outcome = data.outcome
        decision.confirmed_on = data.confirmed_on
        decision.confirmation_rationale = data.rationale
        decision.confirmed_by = data.chair_name
        decision.challenged_by = data.challenged_by
        decision.as_of = at
        return True

    def apply_rapid_review(self, data: RapidReviewRecorded, at: datetime) -> bool:
        """Keep the rapid review unless a newer one is already kept; whether it was kept."""
        if self.rapid_review is not None and _aware(self.rapid_review.as_of) > at:
            return False
        self.rapid_review = RapidReviewRecord(
            completed_on=data.completed_on,
            recommends_local_review=data.recommends_local_review,
            suggests_national_review=data.suggests_national_review,
            summary=data.summary,
            as_of=at,
        )
        return True


def _aware(at: datetime) -> datetime:
    """The store gives back UTC instants; one kept in memory is aware already."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def review_of(record: CaseRecord) -> ReviewRecord:
    """The record's review part, started on first use."""
    if record.review is None:
        record.review = ReviewRecord()
    review: ReviewRecord = record.review
    return review
