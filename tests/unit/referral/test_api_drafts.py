"""Drafts of referrals through the API: the journey's rules hold there as on the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.referral.adapters.store import Case, Draft
from shared.audit import AuditEntry
from shared.framework import today_in_england as today
from tests.factories import make_board

AGENCIES = ("police", "health")
DRAFTS = "/api/v1/referral-drafts"


@pytest.fixture
def board():
    return make_board(agencies=AGENCIES)


def answers(**overrides) -> dict:
    t = today()
    body = {
        "what_happened": "seriously_harmed",
        "custody_setting": "none",
        "detained_mental_health_act": False,
        "deprivation_of_liberty_order": False,
        "looked_after": False,
        "regulated_setting": "childminder",
        "abuse_or_neglect": "suspected",
        "interagency_concern": "unclear",
        "incident_on": (t - timedelta(days=10)).isoformat(),
        "became_aware_on": (t - timedelta(days=9)).isoformat(),
        "agencies_involved": ["police", "health"],
        "child_lives_in_area": True,
        "referrer": {"name": "Priya", "agency": "police", "email": "priya@police.example.org"},
        "summary": "Found injured at the childminder's.",
    }
    body.update(overrides)
    return body


def start(client, **given) -> dict:
    resp = client.post(DRAFTS, json={"answers": given})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_a_draft_drops_answers_to_questions_that_no_longer_apply(as_role):
    police = as_role("agency_practitioner", agency="police")
    draft = start(police, what_happened="died", suspected_suicide=True, custody_setting="remand")
    assert draft["answers"] == {
        "what_happened": "died",
        "suspected_suicide": True,
        "custody_setting": "remand",
    }
    assert draft["complete"] is False and draft["unanswered"][0] == "detained_mental_health_act"

    changed = police.patch(f"{DRAFTS}/{draft['id']}", json={"answers": {"what_happened": "neither"}})
    assert changed.status_code == 200
    assert changed.get_json()["answers"] == {"what_happened": "neither"}
    assert Draft.objects.get(draft_id=draft["id"]).answers == {"what_happened": "neither"}


def test_a_draft_is_its_authors_alone(as_role):
    police = as_role("agency_practitioner", agency="police")
    draft = start(police, what_happened="died")
    colleague = as_role("agency_practitioner", agency="police")
    assert colleague.get(f"{DRAFTS}/{draft['id']}").status_code == 404
    assert colleague.patch(f"{DRAFTS}/{draft['id']}", json={"answers": {}}).status_code == 404
    assert colleague.post(f"{DRAFTS}/{draft['id']}/submit").status_code == 404
    assert colleague.delete(f"{DRAFTS}/{draft['id']}").status_code == 404
    assert colleague.get(DRAFTS).get_json()["items"] == []
    assert [d["id"] for d in police.get(DRAFTS).get_json()["items"]] == [draft["id"]]
    assert as_role("chair").get(DRAFTS).status_code == 403


def test_a_draft_is_sent_only_when_every_question_that_applies_is_answered(as_role):
    bu = as_role("business_unit")
    draft = start(bu, what_happened="seriously_harmed", looked_after=False)
    early = bu.post(f"{DRAFTS}/{draft['id']}/submit")
    assert early.status_code == 422
    assert [e["field"] for e in early.get_json()["errors"]] == [
        "custody_setting",  # asked of a harmed child too (correction 1, 003 ¶20)
        "detained_mental_health_act",
        "deprivation_of_liberty_order",
        "regulated_setting",
        "abuse_or_neglect",
        "interagency_concern",
        "incident_on",
        "agencies_involved",
        "child_lives_in_area",
        "referrer",
        "summary",
    ]
    assert Case.objects.count() == 0

    child = {"name": "Jane Doe", "date_of_birth": "2015-06-01"}
    assert bu.patch(f"{DRAFTS}/{draft['id']}", json={"answers": answers(child=child)}).status_code == 200
    sent = bu.post(f"{DRAFTS}/{draft['id']}/submit")
    assert sent.status_code == 201, sent.get_json()
    case = bu.get(f"/api/v1/cases/{sent.get_json()['id']}").get_json()
    assert case["facts"]["regulated_setting"] == "childminder" and case["status"] == "awaiting_decision"
    assert case["child"]["name"] == "Jane Doe" and case["child"]["date_of_birth"] == "2015-06-01"
    assert bu.get(f"{DRAFTS}/{draft['id']}").status_code == 404  # sent drafts are gone
    assert AuditEntry.objects(action="case.write", resource_id=case["id"]).count() == 1


def test_a_draft_that_breaks_the_referral_rules_is_refused_and_kept(as_role):
    bu = as_role("business_unit")
    t = today()
    draft = start(
        bu, **answers(became_aware_on=(t - timedelta(days=20)).isoformat(), agencies_involved=["fire"])
    )
    resp = bu.post(f"{DRAFTS}/{draft['id']}/submit")
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} == {"became_aware_on", "agencies_involved.0"}
    assert Case.objects.count() == 0 and Draft.objects.count() == 1


def test_the_childs_details_in_a_draft_are_encrypted_at_rest(as_role):
    bu = as_role("business_unit")
    draft = start(bu, child={"name": "Jane Doe", "nhs_number": "943 476 5919"})
    raw = str(Draft._get_collection().find_one({"_id": draft["id"]}))
    assert "Jane" not in raw and "943 476" not in raw
    assert bu.get(f"{DRAFTS}/{draft['id']}").get_json()["child"]["name"] == "Jane Doe"


def test_draft_answers_are_validated_and_unknown_ones_named(as_role):
    bu = as_role("business_unit")
    resp = bu.post(DRAFTS, json={"answers": {"what_happened": "lost", "child_age": 30, "colour": "red"}})
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} == {
        "answers.what_happened",
        "answers.child_age",
        "answers.colour",
    }
    assert Draft.objects.count() == 0


def test_a_draft_can_be_discarded(as_role):
    bu = as_role("business_unit")
    draft = start(bu, what_happened="neither")
    assert bu.delete(f"{DRAFTS}/{draft['id']}").status_code == 204
    assert Draft.objects.count() == 0
