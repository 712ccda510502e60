"""A client that retries a POST with the same Idempotency-Key gets the first answer, not a second record."""

from __future__ import annotations

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
