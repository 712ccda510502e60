"""The review documents through the API and on the store: 409 before their content exists, 202 after,
the agency a per-agency document needs, what the pages offer, and nothing of the review in clear."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from services.documents.adapters.store import StoredDocument
from services.documents.service_layer import availability
from shared.auth.principal import Principal

from .conftest import World
from .events import received
from .review_events import SAAR_SECTIONS, accepted, entry, submitted, terms_agreed
from .support import docx_text, found_in_clear


def _case(world: World) -> tuple[str, str]:
    return world.new_case(), world.board.board_id


def _errors(answer) -> list[dict]:
    return answer.get_json()["errors"]


def test_the_merged_chronology_is_refused_with_a_reason_before_any_chronology_then_made(world):
    case_id, board_id = _case(world)
    early = world.generate(case_id, "multi_agency_chronology")
    assert early.status_code == 409
    assert "No agency has submitted a chronology yet" in _errors(early)[0]["message"]
    entries = [entry(date(2025, 3, 1), "Second event", "14:00"), entry(date(2025, 1, 1), "First event")]
    world.deliver(received(submitted(case_id, board_id, "police", entries=entries)))
    made = world.generate(case_id, "multi_agency_chronology")
    assert made.status_code == 202 and made.get_json()["version"] == 2  # the event made version 1
    doc = StoredDocument.objects(document_id=made.get_json()["id"]).first()
    assert doc.filename == f"multi-agency-chronology-{doc.case_reference}.docx"
    content = world.client().get(f"/api/v1/documents/{doc.document_id}/content", headers=world.token)
    text = docx_text(content.data)
    assert text.index("First event") < text.index("Second event")


def test_terms_of_reference_on_request_once_agreed(world):
    case_id, board_id = _case(world)
    early = world.generate(case_id, "terms_of_reference")
    assert early.status_code == 409
    assert _errors(early)[0]["message"] == "The panel has not agreed the terms of reference yet"
    world.deliver(received(terms_agreed(case_id, board_id, ["police", "health"])))
    made = world.generate(case_id, "terms_of_reference")
    assert made.status_code == 202 and made.get_json()["version"] == 2


def test_a_report_for_one_agency_needs_the_agency_and_its_submitted_report(world):
    case_id, board_id = _case(world)
    kind = "single_agency_analysis_report"
    no_agency = world.generate(case_id, kind)
    assert no_agency.status_code == 409 and "agency" in {e["field"] for e in _errors(no_agency)}
    unknown = world.generate(case_id, kind, agency="fire")
    assert unknown.status_code == 422 and _errors(unknown)[0]["field"] == "agency"
    not_yet = world.generate(case_id, kind, agency="education")
    assert not_yet.status_code == 409
    assert "has not submitted its single agency analysis report" in _errors(not_yet)[0]["message"]
    wrong_kind = world.generate(case_id, "referral_summary", agency="police")
    assert wrong_kind.status_code == 422 and _errors(wrong_kind)[0]["field"] == "agency"

    world.deliver(received(submitted(case_id, board_id, "education", kind, sections=SAAR_SECTIONS)))
    made = world.generate(case_id, kind, agency="education")
    assert made.status_code == 202
    doc = StoredDocument.objects(document_id=made.get_json()["id"]).first()
    assert doc.addressed_to == "education" and doc.filename.endswith("-education.docx")
    content = world.client().get(f"/api/v1/documents/{doc.document_id}/content", headers=world.token)
    text = docx_text(content.data)
    for heading in ("Introduction", "The facts", "Analysis", "Key issues", "Learning points"):
        assert heading in text
    assert "Appoint a deputy lead" in text and "Weekly safeguarding meetings" in text
    # Still refused for an agency that has not submitted one.
    assert world.generate(case_id, kind, agency="police").status_code == 409


def test_the_blank_chronology_form_for_an_agency_and_its_entries_once_submitted(world):
    case_id, board_id = _case(world)
    blank = world.generate(case_id, "spe_chronology_form", agency="health")
    assert blank.status_code == 202
    world.deliver(
        received(submitted(case_id, board_id, "health", entries=[entry(date(2025, 2, 2), "GP visit")]))
    )
    filled = world.generate(case_id, "spe_chronology_form", agency="health")
    doc = StoredDocument.objects(document_id=filled.get_json()["id"]).first()
    content = world.client().get(f"/api/v1/documents/{doc.document_id}/content", headers=world.token)
    assert "GP visit" in docx_text(content.data)


def test_the_pages_offer_the_review_kinds_once_their_content_exists(world):
    case_id, board_id = _case(world)
    principal = Principal.acting_service("documents", board_id)

    def offers() -> dict[str, availability.KindOffer]:
        found = availability.kinds_for(principal, case_id, world.deps.uow, world.deps.today)
        return {o.code: o for o in found}

    before = offers()
    assert not before["multi_agency_chronology"].available
    assert "no agency has submitted a chronology yet" in before["multi_agency_chronology"].reason
    assert not before["terms_of_reference"].available
    assert "gathered during the review" in before["terms_of_reference"].reason
    assert "one agency at a time" in before["single_agency_analysis_report"].reason
    world.deliver(
        received(terms_agreed(case_id, board_id, ["police"])),
        received(submitted(case_id, board_id, "police", entries=[entry(date(2025, 1, 1), "Call")])),
    )
    after = offers()
    assert after["multi_agency_chronology"].available and after["terms_of_reference"].available
    assert not after["learning_summary"].available


def test_nothing_the_agencies_wrote_is_in_clear_in_the_store(world):
    case_id, board_id = _case(world)
    secret = "Quistclose-Marchbanks"
    entries = [entry(date(2025, 1, 1), f"{secret} visits the home"), entry(date(2025, 1, 2), "Other")]
    sections = {**SAAR_SECTIONS, "analysis": f"{secret} was not assessed"}
    world.deliver(
        received(submitted(case_id, board_id, "police", entries=entries)),
        received(
            submitted(case_id, board_id, "education", "single_agency_analysis_report", sections=sections)
        ),
    )
    made = StoredDocument.objects(
        case_id=case_id, kind__in=["multi_agency_chronology", "single_agency_analysis_report"]
    )
    assert made.count() == 2
    assert found_in_clear([secret]) == []
    # Its file still opens for the board, landscape for the chronology.
    doc = StoredDocument.objects(case_id=case_id, kind="multi_agency_chronology").first()
    content = world.client().get(f"/api/v1/documents/{doc.document_id}/content", headers=world.token)
    section = Document(io.BytesIO(content.data)).sections[0]
    assert section.page_width > section.page_height and secret in docx_text(content.data)


def test_a_later_acceptance_is_kept_in_the_store_over_the_submission(world):
    from services.documents.adapters.case_record import CaseRecord

    case_id, board_id = _case(world)
    rows = [entry(date(2025, 1, 1), "Call")]
    world.deliver(
        received(submitted(case_id, board_id, "police", entries=rows)),
        received(submitted(case_id, board_id, "health", entries=rows)),
        received(accepted(case_id, board_id, "police", entries=rows)),
    )
    kept = {c.agency: c.status for c in CaseRecord.objects(case_id=case_id).first().review.contributions}
    assert kept == {"police": "accepted", "health": "submitted"}
    versions = StoredDocument.objects(case_id=case_id, kind="multi_agency_chronology").distinct("version")
    assert sorted(versions) == [1, 2, 3]
