"""The referral service's unit of work (see ``shared/uow.py``).

A handler opens it, reads and changes cases and drafts through its repositories, and
commits: each changed case is written in one single-document write that also holds the
events it raised (the transactional outbox). Leaving the block without committing writes
nothing. Two changes raise no event and are one atomic update each, made when asked: the
next deadline the scheduler announced, and sharing a case with an agency (see
``adapters/repository.py``).

    with uow:
        case = uow.cases.get(board_id, case_id)
        ...
        uow.commit()
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Iterator
from typing import Any, Self

from services.referral.adapters.repository import (
    BoardRepository,
    CaseRepository,
    DraftRepository,
    MongoBoardRepository,
    MongoCaseRepository,
    MongoDraftRepository,
)
from shared.uow import Repository, UnitOfWork


class ReferralUnitOfWork(UnitOfWork):
    @property
    @abc.abstractmethod
    def cases(self) -> CaseRepository: ...

    @property
    @abc.abstractmethod
    def drafts(self) -> DraftRepository: ...

    @property
    @abc.abstractmethod
    def boards(self) -> BoardRepository: ...

    def repositories(self) -> Iterator[Repository[Any]]:
        # Cases first: a referral sent from a draft is stored before the draft is deleted,
        # so a crash between the two leaves the draft, never loses the referral.
        yield self.cases
        yield self.drafts


class MongoUnitOfWork(ReferralUnitOfWork):
    """On MongoDB. One instance serves every thread: each ``with`` block opens repositories of
    its own, for the thread it runs on."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._boards = MongoBoardRepository()

    def __enter__(self) -> Self:
        self._local.cases = MongoCaseRepository()
        self._local.drafts = MongoDraftRepository()
        return super().__enter__()

    @property
    def cases(self) -> CaseRepository:
        cases: CaseRepository = self._opened().cases
        return cases

    @property
    def drafts(self) -> DraftRepository:
        drafts: DraftRepository = self._opened().drafts
        return drafts

    @property
    def boards(self) -> BoardRepository:
        return self._boards

    def _opened(self) -> threading.local:
        if not hasattr(self._local, "cases"):
            raise RuntimeError("use the unit of work in a `with` block")
        return self._local
