"""The documents service's handlers, on fakes: no store, no LibreOffice, no bus.

The referral service's events keep the service's own record of each case and call
for the documents the framework asks for; each document is stored with the
``document.generated`` event that announces it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest

from services.documents.adapters.repository import BoardInfo
from services.documents.adapters.store import DOCX, StoredDocument
from services.documents.bootstrap import dependencies
from services.documents.domain.publication import pseudonymise
from services.documents.entrypoints import consumer
from services.documents.service_layer import family, handlers, queries
from services.documents.service_layer.commands import GenerateDocument, RevokeShare, ShareDocument
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.crypto import open_bytes
from shared.errors import InvalidInput, NotFound
from shared.events import Event, parse_envelope

from .events import (
    LEAD_REVIEWER,
    case_screened,
    decision_changed,
    decision_recorded,
    new_case_id,
    received,
    referral_submitted,
    reviewer_appointed,
    story,
)
from .fakes import FakeDirectory, FakeRenderer, FakeUnitOfWork

BOARD = "b-north"
TODAY = date(2025, 12, 2)
SENT = {"ofsted_incident_notification", "decision_notification", "case_group_letter"}


def principal(*roles: str, board_id: str = BOARD, agency: str | None = None) -> Principal:
    return Principal(
        user_id="u-1",
        name="Sam",
        board_id=board_id,
        roles=frozenset(roles or {"business_unit"}),
        agency=agency,
    )


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        FakeDirectory(
            boards={BOARD: BoardInfo(BOARD, "North Partnership", "North Council")},
            agencies={BOARD: {"police": "North Police", "health": "North Health"}},
            family=[(BOARD, "family-1")],
        )
    )


@pytest.fixture
def render() -> FakeRenderer:
    return FakeRenderer()


@pytest.fixture
def pdfs() -> list[bytes]:
    return []


@pytest.fixture
def deps(uow, render, pdfs):
    def to_pdf(docx: bytes) -> bytes:
        pdfs.append(docx)
        return b"%PDF " + docx

    return dependencies(
        uow=uow, render_docx=render, to_pdf=to_pdf, pseudonymise=pseudonymise, today=lambda: TODAY
    )


@pytest.fixture
def deliver(deps):
    """The documents.generate queue's handler, with bootstrap's dependencies injected."""
    (sub,) = consumer.subscriptions(deps.as_dict())
    assert sub.consumer == "documents.generate"
    return sub.handler


@pytest.fixture
def case_id() -> str:
    return new_case_id()


def announced(doc: StoredDocument) -> Event[Any]:
    """The one document.generated event stored with the document, as a consumer reads it."""
    (entry,) = doc.outbox
    assert entry.pending
    return parse_envelope(entry.envelope)


def generate(deps, case_id: str, kind: str, **kw: Any) -> StoredDocument:
    cmd = GenerateDocument(case_id=case_id, kind=kind, requested_by=kw.pop("by", principal()), **kw)
    return handlers.generate(cmd, deps.uow, deps.render_docx, deps.pseudonymise, deps.today)


# -- The record of the case --------------------------------------------------------------


def test_a_referral_starts_the_record_with_the_childs_details_still_sealed(deliver, uow, render, case_id):
    submitted = referral_submitted(case_id, BOARD)
    deliver(received(submitted))
    record = uow.cases.stored[case_id]
    assert (record.board_id, record.reference, record.agencies_involved) == (
        BOARD,
        submitted.reference,
        ["police", "health"],
    )
    assert record.child_sealed == submitted.child_sealed and "Jane" not in record.child_sealed
    assert uow.documents.stored == [] and render.calls == []  # nothing is made before screening


def test_an_older_decision_delivered_late_does_not_undo_a_newer_one(deliver, uow, case_id):
    recorded = received(decision_recorded(case_id, BOARD))
    changed = received(decision_changed(case_id, BOARD))
    for event in (received(referral_submitted(case_id, BOARD)), changed, recorded):
        deliver(event)
    assert uow.cases.stored[case_id].decision.outcome == "learning_review"


@pytest.mark.parametrize("event", [case_screened, decision_recorded, reviewer_appointed])
def test_an_event_about_a_case_never_referred_is_refused_for_good(deliver, uow, case_id, event):
    with pytest.raises(PermanentError, match="unknown"):
        deliver(received(event(case_id, BOARD)))
    assert uow.documents.stored == []


# -- Documents the events call for -------------------------------------------------------


def test_a_notifiable_screening_makes_the_summary_and_the_notification_to_ofsted(
    deliver, uow, render, case_id
):
    deliver(received(referral_submitted(case_id, BOARD)))
    screened = received(case_screened(case_id, BOARD))
    deliver(screened)
    assert sorted(d.kind for d in uow.documents.stored) == [
        "ofsted_incident_notification",
        "referral_summary",
    ]
    for doc in uow.documents.stored:
        event = announced(doc)
        data = uow.files.read(doc.file_id)
        assert event.event_type == "document.generated" and event.producer == "documents"
        assert (event.data.caused_by, event.data.caused_by_type) == (screened.event_id, "case.screened")
        assert (event.data.document_id, event.data.kind, event.data.version) == (doc.document_id, doc.kind, 1)
        assert (event.data.filename, event.data.content_type) == (doc.filename, DOCX)
        assert event.data.content_hash == hashlib.sha256(data).hexdigest() == doc.content_hash
    letter = uow.documents.of_kind("ofsted_incident_notification")[0]
    assert open_bytes(announced(letter).data.content_sealed) == uow.files.read(letter.file_id)
    assert announced(uow.documents.of_kind("referral_summary")[0]).data.content_sealed is None
    # The child's details were opened for rendering, and only there.
    assert render.contexts("referral_summary")[0]["child"]["name"] == "Jane Doe"
    assert render.contexts("ofsted_incident_notification")[0]["local_authority"] == "North Council"


def test_a_screening_that_is_not_notifiable_makes_no_notification_to_ofsted(deliver, uow, case_id):
    deliver(received(referral_submitted(case_id, BOARD, notifiable=False)))
    deliver(received(case_screened(case_id, BOARD, notifiable=False, notifiable_grounds=[])))
    assert [d.kind for d in uow.documents.stored] == ["referral_summary"]


def test_a_decision_makes_its_record_and_its_notification(deliver, uow, render, case_id):
    *before, decided, _ = story(case_id, BOARD)
    for event in (*before, decided):
        deliver(event)
    made = {d.kind: d for d in uow.documents.stored if d.caused_by == decided.event_id}
    assert set(made) == {"screening_decision_record", "decision_notification"}
    assert announced(made["decision_notification"]).data.caused_by_type == "decision.recorded"
    assert announced(made["decision_notification"]).data.content_sealed is not None
    assert announced(made["screening_decision_record"]).data.content_sealed is None
    (context,) = render.contexts("decision_notification")
    assert context["decision"]["chair_name"] == "Alex Chair"
    assert [(r["name"], r["organisation"]) for r in context["lead_reviewers"]] == [
        (LEAD_REVIEWER, "Independent Reviews Ltd")
    ]
    assert context["proportionality"]["context_factors"] == [{"factor": "Public interest in the case"}]


def test_a_changed_decision_makes_new_versions_saying_why(deliver, uow, case_id):
    for event in story(case_id, BOARD)[:3]:
        deliver(event)
    changed = received(decision_changed(case_id, BOARD))
    deliver(changed)
    latest = max(uow.documents.of_kind("decision_notification"), key=lambda d: d.version)
    event = announced(latest)
    assert (event.data.version, event.data.caused_by, event.data.caused_by_type) == (
        2,
        changed.event_id,
        "decision.changed",
    )


def test_appointed_reviewers_make_one_letter_per_agency_involved(deliver, uow, render, case_id):
    events = story(case_id, BOARD)
    for event in events:
        deliver(event)
    letters = uow.documents.of_kind("case_group_letter")
    assert sorted(d.addressed_to for d in letters) == ["health", "police"]
    assert sorted(c["recipient"]["agency"] for c in render.contexts("case_group_letter")) == [
        "North Health",
        "North Police",
    ]
    assert all(announced(d).data.caused_by == events[-1].event_id for d in letters)


def test_a_repeated_event_makes_nothing_new(deliver, uow, render, case_id):
    events = story(case_id, BOARD)
    for event in events:
        deliver(event)
    made, renders = len(uow.documents.stored), len(render.calls)
    assert made == 6
    for event in events:
        deliver(event)
    assert (len(uow.documents.stored), len(render.calls)) == (made, renders)


def test_a_letter_the_record_cannot_fill_is_skipped_and_the_rest_made(deliver, uow, case_id):
    deliver(received(referral_submitted(case_id, BOARD, child=None)))  # no child's name given
    deliver(received(case_screened(case_id, BOARD)))
    deliver(received(decision_recorded(case_id, BOARD)))
    kinds = {d.kind for d in uow.documents.stored}
    assert "referral_summary" not in kinds and "ofsted_incident_notification" not in kinds
    assert {"screening_decision_record", "decision_notification"} <= kinds


def test_every_kind_an_event_makes_is_marked_sent_or_not_by_its_spec(deliver, uow, case_id):
    for event in story(case_id, BOARD):
        deliver(event)
    for doc in uow.documents.stored:
        assert (announced(doc).data.content_sealed is not None) == (doc.kind in SENT), doc.kind


# -- Asked for ---------------------------------------------------------------------------


@pytest.fixture
def known(deliver, case_id) -> str:
    deliver(received(referral_submitted(case_id, BOARD)))
    deliver(received(case_screened(case_id, BOARD)))
    return case_id


def test_each_request_keeps_a_new_version(deps, uow, known):
    (made,) = uow.documents.of_kind("referral_summary")  # by the screening
    first = generate(deps, known, "referral_summary")
    second = generate(deps, known, "referral_summary")
    assert (made.version, first.version, second.version) == (1, 2, 3)
    assert announced(second).data.caused_by == "request" and announced(second).data.caused_by_type is None
    assert second.generated_by == "u-1" and made.generated_by == "service:documents"
    assert uow.documents.of_kind("referral_summary") == [made, first, second]


def test_a_version_taken_meanwhile_is_not_overwritten(deps, uow, known):
    uow.documents.taken_once.add((known, "referral_summary"))  # version 2, by someone else
    doc = generate(deps, known, "referral_summary")
    assert doc.version == 3 and announced(doc).data.version == 3
    assert sorted(d.version for d in uow.documents.of_kind("referral_summary")) == [1, 2, 3]


@pytest.mark.parametrize(
    "who",
    [
        principal(board_id="b-south"),  # another board
        principal("agency_practitioner", agency="health"),  # an agency that did not refer it
    ],
)
def test_a_case_the_requester_may_not_see_is_not_found(deps, uow, known, who):
    before = list(uow.documents.stored)
    with pytest.raises(NotFound) as caught:
        generate(deps, known, "referral_summary", by=who)
    assert caught.value.field == "case_id" and uow.documents.stored == before


def test_the_referring_agency_may_see_its_case(deps, known):
    assert generate(deps, known, "referral_summary", by=principal("agency_manager", agency="police")).version


def test_an_unknown_case_is_not_found(deps):
    with pytest.raises(NotFound):
        generate(deps, "no-such-case", "referral_summary")


def test_a_publication_copy_needs_a_glossary_and_is_never_sent(deps, uow, render, known):
    with pytest.raises(InvalidInput) as caught:
        generate(deps, known, "ofsted_incident_notification", publication=True)
    assert caught.value.errors()[0]["field"] == "glossary"
    doc = generate(
        deps, known, "ofsted_incident_notification", publication=True, glossary={"Jane Doe": "Child A"}
    )
    assert doc.publication and doc.filename.endswith("-publication.docx")
    assert announced(doc).data.content_sealed is None
    assert render.contexts("ofsted_incident_notification")[-1]["child"]["name"] == "Child A"


def test_a_pdf_is_converted_once_and_kept(deps, uow, pdfs, known):
    doc = generate(deps, known, "referral_summary")
    docx = queries.content(principal(), doc.document_id, "docx", uow, deps.to_pdf)
    assert (docx.content_type, docx.content_hash) == (DOCX, doc.content_hash)
    first = queries.content(principal(), doc.document_id, "pdf", uow, deps.to_pdf)
    again = queries.content(principal(), doc.document_id, "pdf", uow, deps.to_pdf)
    assert first.data == again.data == b"%PDF " + docx.data and len(pdfs) == 1
    assert first.filename == doc.filename.replace(".docx", ".pdf")


# -- Family shares -----------------------------------------------------------------------


def test_a_family_member_is_given_a_report_reads_it_and_loses_it_when_revoked(deps, uow, known, monkeypatch):
    doc = generate(deps, known, "referral_summary")
    staff = principal()
    with pytest.raises(InvalidInput) as caught:
        family.share_document(ShareDocument(doc.document_id, "someone-else", staff), uow)
    assert caught.value.errors()[0]["field"] == "user_id"
    share = family.share_document(ShareDocument(doc.document_id, "family-1", staff), uow)
    reader = Principal(user_id="family-1", name="Mary", board_id=BOARD, roles=frozenset({"family_viewer"}))
    assert family.shared_with(reader, uow) == [(share, doc)]
    monkeypatch.setattr(family.reading, "pages", lambda data: [["page one"], ["page two"]])
    page = family.read_report(reader, share.share_id, 9, uow)
    assert (page.page, page.pages, page.blocks, page.title) == (
        2,
        2,
        ["page two"],
        "Referral for consideration of a case review",
    )
    family.revoke_share(RevokeShare(share.share_id, staff), uow)
    assert family.shared_with(reader, uow) == []
    with pytest.raises(NotFound):
        family.read_report(reader, share.share_id, 1, uow)
