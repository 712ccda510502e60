"""The notifications service: rules, the ledger, retries, failures and resending, with a real SMTP server."""

from __future__ import annotations

import email
from datetime import UTC, date, datetime, timedelta
from email import policy

import pytest

from services.notifications.adapters.channels import Attachment, SmtpChannel
from services.notifications.adapters.store import Notification, Recipient
from services.notifications.bootstrap import bootstrap
from services.notifications.service_layer import directory, handlers
from shared.bus import PermanentError
from shared.events import new_envelope, parse_envelope
from tests.factories import bearer, make_board, make_token, make_user
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.support import free_port

T0 = datetime(2027, 1, 8, 10, 0, tzinfo=UTC)
DOCX = b"PK\x03\x04 pretend this is a decision letter"


def event(event_type, **data):
    return parse_envelope(new_envelope(event_type, data, producer="test"))


@pytest.fixture
def board():
    b = make_board()
    directory.seed_demo_recipients(b.board_id)
    return b


@pytest.fixture
def smtp():
    servers = SmtpServers()
    handler = RecordingHandler(rcpt_replies={"refuses@placeholder.example.org": "550 5.1.1 No such user"})
    controller = servers.start(handler)
    yield servers, handler, controller
    servers.stop_all()


def deps_for(port, fetched=None):
    fetched = fetched if fetched is not None else []

    def fetch(document_id, board_id):
        fetched.append(document_id)
        return Attachment(
            f"{document_id}.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            DOCX,
        )

    channel = SmtpChannel("127.0.0.1", port, "lscb@example.org", starttls="never", timeout=3)
    return handlers.Deps(
        channel_for=lambda board_id: channel,
        fetch_attachment=fetch,
        retry_window=timedelta(hours=4),
        retry_base=30,
    )


def referral(board, case_id="c1"):
    handlers.on_referral_submitted(
        event(
            "referral.submitted",
            case_id=case_id,
            board_id=board.board_id,
            reference="DEMO-2027-0001",
            rule_pack="wt2015",
            incident_on=date(2027, 1, 1),
            became_aware_on=date(2027, 1, 2),
            board_notified_on=date(2027, 1, 3),
            notifiable=True,
            scr_required=True,
            recommended="serious_case_review",
            agencies_involved=["police"],
        )
    )


def decision(board, case_id="c1"):
    return event(
        "decision.recorded",
        case_id=case_id,
        board_id=board.board_id,
        decision_id="d1",
        rule_pack="wt2015",
        outcome="serious_case_review",
        scr_required=True,
        decided_on=date(2027, 1, 8),
        initiated_on=date(2027, 1, 8),
        incident_on=date(2027, 1, 1),
        panel_scrutiny=False,
        lead_reviewers=[
            {"name": "Dr R Independent", "organisation": "Independent Reviews Ltd", "role": "lead_reviewer"}
        ],
    )


def document_for(board, cause, case_id="c1", kind="decision_notification", doc_id="doc-1"):
    return event(
        "document.generated",
        case_id=case_id,
        board_id=board.board_id,
        document_id=doc_id,
        kind=kind,
        version=1,
        caused_by=cause,
    )


def decided_and_documented(board):
    referral(board)
    dec = decision(board)
    handlers.on_event(dec)
    handlers.on_document_generated(document_for(board, dec.event_id))
    return dec


def outbox(n: Notification) -> list[str]:
    raw = Notification._get_collection().find_one({"_id": n.notification_id})
    return [e["event_type"] for e in raw.get("outbox", [])]


def test_a_decision_notifies_the_three_national_bodies_once_each_with_the_letter(board, smtp):
    _, handler, controller = smtp
    referral(board)
    dec = decision(board)
    handlers.on_event(dec)
    handlers.on_event(dec)  # the same event again: no second notification
    waiting = Notification.objects(source_event_id=dec.event_id)
    assert sorted(n.recipient_role for n in waiting) == ["dfe", "national_panel", "ofsted"]
    assert {n.status for n in waiting} == {"waiting_documents"}
    deps = deps_for(controller.port)
    assert handlers.dispatch(deps, T0) == 0  # nothing goes without its document
    handlers.on_document_generated(document_for(board, dec.event_id))
    assert handlers.dispatch(deps, T0) == 3
    assert handlers.dispatch(deps, T0) == 0
    sent = sorted(env.rcpt_tos[0] for env, _ in handler.received)
    assert sent == [
        "dfe@placeholder.example.org",
        "national-panel@placeholder.example.org",
        "ofsted@placeholder.example.org",
    ]
    message = email.message_from_bytes(handler.received[0][0].original_content, policy=policy.default)
    assert message["Subject"] == "Case review decision for DEMO-2027-0001"
    assert "Dr R Independent (Independent Reviews Ltd)" in message.get_body(("plain",)).get_content()
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "doc-1.docx" and attachment.get_content() == DOCX
    for n in Notification.objects(source_event_id=dec.event_id):
        assert n.status == "sent" and n.attempts == 1 and n.attachments == ["doc-1"]
        assert outbox(n) == ["notification.sent"]


def test_notification_sent_says_what_the_scheduler_needs(board, smtp):
    _, _, controller = smtp
    dec = decided_and_documented(board)
    handlers.dispatch(deps_for(controller.port), T0)
    n = Notification.objects(source_event_id=dec.event_id, recipient_role="ofsted").first()
    raw = Notification._get_collection().find_one({"_id": n.notification_id})
    sent = parse_envelope(raw["outbox"][0]["envelope"])
    assert sent.data == {
        "case_id": "c1",
        "board_id": board.board_id,
        "notification_id": n.notification_id,
        "recipient_role": "ofsted",
        "template": "decision_notification",
        "source_event_id": dec.event_id,
        "sent_on": T0.date(),
    }


def test_an_smtp_outage_is_retried_and_exactly_one_email_arrives(board, smtp):
    servers, _, _ = smtp
    port = free_port()
    decided_and_documented(board)
    deps = deps_for(port)
    assert handlers.dispatch(deps, T0) == 3  # the server is down: three temporary failures
    ofsted = Notification.objects(recipient_role="ofsted").first()
    assert ofsted.status == "pending" and ofsted.attempts == 1
    assert ofsted.next_attempt_at.replace(tzinfo=UTC) == T0 + timedelta(seconds=30)
    assert handlers.dispatch(deps, T0 + timedelta(seconds=10)) == 0  # not yet time to retry
    handler = RecordingHandler()
    servers.start(handler, port=port)  # the server comes back
    assert handlers.dispatch(deps, T0 + timedelta(seconds=31)) == 3
    assert handlers.dispatch(deps, T0 + timedelta(minutes=5)) == 0
    assert len(handler.received) == 3
    assert [env.rcpt_tos for env, _ in handler.received].count(["ofsted@placeholder.example.org"]) == 1
    assert Notification.objects(recipient_role="ofsted").first().attempts == 2


def test_when_the_retry_window_closes_the_notification_fails_visibly(board):
    decided_and_documented(board)
    deps = deps_for(free_port())  # nobody ever listens
    at = T0
    while Notification.objects(status="pending").count():
        handlers.dispatch(deps, at)
        at += timedelta(minutes=30)
    ofsted = Notification.objects(recipient_role="ofsted").first()
    assert ofsted.status == "failed" and "retry window" in ofsted.status_reason
    assert outbox(ofsted) == ["notification.failed"]
    assert at - T0 <= timedelta(hours=5)


def test_a_refused_address_fails_at_once_and_can_be_resent_after_the_fix(board, smtp, settings):
    _, handler, controller = smtp
    Recipient.objects(board_id=board.board_id, role="dfe").update(
        set__email="refuses@placeholder.example.org"
    )
    dec = decided_and_documented(board)
    deps = deps_for(controller.port)
    handlers.dispatch(deps, T0)
    dfe = Notification.objects(source_event_id=dec.event_id, recipient_role="dfe").first()
    assert dfe.status == "failed" and dfe.attempts == 1 and "550" in dfe.status_reason
    app = bootstrap(settings, deps=deps).app
    admin = bearer(make_token(make_user("admin", board=board)))
    client = app.test_client()
    page = client.get("/notifications/operations", headers=admin).get_data(as_text=True)
    assert "refuses@placeholder.example.org" in page and "Resend" in page
    Recipient.objects(board_id=board.board_id, role="dfe").update(set__email="dfe@placeholder.example.org")
    assert (
        client.post(f"/api/v1/notifications/{dfe.notification_id}/resend", headers=admin).status_code == 202
    )
    # The resend goes to the address on the notification; mend it as the admin did.
    Notification.objects(notification_id=dfe.notification_id).update(
        set__address="dfe@placeholder.example.org"
    )
    handlers.dispatch(deps, T0 + timedelta(minutes=1))
    assert Notification.objects(notification_id=dfe.notification_id).first().status == "sent"
    assert (
        client.post(f"/api/v1/notifications/{dfe.notification_id}/resend", headers=admin).status_code == 409
    )


def test_without_a_channel_messages_are_kept_and_shown_as_not_sent(board):
    decided_and_documented(board)
    deps = handlers.Deps(
        channel_for=lambda b: None,
        fetch_attachment=lambda *a: None,
        retry_window=timedelta(hours=4),
        retry_base=30,
    )
    handlers.dispatch(deps, T0)
    statuses = {n.status_reason for n in Notification.objects()}
    assert {n.status for n in Notification.objects()} == {"not_sent"}
    assert any("no channel configured" in s for s in statuses)


def test_a_template_error_fails_that_notification_only(board, smtp, monkeypatch):
    _, handler, controller = smtp
    decided_and_documented(board)
    real = handlers.render

    def broken(n):
        if n.recipient_role == "dfe":
            raise ValueError("template exploded")
        return real(n)

    monkeypatch.setattr(handlers, "render", broken)
    handlers.dispatch(deps_for(controller.port), T0)
    by_role = {n.recipient_role: n for n in Notification.objects()}
    assert by_role["dfe"].status == "failed" and "template error" in by_role["dfe"].status_reason
    assert by_role["ofsted"].status == "sent" and by_role["national_panel"].status == "sent"


def test_an_event_for_an_unknown_case_is_refused_for_the_dead_letter_queue(board):
    with pytest.raises(PermanentError):
        handlers.on_event(decision(board, case_id="nobody-knows"))


def test_a_role_with_nobody_in_the_directory_is_recorded_not_dropped(board):
    referral(board)
    Recipient.objects(board_id=board.board_id, role="national_panel").update(set__active=False)
    handlers.on_event(decision(board))
    missing = Notification.objects(recipient_role="national_panel").first()
    assert missing.status == "not_sent" and "no national panel" in missing.status_reason


def test_deadline_reminders_go_to_the_business_unit_and_the_owner(board, smtp):
    _, handler, controller = smtp
    referral(board)
    handlers.on_event(
        event(
            "deadline.overdue",
            case_id="c1",
            board_id=board.board_id,
            deadline_id="x",
            code="scr_decision",
            due=date(2027, 2, 3),
            concerns="chair",
        )
    )
    handlers.dispatch(deps_for(controller.port), T0)
    assert sorted(env.rcpt_tos[0] for env, _ in handler.received) == [
        "business@demo.example.org",
        "chair@demo.example.org",
    ]
    message = email.message_from_bytes(handler.received[0][0].original_content, policy=policy.default)
    assert message["Subject"] == "Overdue: scr decision for DEMO-2027-0001"


def test_the_api_lists_a_cases_notifications(board, smtp, settings):
    _, _, controller = smtp
    decided_and_documented(board)
    deps = deps_for(controller.port)
    handlers.dispatch(deps, T0)
    client = bootstrap(settings, deps=deps).app.test_client()
    token = bearer(make_token(make_user("business_unit", board=board)))
    items = client.get("/api/v1/notifications?case_id=c1", headers=token).get_json()["items"]
    assert len(items) == 3
    assert {i["status"] for i in items} == {"sent"} and all(i["attachments"] == ["doc-1"] for i in items)
    assert {"id", "recipient", "channel", "template", "status", "attempts", "sent_at", "attachments"} <= set(
        items[0]
    )
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
    decided_and_documented(board)
    handlers.dispatch(deps_for(controller.port), T0)
    n = Notification.objects(recipient_role="ofsted").first()
    client = bootstrap(
        settings.with_overrides(NOTIFY_CALLBACK_TOKEN="callback-secret-1234567890"),
        deps=deps_for(controller.port),
    ).app.test_client()
    body = {"id": "notify-1", "reference": n.notification_id, "status": "delivered"}
    assert client.post("/notifications/notify-callback", json=body).status_code == 401
    assert (
        client.post(
            "/notifications/notify-callback", json=body, headers={"Authorization": "Bearer wrong"}
        ).status_code
        == 401
    )
    ok = client.post(
        "/notifications/notify-callback",
        json=body,
        headers={"Authorization": "Bearer callback-secret-1234567890"},
    )
    assert ok.status_code == 200
    assert Notification.objects(notification_id=n.notification_id).first().status == "delivered"


def test_a_board_on_notify_sends_through_notify(board, settings):
    from services.notifications.adapters.channels import NotifyChannel
    from tests.fake_notify import FakeNotify

    fake = FakeNotify().start()
    try:
        decided_and_documented(board)
        channel = NotifyChannel(fake.api_key(), "template-1", base_url=fake.base_url)
        deps = handlers.Deps(
            channel_for=lambda b: channel,
            fetch_attachment=deps_for(1).fetch_attachment,
            retry_window=timedelta(hours=4),
            retry_base=30,
        )
        assert handlers.dispatch(deps, T0) == 3
        emails = fake.emails()
        assert len(emails) == 3
        references = {e.json["reference"] for e in emails}
        assert references == {n.notification_id for n in Notification.objects()}  # ids, no personal data
        assert all(n.status == "sent" and n.channel == "notify" for n in Notification.objects())
    finally:
        fake.stop()


def test_reviewers_named_in_the_decision_notice_are_not_notified_twice(board):
    referral(board)
    dec = decision(board)
    handlers.on_event(dec)
    with_decision = parse_envelope(
        new_envelope(
            "reviewer.appointed",
            {
                "case_id": "c1",
                "board_id": board.board_id,
                "review_kind": "serious_case_review",
                "appointed_on": date(2027, 1, 8),
                "reviewers": [],
            },
            producer="test",
            correlation_id=dec.correlation_id,
        )
    )
    handlers.on_event(with_decision)
    assert Notification.objects(template="reviewer_appointed_notification").count() == 0
    later = event(
        "reviewer.appointed",
        case_id="c1",
        board_id=board.board_id,
        review_kind="serious_case_review",
        appointed_on=date(2027, 2, 1),
        reviewers=[{"name": "New Reviewer", "organisation": "X", "role": None}],
    )
    handlers.on_event(later)
    assert Notification.objects(template="reviewer_appointed_notification").count() == 1
