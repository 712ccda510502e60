"""The final report's documents from the reviews service's events, on fakes: a document per
version, the family's share of the version shown to them, and the copies for the national
bodies made as sealed letters (the report and the board's response)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from services.documents.adapters.repository import BoardInfo
from services.documents.bootstrap import dependencies
from services.documents.domain.publication import pseudonymise
from services.documents.entrypoints import consumer
from shared.crypto import open_bytes
from shared.events.report import PublicationCopiesSent, ReportSharedWithFamily, ReportVersionSaved

from .events import decision_recorded, new_case_id, received, referral_submitted
from .fakes import FakeDirectory, FakeRenderer, FakeUnitOfWork

BOARD = "b-north"
SECTIONS = {
    "circumstances": "Child A was hurt.",
    "actions_taken": "Police share referrals.",
    "conclusion": "Not effective.",
}


class Setup:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork(
            FakeDirectory(
                boards={BOARD: BoardInfo(BOARD, "North Partnership", "North Council")},
                family={(BOARD, "fay")},
            )
        )
        deps = dependencies(
            uow=self.uow,
            render_docx=FakeRenderer(),
            pseudonymise=pseudonymise,
            today=lambda: date(2026, 3, 10),
        )
        (sub,) = consumer.subscriptions(deps.as_dict())
        self.handler = sub.handler
        self.case_id = new_case_id()
        self.deliver(
            received(referral_submitted(self.case_id, BOARD)),
            received(decision_recorded(self.case_id, BOARD)),
        )

    def deliver(self, *events: object) -> None:
        for event in events:
            self.handler(event)

    def saved(self, version: int, sections: dict[str, str] = SECTIONS):
        return received(
            ReportVersionSaved(
                case_id=self.case_id,
                board_id=BOARD,
                reference="SCR-1",
                version=version,
                saved_on=date(2026, 3, 2),
                sections=sections,
            )
        )

    def text(self, doc) -> str:
        data = self.uow.files.read(doc.file_id)
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_each_version_becomes_a_final_report_document_once():
    s = Setup()
    first = s.saved(1)
    s.deliver(first, first, s.saved(2, {**SECTIONS, "conclusion": "Changed."}))
    docs = sorted(s.uow.documents.of_kind("final_report"), key=lambda d: d.version)
    assert [d.version for d in docs] == [1, 2]
    text = s.text(docs[1])
    assert "Conclusion on the effectiveness of local practice" in text and "Changed." in text
    assert all(not d.outbox[0].envelope["data"].get("content_sealed") for d in docs)  # not sent anywhere


def test_the_version_shown_to_a_family_member_is_shared_with_them_once():
    s = Setup()
    s.deliver(s.saved(1), s.saved(2))
    share = received(
        ReportSharedWithFamily(
            case_id=s.case_id,
            board_id=BOARD,
            version=1,
            user_id="fay",
            email="fay@example.org",
            shared_on=date(2026, 3, 2),
        )
    )
    s.deliver(share, share)
    (made,) = s.uow.shares.stored.values()
    version_one = next(d for d in s.uow.documents.of_kind("final_report") if d.version == 1)
    assert (made.user_id, made.document_id) == ("fay", version_one.document_id)
    assert [e.event_type for e in made.outbox] == ["document_share.created"]

    stranger = received(
        ReportSharedWithFamily(
            case_id=s.case_id,
            board_id=BOARD,
            version=1,
            user_id="nobody",
            email="n@example.org",
            shared_on=date(2026, 3, 2),
        )
    )
    s.deliver(stranger)
    assert len(s.uow.shares.stored) == 1


def test_copies_sent_by_the_product_are_made_as_sealed_letters_and_those_sent_outside_are_not():
    s = Setup()
    copies = received(
        PublicationCopiesSent(
            case_id=s.case_id,
            board_id=BOARD,
            reference="SCR-1",
            version=1,
            sent_on=date(2026, 3, 2),
            by_product=True,
            planned_publication_on=date(2026, 3, 11),
            sections=SECTIONS,
        )
    )
    s.deliver(copies, copies)
    report = s.uow.documents.of_kind("final_report")
    response = s.uow.documents.of_kind("board_response")
    assert len(report) == len(response) == 1
    for doc in (*report, *response):
        data = doc.outbox[0].envelope["data"]
        assert data["caused_by_type"] == "publication.copies_sent"
        assert data["content_sealed"].startswith("enc:")
    letter = Document(io.BytesIO(open_bytes(response[0].outbox[0].envelope["data"]["content_sealed"])))
    said = "\n".join(p.text for p in letter.paragraphs)
    assert "11 March 2026" in said and "Police share referrals." in said

    outside = received(
        PublicationCopiesSent(
            case_id=s.case_id, board_id=BOARD, version=1, sent_on=date(2026, 2, 2), by_product=False
        )
    )
    s.deliver(outside)
    assert len(s.uow.documents.of_kind("board_response")) == 1
