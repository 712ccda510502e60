"""A referral and a decision, made over HTTP, reach other services through RabbitMQ."""

from __future__ import annotations

import pytest

from services.referral.bootstrap import bootstrap
from shared.bus import Subscription, Worker
from tests.factories import bearer, make_board, make_token, make_user
from tests.support import delete_topology, wait_for
from tests.unit.referral.test_api import decide, make_referral

pytestmark = pytest.mark.broker


def test_referral_and_decision_events_cross_the_broker(amqp_settings):
    board = make_board(agencies=("police", "health", "childrens_social_care", "education"))
    token = bearer(make_token(make_user("admin", "chair", board=board)))
    received = []
    listener = Worker(
        amqp_settings,
        [
            Subscription(
                "scheduler.test",
                ("referral.submitted", "case.screened", "decision.recorded", "reviewer.appointed"),
                received.append,
            )
        ],
        name="listener",
    )
    listener.start()
    referral = bootstrap(amqp_settings).start()
    try:
        assert listener.wait_until_consuming(10)
        client = referral.app.test_client()
        created = client.post("/api/v1/referrals", json=make_referral(), headers=token).get_json()

        class C:
            def post(self, path, json=None):
                return client.post(path, json=json, headers=token)

        assert decide(C(), created["id"]).status_code == 200
        wait_for(lambda: len(received) >= 4, timeout=20)
    finally:
        referral.stop()
        listener.stop()
        delete_topology(
            amqp_settings, ["scheduler.test", *[s.consumer for s in referral.runtime.subscriptions]]
        )
    by_type = {e.event_type: e for e in received}
    assert set(by_type) == {"referral.submitted", "case.screened", "decision.recorded", "reviewer.appointed"}
    assert by_type["referral.submitted"].data["case_id"] == created["id"]
    assert by_type["decision.recorded"].data["outcome"] == "serious_case_review"
    # One request, one correlation id, from the referral to its consequences.
    assert by_type["referral.submitted"].correlation_id == by_type["case.screened"].correlation_id
