"""The notifications service through its real adapters: the store (mongomock), a loopback SMTP server,
a loopback GOV.UK Notify, and its Flask app. The handlers' rules are tested on fakes in test_handlers.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from cryptography.fernet import Fernet

from services.notifications.adapters.channels import NotifyChannel, SmtpChannel
from services.notifications.adapters.repository import ConcurrentChange, MongoNotificationRepository
from services.notifications.adapters.store import LetterRecord, Notification, Recipient
from services.notifications.bootstrap import Dependencies, bootstrap, dependencies
from services.notifications.service_layer.handlers import listeners
from shared import crypto, store
from shared.bus import PermanentError
from shared.crypto import rotate_database
from shared.events import Event, parse_envelope
from tests.factories import bearer, make_board, make_token, make_user
from tests.fake_notify import FakeNotify
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.support import free_port
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import FakeChannel, FakeClock

T0 = datetime(2027, 1, 8, 10, 0, tzinfo=UTC)


@pytest.fixture
def smtp():
    servers = SmtpServers()
    handler = RecordingHandler(rcpt_replies={"refuses@placeholder.example.org": "550 5.1.1 No such user"})
    controller = servers.start(handler)
    yield servers, handler, controller
    servers.stop_all()


def smtp_to(port: int) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", port, "lscb@example.org", starttls="never", timeout=3)


def deps_for(settings, channel, clock=None) -> Dependencies:
    return dependencies(settings, channel_for=lambda board_id: channel, clock=clock or FakeClock(T0))


def handle(deps: Dependencies, event: Event[Any]) -> None:
    for sub in listeners.subscriptions(deps.as_dict()):
        if event.event_type in sub.event_types:
            sub.handler(event)


def decided_and_documented(deps: Dependencies, board) -> Event[Any]:
    handle(deps, f.referral_submitted(board.board_id))
    decision = f.decision_recorded(board.board_id)
    handle(deps, decision)
    handle(deps, f.document_generated(decision, document_id="doc-1"))
    return decision


def outbox(n: Notification) -> list[str]:
    raw = Notification._get_collection().find_one({"_id": n.notification_id})
    return [e["event_type"] for e in raw.get("outbox", [])]


def test_a_decision_letter_reaches_the_three_national_bodies_once_each(board, smtp, settings):
    _, handler, controller = smtp
    deps = deps_for(settings, smtp_to(controller.port))
    handle(deps, f.referral_submitted(board.board_id))
    decision = f.decision_recorded(board.board_id)
    handle(deps, decision)
    letter = f.document_generated(decision, document_id="doc-1")
    handle(deps, letter)
    handle(deps, letter)  # delivered again: no second notification
    assert deps.dispatch() == 3
    assert deps.dispatch() == 0
    sent = sorted(env.rcpt_tos[0] for env, _ in handler.received)
    assert sent == [
        "dfe@placeholder.example.org",
        "national-panel@placeholder.example.org",
        "ofsted@placeholder.example.org",
    ]
    message = handler.parsed(0)
    assert message["Subject"] == f"Case review decision for {f.REFERENCE}"
    assert "Dr R Independent (Independent Reviews Ltd)" in message.get_body(("plain",)).get_content()
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == f"decision_notification {f.REFERENCE}.docx"
    assert attachment.get_content() == f.LETTER
    for n in Notification.objects():
        assert n.status == "sent" and n.attempts == 1 and n.attachments == ["doc-1"]
        assert outbox(n) == ["notification.sent"]


def test_the_letter_is_kept_sealed_and_survives_a_key_rotation(board, smtp, settings):
    _, handler, controller = smtp
    deps = deps_for(settings, smtp_to(controller.port))
    decided_and_documented(deps, board)
    raw = LetterRecord._get_collection().find_one({"_id": "doc-1"})
    assert raw["sealed"].startswith(crypto.PREFIX) and b"decision letter" not in repr(raw).encode()
    old = settings.FIELD_ENCRYPTION_KEYS
    new = Fernet.generate_key().decode()
    try:
        crypto.configure(f"{new},{old}")
        assert rotate_database(store.database())["notification_letters"] == 1
        crypto.configure(new)  # the old key is dropped
        assert deps.dispatch() == 3
    finally:
        crypto.configure(old)
    assert all(next(handler.parsed(i).iter_attachments()).get_content() == f.LETTER for i in range(3))


def test_notification_sent_says_what_the_scheduler_needs(board, smtp, settings):
    _, _, controller = smtp
    deps = deps_for(settings, smtp_to(controller.port))
    decided_and_documented(deps, board)
    deps.dispatch()
    n = Notification.objects(recipient_role="ofsted").first()
    raw = Notification._get_collection().find_one({"_id": n.notification_id})
    sent = parse_envelope(raw["outbox"][0]["envelope"])
    assert (sent.data.template, sent.data.recipient_role, sent.data.sent_on) == (
        "decision_notification",
        "ofsted",
        T0.date(),
    )
    assert (sent.data.case_id, sent.data.board_id, sent.data.notification_id) == (
        "c1",
        board.board_id,
        n.notification_id,
    )


def test_an_smtp_outage_is_retried_and_exactly_one_email_arrives(board, smtp, settings):
    servers, _, _ = smtp
    port = free_port()
    clock = FakeClock(T0)
    deps = deps_for(settings, smtp_to(port), clock)
    decided_and_documented(deps, board)
    assert deps.dispatch() == 3  # the server is down: three temporary failures
    ofsted = Notification.objects(recipient_role="ofsted").first()
    assert ofsted.status == "pending" and ofsted.attempts == 1
    assert ofsted.next_attempt_at == T0 + timedelta(seconds=30)
    clock.advance(seconds=10)
    assert deps.dispatch() == 0  # not yet time to retry
    handler = RecordingHandler()
    servers.start(handler, port=port)  # the server comes back
    clock.advance(seconds=21)
    assert deps.dispatch() == 3
    clock.advance(minutes=5)
    assert deps.dispatch() == 0
    assert len(handler.received) == 3
    assert [env.rcpt_tos for env, _ in handler.received].count(["ofsted@placeholder.example.org"]) == 1
    assert Notification.objects(recipient_role="ofsted").first().attempts == 2


def test_when_the_retry_window_closes_the_notification_fails_visibly(board, settings):
    clock = FakeClock(T0)
    deps = deps_for(settings, smtp_to(free_port()), clock)  # nobody ever listens
    decided_and_documented(deps, board)
    while Notification.objects(status="pending").count():
        deps.dispatch()
        clock.advance(minutes=30)
    ofsted = Notification.objects(recipient_role="ofsted").first()
    assert ofsted.status == "failed" and "retry window" in ofsted.status_reason
    assert outbox(ofsted) == ["notification.failed"]
    assert clock() - T0 <= timedelta(hours=5)


def test_a_refused_address_fails_at_once_and_can_be_resent_after_the_fix(board, smtp, settings):
    _, handler, controller = smtp
    refused = "refuses@placeholder.example.org"
    Recipient.objects(board_id=board.board_id, role="dfe").update(set__email=refused)
    clock = FakeClock(T0)
    channel = smtp_to(controller.port)
    service = bootstrap(settings, channel_for=lambda board_id: channel, clock=clock)
    deps = service.extras["dependencies"]
    decided_and_documented(deps, board)
    deps.dispatch()
    dfe = Notification.objects(recipient_role="dfe").first()
    assert dfe.status == "failed" and dfe.attempts == 1 and "550" in dfe.status_reason
    admin = bearer(make_token(make_user("admin", board=board)))
    client = service.app.test_client()
    page = client.get("/notifications/operations", headers=admin).get_data(as_text=True)
    assert refused in page and "Resend" in page
    resend = f"/api/v1/notifications/{dfe.notification_id}/resend"
    assert client.post(resend, headers=admin).status_code == 202
    # The resend goes to the address on the notification; mend it as the admin did.
    Notification.objects(notification_id=dfe.notification_id).update(set__address="dfe@example.org")
    clock.advance(minutes=1)
    deps.dispatch()
    assert Notification.objects(notification_id=dfe.notification_id).first().status == "sent"
    assert [env.rcpt_tos for env, _ in handler.received].count(["dfe@example.org"]) == 1
    assert client.post(resend, headers=admin).status_code == 409


def test_an_event_for_an_unknown_case_is_refused_for_the_dead_letter_queue(board, settings):
    with pytest.raises(PermanentError):
        handle(deps_for(settings, None), f.decision_recorded(board.board_id, case_id="nobody-knows"))


def test_the_api_and_pages_show_a_cases_notifications(board, smtp, settings):
    _, _, controller = smtp
    channel = smtp_to(controller.port)
    service = bootstrap(settings, channel_for=lambda board_id: channel, clock=FakeClock(T0))
    decided_and_documented(service.extras["dependencies"], board)
    service.extras["dependencies"].dispatch()
    client = service.app.test_client()
    token = bearer(make_token(make_user("business_unit", board=board)))
    items = client.get("/api/v1/notifications?case_id=c1", headers=token).get_json()["items"]
    assert len(items) == 3
    assert {i["status"] for i in items} == {"sent"} and all(i["attachments"] == ["doc-1"] for i in items)
    assert {"id", "recipient", "channel", "template", "status", "attempts", "sent_at", "attachments"} <= set(
        items[0]
    )
    page = client.get("/notifications/cases/c1", headers=token).get_data(as_text=True)
    assert page.count("ofsted@placeholder.example.org") == 1 and f.REFERENCE in page
    other = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.get("/api/v1/notifications?case_id=c1", headers=other).get_json()["items"] == []


def test_invalid_addresses_are_refused_when_saved(board, settings):
    client = bootstrap(settings).app.test_client()
    admin = bearer(make_token(make_user("admin", board=board)))
    bad = client.post(
        "/api/v1/recipients",
        headers=admin,
        json={"role": "ofsted", "name": "Ofsted", "email": "not an address"},
    )
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "email"
    wrong_role = client.post(
        "/api/v1/recipients", headers=admin, json={"role": "pope", "name": "", "email": "x@example.org"}
    )
    assert {e["field"] for e in wrong_role.get_json()["errors"]} == {"role", "name"}
    ok = client.post(
        "/api/v1/recipients",
        headers=admin,
        json={"role": "ofsted", "name": "Ofsted", "email": "Ofsted@Example.org"},
    )
    assert ok.status_code == 201
    listed = client.get("/api/v1/recipients", headers=admin).get_json()["items"]
    assert ok.get_json()["id"] in {r["id"] for r in listed}
    assert client.delete(f"/api/v1/recipients/{ok.get_json()['id']}", headers=admin).status_code == 200
    listed = client.get("/api/v1/recipients", headers=admin).get_json()["items"]
    assert ok.get_json()["id"] not in {r["id"] for r in listed}
    chair = bearer(make_token(make_user("chair", board=board)))
    assert (
        client.post(
            "/api/v1/recipients",
            headers=chair,
            json={"role": "ofsted", "name": "O", "email": "o@example.org"},
        ).status_code
        == 403
    )


def test_notify_delivery_callbacks_are_authenticated(board, settings, smtp):
    _, _, controller = smtp
    channel = smtp_to(controller.port)
    service = bootstrap(
        settings.with_overrides(NOTIFY_CALLBACK_TOKEN="callback-secret-1234567890"),
        channel_for=lambda board_id: channel,
        clock=FakeClock(T0),
    )
    decided_and_documented(service.extras["dependencies"], board)
    service.extras["dependencies"].dispatch()
    n = Notification.objects(recipient_role="ofsted").first()
    client = service.app.test_client()
    body = {"id": "notify-1", "reference": n.notification_id, "status": "delivered"}
    assert client.post("/notifications/notify-callback", json=body).status_code == 401
    wrong = {"Authorization": "Bearer wrong"}
    assert client.post("/notifications/notify-callback", json=body, headers=wrong).status_code == 401
    right = {"Authorization": "Bearer callback-secret-1234567890"}
    assert client.post("/notifications/notify-callback", json={"id": "x"}, headers=right).status_code == 422
    ok = client.post("/notifications/notify-callback", json=body, headers=right)
    assert ok.status_code == 200 and ok.get_json() == {"found": True}
    assert Notification.objects(notification_id=n.notification_id).first().status == "delivered"


def test_a_board_on_notify_sends_through_notify(board, settings):
    fake = FakeNotify().start()
    try:
        channel = NotifyChannel(fake.api_key(), "template-1", base_url=fake.base_url)
        deps = deps_for(settings, channel)
        decided_and_documented(deps, board)
        assert deps.dispatch() == 3
        emails = fake.emails()
        assert len(emails) == 3
        references = {e.json["reference"] for e in emails}
        assert references == {n.notification_id for n in Notification.objects()}  # ids, no personal data
        assert all(n.status == "sent" and n.channel == "notify" for n in Notification.objects())
    finally:
        fake.stop()


def test_the_test_settings_cannot_reach_the_real_notify(board, settings, outside_world):
    """A board on Notify with the test settings' address fails at once, and visibly."""
    board.update(set__notification_channel="notify")
    service = bootstrap(settings.with_overrides(NOTIFY_API_KEY=FakeNotify().api_key()), clock=FakeClock(T0))
    deps = service.extras["dependencies"]
    channel = deps.channel_for(board.board_id)
    assert channel.name == "notify" and channel.base_url.endswith(".invalid")
    decided_and_documented(deps, board)
    deps.dispatch()
    assert {n.channel for n in Notification.objects()} == {"notify"}
    assert all("Notify unreachable" in n.status_reason for n in Notification.objects())
    assert set(outside_world) == {urlparse(settings.NOTIFY_BASE_URL).hostname}
    outside_world.clear()  # tried, as this test meant it to


def test_without_smtp_or_notify_configured_nothing_is_sent_and_it_shows(board, settings):
    service = bootstrap(settings, clock=FakeClock(T0))
    deps = service.extras["dependencies"]
    decided_and_documented(deps, board)
    deps.dispatch()
    assert {n.status for n in Notification.objects()} == {"not_sent"}
    assert all("no channel configured" in n.status_reason for n in Notification.objects())


def test_recipients_page_adds_a_recipient(board, settings):
    service = bootstrap(settings)
    service.app.config["WTF_CSRF_ENABLED"] = False
    client = service.app.test_client()
    admin = bearer(make_token(make_user("admin", board=board)))
    added = client.post(
        "/notifications/recipients",
        headers=admin,
        data={"role": "dfe", "name": "Second DfE", "email": "second.dfe@example.org"},
    )
    assert added.status_code == 302
    page = client.get("/notifications/recipients", headers=admin).get_data(as_text=True)
    assert "second.dfe@example.org" in page
    refused = client.post(
        "/notifications/recipients",
        headers=admin,
        data={"role": "dfe", "name": "Bad", "email": "not an address"},
    )
    assert refused.status_code == 422
    too_long = client.post(
        "/notifications/recipients",
        headers=admin,
        data={"role": "dfe", "name": "N" * 201, "email": "long.name@example.org"},
    )  # was a 500: the store refused what the form let through
    assert too_long.status_code == 422 and "at most 200 characters" in too_long.get_data(as_text=True)


def test_a_write_over_someone_elses_is_refused_and_older_records_without_a_version_still_change(
    board, settings
):
    deps = deps_for(settings, FakeChannel())
    decided_and_documented(deps, board)
    n = Notification.objects(recipient_role="ofsted").first()
    Notification._get_collection().update_one({"_id": n.notification_id}, {"$unset": {"version": ""}})
    first, second = MongoNotificationRepository(), MongoNotificationRepository()
    mine, theirs = first.get(n.notification_id), second.get(n.notification_id)
    theirs.not_sent(T0, "someone else's change")
    second.save(theirs)  # a record from before versions: it counts as version 0
    mine.failed(T0, "my change, made on what I read before theirs")
    with pytest.raises(ConcurrentChange):
        first.save(mine)
    stored = Notification.objects(notification_id=n.notification_id).first()
    assert (stored.status, stored.version) == ("not_sent", 1)


def test_the_pages_list_a_page_at_a_time_with_the_total(board, settings):
    service = bootstrap(settings, channel_for=lambda board_id: FakeChannel(), clock=FakeClock(T0))
    decided_and_documented(service.extras["dependencies"], board)
    client = service.app.test_client()
    admin = bearer(make_token(make_user("admin", board=board)))

    first = client.get("/notifications/cases/c1?per_page=2", headers=admin).get_data(as_text=True)
    assert "1 to 2 of 3 notifications" in first and "govuk-pagination" in first
    assert 'href="/notifications/cases/c1?per_page=2&amp;page=2"' in first
    last = client.get("/notifications/cases/c1?page=2&per_page=2", headers=admin).get_data(as_text=True)
    assert "3 to 3 of 3 notifications" in last and 'rel="prev"' in last
    recipients = client.get("/notifications/recipients", headers=admin).get_data(as_text=True)
    assert "1 to 5 of 5 recipients" in recipients and "govuk-pagination" not in recipients  # one page
    edited = client.get("/notifications/operations?page=0", headers=admin)  # an edited address
    assert edited.status_code == 200 and "Notifications needing attention" in edited.get_data(as_text=True)
