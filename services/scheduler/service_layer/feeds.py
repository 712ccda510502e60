"""Calendar feeds: subscribable URLs of a case's or a board's open deadlines.

A feed's URL carries a random token; only its hash is stored. Anyone holding the URL
can read the feed, so it shows case references and deadlines only, never a child's
details, and it can be revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from services.scheduler.adapters.store import CalendarFeed
from services.scheduler.service_layer.clock import Clock
from services.scheduler.service_layer.deadlines import schedule_of
from services.scheduler.service_layer.messages import CreateCalendarFeed, ReadCalendarFeed, RevokeCalendarFeed
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.errors import NotFound


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewFeed:
    feed_id: str
    case_id: str | None
    token: str  # shown once, in the feed's URL; never stored


def create_feed(cmd: CreateCalendarFeed, uow: SchedulerUnitOfWork) -> NewFeed:
    with uow:
        if cmd.case_id:
            schedule_of(uow, cmd.board_id, cmd.case_id)  # the board's own case only
        token = secrets.token_urlsafe(32)
        feed = CalendarFeed(
            token_hash=token_hash(token), board_id=cmd.board_id, case_id=cmd.case_id, user_id=cmd.user_id
        )
        uow.feeds.add(feed)
        uow.commit()
    return NewFeed(feed.feed_id, feed.case_id, token)


def revoke_feed(cmd: RevokeCalendarFeed, uow: SchedulerUnitOfWork, clock: Clock) -> None:
    with uow:
        feed = uow.feeds.get(cmd.feed_id, cmd.board_id)
        if feed is None:
            raise NotFound("There is no such calendar feed", field="feed_id")
        feed.revoked_at = clock.now()
        uow.commit()


@dataclass(frozen=True)
class FeedEntry:
    deadline_id: str
    due: date
    reference: str
    code: str
    rule: str
    source: str


@dataclass(frozen=True)
class FeedContents:
    feed_id: str
    board_id: str
    user_id: str
    name: str
    entries: list[FeedEntry]


def read_feed(query: ReadCalendarFeed, uow: SchedulerUnitOfWork) -> FeedContents | None:
    """The feed's open deadlines (neither met nor waived); None for an unknown or revoked token."""
    with uow:
        feed = uow.feeds.active_by_token_hash(token_hash(query.token))
        if feed is None:
            return None
        if feed.case_id:
            schedule = uow.schedules.lookup(feed.case_id, feed.board_id)
            schedules = [schedule] if schedule else []
            name = f"Case {schedule.reference if schedule else feed.case_id} deadlines"
        else:
            schedules = uow.schedules.for_board(feed.board_id)
            name = "Board deadlines"
    entries = [
        FeedEntry(d.deadline_id, d.due, s.reference or s.case_id, d.code, d.rule, d.source)
        for s in schedules
        for d in s.deadlines
        if d.open
    ]
    return FeedContents(feed.feed_id, feed.board_id, feed.user_id, name, entries)
