"""Account emails (invitations, password resets): the sealed link opened only to write the
message, one Message-ID for every attempt, a passing refusal left to the bus to retry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.notifications.adapters import messages
from services.notifications.adapters.account_mail import AccountMail
from services.notifications.adapters.channels import Message, Receipt, TemporaryDeliveryError
from services.notifications.service_layer.accounts import on_account_link
from shared.crypto import seal_json
from shared.events import new_envelope, parse_envelope
from shared.events.accounts import AccountLinkIssued

LINK = "https://reviews.example.org/accounts/invitation/secret-token"


class Recording:
    name = "smtp"

    def __init__(self, fail_first: int = 0) -> None:
        self.sent: list[Message] = []
        self.fail_first = fail_first

    def identify(self, reference: str) -> str:
        return f"<{reference}@lscb.example.org>"

    def send(self, message: Message) -> Receipt:
        if self.fail_first:
            self.fail_first -= 1
            raise TemporaryDeliveryError("SMTP 451 try later")
        self.sent.append(message)
        return Receipt("smtp", message.message_id)


def issued(purpose: str = "invitation"):
    payload = AccountLinkIssued(
        link_id="l1",
        board_id="b1",
        board_name="Wirral Safeguarding Children Partnership",
        email="nia@example.org",
        name="Nia New",
        purpose=purpose,
        link_sealed=seal_json({"url": LINK}),
        expires_at=datetime(2026, 12, 4, 9, 30, tzinfo=UTC),
    )
    return parse_envelope(new_envelope(payload, producer="referral"))


def handle(event, channel) -> None:
    on_account_link(event, lambda board_id: channel, messages.render, lambda: datetime.now(UTC))


@pytest.mark.parametrize(
    "purpose, subject",
    [("invitation", "You have been invited"), ("password_reset", "Create a new password")],
)
def test_the_email_carries_the_link_and_the_log_does_not(purpose, subject):
    channel = Recording()
    event = issued(purpose)
    handle(event, channel)
    [message] = channel.sent
    assert message.to == "nia@example.org" and message.subject.startswith(subject)
    assert LINK in message.body_text and LINK in (message.body_html or "")
    assert "Dear Nia New" in message.body_text and "4 December 2026, 9:30am" in message.body_text
    mail = AccountMail.objects.get(event_id=event.event_id)
    assert mail.status == "sent" and mail.message_id == message.message_id
    assert "secret-token" not in str(AccountMail._get_collection().find_one({"_id": event.event_id}))


def test_a_passing_refusal_is_retried_by_the_bus_with_the_same_message_id_and_sent_once():
    channel = Recording(fail_first=1)
    event = issued()
    with pytest.raises(TemporaryDeliveryError):
        handle(event, channel)
    first = AccountMail.objects.get(event_id=event.event_id)
    assert first.status == "sending" and "451" in first.status_reason
    handle(event, channel)  # the bus delivers it again
    handle(event, channel)  # and once more, after it went: nothing more is sent
    assert len(channel.sent) == 1
    mail = AccountMail.objects.get(event_id=event.event_id)
    assert mail.status == "sent" and mail.attempts == 2 and channel.sent[0].message_id == first.message_id


def test_without_a_channel_the_email_is_recorded_as_not_sent():
    event = issued()
    on_account_link(event, lambda board_id: None, messages.render, lambda: datetime.now(UTC))
    assert AccountMail.objects.get(event_id=event.event_id).status == "not_sent"
