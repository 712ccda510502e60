"""The documents service: generation from the case record, versions, the API, events."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.documents.adapters.store import StoredDocument
from services.documents.service_layer import handlers
from services.referral.adapters.store import Case
from shared.events import parse_envelope
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.referral.test_api import decide, make_referral

AGENCIES = ("police", "health", "childrens_social_care", "education")


def case_events(case_id):
    raw = Case._get_collection().find_one({"_id": case_id})
    return [parse_envelope(e["envelope"]) for e in raw["outbox"]]


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode()


def test_referral_and_decision_yield_their_documents_through_events(world):
    case_id = world.poster.post("/api/v1/referrals", json=make_referral()).get_json()["id"]
    assert decide(world.poster, case_id).status_code == 200
    for event in case_events(case_id):
        handlers.on_event(world.deps, event)
        handlers.on_event(world.deps, event)  # a repeat makes nothing new
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
    raw = StoredDocument._get_collection().find_one({"_id": letter.document_id})
    generated = parse_envelope(raw["outbox"][0]["envelope"])
    decision_event = next(e for e in case_events(case_id) if e.event_type == "decision.recorded")
    assert generated.event_type == "document.generated"
    assert generated.data["caused_by"] == decision_event.event_id and generated.data["version"] == 1
    text = docx_text(handlers.store.read_file(letter.file_id))
    assert "Dr R Independent" in text and "OFFICIAL-SENSITIVE" in open_header(
        handlers.store.read_file(letter.file_id)
    )


def open_header(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))


def test_the_api_generates_versions_and_serves_files(world):
    case_id = world.poster.post("/api/v1/referrals", json=make_referral()).get_json()["id"]
    client = world.documents.app.test_client()
    first = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "referral_summary"}
    )
    second = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "referral_summary"}
    )
    assert first.status_code == 202 and second.get_json()["version"] == 2
    items = client.get(f"/api/v1/documents?case_id={case_id}", headers=world.token).get_json()["items"]
    assert sorted(i["version"] for i in items) == [1, 2]  # the old version stays
    content = client.get(f"/api/v1/documents/{first.get_json()['id']}/content", headers=world.token)
    assert content.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = content.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and "/" not in disposition.split("=", 1)[1]
    assert zipfile.is_zipfile(io.BytesIO(content.data))


def test_bad_requests_name_what_is_wrong(world):
    case_id = world.poster.post("/api/v1/referrals", json=make_referral()).get_json()["id"]
    client = world.documents.app.test_client()
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
    assert hidden.status_code == 404
    assert StoredDocument.objects.count() == 0  # nothing half-made


def test_a_publication_copy_holds_no_identifying_field(world):
    case_id = world.poster.post("/api/v1/referrals", json=make_referral()).get_json()["id"]
    client = world.documents.app.test_client()
    made = client.post(
        "/api/v1/documents",
        headers=world.token,
        json={
            "case_id": case_id,
            "kind": "referral_summary",
            "publication": True,
            "glossary": {"Jane Doe": "Child A"},
        },
    ).get_json()
    data = client.get(f"/api/v1/documents/{made['id']}/content", headers=world.token).data
    text = docx_text(data)
    assert "Child A" in text and "Jane" not in text and "943 476 5919" not in text


@pytest.mark.skipif(
    not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) is not installed"
)
def test_pdf_is_converted_once_and_kept(world):
    case_id = world.poster.post("/api/v1/referrals", json=make_referral()).get_json()["id"]
    client = world.documents.app.test_client()
    made = client.post(
        "/api/v1/documents",
        headers=world.token,
        json={"case_id": case_id, "kind": "ofsted_incident_notification"},
    ).get_json()
    pdf = client.get(f"/api/v1/documents/{made['id']}/content?format=pdf", headers=world.token)
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert StoredDocument.objects(document_id=made["id"]).first().pdf_file_id is not None
