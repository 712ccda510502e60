import re

import pytest

from services.referral.bootstrap import bootstrap as referral
from services.scheduler.bootstrap import bootstrap as scheduler
from tests.factories import PASSWORD, make_board, make_user


@pytest.fixture
def service(settings):
    return referral(settings)


@pytest.fixture
def app(service):
    return service.app


@pytest.fixture
def other_service(settings):
    return scheduler(settings)


@pytest.fixture
def board():
    return make_board()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client, email, password=PASSWORD, next_url=None):
    page = client.get("/sign-in")
    data = {"email": email, "password": password, "csrf_token": csrf_from(page.get_data(as_text=True))}
    if next_url:
        data["next"] = next_url
    return client.post("/sign-in", data=data)


@pytest.fixture
def signed_in(app, board):
    def make(*roles, agency=None):
        user = make_user(*roles, board=board, agency=agency)
        client = app.test_client()
        resp = sign_in(client, user.email)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return client, user

    return make
