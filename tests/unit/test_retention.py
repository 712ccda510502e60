"""The retention schedule: the board sets it, every service keeps it, and each applies it daily.

A run is tested on the whole product in one process: a referral that led to no review and
its documents and notifications are made, then made old (their dates moved back ten years),
beside a recent case that must not be touched. Each service's job then runs for the board.
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import gridfs
import pytest
from werkzeug.test import Client

from services.documents.adapters.repository import GridFsFiles
from services.embedded import EmbeddedApp, bootstrap_all
from shared import retention, store
from shared.audit import AuditEntry
from shared.retention import REMOVED, RetentionRun, RetentionSetting
from tests.factories import DEMO_AGENCIES, bearer, make_board, make_token, make_user
from tests.support import wait_for
from tests.unit.referral.test_api import decision_body, make_referral

NOT_SCR = {"seriously_harmed": True, "abuse_or_neglect": "known", "interagency_concern": "no"}
LONG_AGO = timedelta(days=3653)
SERVICES = ("referral", "scheduler", "documents", "notifications", "reviews")


def test_a_schedule_names_every_wrong_field_at_once():
    months, errors = retention.check(
        {
            "months": {
                "audit_log": 3,
                "published_reports": 6,
                "documents": "x",
                "photos": 12,
                "review_records": 0,
            }
        }
    )
    assert {e["field"] for e in errors} == {
        "months.audit_log",
        "months.published_reports",
        "months.documents",
        "months.photos",
    }
    published = next(e for e in errors if e["field"] == "months.published_reports")
    assert "between 12" in published["message"]  # 003: a report stays published 12 months at least
    months, errors = retention.check({"months": {"review_records": 180, "audit_log": 0}})
    assert errors == []
    assert months["review_records"] == 180 and months["audit_log"] == 0
    assert months["referrals_not_reviewed"] == 72  # left out: its default


def test_months_are_calendar_months():
    assert retention.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert retention.months_before(date(2026, 1, 15), 72) == date(2020, 1, 15)


@pytest.fixture
def product(settings):
    services = bootstrap_all(settings)
    for service in services:
        service.start()
    yield Client(EmbeddedApp(services)), {s.name: s for s in services}
    for service in services:
        service.stop()


def test_the_api_refuses_a_wrong_schedule_and_keeps_a_right_one_for_every_service(product):
    client, _ = product
    board = make_board(agencies=DEMO_AGENCIES)
    admin = bearer(make_token(make_user("admin", board=board)))
    practitioner = bearer(make_token(make_user("agency_practitioner", board=board, agency="police")))
    assert client.get("/api/v1/board/retention", headers=practitioner).status_code == 403
    read = client.get("/api/v1/board/retention", headers=admin).json
    assert read["months"] == retention.defaults()
    assert {t["code"] for t in read["record_types"]} == set(retention.BY_CODE)

    wrong = client.put("/api/v1/board/retention", json={"months": {"audit_log": -1, "x": 1}}, headers=admin)
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json["errors"]} == {"months.audit_log", "months.x"}

    months = {**retention.defaults(), "review_records": 180, "documents": 24}
    done = client.put("/api/v1/board/retention", json={"months": months}, headers=admin)
    assert done.status_code == 200 and done.json["months"] == months
    for service in SERVICES:  # each keeps its own copy, from board.retention_set
        wait_for(lambda s=service: retention.schedule_for(s, board.board_id) == months)
    assert AuditEntry.objects(action="board.retention_changed", board_id=board.board_id).count() == 1


def _refer_and_decide(client, referrer, chair, **decision) -> str:
    made = client.post("/api/v1/referrals", json=make_referral(facts=NOT_SCR), headers=referrer)
    assert made.status_code == 201, made.json
    case_id = made.json["id"]
    decided = client.post(f"/api/v1/cases/{case_id}/decision", json=decision_body(**decision), headers=chair)
    assert decided.status_code in (200, 201), decided.json
    return case_id


def _age(db, case_id: str) -> None:
    """Move every date of the case's records ten years back."""
    for name, field in (("documents", "created_at"), ("notifications", "created_at")):
        for doc in db[name].find({"case_id": case_id}):
            db[name].update_one({"_id": doc["_id"]}, {"$set": {field: doc[field] - LONG_AGO}})
    for doc in db["notification_letters"].find({"case_id": case_id}):
        db["notification_letters"].update_one(
            {"_id": doc["_id"]}, {"$set": {"received_at": doc["received_at"] - LONG_AGO}}
        )
    case = db["cases"].find_one({"_id": case_id})
    db["cases"].update_one(
        {"_id": case_id}, {"$set": {"decision.decided_on": case["decision"]["decided_on"] - LONG_AGO}}
    )
    for name in ("schedules", "timetables", "reviews"):
        for doc in db[name].find({"_id": case_id}):
            db[name].update_one({"_id": doc["_id"]}, {"$set": {"updated_at": doc["updated_at"] - LONG_AGO}})


def test_a_daily_run_pseudonymises_and_deletes_what_has_passed_the_schedule_and_says_so(product):
    client, services = product
    board = make_board(agencies=DEMO_AGENCIES)
    admin = bearer(make_token(make_user("admin", board=board)))
    referrer = bearer(make_token(make_user("agency_practitioner", board=board, agency="police")))
    chair = bearer(make_token(make_user("chair", board=board, name="Chair Person")))
    months = {**retention.defaults(), "documents": 24, "notifications": 24, "review_records": 60}
    assert client.put("/api/v1/board/retention", json={"months": months}, headers=admin).status_code == 200
    for service in SERVICES:
        wait_for(lambda s=service: retention.schedule_for(s, board.board_id) == months)

    old_case = _refer_and_decide(client, referrer, chair, outcome="no_review", lead_reviewers=[])
    new_case = _refer_and_decide(client, referrer, chair, outcome="no_review", lead_reviewers=[])
    db = store.database()
    for case_id in (old_case, new_case):
        wait_for(lambda c=case_id: db["documents"].count_documents({"case_id": c}))
        wait_for(lambda c=case_id: db["notifications"].count_documents({"case_id": c}))
    files_before = db[f"{GridFsFiles.BUCKET}.files"].count_documents({})
    old_files = [
        d["file_id"] for d in db["documents"].find({"case_id": old_case}) if d.get("file_id") is not None
    ]
    _age(db, old_case)

    jobs = {
        name: importlib.import_module(f"services.{name}.service_layer.retention").job() for name in SERVICES
    }
    runs = {name: job.run_for(board.board_id) for name, job in jobs.items()}
    assert all(runs.values())

    # The referral: pseudonymised, the new one untouched.
    old = db["cases"].find_one({"_id": old_case})
    assert "child" not in old and old["referrer"]["email"] == REMOVED and old["summary"] == REMOVED
    assert old["reference"] and old["decision"]["outcome"] == "no_review"
    assert db["cases"].find_one({"_id": new_case})["referrer"]["name"] == "Priya"
    assert runs["referral"].pseudonymised["referrals_not_reviewed"] == 1
    # Documents: the old case's deleted with their files; the new case's kept.
    assert db["documents"].count_documents({"case_id": old_case}) == 0
    assert db["documents"].count_documents({"case_id": new_case}) > 0
    fs = gridfs.GridFS(db, collection=GridFsFiles.BUCKET)
    assert old_files and not any(fs.exists(f) for f in old_files)
    assert db[f"{GridFsFiles.BUCKET}.files"].count_documents({}) < files_before
    # Notifications: pseudonymised, still counted.
    for note in db["notifications"].find({"case_id": old_case}):
        assert note["address"] == REMOVED and note["context"] == {}
    assert all(n["address"] != REMOVED for n in db["notifications"].find({"case_id": new_case}))
    assert runs["notifications"].pseudonymised["notifications"] >= 1
    # Each run is in the audit log, per record type, with its counts; and announced.
    entries = AuditEntry.objects(action="retention.applied", board_id=board.board_id)
    details = [e.detail for e in entries]
    assert any(d.startswith("referral: referrals_not_reviewed") and "1 pseudonymised" in d for d in details)
    assert any(d.startswith("documents: documents") for d in details)
    assert {e.resource_id for e in entries} >= {
        "referrals_not_reviewed",
        "audit_log",
        "documents",
        "notifications",
    }
    wait_for(lambda: all(not r.outbox for r in RetentionRun.objects(board_id=board.board_id)))

    # Once a day: a second run the same day does nothing.
    assert jobs["referral"].run_for(board.board_id) is None
    assert RetentionRun.objects(board_id=board.board_id).count() == len(SERVICES)


def test_the_audit_log_keeps_only_the_schedule_s_years(product):
    board = make_board()
    at = retention.naive(retention.cutoff(date.today(), 80))
    entry = {"at": at, "action": "case.read", "outcome": "success"}
    AuditEntry._get_collection().insert_many(
        [
            {"_id": "old", "board_id": board.board_id, **entry},
            {"_id": "other", "board_id": "x", **entry},
        ]
    )
    import services.referral.service_layer.retention as referral_retention

    run = referral_retention.job().run_for(board.board_id)
    assert run is not None and run.deleted["audit_log"] == 1
    assert AuditEntry.objects(entry_id="old").count() == 0
    assert AuditEntry.objects(entry_id="other").count() == 1
    assert RetentionSetting.objects(board_id=board.board_id).count() == 0  # defaults: nothing stored
