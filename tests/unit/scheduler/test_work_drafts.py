"""Draft referrals on their author's home page: filled from ``referral_draft.saved`` and
``.discarded``, for the author alone; a later save moves the draft to the top, a late older save
changes nothing, a draft sent or deleted leaves the list, and one left alone for 90 days (which
the referral service's store removes without a word) is no longer listed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.scheduler.bootstrap import bootstrap
from services.scheduler.domain import work
from services.scheduler.service_layer.work import GetWork
from shared.events.referral import ReferralDraftDiscarded, ReferralDraftSaved
from tests.events import received
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.scheduler.fakes import Scheduler

BOARD = "b1"


def saved(draft_id: str, at: datetime, user_id: str = "u1", title: str = "A child was seriously harmed"):
    return received(
        ReferralDraftSaved(
            draft_id=draft_id, board_id=BOARD, user_id=user_id, agency="police", updated_at=at, title=title
        )
    )


def drafts(scheduler: Scheduler, user_id: str = "u1") -> work.WorkList:
    found = scheduler.handle(
        GetWork(BOARD, frozenset({"agency_practitioner"}), agency="police", user_id=user_id)
    )
    return next(w for w in found if w.section.key == "drafts")


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(today=date(2027, 1, 4))


def test_the_author_sees_their_drafts_the_one_saved_last_first(scheduler):
    scheduler.handle(saved("d1", datetime(2027, 1, 2, 9, tzinfo=UTC)))
    scheduler.handle(saved("d2", datetime(2027, 1, 3, 9, tzinfo=UTC), title="No answers yet"))
    scheduler.handle(saved("d3", datetime(2027, 1, 3, 9, tzinfo=UTC), user_id="u2"))
    mine = drafts(scheduler)
    assert [i.target for i in mine.items] == ["d2", "d1"] and mine.count == 2
    assert mine.items[0].label == "No answers yet" and mine.items[1].on == date(2027, 1, 2)
    assert [i.target for i in drafts(scheduler, "u2").items] == ["d3"]

    scheduler.handle(saved("d1", datetime(2027, 1, 4, 9, tzinfo=UTC)))  # saved again: first now
    assert [i.target for i in drafts(scheduler).items] == ["d1", "d2"]
    scheduler.handle(saved("d1", datetime(2027, 1, 1, 9, tzinfo=UTC), title="Old"))  # late: ignored
    assert drafts(scheduler).items[0].label == "A child was seriously harmed"


def test_a_draft_sent_or_deleted_leaves_the_list(scheduler):
    scheduler.handle(saved("d1", datetime(2027, 1, 2, 9, tzinfo=UTC)))
    scheduler.handle(saved("d2", datetime(2027, 1, 3, 9, tzinfo=UTC)))
    scheduler.handle(
        received(ReferralDraftDiscarded(draft_id="d1", board_id=BOARD, user_id="u1", submitted=True))
    )
    scheduler.handle(received(ReferralDraftDiscarded(draft_id="d9", board_id=BOARD, user_id="u1")))  # unknown
    assert [i.target for i in drafts(scheduler).items] == ["d2"]
    scheduler.handle(received(ReferralDraftDiscarded(draft_id="d2", board_id=BOARD, user_id="u1")))
    assert drafts(scheduler).count == 0


def test_a_draft_left_alone_for_90_days_is_not_listed(scheduler):
    scheduler.handle(saved("old", datetime(2026, 10, 1, 9, tzinfo=UTC)))
    scheduler.handle(saved("new", datetime(2026, 10, 10, 9, tzinfo=UTC)))
    assert [i.target for i in drafts(scheduler).items] == ["new"]


def test_the_home_page_links_each_draft_to_where_its_author_continues_it(settings):
    service = bootstrap(settings)
    board = make_board()
    author = make_user("agency_practitioner", board=board, agency="police")
    service.extras["bus"].handle(
        received(
            ReferralDraftSaved(
                draft_id="d7",
                board_id=board.board_id,
                user_id=author.user_id,
                agency="police",
                updated_at=datetime(2099, 3, 8, 10, tzinfo=UTC),
                title="A child died",
            )
        )
    )
    client = service.app.test_client()
    page = client.get("/home", headers=bearer(make_token(author))).get_data(as_text=True)
    assert "Your draft referrals" in page
    assert 'href="/referrals/d7">A child died</a>' in page and "Last saved on 8 March 2099" in page
    other = make_user("agency_practitioner", board=board, agency="police")
    page = client.get("/home", headers=bearer(make_token(other))).get_data(as_text=True)
    assert "You have no referral saved to finish." in page
