"""Single-use links to create a password: signed, expiring, used once, for one purpose only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from shared.auth import links
from tests.factories import make_board, make_user

KEY = "a-secret-key-for-signing-links-in-tests"


@pytest.fixture
def person():
    return make_user("business_unit", board=make_board(), password=None)


def issued(person, purpose=links.INVITATION, key=KEY):
    token, link = links.new_link(person, person.default_board(), purpose, key)
    link.save(force_insert=True)
    return token, link


def test_the_store_keeps_only_a_hash_of_the_token(person):
    token, link = issued(person)
    raw = links.AccountLink._get_collection().find_one({"_id": link.link_id})
    assert token not in str(raw) and raw["token_hash"] == links.token_hash(token)
    assert links.peek(token, links.INVITATION, KEY).user.user_id == person.user_id


def test_a_link_works_once(person):
    token, _ = issued(person)
    assert links.use(token, links.INVITATION, KEY).user.email == person.email
    with pytest.raises(links.LinkRefused) as refused:
        links.use(token, links.INVITATION, KEY)
    assert refused.value.reason == "used"
    with pytest.raises(links.LinkRefused):
        links.peek(token, links.INVITATION, KEY)


@pytest.mark.parametrize(
    "purpose, lifetime", [(links.INVITATION, timedelta(hours=72)), (links.PASSWORD_RESET, timedelta(hours=1))]
)
def test_a_link_expires(person, purpose, lifetime):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        token, _ = issued(person, purpose)
    with time_machine.travel(start + lifetime - timedelta(minutes=1), tick=False):
        assert links.peek(token, purpose, KEY)
    with time_machine.travel(start + lifetime + timedelta(minutes=1), tick=False):
        with pytest.raises(links.LinkRefused) as refused:
            links.use(token, purpose, KEY)
        assert refused.value.reason == "expired"


def test_a_link_opens_only_its_own_purpose(person):
    invitation, _ = issued(person, links.INVITATION)
    reset, _ = issued(person, links.PASSWORD_RESET)
    for token, wrong in ((invitation, links.PASSWORD_RESET), (reset, links.INVITATION)):
        with pytest.raises(links.LinkRefused):
            links.use(token, wrong, KEY)
    assert links.use(reset, links.PASSWORD_RESET, KEY)  # still unused after the wrong tries


def test_a_forged_or_altered_token_is_refused(person):
    token, _ = issued(person)
    with pytest.raises(links.LinkRefused):
        links.peek(token, links.INVITATION, "another-key")
    with pytest.raises(links.LinkRefused):
        links.peek(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), links.INVITATION, KEY)


def test_a_new_link_withdraws_the_older_one(person):
    first, _ = issued(person, links.PASSWORD_RESET)
    second, _ = issued(person, links.PASSWORD_RESET)
    with pytest.raises(links.LinkRefused) as refused:
        links.use(first, links.PASSWORD_RESET, KEY)
    assert refused.value.reason == "withdrawn"
    assert links.use(second, links.PASSWORD_RESET, KEY)


def test_a_deactivated_person_cannot_use_their_link(person):
    token, _ = issued(person)
    person.memberships[0].active = False
    person.save()
    with pytest.raises(links.LinkRefused):
        links.use(token, links.INVITATION, KEY)
