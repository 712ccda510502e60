"""The reviews service's contract: every /api/v1 route documented, and schemathesis finding
nothing against it.

The review the paths name is opened the way the product opens it (the referral and the Chair's
decision arrive from the bus), and a chronology contribution is requested through the API, so
that the ids in the paths exist.
"""

from __future__ import annotations

import pytest

from services.reviews.bootstrap import bootstrap
from services.reviews.service_layer import handlers
from shared import openapi
from shared.service import Service
from tests.contract.harness import CHECKS, assert_contract, load_contract
from tests.events import decision_recorded, received, referral_submitted
from tests.factories import bearer

TERMS = {
    "breadth_and_depth": "Agency practice in the year before the incident",
    "focus_questions": ["How was the risk recognised?"],
    "method": "systems",
    "period_from": "2024-12-01",
    "period_to": "2025-11-01",
    "agencies": ["police"],
    "proportionality_rationale": "Grave concerns about practice",
    "case_factors": ["practice_concern_gravity_complexity"],
    "context_factors": ["public_interest"],
    "reviewer_skills": "Systems approach; knowledge of neglect",
}


@pytest.fixture
def service(settings) -> Service:
    return bootstrap(settings)


@pytest.fixture
def records(service, board, admin_token) -> dict[str, str]:
    uow = service.extras["dependencies"].uow
    handlers.on_referral_submitted(received(referral_submitted(board.board_id)), uow)
    handlers.on_decision(received(decision_recorded(board.board_id)), uow)
    client, auth = service.app.test_client(), bearer(admin_token)
    made = client.post(
        "/api/v1/reviews/c1/contributions", json={"agency": "police", "kind": "chronology"}, headers=auth
    )
    assert made.status_code == 201, made.get_json()
    return {"case_id": "c1", "contribution_id": made.get_json()["id"]}


def test_every_reviews_api_route_has_a_contract(service):
    assert openapi.undocumented_routes(service.app) == []


def test_the_reviews_api_keeps_its_contract(service, records, admin_token):
    report = assert_contract(service.app, admin_token, max_examples=15, path_parameters=records)
    # 34 + 15 action plans and learning + 19 the final report and its publication
    assert len(report.operations) == 68


def test_success_answers_match_the_contract(service, records, admin_token):
    contract, auth = load_contract(service.app, admin_token), bearer(admin_token)
    base, one = "/api/v1/reviews/{case_id}", "/api/v1/reviews/{case_id}/contributions/{contribution_id}"
    entry = {"date": "2025-10-01", "time": "09:30", "event": "Incident attended", "source": "Log 1"}
    member = {"role": "member", "name": "Pat", "email": "pat@example.org", "organisation": "Education"}
    calls = [
        ("GET", "/api/v1/reviews", {"query": {"page": 1}}, 200),
        ("GET", base, {}, 200),
        ("POST", f"{base}/panel", {"body": member}, 201),
        ("PUT", f"{base}/terms-of-reference", {"body": TERMS}, 200),
        ("POST", f"{base}/terms-of-reference/comments", {"body": {"text": "Add education"}}, 201),
        ("POST", f"{base}/terms-of-reference/agree", {}, 200),
        ("PUT", f"{one}/chronology", {"body": {"entries": [entry]}}, 200),
        ("POST", f"{one}/submit", {}, 200),
        ("POST", f"{one}/return", {"body": {"comments": "Add the GP"}}, 200),
        ("POST", f"{one}/submit", {}, 200),
        ("POST", f"{one}/accept", {}, 200),
        ("GET", one, {}, 200),
        ("GET", f"{base}/chronology", {"query": {"agency": "police"}}, 200),
    ]
    for method, path, request, status in calls:
        operation = contract[path][method]
        known = {k: v for k, v in records.items() if "{" + k + "}" in path}
        case = operation.Case(**{"path_parameters": known, **request})
        response = case.call_and_validate(checks=CHECKS, headers=auth)
        assert response.status_code == status, (method, path, response.json())
