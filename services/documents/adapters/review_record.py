"""What the documents service keeps of a review, from the reviews service's events.

Part of the service's own record of a case (:class:`.case_record.CaseRecord`): the terms of
reference as agreed (``terms_of_reference.agreed``) and each agency's contribution as last
submitted, returned or accepted (``contribution.submitted``, ``.returned``, ``.accepted``).
Nothing is asked of the reviews service, whose database this service never reads.

What the review says of a child and a family is kept sealed with the field-encryption keys
(``terms_sealed``, ``content_sealed``), as the child's details are; ``python -m shared.crypto
rotate`` re-encrypts it. It is opened only to render a document (:mod:`..service_layer.review`).

Each part remembers the instant of the event it came from, so a late repeat of an older event
does not overwrite a newer state.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from mongoengine import (
    DateField,
    DateTimeField,
    EmbeddedDocument,
    EmbeddedDocumentField,
    ListField,
    StringField,
)

from services.documents.domain.contributions import AgencyContribution
from services.documents.domain.review_content import AgreedTerms
from shared.crypto import open_json, seal_json
from shared.events.reviews import ChronologyEntry, ContributionContent, TermsOfReferenceAgreed

SUBMITTED = "submitted"
RETURNED = "returned"
ACCEPTED = "accepted"


def _plain(value: Any) -> Any:
    """A value with its dates as ISO 8601 text, ready for JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _content(data: ContributionContent) -> dict[str, Any]:
    return {
        "entries": [_plain(asdict(e)) for e in data.entries],
        "sections": dict(data.sections),
        "answers": dict(data.answers),
    }


def _entry(raw: dict[str, Any]) -> ChronologyEntry:
    return ChronologyEntry(**{**raw, "date": date.fromisoformat(raw["date"])})


class ContributionRecord(EmbeddedDocument):
    """One agency's contribution as last seen: its kind, standing and (sealed) content."""

    contribution_id = StringField(required=True)
    agency = StringField(required=True)
    kind = StringField(required=True)  # chronology, single_agency_analysis_report, single_agency_review
    status = StringField(required=True)  # submitted, returned or accepted
    submitted_on = DateField()
    accepted_on = DateField()
    content_sealed = StringField()  # entries, sections and answers, sealed
    content_hash = StringField()  # sha256 of the content as JSON: whether it changed
    as_of = DateTimeField(required=True)

    def opened(self) -> AgencyContribution:
        content = open_json(self.content_sealed) if self.content_sealed else {}
        return AgencyContribution(
            contribution_id=self.contribution_id,
            agency=self.agency,
            kind=self.kind,
            status=self.status,
            submitted_on=self.submitted_on,
            accepted_on=self.accepted_on,
            entries=[_entry(e) for e in content.get("entries", [])],
            sections=dict(content.get("sections", {})),
            answers=dict(content.get("answers", {})),
        )


class ReviewRecord(EmbeddedDocument):
    terms_sealed = StringField()  # the agreed terms of reference, sealed
    terms_as_of = DateTimeField()
    contributions = ListField(EmbeddedDocumentField(ContributionRecord))
    # The event that last changed what the merged chronology says: the one whose handling makes
    # its next version (kept with the change, so a redelivery after a crash still makes it).
    chronology_changed_by = StringField()

    # -- terms of reference -------------------------------------------------------------------

    def keep_terms(self, data: TermsOfReferenceAgreed, at: datetime) -> bool:
        """Keep the agreed terms unless newer ones are kept; whether they were kept."""
        if self.terms_as_of is not None and _aware(self.terms_as_of) > at:
            return False
        self.terms_sealed = seal_json(_plain(asdict(AgreedTerms.of(data))))
        self.terms_as_of = at
        return True

    def terms(self) -> AgreedTerms | None:
        return AgreedTerms.from_plain(open_json(self.terms_sealed)) if self.terms_sealed else None

    # -- contributions ------------------------------------------------------------------------

    def find(self, contribution_id: str) -> ContributionRecord | None:
        return next((c for c in self.contributions if c.contribution_id == contribution_id), None)

    def keep_content(self, data: ContributionContent, status: str, on: date, at: datetime) -> bool:
        """Keep a contribution as submitted or accepted, with its content; whether it was kept."""
        found = self.find(data.contribution_id)
        if found is not None and _aware(found.as_of) > at:
            return False
        content = _content(data)
        as_json = json.dumps(content, sort_keys=True, separators=(",", ":"))
        if found is None:
            found = ContributionRecord(contribution_id=data.contribution_id)
            self.contributions.append(found)
        found.agency, found.kind, found.status, found.as_of = data.agency, data.kind, status, at
        if status == SUBMITTED:
            found.submitted_on, found.accepted_on = on, None
        else:
            found.accepted_on = on
        found.content_sealed = seal_json(content)
        found.content_hash = hashlib.sha256(as_json.encode()).hexdigest()
        return True

    def keep_returned(self, contribution_id: str, at: datetime) -> bool:
        """The panel sent it back: it no longer counts until submitted again."""
        found = self.find(contribution_id)
        if found is None or _aware(found.as_of) > at:
            return False
        found.status, found.accepted_on, found.as_of = RETURNED, None, at
        return True

    def opened(self) -> list[AgencyContribution]:
        """Every contribution kept, opened, in the order they first arrived."""
        return [c.opened() for c in self.contributions]


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
