"""The final report and its publication on fakes: the domain's rules (versions, comparison,
sign-off, shares, the quality check, the 7 working days) and the service layer's commands with
the events they raise, through an in-memory unit of work."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from services.reviews.adapters.report_store import FamilyViewers, ReportRepository
from services.reviews.adapters.repository import PRODUCER
from services.reviews.domain import publication as rules
from services.reviews.domain.report import Report, Version, compare
from services.reviews.domain.report_quality import check
from services.reviews.domain.review import Review
from services.reviews.service_layer import publication, report
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.report_uow import ReportRepositories, ReportUnitOfWork
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.events import new_envelope, parse_envelope
from shared.working_days import WorkingDays

from .fakes import FakeDirectory, FakeReviews

BOARD = "b1"
MONDAY = date(2026, 3, 2)
CALENDAR = WorkingDays("england_wales")
TEXT = {"circumstances": "Child A was hurt.", "conclusion": "Not effective."}


class FakeReports(ReportRepository):
    def __init__(self, store: dict[str, Report], published: list[dict[str, Any]]) -> None:
        super().__init__()
        self.store, self.published = store, published

    def _get(self, case_id: str, board_id: str) -> Report | None:
        found = self.store.get(case_id)
        return copy.deepcopy(found) if found and found.board_id == board_id else None

    def lookup(self, case_id: str, board_id: str) -> Report | None:
        return self._get(case_id, board_id)

    def save(self, aggregate: Report) -> None:
        for payload in aggregate.events:
            envelope = new_envelope(payload, producer=PRODUCER)
            parse_envelope(envelope)
            self.published.append(envelope)
        aggregate.events.clear()
        self.store[aggregate.case_id] = copy.deepcopy(aggregate)


class FakeFamily(FamilyViewers):
    def find(self, board_id: str, user_id: str | None, email: str | None) -> tuple[str, str] | None:
        known = {"fay": "fay@example.org"}
        if user_id in known:
            return (user_id, known[user_id])
        return next(((u, e) for u, e in known.items() if e == email), None)


class FakeReportUnitOfWork(ReportUnitOfWork):
    def __init__(self) -> None:
        self.reports_store: dict[str, Report] = {}
        self.reviews_store: dict[str, Review] = {}
        self.published: list[dict[str, Any]] = []
        self.directory = FakeDirectory()
        self.family = FakeFamily()
        self._current: ReportRepositories | None = None

    def __enter__(self) -> FakeReportUnitOfWork:
        self._current = ReportRepositories(
            FakeReports(self.reports_store, self.published), FakeReviews(self.reviews_store, [])
        )
        super().__enter__()
        return self

    def _repos(self) -> ReportRepositories:
        assert self._current is not None
        return self._current

    def repositories(self) -> Iterator[Any]:
        yield from super().repositories()

    def types(self) -> list[str]:
        return [e["event_type"] for e in self.published]


def viewer(*roles: str, email: str | None = None, user_id: str = "u1") -> Viewer:
    return Viewer(user_id=user_id, name="Sam", board_id=BOARD, roles=frozenset(roles), email=email)


BUSINESS, CHAIR, FAMILY = viewer("business_unit"), viewer("chair"), viewer("family_viewer", user_id="fay")


@pytest.fixture
def uow() -> FakeReportUnitOfWork:
    uow = FakeReportUnitOfWork()
    uow.reviews_store["c1"] = Review(
        case_id="c1",
        board_id=BOARD,
        review_kind="serious_case_review",
        opened_on=date(2026, 1, 5),
        reference="SCR-1",
    )
    return uow


# -- the domain -------------------------------------------------------------------------------


def test_versions_are_numbered_kept_and_refused_when_empty_or_unknown():
    r = Report("c1", BOARD)
    assert r.add_version(TEXT, MONDAY, "Sam").number == 1
    assert r.add_version({**TEXT, "conclusion": "Changed"}, MONDAY, "Sam").number == 2
    assert [v.sections["conclusion"] for v in r.versions] == ["Not effective.", "Changed"]
    with pytest.raises(InvalidInput) as bad:
        r.add_version({"summary": " ", "conclusion": " "}, MONDAY, "Sam")
    assert {p["field"] for p in bad.value.errors()} == {"sections.summary", "sections"}


def test_compare_shows_lines_side_by_side_per_section():
    older = Version(1, {"conclusion": "A\nB", "circumstances": "Same"}, MONDAY, "Sam")
    newer = Version(
        2, {"conclusion": "A\nC\nD", "circumstances": "Same", "recommendations": "New"}, MONDAY, "Sam"
    )
    by = {d["section"]: d for d in compare(older, newer)}
    assert by["conclusion"]["rows"] == [["equal", "A", "A"], ["replace", "B", "C"], ["insert", "", "D"]]
    assert by["circumstances"]["changed"] is False
    assert by["recommendations"]["rows"] == [["insert", "", "New"]]


def test_a_later_version_needs_a_new_sign_off():
    r = Report("c1", BOARD)
    r.add_version(TEXT, MONDAY, "Sam")
    r.sign(1, MONDAY, "Chair")
    assert r.signed_off is not None
    r.add_version(TEXT, MONDAY, "Sam")
    assert r.signed_off is None
    with pytest.raises(InvalidInput):
        r.sign(1, MONDAY, "Chair")
    r.sign(2, MONDAY, "Chair")
    assert r.signed_off.version == 2


def test_the_quality_check_names_the_family_members_found_in_the_text():
    version = Version(1, {"circumstances": "Jane Doe was taken to hospital."}, MONDAY, "Sam")
    points = {p["code"]: p for p in check(version, ("Jane Doe", "Mark Doe"))["points"]}
    assert points["publishable"]["names_found"] == ["Jane Doe"]
    assert points["circumstances"]["status"] == "addressed"
    assert points["conclusion"]["status"] == "missing"


def test_working_days_between_counts_the_board_s_calendar():
    # 2 March 2026 (Monday) to 11 March: 7 working days; Good Friday and Easter Monday 2026 do not count.
    assert rules.working_days_between(CALENDAR, MONDAY, date(2026, 3, 11)) == 7
    assert rules.working_days_between(CALENDAR, date(2026, 4, 2), date(2026, 4, 7)) == 1
    assert rules.earliest_publication(CALENDAR, date(2026, 4, 2)) == date(2026, 4, 15)


# -- the service layer on fakes -------------------------------------------------------------


def test_saving_sharing_and_signing_raise_the_events_others_act_on(uow):
    lead = viewer("lead_reviewer", email="lee@example.org")
    with pytest.raises(Forbidden):
        report.save_version(uow, lead, "c1", TEXT, MONDAY)  # not on this review's panel
    assert report.save_version(uow, BUSINESS, "c1", TEXT, MONDAY)["version"] == 1
    shared = report.share(uow, BUSINESS, "c1", 1, None, "fay@example.org", MONDAY)
    assert shared["user_id"] == "fay"
    report.share(uow, BUSINESS, "c1", 1, "fay", None, MONDAY)  # shown already: no second event
    with pytest.raises(InvalidInput):
        report.share(uow, BUSINESS, "c1", 1, "someone", None, MONDAY)
    with pytest.raises(Forbidden):
        report.sign_off(uow, BUSINESS, "c1", 1, MONDAY, MONDAY)
    report.sign_off(uow, CHAIR, "c1", 1, MONDAY, MONDAY)
    assert uow.types() == ["report.version_saved", "report.shared_with_family", "report.signed_off"]
    assert uow.published[0]["data"]["sections"] == TEXT


def test_family_comments_are_for_the_business_unit_and_the_chair(uow):
    report.save_version(uow, BUSINESS, "c1", TEXT, MONDAY)
    with pytest.raises(NotFound):
        report.family_comment(uow, FAMILY, "c1", 1, "Hello", None, MONDAY)
    report.share(uow, BUSINESS, "c1", 1, "fay", None, MONDAY)
    report.family_comment(uow, FAMILY, "c1", 1, "My son's school is missing", "circumstances", MONDAY)
    assert [c["text"] for c in report.get_report(uow, CHAIR, "c1")["comments"]] == [
        "My son's school is missing"
    ]
    panel = viewer("panel_member", email="pat@example.org")
    with pytest.raises(Forbidden):
        report.get_report(uow, panel, "c1")  # not on this review's panel


def test_publication_plans_sends_and_publishes_in_order(uow):
    report.save_version(uow, BUSINESS, "c1", TEXT, MONDAY)
    with pytest.raises(InvalidInput) as early:
        publication.plan(uow, BUSINESS, "c1", date(2026, 3, 10), MONDAY)
    assert "11 March 2026" in early.value.errors()[0]["message"]
    planned = publication.plan(uow, BUSINESS, "c1", date(2026, 3, 11), MONDAY)
    assert planned["copies_due_on"] == "2026-03-02"
    with pytest.raises(InvalidInput):
        publication.send_copies(uow, BUSINESS, "c1", None, MONDAY)  # nothing signed off
    report.sign_off(uow, CHAIR, "c1", 1, MONDAY, MONDAY)
    publication.send_copies(uow, BUSINESS, "c1", None, MONDAY)
    with pytest.raises(Conflict):
        publication.send_copies(uow, BUSINESS, "c1", None, MONDAY)
    with pytest.raises(InvalidInput):
        publication.published(
            uow, BUSINESS, "c1", date(2026, 3, 10), "https://b.example.org/r", date(2026, 3, 10)
        )
    done = publication.published(
        uow, BUSINESS, "c1", date(2026, 3, 11), "https://b.example.org/r", date(2026, 3, 11)
    )
    assert done["published_on"] == "2026-03-11"
    copies = next(e for e in uow.published if e["event_type"] == "publication.copies_sent")["data"]
    assert copies["planned_publication_on"] == "2026-03-11" and copies["by_product"] is True
    assert uow.types()[-1] == "report.published"
