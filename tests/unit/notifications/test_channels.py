"""The delivery channels against a real SMTP server and a fake Notify, both on loopback."""

from __future__ import annotations

import base64
import ipaddress
import socket
import ssl
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from werkzeug.datastructures import Headers

from services.notifications.adapters.channels import (
    Attachment,
    Message,
    NotifyChannel,
    PermanentDeliveryError,
    SmtpChannel,
    TemporaryDeliveryError,
    UncertainDeliveryError,
    safe_filename,
    verify_callback,
)
from tests.fake_notify import FakeNotify
from tests.smtp_server import BUSY, DROP_AFTER_DATA, REFUSE, SLOW, RecordingHandler, SmtpServers
from tests.support import free_port

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_BYTES = b"PK\x03\x04" + bytes(range(256)) * 8  # zip magic, then every byte value
BODY = "The review panel meets on 3 March. Please bring the agency chronology."
SENDER = "LSCB business unit <lscb@board.example>"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def make_message(**overrides) -> Message:
    values = dict(
        to="pat.panel@agency.example",
        subject="Case review CR-0042: panel meeting",
        body_text=BODY,
        body_html=None,
        attachments=(),
        reference="ntf-7c1d",
    )
    values.update(overrides)
    return Message(**values)


def docx(filename: str = "Learning summary.docx") -> Attachment:
    return Attachment(filename=filename, content_type=DOCX, data=DOCX_BYTES)


# --- a real SMTP server ------------------------------------------------------------


@pytest.fixture
def servers():
    started = SmtpServers()
    yield started
    started.stop_all()


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: the server's context and a client that trusts it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / "cert.pem").write_bytes(cert_pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    client = ssl.create_default_context(cadata=cert_pem.decode())
    return server, client


def smtp_channel(controller: Controller, **overrides) -> SmtpChannel:
    values = dict(host="127.0.0.1", port=controller.port, sender=SENDER, timeout=5)
    return SmtpChannel(**(values | overrides))


def test_a_message_with_a_docx_arrives_whole(servers):
    handler = RecordingHandler()
    channel = smtp_channel(servers.start(handler))
    message = make_message(body_html="<p>The review panel meets on 3 March.</p>", attachments=(docx(),))

    receipt = channel.send(message)

    assert len(handler.received) == 1
    envelope, _ = handler.received[0]
    assert envelope.mail_from == "lscb@board.example"
    assert envelope.rcpt_tos == ["pat.panel@agency.example"]
    received = handler.parsed()
    assert received["Subject"] == "Case review CR-0042: panel meeting"
    assert received["To"] == "pat.panel@agency.example"
    assert received["Message-ID"] == receipt.provider_id
    assert receipt.channel == "smtp" and receipt.provider_id.endswith("@board.example>")
    assert received.get_body(("plain",)).get_content().strip() == BODY
    assert "3 March" in received.get_body(("html",)).get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "Learning summary.docx"
    assert attachment.get_content_type() == DOCX
    assert attachment.get_content() == DOCX_BYTES


def test_an_attachment_name_cannot_carry_folders_or_line_breaks(servers):
    handler = RecordingHandler()
    channel = smtp_channel(servers.start(handler))

    channel.send(make_message(attachments=(docx("..\\../etc/.Chronology\r\nv2.docx"),)))

    [attachment] = list(handler.parsed().iter_attachments())
    assert attachment.get_filename() == "Chronology v2.docx"
    assert safe_filename("../..") == "attachment"


def test_required_starttls_against_a_server_without_tls_fails_permanently(servers):
    handler = RecordingHandler()
    channel = smtp_channel(servers.start(handler), starttls="required")

    with pytest.raises(PermanentDeliveryError) as caught:
        channel.send(make_message())

    assert caught.value.retryable is False
    assert "STARTTLS" in caught.value.reason
    assert handler.received == []


def test_auto_starttls_encrypts_when_the_server_offers_it(servers, tls):
    server_context, client_context = tls
    handler = RecordingHandler()
    controller = servers.start(handler, tls_context=server_context, require_starttls=True)

    smtp_channel(controller, ssl_context=client_context).send(make_message())

    [(_, encrypted)] = handler.received
    assert encrypted is True


def test_a_certificate_we_do_not_trust_stops_the_send_without_falling_back(servers, tls):
    server_context, _ = tls
    handler = RecordingHandler()
    controller = servers.start(handler, tls_context=server_context)

    with pytest.raises(PermanentDeliveryError) as caught:
        smtp_channel(controller).send(make_message())  # the system's CAs, not our test one

    assert "certificate" in caught.value.reason
    assert handler.received == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_credentials_go_over_starttls_and_never_in_plain_text(servers, tls):
    server_context, client_context = tls
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data, session.ssl is not None))
        return AuthResult(success=True, auth_data=auth_data)

    credentials = {"username": "lscb", "password": "s3cret"}
    with_tls = RecordingHandler()
    controller = servers.start(
        with_tls, tls_context=server_context, auth_required=True, authenticator=authenticator
    )
    smtp_channel(controller, ssl_context=client_context, **credentials).send(make_message())
    assert logins == [(LoginPassword(b"lscb", b"s3cret"), True)]
    assert len(with_tls.received) == 1

    without_tls = RecordingHandler()
    controller = servers.start(
        without_tls, auth_required=True, auth_require_tls=False, authenticator=authenticator
    )
    with pytest.raises(PermanentDeliveryError) as caught:
        smtp_channel(controller, **credentials).send(make_message())
    assert "plain text" in caught.value.reason
    assert len(logins) == 1 and without_tls.received == []


def test_a_server_that_is_down_is_a_temporary_failure():
    port = free_port()  # nothing listens here
    channel = SmtpChannel("127.0.0.1", port, SENDER, timeout=5)

    with pytest.raises(TemporaryDeliveryError) as caught:
        channel.send(make_message())

    assert caught.value.retryable is True
    assert "ConnectionRefusedError" in caught.value.reason


def test_a_server_that_never_answers_times_out_as_a_temporary_failure():
    with socket.socket() as silent:  # accepts connections, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        channel = SmtpChannel("127.0.0.1", silent.getsockname()[1], SENDER, timeout=0.5)

        with pytest.raises(TemporaryDeliveryError):
            channel.send(make_message())


def test_a_refused_recipient_550_is_permanent_and_the_reason_keeps_the_body_out(servers):
    handler = RecordingHandler(rcpt_replies={"gone@agency.example": "550 5.1.1 Mailbox does not exist"})
    channel = smtp_channel(servers.start(handler))

    with pytest.raises(PermanentDeliveryError) as caught:
        channel.send(make_message(to="gone@agency.example"))

    assert caught.value.code == 550
    assert "550" in caught.value.reason and "Mailbox does not exist" in caught.value.reason
    assert BODY not in caught.value.reason and "chronology" not in str(caught.value)
    assert handler.received == []


def test_a_recipient_deferred_with_451_is_temporary(servers):
    handler = RecordingHandler(rcpt_replies={"busy@agency.example": "451 4.7.1 Greylisted, try again later"})
    channel = smtp_channel(servers.start(handler))

    with pytest.raises(TemporaryDeliveryError) as caught:
        channel.send(make_message(to="busy@agency.example"))

    assert caught.value.code == 451
    assert "Greylisted" in caught.value.reason


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("451 4.3.0 Queue full", TemporaryDeliveryError),
        ("554 5.6.0 Message content rejected", PermanentDeliveryError),
    ],
)
def test_a_reply_to_the_message_data_is_classified_by_its_code(servers, reply, error):
    channel = smtp_channel(servers.start(RecordingHandler(data_reply=reply)))

    with pytest.raises(error) as caught:
        channel.send(make_message())

    assert caught.value.code == int(reply[:3])
    assert reply[4:] in caught.value.reason


def test_an_outage_fails_temporarily_then_the_same_send_goes_through_once(servers):
    handler = RecordingHandler()
    controller = servers.start(handler)
    port = controller.port
    channel = smtp_channel(controller)
    message = make_message(reference="ntf-outage")

    servers.stop(controller)
    with pytest.raises(TemporaryDeliveryError):
        channel.send(message)

    servers.start(handler, port=port)
    receipt = channel.send(message)

    assert len(handler.received) == 1
    assert handler.parsed()["Message-ID"] == receipt.provider_id


# --- one Message-ID per message; what SMTP can and cannot tell ----------------------


def test_every_attempt_of_a_message_carries_the_message_id_it_was_given(servers):
    handler = RecordingHandler()
    controller = servers.start(handler)
    channel = smtp_channel(controller)
    message_id = channel.identify("ntf-7c1d")
    message = make_message(message_id=message_id)

    servers.behave(controller.port, BUSY)  # 421 before the body: nothing received
    with pytest.raises(TemporaryDeliveryError):
        channel.send(message)
    servers.behave(controller.port, REFUSE)  # nothing listens
    with pytest.raises(TemporaryDeliveryError):
        channel.send(message)
    servers.behave(controller.port, "accept")
    first = channel.send(message)
    second = channel.send(message)  # a resend a person asked for

    assert message_id == "<ntf-7c1d@board.example>"
    assert handler.message_ids() == [message_id, message_id]
    assert first.provider_id == second.provider_id == message_id
    assert smtp_channel(controller).identify("ntf-7c1d") == message_id  # derived, not drawn at random


def test_a_421_before_the_body_is_temporary_and_nothing_arrived(servers):
    handler = RecordingHandler(behaviour=BUSY)
    channel = smtp_channel(servers.start(handler))

    with pytest.raises(TemporaryDeliveryError) as caught:
        channel.send(make_message())

    assert caught.value.code == 421 and handler.received == []


def test_a_connection_dropped_after_the_body_is_uncertain_not_temporary(servers):
    handler = RecordingHandler(behaviour=DROP_AFTER_DATA)
    channel = smtp_channel(servers.start(handler))

    with pytest.raises(UncertainDeliveryError) as caught:
        channel.send(make_message())

    assert caught.value.retryable is False
    assert "may have been delivered" in caught.value.reason and BODY not in caught.value.reason
    assert len(handler.received) == 1 and handler.dropped == 1  # the server does have it


def test_an_answer_slower_than_the_timeout_is_uncertain_and_a_slow_one_within_it_is_sent(servers):
    handler = RecordingHandler(behaviour=SLOW, delay=1.0)
    controller = servers.start(handler)

    with pytest.raises(UncertainDeliveryError):
        smtp_channel(controller, timeout=0.3).send(make_message())
    receipt = smtp_channel(controller, timeout=5).send(make_message())

    assert len(handler.received) == 2 and receipt.provider_id == handler.message_ids()[1]


def test_a_refusal_at_the_end_of_data_is_an_answer_not_an_uncertainty(servers):
    channel = smtp_channel(servers.start(RecordingHandler(data_reply="421 4.3.2 Shutting down")))

    with pytest.raises(TemporaryDeliveryError) as caught:
        channel.send(make_message())

    assert caught.value.code == 421


# --- GOV.UK Notify -----------------------------------------------------------------


@pytest.fixture
def notify():
    fake = FakeNotify().start()
    yield fake
    fake.stop()


def notify_channel(fake: FakeNotify, **overrides) -> NotifyChannel:
    values = dict(api_key=fake.api_key(), email_template_id=TEMPLATE_ID, base_url=fake.base_url, timeout=5)
    return NotifyChannel(**(values | overrides))


def test_notify_gets_the_personalisation_reference_and_document(notify):
    channel = notify_channel(notify, retention_period="4 weeks")
    message = make_message(attachments=(docx("../Learning summary.docx"),))

    receipt = channel.send(message)

    [sent] = notify.emails()
    assert receipt.channel == "notify"
    assert receipt.provider_id in notify.notifications
    assert sent.claims["iss"] == notify.service_id
    assert sent.json["email_address"] == "pat.panel@agency.example"
    assert sent.json["template_id"] == TEMPLATE_ID
    assert sent.json["reference"] == "ntf-7c1d"
    personalisation = sent.json["personalisation"]
    assert personalisation["subject"] == "Case review CR-0042: panel meeting"
    assert personalisation["body"] == BODY
    document = personalisation["link_to_file"]
    assert base64.b64decode(document["file"]) == DOCX_BYTES
    assert document["filename"] == "Learning summary.docx"
    assert document["confirm_email_before_download"] is True
    assert document["retention_period"] == "4 weeks"


def test_notify_without_a_document_sends_an_empty_link(notify):
    notify_channel(notify).send(make_message())

    [sent] = notify.emails()
    assert sent.json["personalisation"]["link_to_file"] == ""


def test_notify_refuses_a_key_that_is_not_the_service_secret(notify):
    stranger = f"lscb_test-{notify.service_id}-{'0' * 8}-0000-4000-8000-{'0' * 12}"
    channel = notify_channel(notify, api_key=stranger)

    with pytest.raises(PermanentDeliveryError) as caught:
        channel.send(make_message())

    assert caught.value.code == 403
    assert notify.emails() == [] and notify.requests[0].claims is None


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, TemporaryDeliveryError), (429, TemporaryDeliveryError), (400, PermanentDeliveryError)],
)
def test_notify_failures_are_classified_by_status(notify, status, error):
    channel = notify_channel(notify)
    notify.fail_next(1, status)

    with pytest.raises(error) as caught:
        channel.send(make_message())
    assert caught.value.code == status
    assert BODY not in caught.value.reason

    channel.send(make_message())  # the failure was for one request only
    assert len(notify.emails()) == 1


def test_notify_keeps_the_reference_it_is_given_on_every_attempt(notify):
    channel = notify_channel(notify)
    reference = channel.identify("ntf-7c1d")
    notify.fail_next(1, 500)

    with pytest.raises(TemporaryDeliveryError):
        channel.send(make_message(message_id=reference))
    channel.send(make_message(message_id=reference))

    assert [r.json["reference"] for r in notify.requests] == ["ntf-7c1d", "ntf-7c1d"]


def test_notify_answering_after_the_timeout_is_uncertain(notify):
    channel = notify_channel(notify, timeout=0.3)
    notify.answer_late(1, 1.0)

    with pytest.raises(UncertainDeliveryError) as caught:
        channel.send(make_message())

    assert "ReadTimeout" in caught.value.reason
    assert len(notify.notifications) == 1  # Notify did take it


def test_notify_unreachable_is_temporary():
    channel = NotifyChannel(
        FakeNotify().api_key(), TEMPLATE_ID, base_url=f"http://127.0.0.1:{free_port()}", timeout=5
    )

    with pytest.raises(TemporaryDeliveryError) as caught:
        channel.send(make_message())

    assert "unreachable" in caught.value.reason


def test_notify_takes_at_most_one_document(notify):
    channel = notify_channel(notify)

    with pytest.raises(PermanentDeliveryError):
        channel.send(make_message(attachments=(docx("a.docx"), docx("b.docx"))))

    assert notify.requests == []


def test_notify_refuses_a_document_over_its_2mb_limit_without_calling_it(notify):
    too_big = Attachment("Chronology.pdf", "application/pdf", b"%PDF" + b"0" * (2 * 1024 * 1024))

    with pytest.raises(PermanentDeliveryError) as caught:
        notify_channel(notify).send(make_message(attachments=(too_big,)))

    assert "2MB" in caught.value.reason
    assert notify.requests == []


TOKEN = "callback-token-from-the-notify-settings-page"


@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        ({"Authorization": f"Bearer {TOKEN}"}, True),
        ({"authorization": f"bearer {TOKEN}"}, True),
        (Headers([("AUTHORIZATION", f"Bearer {TOKEN}")]), True),
        ({"Authorization": f"Bearer {TOKEN}x"}, False),
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, False),
        ({"Authorization": f"Basic {TOKEN}"}, False),
        ({"Authorization": TOKEN}, False),
        ({"Authorization": "Bearer "}, False),
        ({"Authorization": "Bearer ünïcode"}, False),
        ({}, False),
        (Headers([("Authorization", f"Bearer {TOKEN}"), ("Authorization", "Bearer x")]), False),
    ],
)
def test_callback_verification(headers, accepted):
    assert verify_callback(headers, TOKEN) is accepted


def test_callback_verification_with_no_token_configured_accepts_nothing():
    assert verify_callback({"Authorization": "Bearer "}, "") is False
    assert verify_callback({"Authorization": "Bearer"}, "") is False
