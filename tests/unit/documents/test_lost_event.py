"""A crash between storing a document and storing its event loses neither (issue 10).

The handler used to save the document, then raise ``document.generated`` and save
again. A process that died between the two writes lost the event for good: the
broker redelivered ``decision.recorded``, the handler found the document, skipped it
as a repeat, and the statutory notification waited for ever.

Here the process "dies" right after its first write to the documents collection:
the store driver raises :class:`ProcessKilled`, a BaseException no handler catches,
so nothing of the handler runs after that write, as after a kill. The event is then
delivered again, and every document it made must have its ``document.generated``
stored with it (pending in its outbox, for the relay to publish).
"""

from __future__ import annotations

import functools
from datetime import date

import mongomock.collection
import pytest

from services.documents.adapters.store import StoredDocument
from services.documents.bootstrap import dependencies
from services.documents.entrypoints import consumer
from services.documents.service_layer.unit_of_work import MongoUnitOfWork
from shared.events import parse_envelope
from tests.factories import make_board

from .events import new_case_id, story
from .fakes import FakeRenderer

WRITES = ("insert_one", "insert_many", "update_one", "update_many", "replace_one", "find_one_and_update")


class ProcessKilled(BaseException):
    """The process stopped here: nothing after this point ran."""


def kill_after_first_write(monkeypatch: pytest.MonkeyPatch, collection: str) -> None:
    for name in WRITES:
        original = getattr(mongomock.collection.Collection, name)

        @functools.wraps(original)
        def write(self, *args, _original=original, **kwargs):
            result = _original(self, *args, **kwargs)
            if self.name == collection:
                raise ProcessKilled(f"killed after writing to {collection}")
            return result

        monkeypatch.setattr(mongomock.collection.Collection, name, write)


def test_a_redelivered_event_finds_every_document_it_made_with_its_event(monkeypatch):
    board = make_board()
    deps = dependencies(uow=MongoUnitOfWork(), render_docx=FakeRenderer(), today=lambda: date(2025, 12, 2))
    (queue,) = consumer.subscriptions(deps.as_dict())
    case_id = new_case_id()
    *before, decided, _ = story(case_id, board.board_id)
    for event in before:
        queue.handler(event)

    with monkeypatch.context() as crash:
        kill_after_first_write(crash, StoredDocument._get_collection_name())
        with pytest.raises(ProcessKilled):
            queue.handler(decided)
    assert StoredDocument.objects(caused_by=decided.event_id).count() == 1  # the crash came after a write

    queue.handler(decided)  # not acknowledged, so the broker delivers it again

    made = list(StoredDocument._get_collection().find({"case_id": case_id, "caused_by": decided.event_id}))
    assert sorted(d["kind"] for d in made) == ["decision_notification", "screening_decision_record"]
    for doc in made:
        events = [parse_envelope(e["envelope"]) for e in doc.get("outbox", []) if e["pending"]]
        assert [e.event_type for e in events] == ["document.generated"], doc["kind"]
        assert events[0].data.document_id == doc["_id"]
        assert (events[0].data.caused_by, events[0].data.caused_by_type) == (
            decided.event_id,
            "decision.recorded",
        )
