"""Subject access and erasure on the whole product in one process.

The demo board's police practitioner refers the demo child; a health practitioner of the same
board refers another child; the Chair decides both. The export for the demo child's referrer
must hold every record that names them, and nothing of the other referral.
"""

from __future__ import annotations

import io
import json

import docx
import pytest
from werkzeug.test import Client

from services.embedded import EmbeddedApp, bootstrap_all
from services.subject_access import export_for
from services.subject_access.__main__ import main
from services.subject_access.erasure import KEPT_AUDIT, KEPT_FOR_REVIEW, carry_out
from services.subject_access.export import to_docx, to_json
from services.subject_access.search import SKIPPED, opened
from shared import store
from shared.auth import demo
from shared.auth.models import User
from tests.factories import bearer, make_token, make_user
from tests.support import wait_for
from tests.unit.referral.test_api import decision_body, make_referral

REFERRER = "practitioner@demo.example.org"  # the demo board's police practitioner
OTHER = {"name": "Hana Health", "agency": "health", "email": "hana@health.example.org"}
OTHER_CHILD = {"name": "Sam Other", "date_of_birth": "2024-02-02", "nhs_number": "401 023 2137"}
NOT_SCR = {"seriously_harmed": True, "abuse_or_neglect": "known", "interagency_concern": "no"}


@pytest.fixture
def product(settings):
    demo.seed(settings.with_overrides(DEMO_PASSWORD="demo-password-for-tests"))
    services = bootstrap_all(settings)
    for service in services:
        service.start()
    yield Client(EmbeddedApp(services))
    for service in services:
        service.stop()


def _token(email: str) -> dict:
    return bearer(make_token(User.objects.get(email=email), demo.BOARD_ID))


def _refer(client, token, **body) -> str:
    made = client.post("/api/v1/referrals", json=make_referral(**body), headers=token)
    assert made.status_code == 201, made.json
    return made.json["id"]


@pytest.fixture
def two_referrals(product):
    client = product
    mine = _token(REFERRER)
    make_user(
        "agency_practitioner", board=demo.BOARD_ID, agency="health", name=OTHER["name"], email=OTHER["email"]
    )
    theirs = _token(OTHER["email"])
    chair = _token("chair@demo.example.org")
    referrer = {"name": "Priya Practitioner", "agency": "police", "email": REFERRER}
    case_ids = {
        "mine": _refer(client, mine, referrer=referrer),
        "theirs": _refer(client, theirs, referrer=OTHER, child=OTHER_CHILD, agencies_involved=["health"]),
    }
    db = store.database()
    for case_id in case_ids.values():
        decided = client.post(f"/api/v1/cases/{case_id}/decision", json=decision_body(), headers=chair)
        assert decided.status_code in (200, 201), decided.json
    for case_id in case_ids.values():
        wait_for(lambda c=case_id: db["documents"].count_documents({"case_id": c}), timeout=30)
        wait_for(lambda c=case_id: db["reviews"].count_documents({"_id": c}), timeout=30)
    references = {k: db["cases"].find_one({"_id": v})["reference"] for k, v in case_ids.items()}
    return client, case_ids, references


def _naming(db, terms: set[str]) -> set[tuple[str, str]]:
    """Independently: every (collection, id) whose opened record holds one of ``terms`` anywhere."""
    out = set()
    for name in db.list_collection_names():
        if "." in name or name in SKIPPED:
            continue
        for doc in db[name].find({}):
            text = json.dumps(opened(doc), default=str).lower()
            if any(t in text for t in terms):
                out.add((name, str(doc["_id"])))
    return out


def test_the_export_for_the_demo_child_s_referrer_holds_every_record_of_them_and_nothing_of_another(
    two_referrals,
):
    _, case_ids, references = two_referrals
    db = store.database()
    user = User.objects.get(email=REFERRER)
    export = export_for(REFERRER, {"lscb": db})
    found = export["found"]["lscb"]
    got = {(coll, hit["id"]) for coll, hits in found.items() for hit in hits if coll != "documents (content)"}

    expected = _naming(db, {REFERRER, user.user_id, "priya practitioner"})
    assert expected - got == set(), "records naming the referrer are missing from the export"
    assert ("users", user.user_id) in got and ("cases", case_ids["mine"]) in got
    assert any(hit["record"].get("actor_id") == user.user_id for hit in found["audit_log"])
    mine = next(hit for hit in found["cases"] if hit["id"] == case_ids["mine"])
    assert {"name": "Priya Practitioner", "agency": "police", "email": REFERRER} in [
        part["value"] for part in mine["record"]["about_them"]
    ]
    assert "child" not in json.dumps(mine["record"])  # the child's details are someone else's
    assert "password" not in json.dumps(found["users"])

    text = to_json(export)
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(to_docx(export))).paragraphs)
    others = (OTHER["name"], OTHER["email"], OTHER_CHILD["name"], case_ids["theirs"], references["theirs"])
    for other in others:
        assert other not in text and other not in words, other
    assert REFERRER in words and "Referrals that name you" in words


def test_the_command_writes_json_and_word(two_referrals, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("services.subject_access.__main__.databases", lambda uris: {"lscb": store.database()})
    assert main([REFERRER, "--out", str(tmp_path)]) == 0
    assert json.loads((tmp_path / "practitioner-demo-example-org.json").read_text())["found"]
    assert (tmp_path / "practitioner-demo-example-org.docx").read_bytes()[:2] == b"PK"
    assert "records name practitioner@demo.example.org" in capsys.readouterr().out


def test_the_admin_api_gives_the_export_to_admins_only(two_referrals):
    client, case_ids, _ = two_referrals
    admin = _token("admin@demo.example.org")
    url = f"/api/v1/subject-access?person={REFERRER}"
    assert client.get(url, headers=_token(REFERRER)).status_code == 403
    assert client.get("/api/v1/subject-access", headers=admin).status_code == 422
    answer = client.get(f"/api/v1/subject-access?person={REFERRER}", headers=admin)
    assert answer.status_code == 200
    cases = [hit["id"] for hits in answer.json["found"].values() for hit in hits.get("cases", [])]
    assert cases == [case_ids["mine"]]


def test_erasure_is_done_where_the_law_allows_and_refused_with_the_reason_where_not(two_referrals):
    client, case_ids, _ = two_referrals
    chair = _token("chair@demo.example.org")
    closed = _refer(
        client,
        _token(REFERRER),
        facts=NOT_SCR,
        referrer={"name": "Priya Practitioner", "agency": "police", "email": REFERRER},
    )
    body = decision_body(outcome="no_review", lead_reviewers=[])
    assert client.post(f"/api/v1/cases/{closed}/decision", json=body, headers=chair).status_code in (200, 201)
    db = store.database()

    record = carry_out({"lscb": db}, REFERRER, requested_by="Priya Practitioner, by email")
    results = {(r["collection"], r["id"]): r for r in record["results"]}
    assert results[("cases", case_ids["mine"])]["action"] == "refused"
    assert results[("cases", case_ids["mine"])]["reason"] == KEPT_FOR_REVIEW
    assert results[("cases", closed)]["action"] == "erased"
    assert any(r["collection"] == "audit_log" and r["reason"] == KEPT_AUDIT for r in record["results"])
    assert record["status"] == "partly refused"

    assert db["cases"].find_one({"_id": closed})["referrer"]["email"] != REFERRER
    assert db["cases"].find_one({"_id": case_ids["mine"]})["referrer"]["email"] == REFERRER
    assert db["cases"].find_one({"_id": case_ids["theirs"]})["referrer"] == OTHER
    assert User.objects(email=REFERRER).first() is None  # the account no longer names them
    kept = db["erasure_requests"].find_one({"_id": record["_id"]})
    assert kept["requested_by"] == "Priya Practitioner, by email" and kept["scope"]
