"""Every link in a user's navigation opens for them: no role is shown a page it may not use."""

import pytest
from werkzeug.test import Client

from services.embedded import EmbeddedApp, bootstrap_all
from shared.auth.models import ROLES
from shared.ui import navigation
from tests.factories import bearer, make_board, make_token, make_user


@pytest.fixture(scope="module")
def product():
    from shared.config import load_settings

    return EmbeddedApp(bootstrap_all(load_settings(APP_ENV="test")))


@pytest.mark.parametrize("role", ROLES)
def test_navigation_links_open_for_the_role(product, role):
    board = make_board(agencies=("police",))
    user = make_user(role, board=board, agency="police" if role.startswith("agency") else None)
    client = Client(product)
    token = bearer(make_token(user))
    links = navigation({role})
    assert links, f"{role} has nowhere to go"
    for link in links:
        resp = client.get(link["href"], headers=token)
        assert resp.status_code == 200, (role, link["href"], resp.status_code)


def test_the_demo_board_is_completed_after_a_start_killed_part_way(settings):
    from shared.auth import demo
    from shared.auth.models import Agency, Board, User

    Board(board_id=demo.BOARD_ID, name=demo.BOARD_NAME).save()  # killed right after the board
    first = demo.seed(settings)
    assert {row[1] for row in first} == {email for _, email, _, _ in demo.USERS}
    assert Agency.objects(board_id=demo.BOARD_ID).count() == len(demo.AGENCIES)
    assert demo.seed(settings) is None  # nothing left to make
    assert User.objects(email__endswith="@demo.example.org").count() == len(demo.USERS)
