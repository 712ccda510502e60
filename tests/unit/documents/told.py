"""The documents service told of a case by events, on fakes, with documents rendered for real.

For the tests of issue 12 (test_statutory_rules.py, test_rule_packs.py): ``told.deliver``
hands the referral service's payloads to the service as the bus would; ``told.text(kind)``
reads back the latest version of a kind as text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.documents.adapters.render import render_docx
from services.documents.adapters.repository import BoardInfo
from services.documents.bootstrap import dependencies
from services.documents.domain.publication import pseudonymise
from services.documents.entrypoints import consumer
from shared.events import parse_envelope
from shared.events.referral import Reviewer

from .events import case_screened, received, referral_submitted
from .fakes import FakeDirectory, FakeUnitOfWork
from .support import docx_text, flat

BOARD = "b-north"
DECLARED = {
    "works_for_involved_agency": False,
    "line_manages_involved_staff": False,
    "involved_in_case": False,
    "works_for_board_agency": False,
}
REVIEWER = Reviewer(
    name="Dr Ruth Okafor",
    organisation="Okafor Reviews Ltd",
    agency=None,
    qualifications="Systems-approach lead reviewer, accredited 2019",
    declarations=DECLARED,
)


class Told:
    """The service on fakes, with the real renderer; a board with two agencies."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWork(
            FakeDirectory(
                boards={BOARD: BoardInfo(BOARD, "North Partnership", "North Council")},
                agencies={BOARD: {"police": "North Police", "health": "North Health"}},
            )
        )
        self.deps = dependencies(
            uow=self.uow, render_docx=render_docx, pseudonymise=pseudonymise, today=lambda: date(2025, 12, 2)
        )
        (self.queue,) = consumer.subscriptions(self.deps.as_dict())

    def deliver(self, *payloads: Any) -> None:
        for payload in payloads:
            self.queue.handler(received(payload))

    def text(self, kind: str) -> str:
        """The latest version of ``kind``, as text with whitespace collapsed."""
        doc = max(self.uow.documents.of_kind(kind), key=lambda d: d.version)
        return flat(docx_text(self.uow.files.read(doc.file_id)))

    def kinds(self) -> list[str]:
        return sorted(d.kind for d in self.uow.documents.stored)

    def cause(self, kind: str) -> tuple[int, str | None]:
        """The latest version of ``kind``, and the type of the event that caused it."""
        doc = max(self.uow.documents.of_kind(kind), key=lambda d: d.version)
        (entry,) = doc.outbox
        event = parse_envelope(entry.envelope)
        return event.data.version, event.data.caused_by_type


def current_case(told: Told, case_id: str, pack: str, **screening: Any) -> None:
    """A case referred and screened under ``pack``."""
    told.deliver(
        referral_submitted(case_id, BOARD, rule_pack=pack),
        case_screened(case_id, BOARD, rule_pack=pack, **screening),
    )
