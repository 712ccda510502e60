"""The unit of work: how a handler reaches the store (cosmicpython ``service_layer/unit_of_work.py``).

A handler opens the service's unit of work, reads and changes aggregates
through its repositories, and commits. Committing writes each changed
aggregate in one single-document write that also holds the events it raised
(the transactional outbox), so a state change and its events are stored
together or not at all. Leaving the block without committing writes nothing.

MongoDB is used without multi-document transactions: a unit of work that
changes two aggregates writes them one after the other, each atomically.

Each service subclasses :class:`UnitOfWork` with its repositories; the unit
tests of its handlers use a fake with in-memory repositories, which keeps the
events that would have been published (:meth:`UnitOfWork.collect_new_events`).
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import Any, Generic, Protocol, Self, TypeVar


class Aggregate(Protocol):
    """What the unit of work needs of an aggregate: the outbox of events it raised."""

    outbox: list[Any]


A = TypeVar("A")


class Repository(abc.ABC, Generic[A]):
    """Keeps the aggregates a unit of work loaded or added, so that commit writes them."""

    def __init__(self) -> None:
        self.seen: list[A] = []

    def _track(self, aggregate: A | None) -> A | None:
        if aggregate is not None and not any(a is aggregate for a in self.seen):
            self.seen.append(aggregate)
        return aggregate

    def add(self, aggregate: A) -> A:
        self._track(aggregate)
        self._add(aggregate)
        return aggregate

    def _add(self, aggregate: A) -> None:
        """Hook for repositories that write new aggregates differently (inserted, not updated)."""

    @abc.abstractmethod
    def save(self, aggregate: A) -> None:
        """Write one aggregate and its pending events in one single-document write."""


class UnitOfWork(abc.ABC):
    def __enter__(self) -> Self:
        self.committed = False
        return self

    def __exit__(self, *args: object) -> None:
        self.rollback()

    @abc.abstractmethod
    def repositories(self) -> Iterator[Repository[Any]]: ...

    def commit(self) -> None:
        for repo in self.repositories():
            for aggregate in repo.seen:
                repo.save(aggregate)
        self.committed = True

    def rollback(self) -> None:
        """Forget what was loaded; nothing uncommitted was written."""
        for repo in self.repositories():
            repo.seen = []

    def collect_new_events(self) -> Iterator[dict[str, Any]]:
        """The envelopes the loaded aggregates raised and have not yet handed to the outbox relay."""
        for repo in self.repositories():
            for aggregate in repo.seen:
                for entry in getattr(aggregate, "outbox", []):
                    if entry.pending:
                        yield entry.envelope
