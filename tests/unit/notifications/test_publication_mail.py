"""Publication emails over a real SMTP server on loopback: the copies of the signed-off report
and the board's response to Ofsted, the DfE and the National Panel, once each with both
attached; not publishing told to the DfE and the Panel; the final decision to all three."""

from __future__ import annotations

from datetime import date

import pytest

from services.notifications.adapters.channels import SmtpChannel
from services.notifications.bootstrap import Dependencies
from shared.events.report import PublicationCopiesSent, PublicationDecided
from tests.events import received
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import BOARD, NATIONAL

SENDER = "case-reviews@wirral.example.org"
REPORT = b"PK-the-signed-off-report"
RESPONSE = b"PK-the-board-response"


@pytest.fixture
def smtp():
    servers = SmtpServers()
    handler = RecordingHandler()
    controller = servers.start(handler)
    yield handler, SmtpChannel("127.0.0.1", controller.port, SENDER, timeout=5)
    servers.stop_all()


@pytest.fixture
def mailing(deps, smtp) -> Dependencies:
    _, channel = smtp
    return Dependencies(**{**deps.as_dict(), "channel_for": lambda board_id: channel})


def copies_sent():
    return received(
        PublicationCopiesSent(
            case_id="c1",
            board_id=BOARD,
            reference="SCR-1",
            version=2,
            sent_on=date(2027, 1, 8),
            by_product=True,
            sections={"conclusion": "Not effective."},
        )
    )


def letters(cause):
    report = f.document_generated(
        cause, "final_report", document_id="doc-report", data=REPORT, filename="final-report-SCR-1.docx"
    )
    response = f.document_generated(
        cause,
        "board_response",
        document_id="doc-response",
        data=RESPONSE,
        filename="board-response-SCR-1.docx",
    )
    return report, response


def received_by(handler) -> dict[str, list]:
    out: dict[str, list] = {}
    for i in range(len(handler.received)):
        message = handler.parsed(i)
        out.setdefault(message["To"], []).append(message)
    return out


def test_the_three_bodies_get_the_report_and_the_response_once_each(handle, decided, mailing, smtp, uow):
    handler, _ = smtp
    cause = copies_sent()
    report, response = letters(cause)
    handle(report)
    # The response is still to come: nothing is sent with the report alone.
    assert [n for n in uow.notifications_stored() if n.template == "pre_publication_copies"] == []
    handle(response)
    handle(report)  # a repeat of either changes nothing
    handle(response)
    mailing.dispatch()
    mailing.dispatch()
    copies = {to: ms for to, ms in received_by(handler).items() if "before publication" in ms[0]["Subject"]}
    assert set(copies) == set(NATIONAL.values())
    for messages in copies.values():
        assert len(messages) == 1
        attached = {p.get_filename(): p.get_payload(decode=True) for p in messages[0].iter_attachments()}
        assert attached == {"final-report-SCR-1.docx": REPORT, "board-response-SCR-1.docx": RESPONSE}
        assert messages[0]["Message-ID"]
    sent = [n for n in uow.notifications_stored() if n.template == "pre_publication_copies"]
    assert sorted(n.recipient_role for n in sent) == ["dfe", "national_panel", "ofsted"]


def test_other_documents_of_the_copies_event_are_not_emailed(handle, decided, uow):
    handle(f.document_generated(copies_sent(), "final_report_skeleton", document_id="doc-x"))
    assert [n for n in uow.notifications_stored() if n.template == "pre_publication_copies"] == []


def test_not_publishing_tells_the_dfe_and_the_panel_why(handle, decided, mailing, smtp):
    handler, _ = smtp
    decided_not = received(
        PublicationDecided(
            case_id="c1",
            board_id=BOARD,
            reference="SCR-1",
            publish=False,
            reason="It would harm the sibling's welfare",
            decided_on=date(2027, 1, 8),
        )
    )
    handle(decided_not)
    handle(decided_not)
    mailing.dispatch()
    told = {to: ms for to, ms in received_by(handler).items() if "not to be published" in ms[0]["Subject"]}
    assert set(told) == {NATIONAL["dfe"], NATIONAL["national_panel"]}
    body = told[NATIONAL["dfe"]][0].get_body(("plain",)).get_content()
    assert "8 January 2027" in body and "It would harm the sibling's welfare" in body
    assert all(len(ms) == 1 for ms in told.values())

    final = received(
        PublicationDecided(
            case_id="c1",
            board_id=BOARD,
            reference="SCR-1",
            publish=True,
            final=True,
            reason="The Panel's advice: publish with the sibling's details removed",
            decided_on=date(2027, 2, 1),
        )
    )
    handle(final)
    mailing.dispatch()
    finals = {
        to for to, ms in received_by(handler).items() if any("Final decision" in m["Subject"] for m in ms)
    }
    assert finals == set(NATIONAL.values())


def test_a_decision_to_publish_tells_nobody_yet(handle, decided, uow):
    handle(
        received(
            PublicationDecided(
                case_id="c1", board_id=BOARD, publish=True, reason="", decided_on=date(2027, 1, 8)
            )
        )
    )
    assert [n for n in uow.notifications_stored() if n.template.startswith("publication_")] == []


def test_the_retention_reminder_asks_whether_to_keep_or_withdraw_the_report(handle, decided, mailing, smtp):
    from shared.events.deadlines import DeadlineDueSoon

    handler, _ = smtp
    handle(
        received(
            DeadlineDueSoon(
                case_id="c1",
                board_id=BOARD,
                deadline_id="d1",
                code="publication_retention",
                due=date(2028, 6, 15),
                concerns="business_unit",
            )
        )
    )
    mailing.dispatch()
    [reminder] = [m for ms in received_by(handler).values() for m in ms if "Due soon" in m["Subject"]]
    body = reminder.get_body(("plain",)).get_content()
    assert "15 June 2028" in body and "keep it online or withdraw it?" in body
    assert "publication page: /reviews/c1/publication" in body  # where the answer is recorded
