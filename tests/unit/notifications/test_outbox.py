"""The development outbox: with no mail server, ``make run``'s statutory emails are kept, whole,
where the business unit can open them and their letters; production refuses it."""

from __future__ import annotations

import dataclasses
from email import message_from_bytes, policy

import pytest
from werkzeug.test import Client

from services.embedded import EmbeddedApp, bootstrap_all
from services.notifications.adapters.channels import Attachment, Message
from services.notifications.adapters.channels.outbox import DELIVERED, OutboxChannel, OutboxMail, open_mail
from services.notifications.adapters.store import Notification
from services.notifications.service_layer.directory import seed_demo_recipients
from services.notifications.service_layer.unit_of_work import MongoUnitOfWork
from shared import crypto
from shared.config import ConfigurationError, load_settings
from tests.factories import bearer, make_board, make_token, make_user
from tests.support import wait_for
from tests.unit.documents.test_at_rest import text_pdf
from tests.unit.referral.test_api import decision_body, make_referral

PRODUCTION = {
    "APP_ENV": "production",
    "BUS_URL": "amqp://rabbit//",
    "MONGODB_URI": "mongodb://db/x",
    "SECRET_KEY": "s" * 40,
    "FIELD_ENCRYPTION_KEYS": "VGhpcyBpcyBhIDMyIGJ5dGUgZmllbGQga2V5IHRlc3Q=",
}


# -- the settings -----------------------------------------------------------------------------


def test_development_without_a_mail_server_uses_the_outbox():
    assert load_settings({"APP_ENV": "development"}).mail_outbox
    assert not load_settings({"APP_ENV": "development", "SMTP_HOST": "mail.example"}).mail_outbox
    assert not load_settings({"APP_ENV": "development", "NOTIFY_API_KEY": "k"}).mail_outbox
    assert not load_settings({"APP_ENV": "development", "MAIL_OUTBOX": "0"}).mail_outbox
    assert not load_settings({"APP_ENV": "test"}).mail_outbox
    assert load_settings({"APP_ENV": "test", "MAIL_OUTBOX": "1"}).mail_outbox


def test_production_refuses_the_outbox():
    with pytest.raises(ConfigurationError, match="MAIL_OUTBOX"):
        load_settings({**PRODUCTION, "MAIL_OUTBOX": "1"})
    assert not load_settings(PRODUCTION).mail_outbox  # never chosen on its own


# -- the channel ------------------------------------------------------------------------------


def test_the_channel_keeps_the_whole_message_sealed_with_its_attachments():
    channel = OutboxChannel("case-reviews@lscb.example.org", "b1")
    letter = Attachment("Decision letter v1.docx", "application/vnd.openxmlformats", b"PK\x03\x04 word")
    receipt = channel.send(
        Message(
            to="ofsted@placeholder.example.org",
            subject="Case review decision: LSCB-1",
            body_text="Dear Ofsted,\n\nThe decision is attached.",
            body_html="<p>Dear Ofsted,</p>",
            attachments=(letter,),
            reference="n-1",
        )
    )
    assert receipt.channel == "outbox" and receipt.provider_id == "<n-1@lscb.example.org>"
    mail = OutboxMail.objects.get(board_id="b1")
    raw = OutboxMail._get_collection().find_one({"_id": mail.mail_id})
    assert "Dear Ofsted" not in str(raw)  # kept sealed, like the letters
    whole = message_from_bytes(crypto.open_bytes(mail.sealed), policy=policy.default)
    assert whole["Message-ID"] == "<n-1@lscb.example.org>" and whole["To"] == "ofsted@placeholder.example.org"
    opened = open_mail(mail)
    assert "The decision is attached." in opened.text
    assert opened.attachments == [
        ("Decision letter v1.docx", "application/vnd.openxmlformats", b"PK\x03\x04 word")
    ]


# -- the whole product, as make run has it ------------------------------------------------------


class _As:
    def __init__(self, client: Client, headers: dict) -> None:
        self.client, self.headers = client, headers

    def post(self, path, json=None):
        return self.client.post(path, json=json, headers=self.headers)


@pytest.fixture
def product(settings):
    settings = settings.with_overrides(MAIL_OUTBOX="1", NOTIFICATION_DISPATCH_SECONDS=0.2)
    services = bootstrap_all(settings)
    for service in services:
        service.start()
    documents = next(s for s in services if s.name == "documents").app
    documents.extensions["lscb_documents"] = dataclasses.replace(
        documents.extensions["lscb_documents"], to_pdf=text_pdf
    )
    yield Client(EmbeddedApp(services))
    for service in services:
        service.stop()


def test_a_decisions_statutory_emails_are_delivered_to_the_outbox_with_their_letters(product):
    board = make_board()
    seed_demo_recipients(MongoUnitOfWork(), board.board_id)
    admin = bearer(make_token(make_user("admin", "chair", board=board)))
    made = product.post("/api/v1/referrals", json=make_referral(), headers=admin)
    assert made.status_code == 201, made.json
    case_id = made.json["id"]
    decided = _As(product, admin).post(f"/api/v1/cases/{case_id}/decision", json=decision_body())
    assert decided.status_code == 200, decided.json

    def decision_mails():
        found = Notification.objects(case_id=case_id, template="decision_notification")
        return list(found) if found.count() == 3 and all(n.status == "delivered" for n in found) else None

    notes = wait_for(decision_mails, timeout=30)
    assert {n.status_reason for n in notes} == {DELIVERED}
    assert {n.address for n in notes} == {
        "ofsted@placeholder.example.org",
        "dfe@placeholder.example.org",
        "national-panel@placeholder.example.org",
    }
    mails = {m.message_id: m for m in OutboxMail.objects(board_id=board.board_id)}
    for n in notes:
        mail = mails[n.message_id]
        assert mail.subject.endswith(made.json["reference"])
        [(filename, _, data)] = open_mail(mail).attachments
        assert filename.endswith(".docx") and data[:2] == b"PK"  # a Word file is a zip

    # The pages: the list, one message, its letter to download; the business unit may read them.
    business = bearer(make_token(make_user("business_unit", board=board)))
    listing = product.get("/notifications/outbox", headers=business)
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "ofsted@placeholder.example.org" in page and "were not sent to anyone" in page
    mail = mails[notes[0].message_id]
    shown = product.get(f"/notifications/outbox/{mail.mail_id}", headers=business)
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert mail.subject in text and "/attachments/1" in text and "None" not in text
    letter = product.get(f"/notifications/outbox/{mail.mail_id}/attachments/1", headers=business)
    assert letter.status_code == 200 and letter.data[:2] == b"PK"
    assert letter.headers["Content-Disposition"].startswith("attachment;")
    assert (
        product.get(f"/notifications/outbox/{mail.mail_id}/attachments/2", headers=business).status_code
        == 404
    )


@pytest.fixture
def notifications_app(settings):
    from services.notifications.bootstrap import bootstrap

    return bootstrap(settings).app


def test_outbox_pages_are_for_the_business_unit_and_admins_of_the_board(notifications_app):
    board, other = make_board(), make_board()
    OutboxChannel("s@lscb.example.org", other.board_id).send(
        Message(
            to="a@example.org",
            subject="Other board",
            body_text="x",
            body_html=None,
            attachments=(),
            reference="r",
        )
    )
    theirs = OutboxMail.objects.get(board_id=other.board_id)
    client = notifications_app.test_client()
    for role in ("chair", "agency_practitioner", "family_viewer", "panel_member"):
        headers = bearer(make_token(make_user(role, board=board)))
        assert client.get("/notifications/outbox", headers=headers).status_code == 403
    admin = bearer(make_token(make_user("admin", board=board)))
    empty = client.get("/notifications/outbox", headers=admin)
    assert empty.status_code == 200 and "No emails yet." in empty.get_data(as_text=True)
    assert client.get(f"/notifications/outbox/{theirs.mail_id}", headers=admin).status_code == 404
    assert client.get("/notifications/outbox").status_code in (302, 401)
