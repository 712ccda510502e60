"""What the reviews pages' tests share: a signed-in browser of each role, reading a page's text and
error summary, and posting a form with the page's CSRF token."""

from __future__ import annotations

import html
import re

import pytest

from tests.factories import make_user
from tests.unit.auth.conftest import csrf_from, sign_in

from .conftest import PANEL_EMAIL


@pytest.fixture
def browser(service, board):
    """``browser(name)``: a test client signed in as one of the roles the API tests use."""
    roles = {
        "business": ("business_unit", None, None),
        "admin": ("admin", None, None),
        "chair": ("chair", None, None),
        "police": ("agency_practitioner", "police", None),
        "health": ("agency_manager", "health", None),
        "education": ("agency_practitioner", "education", None),
        "panel": ("panel_member", None, PANEL_EMAIL),
        "outsider": ("panel_member", None, None),
        "reviewer": ("lead_reviewer", None, None),
        "family": ("family_viewer", None, None),
    }

    made: dict[tuple[str, str], object] = {}

    def make(name: str, board_=None):
        key = (name, (board_ or board).board_id)
        if key in made:
            return made[key]
        role, agency, email = roles[name]
        if board_ is not None:
            email = None
        user = make_user(role, board=board_ or board, agency=agency, email=email)
        client = service.app.test_client()
        assert sign_in(client, user.email).status_code == 302
        client.user = user
        made[key] = client
        return client

    return make


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def summary(resp) -> list[tuple[str, str]]:
    box = re.search(r'class="govuk-error-summary".*?</ul>', text(resp), re.S)
    found = re.findall(r'<a href="([^"]+)">(.*?)</a>', box.group(0), re.S) if box else []
    return [(h, m.strip()) for h, m in found]


def post(client, path: str, data: dict | None = None, page: str | None = None, **kwargs):
    token = csrf_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)
