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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.referral.adapters.repository import (
    BoardRepository,
    CaseRepository,
    DraftRepository,
    MongoBoardRepository,
    MongoCaseRepository,
    MongoDraftRepository,
)
from shared.uow import PerThreadUnitOfWork, Repository, UnitOfWork


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


@dataclass(frozen=True)
class Repositories:
    """What each ``with`` block of :class:`MongoUnitOfWork` opens (the boards are only read)."""

    cases: CaseRepository
    drafts: DraftRepository


class MongoUnitOfWork(PerThreadUnitOfWork[Repositories], ReferralUnitOfWork):
    """On MongoDB. One instance serves every thread: each ``with`` block opens repositories of
    its own, for the thread it runs on."""

    def __init__(self) -> None:
        super().__init__()
        self._boards = MongoBoardRepository()

    def _open(self) -> Repositories:
        return Repositories(MongoCaseRepository(), MongoDraftRepository())

    @property
    def cases(self) -> CaseRepository:
        return self._repos().cases

    @property
    def drafts(self) -> DraftRepository:
        return self._repos().drafts

    @property
    def boards(self) -> BoardRepository:
        return self._boards
