"""A client that retries a POST with the same Idempotency-Key gets the first answer, not a second record."""

from __future__ import annotations

import os

import pytest

from services.referral.adapters.store import Case
from services.referral.bootstrap import bootstrap
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.referral.test_api import make_referral


@pytest.fixture
def api(settings):
    service = bootstrap(settings)
    board = make_board()
    headers = bearer(make_token(make_user("business_unit", board=board)))
    client = service.app.test_client()

    def post(body: dict, key: str | None = None, who: dict | None = None):
        extra = {"Idempotency-Key": key} if key else {}
        return client.post("/api/v1/referrals", json=body, headers={**(who or headers), **extra})

    post.board = board  # type: ignore[attr-defined]
    return post


def test_a_retry_with_the_same_key_returns_the_first_answer_and_files_nothing_twice(api):
    body = make_referral()
    first = api(body, key="a1b2c3")
    again = api(body, key="a1b2c3")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_without_a_key_each_post_is_its_own_request(api):
    body = make_referral()
    assert api(body).status_code == api(body).status_code == 201
    assert Case.objects.count() == 2


def test_the_same_key_for_a_different_request_is_refused_naming_the_header(api):
    assert api(make_referral(), key="k-1").status_code == 201
    other = api(make_referral(summary="Another incident entirely, at school."), key="k-1")
    assert other.status_code == 422
    assert other.get_json()["errors"][0]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1


def test_keys_belong_to_their_caller(api):
    someone_else = bearer(make_token(make_user("business_unit", board=api.board)))
    body = make_referral()
    assert api(body, key="shared-key").status_code == 201
    assert api(body, key="shared-key", who=someone_else).status_code == 201
    assert Case.objects.count() == 2


def test_a_refused_request_is_answered_the_same_way_on_retry(api):
    bad = make_referral(summary="")
    first = api(bad, key="bad-1")
    again = api(bad, key="bad-1")
    assert first.status_code == again.status_code == 422
    assert again.get_json() == first.get_json()


def test_a_key_that_is_not_printable_text_is_refused(api):
    resp = api(make_referral(), key="x" * 300)
    assert resp.status_code == 422
    assert resp.get_json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_retry_while_the_first_is_still_running_is_told_so_and_not_run(api):
    from shared import idempotency, store

    body = make_referral()
    assert api(body, key="slow-1").status_code == 201
    # As the record stands while the first request is still being handled:
    store.database()[idempotency.COLLECTION].update_one({"key": "slow-1"}, {"$set": {"state": "running"}})
    again = api(body, key="slow-1")
    assert again.status_code == 409
    assert again.get_json()["errors"][0]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1


# -- a request whose process died while handling it ------------------------------------------------


def _cut_short(key: str, *, saved: bool) -> None:
    """Leave the key as a process killed mid-request leaves it: running, owned by a process now gone.

    ``saved``: killed after its change was saved (and before its answer was); otherwise before.
    """
    from shared import idempotency, store

    if not saved:
        Case.objects.delete()
    # This host, and this process's pid when it belonged to a process that has ended.
    gone = f"{idempotency._host()}:{os.getpid()}:a-process-this-pid-belonged-to-before"
    store.database()[idempotency.COLLECTION].update_one(
        {"key": key},
        {"$set": {"state": "running", "owner": gone}, "$unset": {"status": "", "body": "", "headers": ""}},
    )


def test_a_retry_after_the_process_died_before_saving_runs_the_request_once(api):
    body = make_referral()
    assert api(body, key="killed-1").status_code == 201
    _cut_short("killed-1", saved=False)
    again = api(body, key="killed-1")
    assert again.status_code == 201, again.get_json()  # not 409 "still being handled" for 24 hours
    assert "Idempotent-Replayed" not in again.headers
    assert Case.objects.count() == 1
    assert api(body, key="killed-1").headers["Idempotent-Replayed"] == "true"  # its answer is kept now


def test_a_retry_after_the_process_died_after_saving_answers_with_the_case_it_saved(api):
    body = make_referral()
    first = api(body, key="killed-2")
    _cut_short("killed-2", saved=True)
    again = api(body, key="killed-2")
    assert again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert Case.objects.count() == 1  # not filed twice: Ofsted is not told of one incident twice


def test_a_decision_retried_after_the_process_died_after_saving_is_recorded_once(settings):
    from shared.events import parse_envelope
    from tests.unit.referral.test_api import decision_body

    service = bootstrap(settings)
    board = make_board()
    client = service.app.test_client()
    clerk = bearer(make_token(make_user("business_unit", board=board)))
    chair = bearer(make_token(make_user("chair", board=board)))
    case_id = client.post("/api/v1/referrals", json=make_referral(), headers=clerk).get_json()["id"]

    def decide():
        return client.post(
            f"/api/v1/cases/{case_id}/decision",
            json=decision_body(),
            headers={**chair, "Idempotency-Key": "decided-1"},
        )

    first = decide()
    assert first.status_code == 200, first.get_json()
    _cut_short("decided-1", saved=True)
    again = decide()
    assert again.status_code == 200, again.get_json()  # not 409: the case is decided by this request
    assert again.get_json()["decision"] == first.get_json()["decision"]
    raw = Case._get_collection().find_one({"_id": case_id})
    events = [parse_envelope(e["envelope"]).event_type for e in raw["outbox"]]
    assert events.count("decision.recorded") == 1


def test_a_key_running_in_a_live_process_is_still_told_so(api):
    from shared import idempotency, store

    body = make_referral()
    assert api(body, key="alive-1").status_code == 201
    store.database()[idempotency.COLLECTION].update_one(
        {"key": "alive-1"}, {"$set": {"state": "running", "owner": idempotency._owner()}}
    )
    assert api(body, key="alive-1").status_code == 409
    assert Case.objects.count() == 1


def test_a_key_running_on_another_host_is_taken_over_only_after_the_lease(api):
    from datetime import UTC, datetime

    from shared import idempotency, store

    body = make_referral()
    assert api(body, key="elsewhere-1").status_code == 201
    Case.objects.delete()
    records = store.database()[idempotency.COLLECTION]
    since = datetime.now(UTC) - idempotency.RUNNING_LEASE / 2
    running = {"state": "running", "owner": "another-host:4242:17", "running_since": since}
    records.update_one({"key": "elsewhere-1"}, {"$set": running})
    assert api(body, key="elsewhere-1").status_code == 409
    since = datetime.now(UTC) - idempotency.RUNNING_LEASE * 2
    records.update_one({"key": "elsewhere-1"}, {"$set": {"running_since": since}})
    assert api(body, key="elsewhere-1").status_code == 201
    assert Case.objects.count() == 1
