"""Key rotation on the records and files the product really keeps.

A referral with the child's details goes through all four services in one
process, so every place that holds them encrypted has them: the case record
(embedded ``Child`` fields), the referral's events in its outbox, the
documents service's own record of the case, its stored files (Word files, their
PDFs and a publication copy, in GridFS) and the letters notifications keeps to
attach. Then a new key is put first, ``python -m shared.crypto rotate`` runs,
and the old key is dropped: everything still reads, and nothing in the store
can be opened with the old key alone. Nowhere, before or after, does the raw
store hold the child's details in clear.

The rotation of one bucket of files is also tried on its own: a file stored in
clear before files were sealed is sealed, and a rotation stopped half-way
through a file of many chunks is finished by the next run.
"""

from __future__ import annotations

import dataclasses
import re

import gridfs
import pytest
from cryptography.fernet import Fernet
from werkzeug.test import Client

from services.documents.adapters.case_record import CaseRecord
from services.documents.adapters.store import StoredDocument
from services.embedded import EmbeddedApp, bootstrap_all
from services.notifications.adapters.store import LetterRecord
from services.referral.adapters.store import Case
from shared import crypto, store
from shared.config import DEV_FIELD_KEY
from tests.factories import bearer, make_board, make_token, make_user
from tests.support import wait_for
from tests.unit.documents.support import found_in_clear, opened_up
from tests.unit.documents.test_at_rest import CHILD, NEEDLES, text_pdf
from tests.unit.referral.test_api import decide, make_referral

SEALED = re.compile(r"enc:v1:[A-Za-z0-9_\-=]+")
OLD, NEW = DEV_FIELD_KEY, Fernet.generate_key().decode()


@pytest.fixture
def product(settings):
    crypto.configure(DEV_FIELD_KEY)
    services = bootstrap_all(settings)
    for service in services:
        service.start()
    documents = next(s for s in services if s.name == "documents").app
    # PDFs from a stand-in that keeps the text in clear: the worst case for the store.
    documents.extensions["lscb_documents"] = dataclasses.replace(
        documents.extensions["lscb_documents"], to_pdf=text_pdf
    )
    yield Client(EmbeddedApp(services)), services
    for service in services:
        service.stop()
    crypto.configure(DEV_FIELD_KEY)


def sealed_values() -> list[str]:
    """Every encrypted value anywhere in the store's records, as the raw documents hold them."""
    found = []
    for db in store.databases().values():
        for name in db.list_collection_names():
            if name.endswith(".chunks"):
                continue
            for raw in db[name].find({}):
                found += SEALED.findall(str(raw))
    return found


def stored_files() -> dict[object, bytes]:
    """Every file of every GridFS bucket, as the store holds it."""
    found = {}
    for db in store.databases().values():
        for bucket in crypto.file_buckets(db):
            fs = gridfs.GridFS(db, collection=bucket)
            for meta in db[f"{bucket}.files"].find({}, {"_id": 1}):
                found[meta["_id"]] = fs.get(meta["_id"]).read()
    return found


def opens_with(key: str, value: str) -> bool:
    crypto.configure(key)
    try:
        crypto.open_bytes(value)  # text or a file: whatever was sealed
    except ValueError:
        return False
    return True


def rotate() -> None:
    """What the operator does: the new key first, the command run, then the old key dropped."""
    mp = pytest.MonkeyPatch()
    mp.setenv("APP_ENV", "test")
    mp.setenv("FIELD_ENCRYPTION_KEYS", f"{NEW},{OLD}")
    try:
        assert crypto.main(["rotate"]) == 0
    finally:
        mp.undo()
    crypto.configure(NEW)


def test_rotation_re_encrypts_every_stored_value_and_file_and_the_old_key_can_go(product):
    board = make_board()
    client, services = product
    headers = bearer(make_token(make_user("admin", "chair", board=board)))
    resp = client.post("/api/v1/referrals", json=make_referral(child=CHILD), headers=headers)
    assert resp.status_code == 201, resp.json
    case_id = resp.json["id"]
    assert decide(_as(client, headers), case_id).status_code == 200
    # Every service has stored its sealed copy: the Ofsted form, the decision letter and one
    # letter to each of the two agencies' case groups reach notifications last.
    wait_for(lambda: LetterRecord.objects(case_id=case_id).count() == 4, timeout=20)
    copy = {"case_id": case_id, "kind": "referral_summary", "publication": True, "glossary": {"Jemima": "A"}}
    assert client.post("/api/v1/documents", json=copy, headers=headers).status_code == 202
    documents = list(StoredDocument.objects(case_id=case_id))
    for doc in documents:
        url = f"/api/v1/documents/{doc.document_id}/content?format=pdf"
        assert client.get(url, headers=headers).status_code == 200
    for service in services:
        service.stop()  # the keys change while nothing else runs
    raw_case = Case._get_collection().find_one({"_id": case_id})
    assert raw_case["child"]["name"].startswith("enc:v1:")  # embedded fields are encrypted
    before, files_before = sealed_values(), stored_files()
    assert len(before) >= 4 and len(files_before) == 2 * len(documents) >= 12  # Word and PDF each
    assert found_in_clear(NEEDLES) == []

    rotate()

    after, files_after = sealed_values(), stored_files()
    assert len(after) == len(before) and files_after.keys() == files_before.keys()
    assert all(opens_with(NEW, v) for v in after)
    assert not any(opens_with(OLD, v) for v in after)
    assert all(opens_with(NEW, f.decode("ascii")) for f in files_after.values())
    assert not any(opens_with(OLD, f.decode("ascii")) for f in files_after.values())
    assert found_in_clear(NEEDLES) == []
    crypto.configure(NEW)
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json
    assert case["child"]["name"] == CHILD["name"]
    record = CaseRecord.objects(case_id=case_id).first()
    assert crypto.open_json(record.child_sealed)["name"] == CHILD["name"]
    letter = LetterRecord.objects(case_id=case_id).first()
    assert crypto.open_bytes(letter.sealed)[:2] == b"PK"
    summary = next(d for d in documents if d.kind == "referral_summary" and not d.publication)
    for fmt, start in (("docx", b"PK"), ("pdf", b"%PDF")):
        url = f"/api/v1/documents/{summary.document_id}/content?format={fmt}"
        got = client.get(url, headers=headers)
        assert got.status_code == 200 and got.data.startswith(start) and b"Puddleworth" in text_of(got.data)
    made = client.post(
        "/api/v1/documents", json={"case_id": case_id, "kind": "referral_summary"}, headers=headers
    )
    assert made.status_code == 202, made.json


def text_of(data: bytes) -> bytes:
    return b"".join(opened_up(data))


# -- One bucket of files -------------------------------------------------------------------


@pytest.fixture
def bucket():
    crypto.configure(OLD)
    yield gridfs.GridFS(store.database(), collection="rotation_test"), "rotation_test"
    crypto.configure(DEV_FIELD_KEY)


def test_a_file_stored_in_clear_before_files_were_sealed_is_sealed_by_rotation(bucket):
    fs, name = bucket
    letter = b"PK plain letter for Jemima Puddleworth" * 3000
    plain = fs.put(letter, filename="old.docx", chunk_size=64 * 1024)  # two chunks, sealed: three
    sealed = fs.put(crypto.seal_file(b"sealed letter"), filename="new.docx")
    rotate()
    assert crypto.open_file(fs.get(plain).read()) == letter
    assert crypto.open_file(fs.get(sealed).read()) == b"sealed letter"
    assert found_in_clear(["Puddleworth"]) == []
    assert store.database()[f"{name}.files"].count_documents({}) == 2  # no copy left behind


def test_a_rotation_stopped_half_way_through_a_file_is_finished_by_the_next_run(bucket, monkeypatch):
    fs, name = bucket
    content = bytes(range(256)) * 4000  # about a megabyte: several chunks
    file_id = fs.put(crypto.seal_file(content), filename="long.pdf", chunk_size=64 * 1024)
    write_chunk = crypto._write_chunk
    calls = []

    def dies_on_the_third(chunks, fid, n, piece):
        calls.append(n)
        if len(calls) == 3:
            raise SystemExit("killed")
        write_chunk(chunks, fid, n, piece)

    monkeypatch.setattr(crypto, "_write_chunk", dies_on_the_third)
    with pytest.raises(SystemExit):
        rotate()
    monkeypatch.setattr(crypto, "_write_chunk", write_chunk)
    crypto.configure(f"{NEW},{OLD}")
    with pytest.raises(ValueError):  # half old, half new: this is what the copy is kept for
        crypto.open_file(fs.get(file_id).read())

    rotate()

    assert crypto.open_file(fs.get(file_id).read()) == content
    assert not opens_with(OLD, fs.get(file_id).read().decode("ascii"))
    files = store.database()[f"{name}.files"]
    assert files.count_documents({}) == 1 and crypto.ROTATION_COPY not in files.find_one({"_id": file_id})


class _as:
    """The referral test helpers take a client that sends the caller's token on every request."""

    def __init__(self, client: Client, headers: dict):
        self.client, self.headers = client, headers

    def post(self, url: str, json: dict):
        return self.client.post(url, json=json, headers=self.headers)
