"""Finding cases: the case list searched by reference, agency, status, kind of review and the
dates of referral, sorted by its column headers, a page at a time; and the case hub's tabs on the
case page. Through the pages, as a signed-in member sees them, on the store the pages use."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from services.referral.adapters.case_search import CaseCriteria, narrow, narrow_summaries
from services.referral.adapters.repository import CaseSummary
from services.referral.adapters.store import Case
from services.referral.bootstrap import messagebus
from services.referral.domain.screening import Facts
from services.referral.entrypoints.pages.cases import history_detail
from services.referral.service_layer.messages import RecordDecision, SubmitReferral
from services.referral.service_layer.unit_of_work import MongoUnitOfWork
from shared.auth.principal import Principal
from shared.framework import today_in_england as today
from tests.unit.referral.test_handlers import INDEPENDENT

BUS = messagebus(uow=MongoUnitOfWork())


def refer(board, agency: str = "police", notified: date | None = None) -> Case:
    principal = Principal(
        user_id="u-referrer",
        name="Referrer",
        board_id=board.board_id,
        roles=frozenset({"agency_practitioner"}),
        agency=agency,
    )
    notified = notified or today()
    return BUS.handle(
        SubmitReferral(
            actor=principal,
            facts=Facts(child_died=True, abuse_or_neglect="suspected"),
            incident_on=notified - timedelta(days=3),
            became_aware_on=notified - timedelta(days=2),
            board_notified_on=notified,
            summary="Found unresponsive.",
            agencies_involved=[agency],
            referrer={"name": "Referrer", "agency": agency, "email": "r@example.org"},
        )
    )


def decide(board, case: Case, outcome: str = "serious_case_review") -> None:
    chair = Principal(user_id="u-chair", name="Chair", board_id=board.board_id, roles=frozenset({"chair"}))
    BUS.handle(
        RecordDecision(
            actor=chair,
            case_id=case.case_id,
            outcome=outcome,
            decided_on=today(),
            rationale="Criteria met.",
            lead_reviewers=[INDEPENDENT],
            method="intensive",
        )
    )


def listed(body: str) -> list[str]:
    """The references in the case list, in the order shown."""
    table = body.split("<tbody", 1)[1] if "<tbody" in body else ""
    return re.findall(r'href="/cases/[^"]+">([A-Z0-9-]+)</a>', table)


def error_summary(body: str) -> list[tuple[str, str]]:
    summary = re.search(r'class="govuk-error-summary".*?</ul>', body, re.S)
    assert summary, "no error summary"
    return [
        (h, html.unescape(m).strip())
        for h, m in re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary.group(0))
    ]


@pytest.fixture
def cases(board):
    """Three cases: the police's referred 20 days ago, health's 10 days ago, the police's today
    (decided: a serious case review)."""
    old = refer(board, "police", today() - timedelta(days=20))
    middle = refer(board, "health", today() - timedelta(days=10))
    new = refer(board, "police", today())
    decide(board, new)
    return old, middle, new


def test_the_list_is_newest_first_until_sorted_by_a_column(browser, cases):
    old, middle, new = cases
    b = browser("business_unit")
    body = b.page("/cases")
    assert listed(body) == [new.reference, middle.reference, old.reference]
    assert 'aria-sort="descending"' in body  # the reference column, newest first
    oldest_first = b.page("/cases?sort=referred&order=asc")
    assert listed(oldest_first) == [old.reference, middle.reference, new.reference]
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>\s*<a[^>]*href="([^"]+)"', oldest_first)
    assert header and "sort=referred" in header.group(1) and "order=desc" in html.unescape(header.group(1))
    by_status = b.page("/cases?sort=status&order=asc")  # awaiting decision before decided
    assert listed(by_status)[-1] == new.reference


def test_cases_are_found_by_reference_agency_status_kind_and_dates(browser, cases):
    old, middle, new = cases
    b = browser("business_unit")
    assert listed(b.page(f"/cases?reference={new.reference[-4:]}")) == [new.reference]
    assert listed(b.page(f"/cases?reference={new.reference.lower()}")) == [new.reference]
    assert listed(b.page("/cases?agency=health")) == [middle.reference]
    assert listed(b.page("/cases?status=decided")) == [new.reference]
    assert listed(b.page("/cases?kind=serious_case_review")) == [new.reference]
    start, end = today() - timedelta(days=15), today() - timedelta(days=5)
    dates = f"from-day={start.day}&from-month={start.month}&from-year={start.year}"
    dates += f"&to-day={end.day}&to-month={end.month}&to-year={end.year}"
    found = b.page(f"/cases?{dates}")
    assert listed(found) == [middle.reference]
    assert "1 cases found" in found or "Showing 1 to 1 of 1 cases found" in found
    assert f'value="{start.day}"' in found  # the form keeps what was typed
    assert listed(b.page("/cases?agency=health&status=decided")) == []


def test_every_wrong_filter_is_named_at_once(browser, cases):
    resp = browser("business_unit").get(
        "/cases?agency=fire&status=lost&kind=inquest&from-day=31&from-month=2&from-year=2026&to-day=3"
    )
    assert resp.status_code == 422
    problems = error_summary(resp.get_data(as_text=True))
    assert problems == [
        ("#agency", "Select an agency from the list"),
        ("#status", "Select a status from the list"),
        ("#kind", "Select a kind of review from the list"),
        ("#from-day", "Referred from must be a real date, like 8 12 2026"),
        ("#to-month", "Referred to must include a month"),
    ]
    later, earlier = today(), today() - timedelta(days=1)
    resp = browser("business_unit").get(
        f"/cases?from-day={later.day}&from-month={later.month}&from-year={later.year}"
        f"&to-day={earlier.day}&to-month={earlier.month}&to-year={earlier.year}"
    )
    assert error_summary(resp.get_data(as_text=True)) == [
        ("#to-day", "Referred to must be the same as or after referred from")
    ]


def test_the_filter_form_shows_each_search_as_typed_though_it_is_kept_between_pages(browser, cases):
    from services.referral.entrypoints.pages import case_filters

    b = browser("business_unit")
    plain_form = b.page("/cases")
    assert plain_form.count('value=""') >= 2  # reference and pseudonym empty
    police = b.page("/cases?agency=police&reference=AB")
    assert '<option value="police" selected>' in police and 'value="AB"' in police
    assert '<option value="police" selected>' not in b.page("/cases")  # not the kept police form
    sorted_list = b.page("/cases?sort=status&order=asc")
    assert '<input type="hidden" name="sort" value="status">' in sorted_list
    wrong = b.get("/cases?from-day=31&from-month=2&from-year=2026").get_data(as_text=True)
    assert "govuk-date-input__input govuk-input--width-2 govuk-input--error" in wrong
    assert "govuk-input--error" not in b.page("/cases?from-day=1&from-month=2&from-year=2026")
    assert len(case_filters._kept) <= case_filters.KEPT


def test_agency_staff_find_only_among_their_agencys_cases(browser, cases):
    old, middle, new = cases
    police = browser("agency_practitioner", agency="police")
    assert listed(police.page("/cases")) == [new.reference, old.reference]
    assert listed(police.page("/cases?agency=health")) == []


def test_the_list_comes_a_page_at_a_time_keeping_its_filters_and_sort(browser, board):
    for _ in range(3):
        refer(board, "police")
    refer(board, "health")
    b = browser("business_unit")
    first = b.page("/cases?agency=police&per_page=2&sort=reference&order=asc")
    assert len(listed(first)) == 2
    assert "Showing 1 to 2 of 3 cases found" in first
    next_link = re.search(r'class="govuk-pagination__next">\s*<a[^>]*href="([^"]+)"', first)
    assert next_link
    second = b.page(html.unescape(next_link.group(1)))
    assert "agency=police" in html.unescape(next_link.group(1)) and "sort=reference" in html.unescape(
        next_link.group(1)
    )
    assert len(listed(second)) == 1
    assert sorted(listed(first) + listed(second)) == listed(first) + listed(second)


def test_the_same_criteria_find_the_same_cases_in_the_store_and_in_memory(board, cases):
    old, middle, new = cases
    criteria = [
        CaseCriteria(),
        CaseCriteria(agency="police", sort="referred", descending=False),
        CaseCriteria(reference=middle.reference[-4:]),
        CaseCriteria(referred_from=today() - timedelta(days=12), sort="deadline"),
        CaseCriteria(sort="status", descending=True),
    ]
    stored = Case.objects(board_id=board.board_id)
    summaries = [CaseSummary.of(son) for son in stored.only(*CaseSummary.FIELDS).as_pymongo()]
    for c in criteria:
        in_store = [son["reference"] for son in narrow(stored, c).only("reference").as_pymongo()]
        assert in_store == [s.reference for s in narrow_summaries(summaries, c)], c
    with pytest.raises(ValueError):
        CaseCriteria(sort="child")


# -- the case hub ----------------------------------------------------------------------------


def tabs(body: str) -> dict[str, str]:
    nav = re.search(r'<nav class="govuk-tabs app-case-tabs.*?</nav>', body, re.S)
    assert nav, "no case tabs"
    return {text.strip(): href for href, text in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0))}


def test_the_case_page_links_to_each_part_of_the_case(browser, cases):
    old, _, _ = cases
    body = browser("business_unit").page(f"/cases/{old.case_id}")
    assert tabs(body) == {
        "Case": f"/cases/{old.case_id}",
        "Timetable and deadlines": f"/schedule/cases/{old.case_id}",
        "Review": f"/reviews/{old.case_id}",
        "Documents": f"/documents/cases/{old.case_id}",
        "Notifications": f"/notifications/cases/{old.case_id}",
    }
    assert 'aria-current="page">Case</a>' in body
    admin = browser("admin").page(f"/cases/{old.case_id}")
    assert tabs(admin)["Audit trail"] == f"/admin/audit?resource={old.case_id}"


def test_agency_staff_are_shown_only_the_parts_they_may_open(browser, cases):
    old, _, _ = cases
    body = browser("agency_practitioner", agency="police").page(f"/cases/{old.case_id}")
    assert list(tabs(body)) == ["Case", "Review"]  # the review shows them their own agency's part


def test_the_case_history_is_in_words(browser, cases):
    old, _, _ = cases
    body = html.unescape(browser("business_unit").page(f"/cases/{old.case_id}"))
    history = body.split('id="history"', 1)[1]
    assert "Serious case review recommended" in history
    assert "_" not in re.sub(r"<[^>]+>", " ", history)
    assert history_detail("serious_case_review recommended") == "Serious case review recommended"
    assert history_detail(None) == ""
