"""A referral and a decision, made over HTTP, reach other services through RabbitMQ; so do the
safeguarding partners' rapid review and a decision kept after a challenge (issue 12)."""

from __future__ import annotations

import pytest

from services.referral.bootstrap import bootstrap
from services.referral.entrypoints.consumer import CONSUMERS
from shared.bus import Subscription, Worker
from shared.crypto import open_json
from shared.events.referral import (
    CaseScreened,
    DecisionChallenged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
    ReviewerAppointed,
)
from shared.framework import today_in_england as today
from tests.factories import DEMO_AGENCIES, TokenClient, make_board, make_token, make_user
from tests.support import delete_topology, wait_for
from tests.unit.referral.test_api import decide, make_referral

pytestmark = pytest.mark.broker

TYPES = (ReferralSubmitted, CaseScreened, DecisionRecorded, ReviewerAppointed)


def test_referral_and_decision_events_cross_the_broker(amqp_settings):
    board = make_board(agencies=DEMO_AGENCIES)
    secret = make_token(make_user("admin", "chair", board=board))
    received = []
    listener = Worker(
        amqp_settings,
        [
            Subscription(
                "scheduler.test",
                tuple(t.event_type for t in TYPES),
                received.append,
            )
        ],
        name="listener",
    )
    listener.start()
    referral = bootstrap(amqp_settings).start()
    try:
        assert listener.wait_until_consuming(10)
        client = TokenClient(referral.app.test_client(), secret)
        created = client.post("/api/v1/referrals", json=make_referral()).get_json()
        assert decide(client, created["id"]).status_code == 200
        wait_for(lambda: len(received) >= 4, timeout=20)
    finally:
        referral.stop()
        listener.stop()
        delete_topology(
            amqp_settings, ["scheduler.test", *[s.consumer for s in referral.runtime.subscriptions]]
        )
    by_type = {type(e.data): e for e in received}
    assert set(by_type) == set(TYPES)
    submitted = by_type[ReferralSubmitted]
    assert submitted.data.case_id == created["id"] and submitted.event_version == 2
    assert open_json(submitted.data.child_sealed)["name"] == "Jane Doe"
    assert by_type[CaseScreened].data.facts["child_died"] is True
    recorded = by_type[DecisionRecorded].data
    assert recorded.outcome == "serious_case_review" and recorded.rationale == "Criteria met."
    assert [r.name for r in by_type[ReviewerAppointed].data.reviewers] == ["Dr R Independent"]
    # One request, one correlation id, from the referral to its consequences.
    assert submitted.correlation_id == by_type[CaseScreened].correlation_id
    # The service's own queue for the scheduler's deadlines keeps its name (and its dead letters').
    assert [s.consumer for s in referral.runtime.subscriptions if s.consumer in CONSUMERS] == [
        "referral.deadlines"
    ]


CURRENT_TYPES = (RapidReviewRecorded, DecisionRecorded, DecisionChallenged, DecisionConfirmed)


def test_a_rapid_review_and_a_decision_kept_cross_the_broker(amqp_settings):
    """wt2023: the partners' rapid review goes to the Panel (W18-12, W23-11); a decision kept
    after a challenge is told as a changed one is (003 checklist): both reach the others."""
    board = make_board(agencies=DEMO_AGENCIES)
    board.rule_pack = "wt2023"
    board.save()
    secret = make_token(make_user("admin", "chair", board=board, name="Pat Chair"))
    received = []
    listener = Worker(
        amqp_settings,
        [Subscription("notifications.test", tuple(t.event_type for t in CURRENT_TYPES), received.append)],
        name="listener",
    )
    listener.start()
    referral = bootstrap(amqp_settings).start()
    try:
        assert listener.wait_until_consuming(10)
        client = TokenClient(referral.app.test_client(), secret)
        case_id = client.post("/api/v1/referrals", json=make_referral()).get_json()["id"]
        on = today().isoformat()
        review = {
            "completed_on": on,
            "recommends_local_review": True,
            "suggests_national_review": False,
            "summary": "Police and health did not share what they knew.",
        }
        assert client.post(f"/api/v1/cases/{case_id}/rapid-review", json=review).status_code == 201
        decided = decide(
            client,
            case_id,
            outcome="local_child_safeguarding_practice_review",
            lead_reviewers=[],
            rationale="The rapid review recommends a local review.",
        )
        assert decided.status_code == 200, decided.get_json()
        challenge = {"challenged_by": "national_panel", "challenged_on": on, "summary": "Review nationally?"}
        assert client.post(f"/api/v1/cases/{case_id}/challenges", json=challenge).status_code == 201
        keep = {"confirmed_on": on, "rationale": "A local review is the right size for the learning."}
        assert client.post(f"/api/v1/cases/{case_id}/decision/confirm", json=keep).status_code == 201
        wait_for(lambda: len(received) >= 4, timeout=20)
    finally:
        referral.stop()
        listener.stop()
        delete_topology(
            amqp_settings, ["notifications.test", *[s.consumer for s in referral.runtime.subscriptions]]
        )
    by_type = {type(e.data): e.data for e in received}
    assert set(by_type) == set(CURRENT_TYPES)
    assert by_type[RapidReviewRecorded].rule_pack == "wt2023"
    assert by_type[RapidReviewRecorded].recommends_local_review is True
    confirmed = by_type[DecisionConfirmed]
    assert (confirmed.outcome, confirmed.challenged_by, confirmed.chair_name) == (
        "local_child_safeguarding_practice_review",
        "national_panel",
        "Pat Chair",
    )
