"""Every kind rendered from the case once per session, and converted to PDF in parallel.

The conversions run four at a time, so the session also shows that concurrent
LibreOffice conversions, each with a profile of its own, do not collide.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.documents.adapters.pdf import to_pdf
from services.documents.adapters.render import render_docx
from services.documents.bootstrap import bootstrap
from services.documents.domain.kinds import KINDS
from services.documents.entrypoints import consumer
from tests.factories import bearer, make_board, make_token, make_user

from .events import case_screened, new_case_id, received, referral_submitted
from .factories import context_for
from .support import need_soffice


@pytest.fixture(scope="session")
def rendered() -> dict[str, bytes]:
    return {kind: render_docx(kind, context_for(kind)) for kind in KINDS}


@pytest.fixture(scope="session")
def converted(rendered) -> dict[str, bytes]:
    need_soffice()
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = pool.map(to_pdf, rendered.values())
        return dict(zip(rendered, pdfs, strict=True))


# -- the service, fed the referral service's events ------------------------------------

AGENCIES = ("police", "health", "childrens_social_care", "education")


class World:
    """The documents service on the test store, a board, a member's token, and its event queue.

    ``adapters`` replace the real ones (``to_pdf=...``), as :func:`bootstrap` takes them.
    """

    def __init__(self, settings, **adapters):
        self.board = make_board(agencies=AGENCIES)
        self.documents = bootstrap(settings, **adapters)
        self.deps = self.documents.app.extensions["lscb_documents"]
        (self.queue,) = consumer.subscriptions(self.deps.as_dict())
        user = make_user("business_unit", "chair", board=self.board)
        self.token = bearer(make_token(user))

    def client(self):
        return self.documents.app.test_client()

    def generate(self, case_id: str, kind: str, **body):
        """``POST /api/v1/documents`` as the board's member: the answer."""
        return self.client().post(
            "/api/v1/documents", headers=self.token, json={"case_id": case_id, "kind": kind, **body}
        )

    def deliver(self, *events) -> None:
        for event in events:
            self.queue.handler(event)

    def new_case(self, **overrides) -> str:
        """A case referred and screened, as the referral service's events tell it."""
        case_id = new_case_id()
        board_id = self.board.board_id
        self.deliver(
            received(referral_submitted(case_id, board_id, **overrides)),
            received(case_screened(case_id, board_id)),
        )
        return case_id


@pytest.fixture
def world(settings) -> World:
    return World(settings)
