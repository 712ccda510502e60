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
On the store, :class:`PerThreadUnitOfWork` lets one instance serve every thread.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Iterator
from typing import Any, Generic, Protocol, Self, TypeVar


class Aggregate(Protocol):
    """What the unit of work needs of an aggregate: the outbox of events it raised."""

    outbox: list[Any]


A = TypeVar("A")
R = TypeVar("R")


class Repository(abc.ABC, Generic[A]):
    """Keeps the aggregates a unit of work loaded or added, so that commit writes them."""

    def __init__(self) -> None:
        self.seen: list[A] = []
        self._new: list[A] = []

    def _track(self, aggregate: A | None) -> A | None:
        if aggregate is not None and not any(a is aggregate for a in self.seen):
            self.seen.append(aggregate)
        return aggregate

    def add(self, aggregate: A) -> A:
        """A new aggregate: :meth:`save` inserts it (never over a stored one) unless it was already."""
        self._track(aggregate)
        self._new.append(aggregate)
        return aggregate

    def _is_new(self, aggregate: A) -> bool:
        """Added by this unit of work and not inserted yet: saving it inserts it."""
        return any(a is aggregate for a in self._new)

    def _inserted(self, aggregate: A) -> None:
        """It is stored now: saving it again updates it."""
        self._new = [a for a in self._new if a is not aggregate]

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


class PerThreadUnitOfWork(UnitOfWork, Generic[R]):
    """A unit of work of which one instance serves every thread (web requests, the bus worker,
    the periodic ticks): each thread's ``with uow:`` block opens repositories of its own
    (:meth:`_open`, ``R`` holding them), which the block's end forgets. A block is not
    re-entrant: finish one before opening the next on the same thread."""

    def __init__(self) -> None:
        self._local = threading.local()

    @abc.abstractmethod
    def _open(self) -> R:
        """Fresh repositories for one ``with`` block."""

    def __enter__(self) -> Self:
        self._local.repos = self._open()
        return super().__enter__()

    def __exit__(self, *args: object) -> None:
        super().__exit__(*args)
        self._local.repos = None

    def _repos(self) -> R:
        """The repositories this thread's open ``with`` block holds."""
        repos: R | None = getattr(self._local, "repos", None)
        if repos is None:
            raise RuntimeError("use the unit of work's repositories inside `with uow:`")
        return repos
