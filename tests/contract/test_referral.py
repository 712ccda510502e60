"""The referral service's contract: every /api/v1 route documented, and schemathesis finding nothing.

The records the run needs are made through the service's own API, each answer checked against
the contract as it comes (:func:`_call`): a success answer is only checked when it happens, and
random input seldom makes a decision a Chair would record. Then schemathesis exercises every
operation with random valid and invalid input, the ids of those records in the paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import schemathesis

from services.referral.bootstrap import bootstrap
from shared import openapi
from shared.framework import today_in_england
from tests.contract.harness import CHECKS, assert_contract, load_contract
from tests.factories import bearer, make_board, make_token, make_user

AGENCIES = ("police", "health", "education")


@pytest.fixture
def service(settings):
    return bootstrap(settings)


@pytest.fixture
def board():
    return make_board(agencies=AGENCIES)


@pytest.fixture
def token(board) -> str:
    return make_token(make_user("admin", board=board, name="Ada Admin"))


CHAIR_EMAIL = "chair@contract.example.org"


@pytest.fixture(autouse=True)
def chair(board):
    """The Chair an admin names when recording a decision for them (issue 12, correction 11)."""
    return make_user("chair", board=board, name="Ada Chair", email=CHAIR_EMAIL)


@dataclass(frozen=True)
class Contract:
    schema: schemathesis.BaseSchema
    token: str


@pytest.fixture
def contract(service, token) -> Contract:
    return Contract(load_contract(service.app, token), token)


def _call(contract: Contract, method: str, path: str, status: int, **parts: Any) -> Any:
    """One request through the contract: the answer must be ``status`` and match what is declared."""
    case = contract.schema[path][method].Case(**parts)
    response = case.call_and_validate(headers=bearer(contract.token), checks=list(CHECKS))
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _referral(**overrides: Any) -> dict[str, Any]:
    today = today_in_england()
    body = {
        "facts": {"child_died": True, "abuse_or_neglect": "suspected", "interagency_concern": "yes"},
        "incident_on": (today - timedelta(days=10)).isoformat(),
        "became_aware_on": (today - timedelta(days=9)).isoformat(),
        "board_notified_on": (today - timedelta(days=8)).isoformat(),
        "summary": "Infant found unresponsive; police and health were involved.",
        "agencies_involved": ["police", "health"],
        "referrer": {"name": "Priya Shah", "agency": "police", "email": "priya@police.example.org"},
        "child": {"name": "Jane Doe", "date_of_birth": "2025-06-01", "nhs_number": "943 476 5919"},
    }
    return {**body, **overrides}


REVIEWER = {
    "name": "Sam Reviewer",
    "organisation": "Independent Reviews Ltd",
    "email": "sam@reviews.example.org",
    "agency": None,
    "qualifications": "Accredited lead reviewer",
    "declarations": {
        "works_for_involved_agency": False,
        "line_manages_involved_staff": False,
        "involved_in_case": False,
        "works_for_board_agency": False,
    },
}


def _decision(**overrides: Any) -> dict[str, Any]:
    body = {
        "decided_on": today_in_england().isoformat(),
        "outcome": "serious_case_review",
        "method": "intensive",
        "chair": CHAIR_EMAIL,
        "rationale": "The child died and abuse is suspected: the criteria for an SCR are met.",
        "lead_reviewers": [REVIEWER],
        "proportionality": {"case_factors": [], "context_factors": []},
    }
    return {**body, **overrides}


@pytest.fixture
def records(contract) -> dict[str, str]:
    """A case through its life so far, and a draft: made through the API, each answer checked."""
    _call(contract, "POST", "/api/v1/screening", 200, body=_referral()["facts"])
    waiting = _call(contract, "POST", "/api/v1/referrals", 201, body=_referral())
    case = _call(contract, "POST", "/api/v1/referrals", 201, body=_referral(child=None))
    case_path = {"case_id": case["id"]}
    _call(
        contract, "POST", "/api/v1/cases/{case_id}/decision", 200, path_parameters=case_path, body=_decision()
    )
    _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/challenges",
        201,
        path_parameters=case_path,
        body={
            "challenged_by": "peer",
            "challenged_on": today_in_england().isoformat(),
            "summary": "Too much.",
        },
    )
    changed = _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/decision/change",
        200,
        path_parameters=case_path,
        body=_decision(
            outcome="learning_review",
            method=None,
            lead_reviewers=[],
            rationale="The peer challenge showed a learning review will teach the partnership more.",
        ),
    )
    assert changed["decision"]["previous_outcome"] == "serious_case_review"
    _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/challenges",
        201,
        path_parameters=case_path,
        body={
            "challenged_by": "national_panel",
            "challenged_on": today_in_england().isoformat(),
            "summary": "The Panel asks again.",
        },
    )
    kept = _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/decision/confirm",
        201,
        path_parameters=case_path,
        body={
            "confirmed_on": today_in_england().isoformat(),
            "rationale": "The learning review remains the proportionate course.",
            "chair": CHAIR_EMAIL,
        },
    )
    assert kept["decision"]["confirmations"][0]["chair"] == "Ada Chair"
    _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/shares",
        200,
        path_parameters=case_path,
        body={"agency": "education"},
    )
    _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/status",
        200,
        path_parameters=case_path,
        body={"status": "in_review"},
    )
    listed = _call(contract, "GET", "/api/v1/cases", 200, query={"status": "in_review", "overdue": False})
    assert [c["id"] for c in listed["items"]] == [case["id"]]
    _call(contract, "GET", "/api/v1/cases/{case_id}", 200, path_parameters={"case_id": waiting["id"]})

    answers = {
        "what_happened": "died",
        "suspected_suicide": False,
        "summary": "Started on the way back from the hospital.",
    }
    draft = _call(contract, "POST", "/api/v1/referral-drafts", 201, body={"answers": answers})
    draft_path = {"draft_id": draft["id"]}
    _call(
        contract,
        "PATCH",
        "/api/v1/referral-drafts/{draft_id}",
        200,
        path_parameters=draft_path,
        body={"answers": {"child": {"name": "Jane Doe"}, "what_happened": "seriously_harmed"}},
    )
    read = _call(contract, "GET", "/api/v1/referral-drafts/{draft_id}", 200, path_parameters=draft_path)
    assert "suspected_suicide" not in read["answers"] and read["child"]["name"] == "Jane Doe"
    _call(contract, "GET", "/api/v1/referral-drafts", 200)
    _call(contract, "POST", "/api/v1/referral-drafts/{draft_id}/submit", 422, path_parameters=draft_path)
    spare = _call(contract, "POST", "/api/v1/referral-drafts", 201, body={"answers": {}})
    _call(
        contract,
        "DELETE",
        "/api/v1/referral-drafts/{draft_id}",
        204,
        path_parameters={"draft_id": spare["id"]},
    )
    # A wt2023 board: the safeguarding partners' rapid review, then their decision.
    _call(contract, "GET", "/api/v1/board", 200)
    _call(contract, "PATCH", "/api/v1/board", 200, body={"rule_pack": "wt2023"})
    current = _call(contract, "POST", "/api/v1/referrals", 201, body=_referral(child=None))
    current_path = {"case_id": current["id"]}
    _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/rapid-review",
        201,
        path_parameters=current_path,
        body={
            "completed_on": today_in_england().isoformat(),
            "recommends_local_review": True,
            "suggests_national_review": False,
            "summary": "Two agencies missed the signs; a local review will find out why.",
        },
    )
    _call(
        contract,
        "POST",
        "/api/v1/cases/{case_id}/decision",
        200,
        path_parameters=current_path,
        body=_decision(outcome="local_child_safeguarding_practice_review", method=None, lead_reviewers=[]),
    )
    _call(contract, "PATCH", "/api/v1/board", 200, body={"rule_pack": "wt2015"})
    return {"case_id": case["id"], "draft_id": draft["id"]}


def test_every_api_route_of_the_referral_service_has_a_contract(service):
    assert openapi.undocumented_routes(service.app) == []


def test_a_draft_answered_in_full_is_sent_as_the_contract_says(contract):
    r = _referral(child=None)
    answers = {
        "what_happened": "seriously_harmed",
        "custody_setting": "none",
        "detained_mental_health_act": False,
        "deprivation_of_liberty_order": False,
        "child_lives_in_area": False,
        "home_board": "Cumbria Safeguarding Children Partnership",
        "other_boards": ["Lancashire Safeguarding Children Partnership"],
        "looked_after": False,
        "regulated_setting": "none",
        "abuse_or_neglect": "known",
        "interagency_concern": "yes",
        **{k: r[k] for k in ("incident_on", "became_aware_on", "agencies_involved", "referrer", "summary")},
    }
    draft = _call(contract, "POST", "/api/v1/referral-drafts", 201, body={"answers": answers})
    assert draft["complete"] and draft["unanswered"] == []
    case = _call(
        contract,
        "POST",
        "/api/v1/referral-drafts/{draft_id}/submit",
        201,
        path_parameters={"draft_id": draft["id"]},
    )
    assert case["status"] == "awaiting_decision"


def test_instants_read_back_from_the_store_carry_their_offset(contract, records):
    """An instant in the API says it is in UTC, as a date-time in the contract must (RFC 3339)."""
    case = _call(
        contract, "GET", "/api/v1/cases/{case_id}", 200, path_parameters={"case_id": records["case_id"]}
    )
    draft = _call(
        contract,
        "GET",
        "/api/v1/referral-drafts/{draft_id}",
        200,
        path_parameters={"draft_id": records["draft_id"]},
    )
    instants = [
        case["created_at"],
        *(h["at"] for h in case["history"]),
        draft["created_at"],
        draft["updated_at"],
    ]
    assert all(datetime.fromisoformat(at).utcoffset() == timedelta(0) for at in instants), instants


def test_the_referral_service_keeps_its_contract(service, token, records):
    report = assert_contract(service.app, token, max_examples=25, path_parameters=records)
    assert len(report.operations) == 27  # 18 referral API, 4 board (2 retention), 4 admin, 1 subject access
