"""Key rotation on the records the product really keeps.

A referral with the child's details goes through all four services in one
process, so every place that holds them encrypted has them: the case record
(embedded ``Child`` fields), the referral's events in its outbox, the
documents service's own record of the case and the letters notifications keeps
to attach. Then a new key is put first, ``python -m shared.crypto rotate`` runs,
and the old key is dropped: everything still reads, and nothing in the store
can be opened with the old key alone.
"""

from __future__ import annotations

import re

import pytest
from cryptography.fernet import Fernet
from werkzeug.test import Client

from services.documents.adapters.case_record import CaseRecord
from services.embedded import EmbeddedApp, bootstrap_all
from services.notifications.adapters.store import LetterRecord
from services.referral.adapters.store import Case
from shared import crypto, store
from shared.config import DEV_FIELD_KEY
from tests.factories import bearer, make_board, make_token, make_user
from tests.support import wait_for
from tests.unit.referral.test_api import decide, make_referral

SEALED = re.compile(r"enc:v1:[A-Za-z0-9_\-=]+")


@pytest.fixture
def product(settings):
    crypto.configure(DEV_FIELD_KEY)
    services = bootstrap_all(settings)
    for service in services:
        service.start()
    yield Client(EmbeddedApp(services)), services
    for service in services:
        service.stop()
    crypto.configure(DEV_FIELD_KEY)


def sealed_values() -> list[str]:
    """Every encrypted value anywhere in the store, as the raw documents hold them."""
    found = []
    for db in store.databases().values():
        for name in db.list_collection_names():
            if name.endswith(".chunks"):
                continue
            for raw in db[name].find({}):
                found += SEALED.findall(str(raw))
    return found


def opens_with(key: str, value: str) -> bool:
    crypto.configure(key)
    try:
        crypto.open_bytes(value)  # text or a file: whatever was sealed
    except ValueError:
        return False
    return True


def test_rotation_re_encrypts_every_stored_value_and_the_old_key_can_go(product, monkeypatch):
    old, new = DEV_FIELD_KEY, Fernet.generate_key().decode()
    board = make_board()
    client, services = product
    headers = bearer(make_token(make_user("admin", board=board)))
    resp = client.post("/api/v1/referrals", json=make_referral(), headers=headers)
    assert resp.status_code == 201, resp.json
    case_id = resp.json["id"]
    assert decide(_as(client, headers), case_id).status_code == 200
    # Every service has stored its sealed copy: the Ofsted form, the decision letter and one
    # letter to each of the two agencies' case groups reach notifications last.
    wait_for(lambda: LetterRecord.objects(case_id=case_id).count() == 4, timeout=20)
    for service in services:
        service.stop()  # the keys change while nothing else runs
    raw_case = Case._get_collection().find_one({"_id": case_id})
    assert raw_case["child"]["name"].startswith("enc:v1:")  # embedded fields are encrypted
    before = sealed_values()
    assert len(before) >= 4

    # The operator puts the new key first and runs the command with the service's settings.
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", f"{new},{old}")
    assert crypto.main(["rotate"]) == 0
    crypto.configure(new)  # the old key is dropped

    after = sealed_values()
    assert len(after) == len(before)
    assert all(opens_with(new, v) for v in after)
    assert not any(opens_with(old, v) for v in after)
    crypto.configure(new)
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json
    assert case["child"]["name"] == "Jane Doe"
    record = CaseRecord.objects(case_id=case_id).first()
    assert crypto.open_json(record.child_sealed)["name"] == "Jane Doe"
    letter = LetterRecord.objects(case_id=case_id).first()
    assert crypto.open_bytes(letter.sealed)[:2] == b"PK"
    made = client.post(
        "/api/v1/documents", json={"case_id": case_id, "kind": "referral_summary"}, headers=headers
    )
    assert made.status_code == 202, made.json


class _as:
    """The referral test helpers take a client that sends the caller's token on every request."""

    def __init__(self, client: Client, headers: dict):
        self.client, self.headers = client, headers

    def post(self, url: str, json: dict):
        return self.client.post(url, json=json, headers=self.headers)
