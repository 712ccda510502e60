"""What the tests of the reviews pages for meetings, the family, quality markers and interim
learning share: signed-in browsers (Flask's test client with a session) of each role, a review of
another board, and readers of a page's error summary."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from services.reviews.service_layer import commands
from services.reviews.service_layer.access import Viewer
from shared.audit import AuditEntry
from tests.events import decision_recorded, referral_submitted
from tests.factories import make_board, make_user
from tests.unit.auth.conftest import csrf_from, sign_in

from .conftest import PANEL_EMAIL, TODAY, feed

ROLES = {
    "business": ("business_unit", None, None),
    "admin": ("admin", None, None),
    "chair": ("chair", None, None),
    "panel": ("panel_member", None, PANEL_EMAIL),
    "outsider": ("panel_member", None, None),
    "reviewer": ("lead_reviewer", None, None),
    "police": ("agency_practitioner", "police", None),
    "health": ("agency_manager", "health", None),
    "family": ("family_viewer", None, None),
}


@pytest.fixture
def browser(service, board):
    """A test client signed in with a session, as a user of the role named in ROLES."""

    def make(who: str) -> Any:
        role, agency, email = ROLES[who]
        user = make_user(role, board=board, agency=agency, email=email, name=f"{who.title()} User")
        client = service.app.test_client()
        assert sign_in(client, user.email).status_code == 302
        client.user = user
        return client

    return make


@pytest.fixture
def elsewhere(service) -> str:
    """A review of another board: its case id."""
    other = make_board(agencies=("police",))
    feed(service, referral_submitted(other.board_id, "c9"), decision_recorded(other.board_id, "c9"))
    return "c9"


def text(resp: Any) -> str:
    return html.unescape(resp.get_data(as_text=True))


def summary(resp: Any) -> list[tuple[str, str]]:
    """The error summary's (link, message) pairs, in order."""
    box = re.search(r'class="govuk-error-summary".*?</ul>', text(resp), re.S)
    found = re.findall(r'<a href="([^"]+)">(.*?)</a>', box.group(0), re.S) if box else []
    return [(h, m.strip()) for h, m in found]


def post(client: Any, path: str, data: dict[str, Any], page: str | None = None) -> Any:
    """Send a form as the page at ``page`` (or ``path``) would, with its CSRF token."""
    token = csrf_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def audited(user_id: str, action: str, outcome: str = "success") -> int:
    return AuditEntry.objects(actor_id=user_id, action=action, outcome=outcome).count()


@pytest.fixture
def seated(service, review, board) -> str:
    """The review, with the panel member of ROLES (by PANEL_EMAIL) on its panel."""
    unit = Viewer("u-bu", "Bea Business", board.board_id, frozenset({"business_unit"}))
    member = {"role": "member", "name": "Pat Panel", "email": PANEL_EMAIL, "organisation": "Education"}
    commands.add_panel_member(service.extras["dependencies"].uow, unit, review, member, TODAY)
    return review
