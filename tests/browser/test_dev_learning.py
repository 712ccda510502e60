"""Developing steps_learning: a decided case, two actions of its plan added through the JSON API
with the business unit's session (one overdue, one closed, both due this year), then the learning
steps. The report is not published: a summary enters the repository when it is saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser import steps_learning
from tests.browser.conftest import LiveServer
from tests.browser.report_journey import People
from tests.browser.test_report_to_learning import decided_case


@pytest.fixture
def people(browser: Any, live_server: LiveServer) -> Iterator[People]:
    found = People(browser, live_server)
    yield found
    found.close()
    live_server.today_is(None)


def _post(page: Any, address: str, body: dict[str, Any]) -> dict[str, Any]:
    token = page.locator("meta[name=lscb-csrf-token]").get_attribute("content")
    answer = page.request.post(address, data=body, headers={"X-CSRFToken": token or ""})
    assert answer.ok, (answer.status, answer.text())
    found: dict[str, Any] = answer.json()
    return found


def test_learning_steps(people: People) -> None:
    case = decided_case(people)
    business = people.as_("business_unit")
    business.goto("/home")
    today = date.today()
    for days, close in ((-30, False), (max(1, (date(today.year, 12, 31) - today).days), True)):
        added = _post(
            business,
            f"/api/v1/reviews/{case.case_id}/actions",
            {
                "recommendation": f"{case.reference}: a recommendation",
                "action": f"{case.reference}: an action",
                "owner_agency": "health",
                "owner_email": "named.nurse@example.org",
                "due_on": (today + timedelta(days=days)).isoformat(),
                "success_measure": "An audit",
            },
        )
        if close:
            _post(
                business,
                f"/api/v1/reviews/{case.case_id}/actions/{added['id']}/close",
                {"evidence_of_impact": "Audited"},
            )
    steps_learning.run(people, case)
