"""The child's pseudonym ("Child A"): set by the business unit on the case page (and through
``PUT /api/v1/cases/<id>/pseudonym``), noted in the case's history and the audit log, shown in
the case header and list, and searchable in the case list."""

from __future__ import annotations

import html
import re

from services.referral.adapters.store import Case
from shared.audit import AuditEntry
from tests.unit.referral.test_case_search import cases, error_summary, listed  # noqa: F401 (a fixture)


def text(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_business_unit_names_the_child_on_the_case_page(browser, cases):  # noqa: F811
    old, middle, new = cases
    b = browser("business_unit")
    case_page = b.page(f"/cases/{new.case_id}")
    assert f'href="/cases/{new.case_id}/pseudonym"' in case_page
    assert "Not set yet" in text(case_page)

    done = b.submit(f"/cases/{new.case_id}/pseudonym", {"pseudonym": "  Child   A "}, action=None)
    assert done.status_code == 302 and done.headers["Location"] == f"/cases/{new.case_id}"
    assert Case.objects.get(case_id=new.case_id).pseudonym == "Child A"
    shown = " ".join(text(b.page(f"/cases/{new.case_id}")).split())
    assert "Case of Child A" in shown and "The child's pseudonym is now Child A" in shown
    assert "pseudonym set" in shown.lower()  # the case's history
    assert any(e.action == "case.write" and e.resource_id == new.case_id for e in AuditEntry.objects)

    # Shown in the list, and found by it, in any case and by a part of it.
    assert "Child A" in text(b.page("/cases"))
    assert listed(b.page("/cases?pseudonym=child+a")) == [new.reference]
    assert listed(b.page("/cases?pseudonym=Child+B")) == []


def test_a_wrong_pseudonym_is_named_and_nothing_changes(browser, cases):  # noqa: F811
    new = cases[2]
    b = browser("business_unit")
    resp = b.submit(f"/cases/{new.case_id}/pseudonym", {"pseudonym": "<b>"}, action=None)
    assert resp.status_code == 422
    assert error_summary(resp.get_data(as_text=True)) == [
        (
            "#pseudonym",
            "The child's pseudonym must only include letters, numbers, spaces, hyphens and apostrophes",
        )
    ]
    resp = b.submit(f"/cases/{new.case_id}/pseudonym", {"pseudonym": ""}, action=None)
    assert error_summary(resp.get_data(as_text=True)) == [
        ("#pseudonym", "Enter the child's pseudonym, like Child A")
    ]
    assert Case.objects.get(case_id=new.case_id).pseudonym is None
    too_long = browser("business_unit").get("/cases?pseudonym=" + "x" * 41)
    assert too_long.status_code == 422


def test_only_case_managers_set_it(browser, cases):  # noqa: F811
    new = cases[2]
    chair = browser("chair")
    assert chair.get(f"/cases/{new.case_id}/pseudonym").status_code == 403
    assert f'/cases/{new.case_id}/pseudonym"' not in chair.page(f"/cases/{new.case_id}")


def put(client, path, body):
    return client.client.put(path, json=body, headers=client.headers)


def test_the_api_sets_it_and_names_the_problem(as_role, cases):  # noqa: F811
    new = cases[2]
    business = as_role("business_unit")
    resp = put(business, f"/api/v1/cases/{new.case_id}/pseudonym", {"pseudonym": "Child B"})
    assert resp.status_code == 200 and resp.get_json()["pseudonym"] == "Child B"
    listed_json = business.get("/api/v1/cases").get_json()
    assert {c["reference"]: c["pseudonym"] for c in listed_json["items"]}[new.reference] == "Child B"

    wrong = put(business, f"/api/v1/cases/{new.case_id}/pseudonym", {"pseudonym": "x" * 41, "other": 1})
    assert wrong.status_code in (400, 422)
    fields = {e["field"] for e in wrong.get_json()["errors"]}
    assert fields == {"other", "pseudonym"}
    wrong = put(business, f"/api/v1/cases/{new.case_id}/pseudonym", {"pseudonym": "x" * 41})
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"] == [
        {"field": "pseudonym", "message": "The child's pseudonym must be 40 characters or fewer"}
    ]
    assert (
        put(as_role("chair"), f"/api/v1/cases/{new.case_id}/pseudonym", {"pseudonym": "C"}).status_code == 403
    )
    assert Case.objects.get(case_id=new.case_id).pseudonym == "Child B"
