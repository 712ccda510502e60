"""No stored file holds a child's details in clear: the raw store is searched as bytes.

A referral with a child's name, date of birth, address and NHS number goes through
the documents service: the events make their Word files, every one is converted to
PDF, a publication copy is made and a family member reads a report. Then every
record of every collection, GridFS chunks included, is searched as bytes, and
every stored file is opened up as anyone holding a copy of the store could (a zip's
members, a PDF's streams). None of the child's details may be found. The files
still open for the people allowed to read them.
"""

from __future__ import annotations

import hashlib

import pytest

from services.documents.adapters.repository import GridFsFiles
from services.documents.adapters.store import StoredDocument
from shared import crypto, store
from tests.factories import bearer, make_token, make_user

from .conftest import World
from .events import (
    case_screened,
    decision_recorded,
    new_case_id,
    received,
    referral_submitted,
    reviewer_appointed,
)
from .support import docx_text, found_in_clear, opened_up

CHILD = {
    "name": "Jemima Puddleworth",
    "date_of_birth": "2014-03-12",
    "nhs_number": "943 476 5919",
    "address": "7 Quillfeather Lane, Northtown NT1 4QQ",
}
# The details as a document or a record might hold them.
NEEDLES = (
    "Jemima",
    "Puddleworth",
    "2014-03-12",
    "12 March 2014",
    "12/03/2014",
    "943 476 5919",
    "9434765919",
    "Quillfeather",
    "NT1 4QQ",
)


def text_pdf(docx: bytes) -> bytes:
    """A stand-in for LibreOffice whose PDF holds the document's text uncompressed: the worst case."""
    return b"%PDF-1.7\nstream\n" + docx_text(docx).encode("utf-8") + b"\nendstream\n%%EOF\n"


@pytest.fixture
def went_through(settings):
    """A referral with the child's details, through every way the service stores a file."""
    world = World(settings, to_pdf=text_pdf)
    case_id, board_id = new_case_id(), world.board.board_id
    world.deliver(
        received(referral_submitted(case_id, board_id, child=CHILD)),
        received(case_screened(case_id, board_id)),
        received(decision_recorded(case_id, board_id)),
        received(reviewer_appointed(case_id, board_id)),
    )
    copy = world.generate(
        case_id, "referral_summary", publication=True, glossary={"Jemima Puddleworth": "Child A"}
    )
    assert copy.status_code == 202, copy.get_json()
    client = world.client()
    documents = list(StoredDocument.objects(case_id=case_id))
    for doc in documents:
        pdf = client.get(f"/api/v1/documents/{doc.document_id}/content?format=pdf", headers=world.token)
        assert pdf.status_code == 200
    family = make_user("family_viewer", board=world.board)
    summary = next(d for d in documents if d.kind == "referral_summary" and not d.publication)
    share = client.post(
        f"/api/v1/documents/{summary.document_id}/shares",
        headers=world.token,
        json={"user_id": family.user_id},
    ).get_json()
    read = client.get(f"/reports/{share['id']}", headers=bearer(make_token(family)))
    assert read.status_code == 200 and "Jemima Puddleworth" in read.get_data(as_text=True)  # opened to read
    return world, case_id, summary


def test_no_stored_file_or_record_holds_the_childs_details_in_clear(went_through):
    world, case_id, _ = went_through
    stored = StoredDocument.objects(case_id=case_id)
    assert stored.count() == 7 and all(d.pdf_file_id for d in stored)  # six from events, one copy
    assert found_in_clear(NEEDLES) == []


def test_the_search_finds_the_details_where_they_are_readable(went_through):
    """The same search, over what a permitted user downloads, finds them: it would see a leak."""
    world, _, summary = went_through
    client = world.client()
    for fmt in ("docx", "pdf"):
        data = client.get(
            f"/api/v1/documents/{summary.document_id}/content?format={fmt}", headers=world.token
        ).data
        seen = b"".join(opened_up(data))
        assert all(n.encode() in seen for n in ("Jemima Puddleworth", "12 March 2014", "943 476 5919"))


def test_each_stored_file_is_sealed_in_one_chunk_and_its_hash_is_the_plain_word_files(went_through):
    world, case_id, _ = went_through
    files = GridFsFiles()
    chunks = store.database()[f"{GridFsFiles.BUCKET}.chunks"]
    for doc in StoredDocument.objects(case_id=case_id):
        for file_id in (doc.file_id, doc.pdf_file_id):
            assert crypto.is_sealed_file(files._read(file_id))
            assert chunks.count_documents({"files_id": file_id}) == 1  # rotated in one write
        assert hashlib.sha256(files.read(doc.file_id)).hexdigest() == doc.content_hash
