"""Exactly once to the recipient, through the real adapters: the store (mongomock), a real SMTP server
on loopback whose behaviour the test switches (accept, refuse, 421, drop after DATA, slow), a loopback
GOV.UK Notify, and the service's pages and API.

What was measured before this was built: a server that took a message and dropped the connection got
every message of that window twice, each copy with a new Message-ID, both recorded as plain "sent".
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

import pytest
from prometheus_client import REGISTRY

from services.notifications.adapters.channels import NotifyChannel, SmtpChannel
from services.notifications.adapters.store import Notification
from services.notifications.bootstrap import Dependencies, bootstrap, dependencies
from services.notifications.service_layer import dispatch as dispatcher
from services.notifications.service_layer.handlers import listeners
from shared.events import Event, parse_envelope
from shared.service import Service
from tests.factories import bearer, make_token, make_user
from tests.fake_notify import FakeNotify
from tests.smtp_server import ACCEPT, BUSY, DROP_AFTER_DATA, REFUSE, SLOW, RecordingHandler, SmtpServers
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import T0, FakeClock

NATIONAL = (
    "ofsted@placeholder.example.org",
    "dfe@placeholder.example.org",
    "national-panel@placeholder.example.org",
)


class Crash(BaseException):
    """The process ending where it stands (SIGKILL, power cut): nothing after it runs."""


@pytest.fixture
def errors_logged():
    """The error lines the dispatcher logs (structlog's event dicts), whatever the logging set-up."""
    found: list[dict[str, Any]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.msg, dict):
                found.append(record.msg)

    handler, logger = Keep(level=logging.ERROR), logging.getLogger(dispatcher.__name__)
    logger.addHandler(handler)
    yield found
    logger.removeHandler(handler)


@pytest.fixture
def smtp():
    servers = SmtpServers()
    handler = RecordingHandler()
    controller = servers.start(handler)
    yield servers, handler, controller.port
    servers.stop_all()


def smtp_to(port: int, timeout: float = 3) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", port, "lscb@board.example", starttls="never", timeout=timeout)


def service_on(settings, channel, clock) -> Service:
    """The service as a process starts it: its dispatcher is the periodic job, not yet run."""
    return bootstrap(settings, channel_for=lambda board_id: channel, clock=clock)


def deps_of(service: Service) -> Dependencies:
    deps: Dependencies = service.extras["dependencies"]
    return deps


def start_dispatcher(service: Service) -> int:
    """One run of the worker's dispatcher, as its Periodic job calls it (the first: it has just started)."""
    [job] = [p for p in service.extras["periodic"] if p.name == "notification-dispatch"]
    tried: int = job.job()
    return tried


def decided_and_documented(deps: Dependencies, board) -> Event[Any]:
    subscriptions = listeners.subscriptions(deps.as_dict())

    def handle(event: Event[Any]) -> None:
        for sub in subscriptions:
            if event.event_type in sub.event_types:
                sub.handler(event)

    handle(f.referral_submitted(board.board_id))
    decision = f.decision_recorded(board.board_id)
    handle(decision)
    handle(f.document_generated(decision, document_id="doc-1"))
    return decision


def stored(**match: Any) -> list[Notification]:
    return list(Notification.objects(**match).order_by("recipient_role"))


def events_of(n: Notification) -> list[str]:
    raw = Notification._get_collection().find_one({"_id": n.notification_id})
    return [e["event_type"] for e in raw.get("outbox", [])]


def gauge(status: str) -> float | None:
    labels = {"service": "notifications", "status": status}
    return REGISTRY.get_sample_value("lscb_notifications_needing_attention", labels)


def test_a_drop_after_data_is_uncertain_never_resent_and_shown_first_for_a_person(
    board, smtp, settings, errors_logged
):
    servers, handler, port = smtp
    clock = FakeClock(T0)
    service = service_on(settings, smtp_to(port), clock)
    deps = deps_of(service)
    decided_and_documented(deps, board)
    Notification.objects(recipient_role="dfe").update(set__address="refused@example.org")
    handler.rcpt_replies = {"refused@example.org": "550 5.1.1 No such user"}

    servers.behave(port, DROP_AFTER_DATA)
    assert start_dispatcher(service) == 3
    servers.behave(port, ACCEPT)
    for _ in range(10):  # hours pass, with the server taking everything: nothing goes again
        clock.advance(hours=1)
        assert deps.dispatch() == 0

    assert sorted(env.rcpt_tos[0] for env, _ in handler.received) == sorted(NATIONAL[::2])  # dfe refused
    assert handler.dropped == 2
    uncertain = stored(status="uncertain")
    assert [n.recipient_role for n in uncertain] == ["national_panel", "ofsted"]
    assert {n.message_id for n in uncertain} == set(handler.message_ids())
    # No notification.sent (no duty met by them); the home page is told a person must check them.
    assert all(events_of(n) == ["notification.uncertain"] for n in uncertain)
    assert gauge("uncertain") == 2 and gauge("failed") == 1
    alerts = [e for e in errors_logged if e["event"] == "notifications.uncertain"]
    assert sorted(e["message_id"] for e in alerts) == sorted(n.message_id for n in uncertain)

    admin = bearer(make_token(make_user("admin", board=board)))
    client = service.app.test_client()
    page = client.get("/notifications/operations", headers=admin).get_data(as_text=True)
    assert "Sent, but not confirmed" in page and "Mark as delivered" in page
    assert max(page.index(n.address) for n in uncertain) < page.index("refused@example.org")  # first
    assert all(escape(n.message_id) in page for n in uncertain)
    assert "1 to 3 of 3" in page


def test_a_person_resends_an_uncertain_one_with_its_message_id_or_confirms_it_arrived(board, smtp, settings):
    servers, handler, port = smtp
    clock = FakeClock(T0)
    service = service_on(settings, smtp_to(port), clock)
    deps = deps_of(service)
    decided_and_documented(deps, board)
    servers.behave(port, DROP_AFTER_DATA)
    deps.dispatch()
    servers.behave(port, ACCEPT)
    ofsted, dfe = stored(recipient_role="ofsted")[0], stored(recipient_role="dfe")[0]
    admin = bearer(make_token(make_user("business_unit", board=board)))
    client = service.app.test_client()
    clock.advance(days=2)

    resent = client.post(f"/api/v1/notifications/{ofsted.notification_id}/resend", headers=admin)
    assert resent.status_code == 202 and resent.get_json()["message_id"] == ofsted.message_id
    confirmed = client.post(f"/api/v1/notifications/{dfe.notification_id}/delivered", headers=admin)
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "delivered"
    assert (
        client.post(f"/api/v1/notifications/{dfe.notification_id}/delivered", headers=admin).status_code
        == 409
    )
    deps.dispatch()

    ids = handler.message_ids()
    assert ids.count(ofsted.message_id) == 2  # the repeat carries the first copy's Message-ID
    assert ids.count(dfe.message_id) == 1
    for n, day in (
        (stored(recipient_role="ofsted")[0], clock().date()),
        (stored(recipient_role="dfe")[0], T0.date()),
    ):
        raw = Notification._get_collection().find_one({"_id": n.notification_id})
        [sent] = [
            parse_envelope(e["envelope"])
            for e in raw["outbox"]
            if e["event_type"] != "notification.uncertain"
        ]
        assert sent.event_type == "notification.sent" and sent.data.sent_on == day
    detail = client.get(f"/api/v1/notifications/{dfe.notification_id}", headers=admin).get_json()
    assert any("confirmed that attempt 1 arrived" in h["text"] for h in detail["history"])


def test_one_message_id_per_notification_through_421_refusal_and_a_slow_answer(board, smtp, settings):
    servers, handler, port = smtp
    clock = FakeClock(T0)
    deps = dependencies(settings, channel_for=lambda board_id: smtp_to(port, timeout=0.5), clock=clock)
    decided_and_documented(deps, board)

    servers.behave(port, BUSY)  # 421 to MAIL FROM: nothing received, tried again later
    deps.dispatch()
    servers.behave(port, REFUSE)  # nothing listens
    clock.advance(seconds=31)
    deps.dispatch()
    assert handler.received == [] and {n.status for n in stored()} == {"pending"}
    servers.behave(port, SLOW, delay=0.1)  # slow, but within the timeout
    clock.advance(seconds=61)
    assert deps.dispatch() == 3

    assert {n.status for n in stored()} == {"sent"} and {n.attempts for n in stored()} == {3}
    assert sorted(handler.message_ids()) == sorted(n.message_id for n in stored())
    assert all(n.message_id == f"<{n.notification_id}@board.example>" for n in stored())


def test_an_answer_slower_than_the_timeout_is_uncertain_not_sent_again(board, smtp, settings):
    servers, handler, port = smtp
    clock = FakeClock(T0)
    deps = dependencies(settings, channel_for=lambda board_id: smtp_to(port, timeout=0.3), clock=clock)
    decided_and_documented(deps, board)
    servers.behave(port, SLOW, delay=0.8)
    deps.dispatch()
    servers.behave(port, ACCEPT)
    clock.advance(hours=5)
    deps.dispatch()
    assert {n.status for n in stored()} == {"uncertain"}
    assert len(handler.received) == 3


def test_a_crash_between_the_smtp_answer_and_the_save_ends_uncertain_not_resent(
    board, smtp, settings, monkeypatch
):
    _, handler, port = smtp
    clock = FakeClock(T0)
    first = service_on(settings, smtp_to(port), clock)
    decided_and_documented(deps_of(first), board)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise Crash()  # the server said 250; the process dies before that is saved

    with monkeypatch.context() as patched:
        patched.setattr(dispatcher, "settle", crash)
        with pytest.raises(Crash):
            start_dispatcher(first)
    [left] = stored(status="sending")
    assert handler.message_ids() == [left.message_id]

    clock.advance(seconds=5)
    restarted = service_on(settings, smtp_to(port), clock)  # a new process, the same store
    assert start_dispatcher(restarted) == 2  # the two never tried; the one cut short is not retried
    clock.advance(hours=5)
    deps_of(restarted).dispatch()

    assert stored(notification_id=left.notification_id)[0].status == "uncertain"
    assert handler.message_ids().count(left.message_id) == 1
    assert len(handler.received) == 3 and len(stored(status="sent")) == 2


def test_notify_answering_too_late_is_uncertain_and_a_resend_keeps_the_reference(board, settings):
    fake = FakeNotify().start()
    try:
        clock = FakeClock(T0)
        channel = NotifyChannel(fake.api_key(), "template-1", base_url=fake.base_url, timeout=0.5)
        deps = dependencies(settings, channel_for=lambda board_id: channel, clock=clock)
        decided_and_documented(deps, board)
        fake.answer_late(1, 1.5)
        deps.dispatch()
        [uncertain] = stored(status="uncertain")
        assert uncertain.channel == "notify" and uncertain.message_id == uncertain.notification_id
        clock.advance(hours=5)
        assert deps.dispatch() == 0
        assert len(fake.notifications) == 3  # Notify had taken it

        admin = make_user("admin", board=board)
        client = bootstrap(settings, channel_for=lambda board_id: channel, clock=clock).app.test_client()
        resent = client.post(
            f"/api/v1/notifications/{uncertain.notification_id}/resend", headers=bearer(make_token(admin))
        )
        assert resent.status_code == 202
        deps.dispatch()
        references = [r.json["reference"] for r in fake.requests if r.json]
        assert references.count(uncertain.notification_id) == 2
    finally:
        fake.stop()
