"""schemathesis over the notifications service's API: 0 server errors, every answer as declared.

The ledger holds real notifications, made the way the service makes them (its
handlers receive a referral, a decision and its letter; the dispatcher sends
them through a fake channel, one refused, one left uncertain), so that the ids
in the paths exist and the success answers are checked with sent, failed,
uncertain and pending records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.notifications.adapters.channels import PermanentDeliveryError, UncertainDeliveryError
from services.notifications.adapters.store import Notification, Recipient
from services.notifications.bootstrap import bootstrap
from services.notifications.service_layer import directory
from services.notifications.service_layer.handlers import listeners
from services.notifications.service_layer.unit_of_work import MongoUnitOfWork
from shared import openapi
from shared.events import Event
from shared.service import Service
from tests.contract.harness import assert_contract
from tests.factories import bearer, make_token, make_user
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import FakeChannel, FakeClock

T0 = datetime(2027, 1, 8, 10, 0, tzinfo=UTC)
OPERATIONS = {
    "GET /api/v1/notifications",
    "GET /api/v1/notifications/{notification_id}",
    "POST /api/v1/notifications/{notification_id}/resend",
    "POST /api/v1/notifications/{notification_id}/delivered",
    "GET /api/v1/recipients",
    "POST /api/v1/recipients",
    "DELETE /api/v1/recipients/{recipient_id}",
}


def _handle(service: Service, event: Event[Any]) -> None:
    for sub in listeners.subscriptions(service.extras["dependencies"].as_dict()):
        if event.event_type in sub.event_types:
            sub.handler(event)


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel()


@pytest.fixture
def service(settings, board, channel) -> Service:
    directory.seed_demo_recipients(MongoUnitOfWork(), board.board_id)
    service = bootstrap(settings, channel_for=lambda board_id: channel, clock=FakeClock(T0))
    _handle(service, f.referral_submitted(board.board_id))
    decision = f.decision_recorded(board.board_id)
    _handle(service, decision)
    _handle(service, f.document_generated(decision, document_id="doc-1"))
    channel.failures.append(PermanentDeliveryError("550 5.1.1 No such user", code=550))
    channel.failures.append(UncertainDeliveryError("connection dropped after DATA"))
    service.extras["dependencies"].dispatch()
    return service


def test_every_notifications_api_route_has_a_contract(service):
    assert openapi.undocumented_routes(service.app) == []


def test_the_notifications_api_keeps_its_contract(service, board, admin_token):
    statuses = {n.status for n in Notification.objects(board_id=board.board_id)}
    assert statuses == {"sent", "failed", "uncertain"}, statuses  # with and without sent_at
    uncertain = Notification.objects(board_id=board.board_id, status="uncertain").first()
    spare = Recipient(board_id=board.board_id, role="chair", name="Spare Chair", email="spare@example.org")
    spare.save()

    report = assert_contract(
        service.app,
        admin_token,
        max_examples=20,
        path_parameters={"notification_id": uncertain.notification_id, "recipient_id": spare.recipient_id},
    )

    assert set(report.operations) == OPERATIONS
    # the success answers were reached with the real ids: resent, or confirmed delivered, whichever came first
    assert Notification.objects(notification_id=uncertain.notification_id).first().status in (
        "pending",
        "delivered",
    )
    assert Recipient.objects(recipient_id=spare.recipient_id).first().active is False


def test_the_ledger_filters_are_validated(service, admin_token):
    client = service.app.test_client()
    auth = bearer(admin_token)
    everything = client.get("/api/v1/notifications", headers=auth).get_json()
    assert len(everything["items"]) == 3
    assert (everything["total"], everything["page"], everything["per_page"], everything["pages"]) == (
        3,
        1,
        50,
        1,
    )
    blank = client.get("/api/v1/notifications?case_id=&status=&page=", headers=auth)
    assert blank.status_code == 200 and len(blank.get_json()["items"]) == 3
    sent = client.get("/api/v1/notifications?status=sent", headers=auth).get_json()["items"]
    assert len(sent) == 1 and all(datetime.fromisoformat(n["sent_at"]).utcoffset() is not None for n in sent)
    pages = [
        client.get(f"/api/v1/notifications?per_page=2&page={p}", headers=auth).get_json() for p in (1, 2, 3)
    ]
    assert [len(p["items"]) for p in pages] == [2, 1, 0] and {p["pages"] for p in pages} == {2}
    assert len({n["id"] for p in pages for n in p["items"]}) == 3  # every one once, in order
    for query in ("status=lost", "colour=red", "per_page=201", "page=0"):
        resp = client.get(f"/api/v1/notifications?{query}", headers=auth)
        assert resp.status_code == 422, (query, resp.get_json())
        assert resp.get_json()["errors"][0]["field"] in ("status", "colour", "per_page", "page")
    recipients = client.get("/api/v1/recipients?per_page=2", headers=auth).get_json()
    assert (len(recipients["items"]), recipients["total"], recipients["pages"]) == (2, 5, 3)


def test_a_member_without_a_staff_role_is_refused_everywhere(service, board):
    token = make_token(make_user("panel_member", board=board))
    assert_contract(service.app, token, max_examples=5)
