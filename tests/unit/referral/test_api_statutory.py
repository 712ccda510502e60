"""Issue 12 through the API: the board's rule pack, a wt2023 case from referral to rapid review to
practice-review decision, and bad input refused naming every field at once (cross-field checks
included, even with another field missing)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.audit import AuditEntry
from shared.framework import today_in_england as today
from tests.factories import make_user
from tests.unit.referral.test_api import INDEPENDENT_REVIEWER, decide, make_referral, outbox_events, submit

CHAIR_EMAIL = "clara@board.example.org"


@pytest.fixture
def chair(board):
    return make_user("chair", board=board, name="Clara Chair", email=CHAIR_EMAIL)


def fields(resp) -> set[str]:
    assert resp.status_code == 422, resp.get_json()
    return {e["field"] for e in resp.get_json()["errors"]}


# -- the board's rule pack --------------------------------------------------------------------


def test_an_admin_changes_the_boards_rule_pack_and_the_audit_log_says_so(as_role, board):
    admin, chair = as_role("admin"), as_role("chair")
    assert chair.get("/api/v1/board").get_json()["rule_pack"] == "wt2015"
    assert chair.patch("/api/v1/board", json={"rule_pack": "wt2023"}).status_code == 403
    assert fields(admin.patch("/api/v1/board", json={"rule_pack": "wt2099"})) == {"rule_pack"}
    changed = admin.patch("/api/v1/board", json={"rule_pack": "wt2023"})
    assert changed.status_code == 200 and changed.get_json()["rule_pack"] == "wt2023"
    assert set(changed.get_json()["rule_packs"]) == {"wt2015", "wt2015-north-west", "wt2018", "wt2023"}
    board.reload()
    assert board.rule_pack == "wt2023"
    entry = AuditEntry.objects(action="board.rule_pack_changed").get()
    assert entry.detail == "rule_pack wt2015 -> wt2023" and entry.resource_id == board.board_id


def test_screening_takes_an_optional_rule_pack_and_names_the_one_it_used(as_role):
    client = as_role("business_unit")
    facts = {"child_died": True, "abuse_or_neglect": "suspected"}
    assert client.post("/api/v1/screening", json=facts).get_json()["rule_pack"] == "wt2015"
    asked = client.post("/api/v1/screening", json={**facts, "rule_pack": "wt2023"}).get_json()
    assert (
        asked["rule_pack"] == "wt2023" and asked["recommended"] == "local_child_safeguarding_practice_review"
    )
    assert asked["scr_required"] is False and asked["suggested_method"] is None
    assert fields(client.post("/api/v1/screening", json={**facts, "rule_pack": "wt1999"})) == {"rule_pack"}


# -- referrals ----------------------------------------------------------------------------------


def test_a_referral_of_a_child_known_to_no_agency_living_in_another_area(as_role):
    client = as_role("business_unit")
    created = submit(
        client, agencies_involved=[], home_board="Cumbria LSCB", other_boards=["Lancashire LSCB"]
    )
    case = client.get(f"/api/v1/cases/{created['id']}").get_json()
    assert case["agencies_involved"] == [] and case["home_board"] == "Cumbria LSCB"
    assert case["other_boards"] == ["Lancashire LSCB"]
    assert any(r["code"] == "cross_border.home_board" for r in case["screening"]["reasons"])
    submitted = outbox_events(created["id"])[0].data
    assert (submitted.home_board, submitted.other_boards) == ("Cumbria LSCB", ["Lancashire LSCB"])


def test_a_referral_names_every_wrong_field_at_once_cross_field_checks_included(as_role):
    """Correction 12, and the error contract: the summary is missing and the referrer's email is
    wrong, and still the date order, the child's age and the NHS check digit are all named."""
    incident = today() - timedelta(days=10)
    body = make_referral(
        became_aware_on=(incident - timedelta(days=2)).isoformat(),
        child={
            "date_of_birth": incident.replace(year=incident.year - 20).isoformat(),
            "nhs_number": "943 476 5918",
        },
        home_board="",
    )
    del body["summary"]
    body["referrer"]["email"] = "not an email"
    resp = as_role("business_unit").post("/api/v1/referrals", json=body)
    assert fields(resp) == {
        "summary",
        "referrer.email",
        "became_aware_on",
        "child.date_of_birth",
        "child.nhs_number",
        "home_board",
    }
    assert fields(as_role("business_unit").post("/api/v1/referrals", json=make_referral(summary="x"))) == {
        "summary"
    }


# -- decisions ----------------------------------------------------------------------------------


def test_an_admin_names_the_chair_who_made_the_decision(as_role, chair):
    case_id = submit(as_role("business_unit"))["id"]
    admin = as_role("admin", name="Ada Admin")
    assert fields(decide(admin, case_id)) == {"chair"}
    done = decide(admin, case_id, chair=CHAIR_EMAIL)
    assert done.status_code == 200
    body = done.get_json()["decision"]
    assert (body["chair"], body["recorded_by"], body["method"]) == ("Clara Chair", "Ada Admin", "intensive")
    assert body["lead_reviewers"][0]["declarations"] == INDEPENDENT_REVIEWER["declarations"]
    assert outbox_events(case_id)[-2].data.chair_name == "Clara Chair"


def test_a_decision_names_every_problem_at_once_even_with_a_field_missing(as_role):
    case_id = submit(as_role("business_unit"))["id"]
    dependent = {**INDEPENDENT_REVIEWER, "organisation": "Merseyside Police"}
    dependent["declarations"] = {**dependent["declarations"], "involved_in_case": True}
    body_missing_date = {"decided_on": None, "lead_reviewers": [dependent], "method": None}
    resp = decide(as_role("chair"), case_id, **body_missing_date)
    errors = {e["field"]: e["message"] for e in resp.get_json()["errors"]}
    assert set(errors) == {
        "decided_on",
        "method",
        "lead_reviewers.0.declarations.involved_in_case",
        "lead_reviewers.0.organisation",
    }
    assert "independent" in errors["lead_reviewers.0.organisation"]


def test_a_decision_kept_after_a_challenge_and_a_peer_challenge_before_it(as_role):
    case_id = submit(as_role("business_unit"))["id"]
    chair = as_role("chair")
    peer = {"challenged_by": "peer", "challenged_on": today().isoformat(), "summary": "Consider a CIR."}
    assert chair.post(f"/api/v1/cases/{case_id}/challenges", json=peer).status_code == 201
    keep = {"confirmed_on": today().isoformat(), "rationale": "The SCR stands: the criteria are met."}
    assert chair.post(f"/api/v1/cases/{case_id}/decision/confirm", json=keep).status_code == 409
    assert decide(chair, case_id).status_code == 200
    panel = {**peer, "challenged_by": "national_panel"}
    assert chair.post(f"/api/v1/cases/{case_id}/challenges", json=panel).status_code == 201
    assert fields(chair.post(f"/api/v1/cases/{case_id}/decision/confirm", json={"rationale": "Kept"})) == {
        "confirmed_on",
        "rationale",
    }
    kept = chair.post(f"/api/v1/cases/{case_id}/decision/confirm", json=keep)
    assert kept.status_code == 201
    assert kept.get_json()["decision"]["confirmations"][0]["rationale"] == keep["rationale"]
    assert outbox_events(case_id)[-1].event_type == "decision.confirmed"


# -- a wt2023 board, end to end ------------------------------------------------------------------


def test_a_wt2023_board_from_referral_to_rapid_review_to_practice_review_decision(as_role, board):
    admin = as_role("admin")
    assert admin.patch("/api/v1/board", json={"rule_pack": "wt2023"}).status_code == 200
    bu, chair = as_role("business_unit"), as_role("chair", name="Pat Chair")
    created = submit(
        bu, facts={"seriously_harmed": True, "abuse_or_neglect": "known", "interagency_concern": "yes"}
    )
    assert created["screening"]["rule_pack"] == "wt2023"
    assert created["screening"]["recommended"] == "local_child_safeguarding_practice_review"
    case_id = created["id"]
    lcspr = {
        "outcome": "local_child_safeguarding_practice_review",
        "lead_reviewers": [],
        "rationale": "Two agencies did not share what they knew.",
    }
    early = decide(chair, case_id, **lcspr)
    assert early.status_code == 409 and early.get_json()["errors"][0]["field"] == "rapid_review"
    review = {
        "completed_on": today().isoformat(),
        "recommends_local_review": True,
        "suggests_national_review": False,
        "summary": "Police and health did not share what they knew.",
    }
    assert fields(bu.post(f"/api/v1/cases/{case_id}/rapid-review", json={**review, "summary": "x"})) == {
        "summary"
    }
    recorded = bu.post(f"/api/v1/cases/{case_id}/rapid-review", json=review)
    assert (
        recorded.status_code == 201 and recorded.get_json()["rapid_review"]["recommends_local_review"] is True
    )
    assert bu.post(f"/api/v1/cases/{case_id}/rapid-review", json=review).status_code == 409
    assert fields(decide(chair, case_id, **{**lcspr, "outcome": "serious_case_review"})) >= {"outcome"}
    decided = decide(chair, case_id, **lcspr)
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["review_kind"] == "local_child_safeguarding_practice_review"
    types = [e.event_type for e in outbox_events(case_id)]
    assert types == ["referral.submitted", "case.screened", "rapid_review.recorded", "decision.recorded"]
    assert {e.data.rule_pack for e in outbox_events(case_id)} == {"wt2023"}
    # The board goes back to wt2015: the case keeps wt2023 for life.
    assert admin.patch("/api/v1/board", json={"rule_pack": "wt2015"}).status_code == 200
    assert bu.get(f"/api/v1/cases/{case_id}").get_json()["rule_pack"] == "wt2023"


def test_a_rapid_review_of_a_wt2015_case_is_refused(as_role):
    case_id = submit(as_role("business_unit"))["id"]
    review = {
        "completed_on": today().isoformat(),
        "recommends_local_review": True,
        "suggests_national_review": True,
        "summary": "Not a thing under 2015 rules.",
    }
    resp = as_role("chair").post(f"/api/v1/cases/{case_id}/rapid-review", json=review)
    assert resp.status_code == 409 and resp.get_json()["errors"][0]["field"] == "rule_pack"
