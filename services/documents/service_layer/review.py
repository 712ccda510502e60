"""The content of the review documents, from what the service kept of the review's events.

:func:`content_for` is what :func:`.handlers.generate` adds to a review kind's context: the
agreed terms of reference, the merged chronology, or one agency's report, answers or
chronology form. It refuses with a plain reason (409) when that content does not exist yet, and
names the ``agency`` field (422) when the agency is not one of the board's.
:func:`unavailable` says the same reason to the documents pages, so a page never offers what the
API would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.documents.adapters.case_record import CaseRecord
from services.documents.domain import contributions as co
from services.documents.domain.review_content import TERMS_OF_REFERENCE, terms_of_reference_context
from shared.errors import Conflict, InvalidInput

GATHERED = "Its content is gathered during the review"
# The review kinds whose content no event carries yet, and what they wait for.
WAITING: Mapping[str, str] = {
    "family_notification_letter": (
        f"{GATHERED}: who in the family is written to, the support offered and the sender are"
        " not recorded yet."
    ),
    "final_report_skeleton": f"{GATHERED}: its findings are written when the review reports.",
}
ONE_AGENCY = (
    "It is made for one agency at a time: a new version each time the agency submits it and"
    " when the panel accepts it, listed among the case's documents."
)
# Made from the review's learning and action plan (:mod:`.learning`).
LEARNING_KINDS = frozenset({"learning_summary", "board_response_action_plan"})
REVIEW_DOCUMENT_KINDS = frozenset(
    {TERMS_OF_REFERENCE, co.MULTI_AGENCY_CHRONOLOGY, *co.PER_AGENCY, *WAITING, *LEARNING_KINDS}
)


def _contributions(record: CaseRecord) -> list[co.AgencyContribution]:
    return record.review.opened() if record.review is not None else []


def _terms_period(record: CaseRecord) -> Any:
    terms = record.review.terms() if record.review is not None else None
    return (terms.period_from, terms.period_to) if terms is not None else None


def chronology(record: CaseRecord, agencies: Mapping[str, str]) -> dict[str, Any]:
    """The merged chronology's context (its entries may be none)."""
    return co.chronology_context(_contributions(record), agencies, _terms_period(record))


def content_for(
    kind: str, record: CaseRecord, agencies: Mapping[str, str], agency: str | None
) -> dict[str, Any]:
    """What the review adds to ``kind``'s context; nothing for the kinds of the case record."""
    if agency is not None and kind not in co.PER_AGENCY:
        raise InvalidInput(
            [{"field": "agency", "message": "Only a document made for one agency names an agency"}]
        )
    if kind in LEARNING_KINDS:  # the learning summary and the action plan: their own record
        from services.documents.service_layer import learning

        return learning.content_for(kind, record.case_id, dict(agencies))
    if kind == TERMS_OF_REFERENCE:
        terms = record.review.terms() if record.review is not None else None
        if terms is None:
            raise Conflict("The panel has not agreed the terms of reference yet", "kind")
        return terms_of_reference_context(terms, agencies)
    if kind == co.MULTI_AGENCY_CHRONOLOGY:
        found = chronology(record, agencies)
        if not found["entries"]:
            raise Conflict(
                "No agency has submitted a chronology yet: the multi-agency chronology merges the"
                " chronologies agencies submit",
                "kind",
            )
        return found
    if kind not in co.PER_AGENCY or agency is None:
        return {}  # an absent agency is named among the missing fields (409)
    if agency not in agencies:
        raise InvalidInput([{"field": "agency", "message": "This is not one of the board's agencies"}])
    name = agencies[agency]
    wanted = co.PER_AGENCY[kind]
    found_one = co.latest(_contributions(record), wanted, agency)
    if kind == co.SPE_FORM:
        return co.spe_form_context(found_one, name)
    if found_one is None:
        what = co.CONTRIBUTION_NAMES[wanted]
        raise Conflict(f"{name} has not submitted its {what} for this review yet", "agency")
    if kind == co.SAAR_DOCUMENT:
        return co.saar_context(found_one, name)
    return co.questionnaire_context(found_one, name)


def unavailable(kind: str, record: CaseRecord) -> str | None:
    """Why a review kind cannot be generated from the documents page now; None when it can."""
    if kind == TERMS_OF_REFERENCE:
        agreed = record.review is not None and record.review.terms_sealed
        return None if agreed else f"{GATHERED}: the panel has not agreed the terms of reference yet."
    if kind == co.MULTI_AGENCY_CHRONOLOGY:
        kept = record.review.contributions if record.review is not None else []
        submitted = any(c.kind == co.CHRONOLOGY and c.status in co.COUNTED for c in kept)
        return None if submitted else f"{GATHERED}: no agency has submitted a chronology yet."
    if kind in co.PER_AGENCY:
        return ONE_AGENCY
    if kind in LEARNING_KINDS:
        from services.documents.service_layer import learning

        return learning.unavailable(kind, record.case_id)
    return WAITING.get(kind)
