"""In-memory repositories and unit of work for the referral service's handlers.

They keep records as the store would (a copy of each document's stored form), so a change
reaches the "store" only when the unit of work commits, a case saved after someone else
moved it on is refused, and the outbox relay is stood in for: the events a commit stores are
moved to :attr:`FakeUnitOfWork.published`, as the relay would publish them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.referral.adapters.case_search import CaseCriteria, narrow_summaries
from services.referral.adapters.repository import (
    CHANGED_MEANWHILE,
    BoardRepository,
    CaseRepository,
    CaseSummary,
    DraftRepository,
    reference,
)
from services.referral.adapters.store import Case, Draft, NextDeadline
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.errors import Conflict
from shared.events import Event, parse_envelope
from shared.pagination import PER_PAGE, Page, paginate


class FakeCaseRepository(CaseRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, dict[str, Any]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        self.published: list[dict[str, Any]] = []

    def _load(self, case_id: str) -> Case:
        return Case._from_son(self.stored[case_id])

    def _visible(self, son: dict[str, Any], board_id: str, agency: str | None) -> bool:
        return son["board_id"] == board_id and (
            agency is None or son.get("referring_agency") == agency or agency in son.get("shared_with", [])
        )

    def _get(self, board_id: str, case_id: str, agency: str | None) -> Case | None:
        son = self.stored.get(case_id)
        return self._load(case_id) if son and self._visible(son, board_id, agency) else None

    def _write(self, case: Case) -> None:
        case.validate()
        son = case.to_mongo().to_dict()
        # The outbox relay publishes what was stored and takes it out of the outbox.
        self.published += [e["envelope"] for e in son.get("outbox", []) if e["pending"]]
        son["outbox"] = []
        case.outbox = []
        self.stored[case.case_id] = son

    def _insert(self, case: Case) -> None:
        if case.case_id in self.stored:
            raise AssertionError(f"case {case.case_id} inserted twice")
        self._write(case)

    def _update_if_status(self, case: Case, expected: str) -> None:
        if self.stored[case.case_id]["status"] != expected:
            raise Conflict(CHANGED_MEANWHILE, field="status")
        self._write(case)

    def list(
        self,
        board_id: str,
        *,
        agency: str | None = None,
        status: str | None = None,
        review_kind: str | None = None,
        overdue: bool | None = None,
        criteria: CaseCriteria | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page[CaseSummary]:
        cases = [CaseSummary.of(son) for son in self.stored.values() if self._visible(son, board_id, agency)]
        if status:
            cases = [c for c in cases if c.status == status]
        if review_kind:
            cases = [c for c in cases if c.review_kind == review_kind]
        if overdue is not None:
            cases = [
                c
                for c in cases
                if (c.next_deadline is not None and c.next_deadline.status == "overdue") == overdue
            ]
        return paginate(narrow_summaries(cases, criteria), page, per_page)

    def next_reference(self, board_id: str, year: int) -> str:
        number = self.counters[(board_id, year)] = self.counters.get((board_id, year), 0) + 1
        return reference(board_id, year, number)

    def record_deadline(self, case_id: str, event_id: str, *, code: str, due: date, status: str) -> bool:
        if case_id not in self.stored:
            return False
        case = self._load(case_id)
        if event_id not in case.applied_events:
            case.next_deadline = NextDeadline(code=code, due=due, status=status)
            case.applied_events.append(event_id)
            self._write(case)
        return True

    def share(self, case_id: str, agency: str) -> None:
        case = self._load(case_id)
        if agency not in case.shared_with:
            case.shared_with.append(agency)
            self._write(case)


class FakeDraftRepository(DraftRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, dict[str, Any]] = {}

    def _get(self, board_id: str, user_id: str, draft_id: str) -> Draft | None:
        son = self.stored.get(draft_id)
        if son is None or (son["board_id"], son["user_id"]) != (board_id, user_id):
            return None
        return Draft._from_son(son)

    def _save(self, draft: Draft) -> None:
        draft.validate()
        self.stored[draft.draft_id] = draft.to_mongo().to_dict()

    def _delete(self, draft: Draft) -> None:
        self.stored.pop(draft.draft_id, None)

    def list(self, board_id: str, user_id: str, *, page: int = 1, per_page: int = PER_PAGE) -> Page[Draft]:
        drafts = [
            Draft._from_son({k: v for k, v in son.items() if k != "child"})
            for son in self.stored.values()
            if (son["board_id"], son["user_id"]) == (board_id, user_id)
        ]
        drafts.sort(key=lambda d: (d.updated_at, d.draft_id), reverse=True)
        return paginate(drafts, page, per_page)


class FakeBoardRepository(BoardRepository):
    def __init__(self) -> None:
        self.packs: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.board_agencies: dict[str, dict[str, str]] = {}
        self.board_chairs: dict[str, dict[str, str]] = {}
        self.emails: dict[str, str] = {}

    def add_board(
        self,
        board_id: str,
        agencies: dict[str, str],
        rule_pack: str = "wt2015",
        name: str | None = None,
        chairs: dict[str, str] | None = None,
    ) -> None:
        self.packs[board_id] = rule_pack
        self.names[board_id] = name or f"{board_id.title()} Safeguarding Children Partnership"
        self.board_agencies[board_id] = dict(agencies)
        self.board_chairs[board_id] = dict(chairs or {})

    def rule_pack(self, board_id: str) -> str | None:
        return self.packs.get(board_id)

    def set_rule_pack(self, board_id: str, pack: str) -> str | None:
        before = self.packs.get(board_id)
        if before is not None:
            self.packs[board_id] = pack
        return before

    def name(self, board_id: str) -> str | None:
        return self.names.get(board_id)

    def agencies(self, board_id: str) -> dict[str, str]:
        return dict(self.board_agencies.get(board_id, {}))

    def chairs(self, board_id: str) -> dict[str, str]:
        return dict(self.board_chairs.get(board_id, {}))

    def email_of(self, user_id: str) -> str | None:
        return self.emails.get(user_id)


class FakeUnitOfWork(ReferralUnitOfWork):
    def __init__(self) -> None:
        self._cases = FakeCaseRepository()
        self._drafts = FakeDraftRepository()
        self._boards = FakeBoardRepository()
        self.commits = 0

    @property
    def cases(self) -> FakeCaseRepository:
        return self._cases

    @property
    def drafts(self) -> FakeDraftRepository:
        return self._drafts

    @property
    def boards(self) -> FakeBoardRepository:
        return self._boards

    def commit(self) -> None:
        super().commit()
        self.commits += 1

    @property
    def published(self) -> list[Event[Any]]:
        """The events the committed cases raised, received as a consumer would: typed payloads."""
        return [parse_envelope(e) for e in self._cases.published]
