"""In-memory stand-ins for the reviews service's repositories, directory and unit of work.

Saving a review puts the events it raised through the real envelope (validated as a producer
validates them) into ``published``, as the outbox relay would publish them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

from services.reviews.adapters.repository import (
    PRODUCER,
    CaseFacts,
    CaseRepository,
    Directory,
    ReviewRepository,
)
from services.reviews.domain.review import Review
from services.reviews.service_layer.unit_of_work import Repositories, ReviewsUnitOfWork
from shared.events import new_envelope, parse_envelope
from shared.pagination import Page, paginate
from shared.working_days import WorkingDays

AGENCIES = {"police": "Police", "health": "Health", "education": "Education"}


class FakeReviews(ReviewRepository):
    def __init__(self, store: dict[str, Review], published: list[dict[str, Any]]) -> None:
        super().__init__()
        self.store, self.published = store, published

    def _get(self, case_id: str) -> Review | None:
        found = self.store.get(case_id)
        return copy.deepcopy(found) if found else None

    def lookup(self, case_id: str, board_id: str) -> Review | None:
        found = self.store.get(case_id)
        return copy.deepcopy(found) if found and found.board_id == board_id else None

    def listing(
        self, board_id: str, *, panel_email: str | None, agency: str | None, page: int, per_page: int
    ) -> Page[Review]:
        def mine(r: Review) -> bool:
            if panel_email is None and agency is None:
                return True
            agencies = {*r.agencies, *(c.agency for c in r.contributions)}
            return bool(panel_email) and r.sits_on_panel(panel_email) or bool(agency) and agency in agencies

        found = [r for r in self.store.values() if r.board_id == board_id and mine(r)]
        found.sort(key=lambda r: (-r.opened_on.toordinal(), r.case_id))
        return paginate([copy.deepcopy(r) for r in found], page, per_page)

    def save(self, aggregate: Review) -> None:
        for payload in aggregate.events:
            envelope = new_envelope(payload, producer=PRODUCER)
            parse_envelope(envelope)  # as a consumer reads it
            self.published.append(envelope)
        aggregate.events.clear()
        aggregate.version += 1
        self.store[aggregate.case_id] = copy.deepcopy(aggregate)


class FakeCases(CaseRepository):
    def __init__(self, store: dict[str, CaseFacts]) -> None:
        super().__init__()
        self.store = store

    def get(self, case_id: str) -> CaseFacts | None:
        return self.store.get(case_id)

    def save(self, aggregate: CaseFacts) -> None:
        self.store[aggregate.case_id] = aggregate


class FakeDirectory(Directory):
    def __init__(self, emails: dict[str, str] | None = None, closures: tuple[date, ...] = ()) -> None:
        self.emails = emails or {}
        self.closures = closures

    def agencies(self, board_id: str) -> dict[str, str]:
        return dict(AGENCIES)

    def working_days(self, board_id: str) -> WorkingDays:
        return WorkingDays("england_wales", self.closures)

    def email_of(self, user_id: str) -> str | None:
        return self.emails.get(user_id)


class FakeUnitOfWork(ReviewsUnitOfWork):
    def __init__(self, directory: FakeDirectory | None = None) -> None:
        self.reviews_store: dict[str, Review] = {}
        self.cases_store: dict[str, CaseFacts] = {}
        self.published: list[dict[str, Any]] = []
        self.directory = directory or FakeDirectory()
        self._current: Repositories | None = None
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        self._current = Repositories(
            FakeReviews(self.reviews_store, self.published), FakeCases(self.cases_store)
        )
        super().__enter__()
        return self

    def _repos(self) -> Repositories:
        assert self._current is not None, "use the repositories inside `with uow:`"
        return self._current

    def repositories(self) -> Iterator[Any]:
        yield from super().repositories()

    def commit(self) -> None:
        super().commit()
        self.commits += 1

    def types(self) -> list[str]:
        return [e["event_type"] for e in self.published]
