"""The documents service's own record of each case, kept from the referral service's events.

Event-carried state: ``referral.submitted`` gives the case's particulars,
``case.screened`` the screening with its facts and reasons, ``decision.recorded`` and
``decision.changed`` the Chair's decision. Nothing is asked of the referral service.

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

from shared.auth.principal import Principal
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionRecorded,
    ReferralSubmitted,
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
    referrer = EmbeddedDocumentField(ReferrerRecord)
    child_sealed = StringField()  # the child's details, sealed with the field-encryption keys
    screening = EmbeddedDocumentField(ScreeningRecord)
    decision = EmbeddedDocumentField(DecisionRecord)

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
            lead_reviewers=[
                ReviewerRecord(name=r.name, organisation=r.organisation, role=r.role)
                for r in data.lead_reviewers
            ],
            case_factors=list(data.case_factors),
            context_factors=list(data.context_factors),
            as_of=at,
        )
        return True


def _aware(at: datetime) -> datetime:
    """The store gives back UTC instants; one kept in memory is aware already."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)
