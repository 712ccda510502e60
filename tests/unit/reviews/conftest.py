"""What the reviews API tests share: the service on the test store, a board, a user of each role
and a review opened by an SCR decision."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.bootstrap import bootstrap
from services.reviews.service_layer import handlers
from shared.service import Service
from tests.events import decision_recorded, received, referral_submitted
from tests.factories import bearer, make_board, make_token, make_user

TODAY = date(2026, 3, 2)
PANEL_EMAIL = "pat.panel@example.org"


@pytest.fixture
def service(settings) -> Service:
    return bootstrap(settings, today=lambda: TODAY)


@pytest.fixture
def client(service):
    return service.app.test_client()


@pytest.fixture
def board():
    return make_board(agencies=("police", "health", "education"))


@pytest.fixture
def users(board) -> dict[str, dict]:
    """A bearer header per role; agency staff of the police, the panel member by PANEL_EMAIL."""
    made = {
        "business": make_user("business_unit", board=board),
        "admin": make_user("admin", board=board),
        "chair": make_user("chair", board=board),
        "police": make_user("agency_practitioner", board=board, agency="police"),
        "health": make_user("agency_manager", board=board, agency="health"),
        "panel": make_user("panel_member", board=board, email=PANEL_EMAIL),
        "outsider": make_user("panel_member", board=board),
        "reviewer": make_user("lead_reviewer", board=board),
        "family": make_user("family_viewer", board=board),
    }
    return {name: bearer(make_token(user)) for name, user in made.items()}


def feed(service: Service, *payloads) -> None:
    """Hand events to the service's handlers as the bus would."""
    uow = service.extras["dependencies"].uow
    for payload in payloads:
        event = received(payload)
        for sub in handlers.listeners.subscriptions({"uow": uow}):
            if event.event_type in sub.event_types:
                sub.handler(event)


@pytest.fixture
def review(service, board) -> str:
    feed(service, referral_submitted(board.board_id), decision_recorded(board.board_id))
    return "c1"
