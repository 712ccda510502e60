"""The documents service on its store: generation from events, versions, the API.

The referral service is not involved: its events are delivered to the service's
queue, as the bus would, and the service answers from its own record of the case.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest

from services.documents.adapters.case_record import CaseRecord
from services.documents.adapters.repository import GridFsFiles
from services.documents.adapters.store import StoredDocument
from shared.crypto import open_bytes
from shared.events import parse_envelope
from tests.factories import bearer, make_board, make_token, make_user

from .conftest import AGENCIES
from .events import LEAD_REVIEWER, new_case_id, story


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode()


def open_header(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))


def generated_events(document_id: str) -> list:
    raw = StoredDocument._get_collection().find_one({"_id": document_id})
    return [parse_envelope(e["envelope"]) for e in raw["outbox"]]


def test_referral_and_decision_yield_their_documents_through_events(world):
    case_id = new_case_id()
    events = story(case_id, world.board.board_id)
    world.deliver(*events)
    world.deliver(*events)  # a repeat makes nothing new
    kinds = sorted(d.kind for d in StoredDocument.objects(case_id=case_id))
    assert kinds == sorted(
        [
            "referral_summary",
            "ofsted_incident_notification",
            "screening_decision_record",
            "decision_notification",
            "case_group_letter",
            "case_group_letter",  # police and health
        ]
    )
    letter = StoredDocument.objects(case_id=case_id, kind="decision_notification").first()
    (generated,) = generated_events(letter.document_id)
    decision_event = next(e for e in events if e.event_type == "decision.recorded")
    assert generated.event_type == "document.generated"
    assert generated.data.caused_by == decision_event.event_id and generated.data.version == 1
    data = GridFsFiles().read(letter.file_id)
    assert open_bytes(generated.data.content_sealed) == data  # the letter travels with its event
    assert LEAD_REVIEWER in docx_text(data) and "OFFICIAL-SENSITIVE" in open_header(data)


def test_the_child_stays_sealed_in_the_services_record(world):
    case_id = world.new_case()
    raw = CaseRecord._get_collection().find_one({"_id": case_id})
    assert raw["child_sealed"].startswith("enc:") and "Jane" not in str(raw)


def test_the_api_generates_versions_and_serves_files(world):
    case_id = world.new_case()  # the screening made version 1 of the summary
    client = world.client()
    first = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "referral_summary"}
    )
    second = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "referral_summary"}
    )
    assert first.status_code == 202 and (first.get_json()["version"], second.get_json()["version"]) == (2, 3)
    items = client.get(f"/api/v1/documents?case_id={case_id}", headers=world.token).get_json()["items"]
    summaries = [i["version"] for i in items if i["kind"] == "referral_summary"]
    assert sorted(summaries) == [1, 2, 3]  # the old versions stay
    content = client.get(f"/api/v1/documents/{first.get_json()['id']}/content", headers=world.token)
    assert content.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = content.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and "/" not in disposition.split("=", 1)[1]
    assert zipfile.is_zipfile(io.BytesIO(content.data))
    assert (
        content.headers["X-Content-Hash"]
        == StoredDocument.objects(document_id=first.get_json()["id"]).first().content_hash
    )


def test_bad_requests_name_what_is_wrong(world):
    case_id = world.new_case()
    before = StoredDocument.objects.count()
    client = world.client()
    unknown = client.post("/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "poem"})
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "kind"
    early = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "decision_notification"}
    )
    assert early.status_code == 409
    assert "decision.outcome" in {e["field"] for e in early.get_json()["errors"]}
    outsider = bearer(make_token(make_user("business_unit", board=make_board(agencies=AGENCIES))))
    hidden = client.post(
        "/api/v1/documents", headers=outsider, json={"case_id": case_id, "kind": "referral_summary"}
    )
    assert hidden.status_code == 404 and hidden.get_json()["errors"][0]["field"] == "case_id"
    never = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": "no-such-case", "kind": "referral_summary"}
    )
    assert never.status_code == 404
    no_glossary = client.post(
        "/api/v1/documents",
        headers=world.token,
        json={"case_id": case_id, "kind": "referral_summary", "publication": True},
    )
    assert no_glossary.status_code == 422 and no_glossary.get_json()["errors"][0]["field"] == "glossary"
    bad_format = client.get("/api/v1/documents/x/content?format=odt", headers=world.token)
    assert bad_format.status_code == 422 and bad_format.get_json()["errors"][0]["field"] == "format"
    assert StoredDocument.objects.count() == before  # nothing half-made


def test_the_api_schemas_refuse_what_they_do_not_describe(world):
    """The views validate with the schemas the OpenAPI document shows (entrypoints/schemas.py)."""
    case_id = world.new_case()
    client = world.client()

    def field_of(resp) -> str:
        assert resp.status_code == 422, resp.get_json()
        return resp.get_json()["errors"][0]["field"]

    assert field_of(client.get("/api/v1/documents", headers=world.token)) == "case_id"
    assert field_of(client.get("/api/v1/documents?case_id=", headers=world.token)) == "case_id"
    assert field_of(client.get(f"/api/v1/documents?case_id={case_id}&page=0", headers=world.token)) == "page"
    assert field_of(client.get(f"/api/v1/documents?case_id={case_id}&per_page=201", headers=world.token)) == (
        "per_page"
    )
    assert field_of(client.get(f"/api/v1/documents?case_id={case_id}&colour=red", headers=world.token)) == (
        "colour"
    )
    for recipient, field in (("Police", "recipient"), ({"name": "A", "colour": "red"}, "recipient.colour")):
        body = {"case_id": case_id, "kind": "case_group_letter", "recipient": recipient}
        assert field_of(client.post("/api/v1/documents", headers=world.token, json=body)) == field
    unknown = client.post("/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "poem"})
    assert "referral_summary" in unknown.get_json()["errors"][0]["message"]  # the kinds there are, named


def test_listed_documents_carry_their_instant_with_its_offset(world):
    case_id = world.new_case()
    items = (
        world.client().get(f"/api/v1/documents?case_id={case_id}", headers=world.token).get_json()["items"]
    )
    assert items and all(datetime.fromisoformat(i["created_at"]).utcoffset() is not None for i in items)


def test_a_publication_copy_holds_no_identifying_field(world):
    case_id = world.new_case()
    client = world.client()
    made = world.generate(
        case_id, "referral_summary", publication=True, glossary={"Jane Doe": "Child A"}
    ).get_json()
    data = client.get(f"/api/v1/documents/{made['id']}/content", headers=world.token).data
    text = docx_text(data)
    assert "Child A" in text and "Jane" not in text and "943 476 5919" not in text


@pytest.mark.skipif(
    not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) is not installed"
)
def test_pdf_is_converted_once_and_kept(world):
    case_id = world.new_case()
    client = world.client()
    made = client.post(
        "/api/v1/documents",
        headers=world.token,
        json={"case_id": case_id, "kind": "ofsted_incident_notification"},
    ).get_json()
    pdf = client.get(f"/api/v1/documents/{made['id']}/content?format=pdf", headers=world.token)
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    kept = StoredDocument.objects(document_id=made["id"]).first().pdf_file_id
    assert kept is not None
    again = client.get(f"/api/v1/documents/{made['id']}/content?format=pdf", headers=world.token)
    assert (
        again.data == pdf.data and StoredDocument.objects(document_id=made["id"]).first().pdf_file_id == kept
    )


def test_the_case_page_lists_the_documents(world):
    case_id = world.new_case()
    page = world.client().get(f"/documents/cases/{case_id}", headers=world.token)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Referral for consideration of a case review" in html
    created = StoredDocument.objects(case_id=case_id).first().created_at
    assert f"{created.day} {created:%B %Y}" in html  # the date in words
    assert 'href="/cases/' + case_id + '"' in html  # the way back
    assert "govuk-pagination" not in html  # one page: nothing to page through


def add_versions(world, case_id: str, count: int) -> None:
    """``count`` more versions of the referral summary, stored as generation would store them."""
    first = StoredDocument.objects(case_id=case_id, kind="referral_summary").first()
    for version in range(2, count + 2):
        StoredDocument(
            board_id=first.board_id,
            case_id=case_id,
            case_reference=first.case_reference,
            kind=first.kind,
            version=version,
            filename=first.filename,
            content_hash=first.content_hash,
            file_id=first.file_id,
            caused_by="request",
        ).save(force_insert=True)


def test_the_documents_of_a_case_come_a_page_at_a_time_with_the_total(world):
    case_id = world.new_case()  # the screening made two documents
    add_versions(world, case_id, 5)
    client = world.client()
    answer = client.get(
        f"/api/v1/documents?case_id={case_id}&per_page=3&page=2", headers=world.token
    ).get_json()
    assert (answer["total"], answer["page"], answer["per_page"], answer["pages"]) == (7, 2, 3, 3)
    first = client.get(f"/api/v1/documents?case_id={case_id}&per_page=3", headers=world.token).get_json()
    last = client.get(
        f"/api/v1/documents?case_id={case_id}&per_page=3&page=3", headers=world.token
    ).get_json()
    ids = [i["id"] for page in (first, answer, last) for i in page["items"]]
    assert len(ids) == len(set(ids)) == 7  # every document once, in a stable order
    summaries = [
        i["version"]
        for page in (first, answer, last)
        for i in page["items"]
        if i["kind"] == "referral_summary"
    ]
    assert summaries == [6, 5, 4, 3, 2, 1]  # newest first
    assert set(first["items"][0]) == {
        "id",
        "kind",
        "version",
        "publication",
        "filename",
        "content_type",
        "created_at",
    }
    past = client.get(f"/api/v1/documents?case_id={case_id}&page=9", headers=world.token).get_json()
    assert past["items"] == [] and past["total"] == 7
    default = client.get(f"/api/v1/documents?case_id={case_id}", headers=world.token).get_json()
    assert default["per_page"] == 50 and len(default["items"]) == 7


def test_the_case_page_pages_through_many_documents(world):
    case_id = world.new_case()
    add_versions(world, case_id, 120)  # 122 documents: three pages of 50
    client = world.client()
    first = client.get(f"/documents/cases/{case_id}", headers=world.token).get_data(as_text=True)
    assert "122 documents" in first and "page 1 of 3" in first
    assert first.count('class="govuk-table__row"') == 51  # the heading row and 50 documents
    assert 'class="govuk-pagination' in first and f'href="/documents/cases/{case_id}?page=2"' in first
    assert 'aria-current="page"' in first
    last = client.get(f"/documents/cases/{case_id}?page=3", headers=world.token).get_data(as_text=True)
    assert last.count('class="govuk-table__row"') == 23 and "page 3 of 3" in last
    assert f'href="/documents/cases/{case_id}?page=2"' in last and "?page=4" not in last
    nonsense = client.get(f"/documents/cases/{case_id}?page=abc", headers=world.token)
    assert nonsense.status_code == 200 and "page 1 of 3" in nonsense.get_data(as_text=True)
