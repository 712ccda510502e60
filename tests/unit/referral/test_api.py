"""The referral API against the demo-like board: screening, referrals, decisions, access."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from services.referral.adapters.repository import MongoCaseRepository
from services.referral.adapters.store import Case
from services.referral.service_layer.deadlines import apply_deadline_event
from services.referral.service_layer.unit_of_work import MongoUnitOfWork
from shared.audit import AuditEntry
from shared.crypto import open_json
from shared.events import new_envelope, parse_envelope
from shared.events.deadlines import DeadlineOverdue
from shared.framework import today_in_england as today
from tests.factories import DEMO_AGENCIES, bearer, make_board, make_token, make_user


def make_referral(**overrides) -> dict:
    t = today()
    body = {
        "facts": {"child_died": True, "abuse_or_neglect": "suspected", "interagency_concern": "yes"},
        "incident_on": (t - timedelta(days=10)).isoformat(),
        "became_aware_on": (t - timedelta(days=9)).isoformat(),
        "board_notified_on": (t - timedelta(days=8)).isoformat(),
        "summary": "Infant found unresponsive; police and health were involved.",
        "agencies_involved": ["police", "health"],
        "referrer": {"name": "Priya", "agency": "police", "email": "priya@police.example.org"},
        "child": {"name": "Jane Doe", "date_of_birth": "2025-06-01", "nhs_number": "943 476 5919"},
    }
    body.update(overrides)
    return body


def submit(client, **overrides):
    resp = client.post("/api/v1/referrals", json=make_referral(**overrides))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


# An SCR lead reviewer as a record (001 §5.6; 003 "Appointing reviewers"): qualified, and
# declaring none of the ties that would make them dependent.
INDEPENDENT_REVIEWER = {
    "name": "Dr R Independent",
    "organisation": "Independent Reviews Ltd",
    "qualifications": "Accredited systems-approach lead reviewer",
    "declarations": {
        "works_for_involved_agency": False,
        "line_manages_involved_staff": False,
        "involved_in_case": False,
        "works_for_board_agency": False,
    },
}


def decision_body(**overrides) -> dict:
    body = {
        "decided_on": today().isoformat(),
        "outcome": "serious_case_review",
        "method": "intensive",
        "rationale": "Criteria met.",
        "lead_reviewers": [INDEPENDENT_REVIEWER],
    }
    if overrides.get("outcome", "serious_case_review") != "serious_case_review":
        del body["method"]
    body.update(overrides)
    return body


def decide(client, case_id, **overrides):
    return client.post(f"/api/v1/cases/{case_id}/decision", json=decision_body(**overrides))


def outbox_events(case_id) -> list:
    raw = Case._get_collection().find_one({"_id": case_id})
    return [parse_envelope(e["envelope"]) for e in raw["outbox"]]


# -- screening -----------------------------------------------------------------------------


def test_screening_answers_with_reasons_and_sources(as_role):
    resp = as_role("business_unit").post(
        "/api/v1/screening", json={"child_died": True, "abuse_or_neglect": "suspected"}
    )
    body = resp.get_json()
    assert resp.status_code == 200
    assert body["notifiable"] and body["scr_required"]
    assert body["recommended"] == "serious_case_review"
    assert "death_abuse_neglect" in body["scr_grounds"]
    assert all(r["source"] for r in body["reasons"])


def test_screening_names_every_bad_field(as_role):
    resp = as_role("business_unit").post(
        "/api/v1/screening",
        json={
            "child_died": True,
            "seriously_harmed": "maybe",
            "colour": "red",
            "deprivation_of_liberty_order": True,
        },
    )
    assert resp.status_code == 422
    fields = {e["field"] for e in resp.get_json()["errors"]}
    assert {"seriously_harmed", "colour", "abuse_or_neglect", "child_age"} <= fields


# -- referrals -------------------------------------------------------------------------------


def test_a_referral_creates_a_screened_case_awaiting_the_chair(as_role, board):
    created = submit(as_role("agency_practitioner", agency="police"))
    assert created["status"] == "awaiting_decision"
    assert created["reference"].startswith(f"{board.board_id.upper()}-{today().year}-")
    assert created["screening"]["scr_required"] is True
    events = outbox_events(created["id"])
    assert [e.event_type for e in events] == ["referral.submitted", "case.screened"]
    submitted, screened = events[0].data, events[1].data
    assert submitted.became_aware_on == today() - timedelta(days=9)
    assert submitted.recommended == "serious_case_review"
    assert submitted.summary == "Infant found unresponsive; police and health were involved."
    assert (submitted.referrer.name, submitted.referrer.agency) == ("Priya", "police")
    assert "Jane" not in str([e.raw for e in events])  # the child's details travel sealed only
    assert open_json(submitted.child_sealed) == {
        "name": "Jane Doe",
        "date_of_birth": "2025-06-01",
        "nhs_number": "943 476 5919",
    }
    assert screened.facts == {**created_facts(), "child_died": True}
    assert {r.code for r in screened.reasons} >= {"scr.death_abuse_neglect", "notifiable.death_abuse_neglect"}
    assert all(r.source for r in screened.reasons)


def created_facts() -> dict:
    """Every fact a case keeps for make_referral()'s facts, the defaults filled in."""
    return {
        "abuse_or_neglect": "suspected",
        "child_died": True,
        "seriously_harmed": False,
        "suspected_suicide": False,
        "looked_after": False,
        "regulated_setting": None,
        "custody_setting": None,
        "detained_mental_health_act": False,
        "deprivation_of_liberty_order": False,
        "child_age": None,
        "interagency_concern": "yes",
    }


def test_a_referral_without_the_childs_details_seals_nothing(as_role):
    created = submit(as_role("business_unit"), child=None)
    assert outbox_events(created["id"])[0].data.child_sealed is None


def test_the_childs_details_are_encrypted_at_rest_and_readable_through_the_api(as_role):
    client = as_role("business_unit")
    created = submit(client)
    raw = Case._get_collection().find_one({"_id": created["id"]})
    assert "Jane Doe" not in str(raw) and "943 476 5919" not in str(raw)
    assert client.get(f"/api/v1/cases/{created['id']}").get_json()["child"]["name"] == "Jane Doe"


def test_html_in_free_text_is_kept_as_text(as_role):
    client = as_role("business_unit")
    created = submit(client, summary="<script>alert(1)</script> & more")
    assert (
        client.get(f"/api/v1/cases/{created['id']}").get_json()["summary"]
        == "<script>alert(1)</script> & more"
    )


def test_every_invalid_referral_field_is_reported_at_once(as_role):
    t = today()
    resp = as_role("business_unit").post(
        "/api/v1/referrals",
        json=make_referral(
            incident_on=t.isoformat(),
            became_aware_on=(t - timedelta(days=3)).isoformat(),
            board_notified_on=(t + timedelta(days=1)).isoformat(),
            agencies_involved=["police", "fire_brigade"],
        ),
    )
    assert resp.status_code == 422
    fields = {e["field"] for e in resp.get_json()["errors"]}
    assert fields == {"became_aware_on", "board_notified_on", "agencies_involved.1"}
    assert Case.objects.count() == 0  # nothing half-saved


def test_schema_errors_name_nested_fields(as_role):
    body = make_referral()
    body["referrer"] = {"name": "", "email": "not-an-email"}
    del body["facts"]["abuse_or_neglect"]
    body["surprise"] = 1
    resp = as_role("business_unit").post("/api/v1/referrals", json=body)
    fields = {e["field"] for e in resp.get_json()["errors"]}
    assert {
        "referrer.name",
        "referrer.email",
        "referrer.agency",
        "facts.abuse_or_neglect",
        "surprise",
    } <= fields


@pytest.mark.parametrize("on", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_every_request_date_is_held_to_the_dates_a_case_can_have(as_role, on):
    """From 1900, no more than a year ahead: a date of year 1 was accepted, and then the case's
    documents could not be made."""
    bu, chair = as_role("business_unit"), as_role("chair")
    case_id = submit(bu)["id"]

    def refused(resp) -> set[str]:
        assert resp.status_code == 422, resp.get_json()
        return {e["field"] for e in resp.get_json()["errors"]}

    assert refused(decide(chair, case_id, decided_on=on, initiated_on=on)) == {"decided_on", "initiated_on"}
    challenge = {"challenged_by": "peer", "challenged_on": on, "summary": "Too much."}
    assert refused(chair.post(f"/api/v1/cases/{case_id}/challenges", json=challenge)) == {"challenged_on"}
    draft = {"answers": {"incident_on": on, "became_aware_on": on, "child": {"date_of_birth": on}}}
    assert refused(bu.post("/api/v1/referral-drafts", json=draft)) == {
        "answers.incident_on",
        "answers.became_aware_on",
        "answers.child.date_of_birth",
    }


def test_board_notified_on_defaults_to_today(as_role):
    body = make_referral()
    del body["board_notified_on"]
    client = as_role("business_unit")
    created = client.post("/api/v1/referrals", json=body).get_json()
    assert client.get(f"/api/v1/cases/{created['id']}").get_json()["board_notified_on"] == today().isoformat()


# -- decisions ---------------------------------------------------------------------------


def test_the_chair_records_an_scr_and_the_events_carry_what_others_need(as_role):
    case_id = submit(as_role("business_unit"))["id"]
    resp = decide(
        as_role("chair", name="The Chair"),
        case_id,
        proportionality={"case_factors": ["legal_requirements"], "context_factors": ["public_interest"]},
    )
    body = resp.get_json()
    assert resp.status_code == 200
    assert body["status"] == "decided" and body["review_kind"] == "serious_case_review"
    types = [e.event_type for e in outbox_events(case_id)]
    assert types[-2:] == ["decision.recorded", "reviewer.appointed"]
    recorded, appointed = (e.data for e in outbox_events(case_id)[-2:])
    assert recorded.decided_on == today() and recorded.initiated_on == today()
    assert recorded.lead_reviewers[0].name == "Dr R Independent"
    assert recorded.lead_reviewers[0].role == "lead_reviewer"
    assert recorded.rationale == "Criteria met."
    assert recorded.chair_name == "The Chair"  # who recorded it
    assert (recorded.case_factors, recorded.context_factors) == (["legal_requirements"], ["public_interest"])
    assert [r.name for r in appointed.reviewers] == ["Dr R Independent"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"lead_reviewers": []}, "lead_reviewers"),
        (
            {"lead_reviewers": [{**INDEPENDENT_REVIEWER, "name": "PC Plod", "organisation": "Police"}]},
            "lead_reviewers.0.organisation",
        ),
        ({"outcome": "learning_review", "rationale": "No."}, "rationale"),
        ({"decided_on": (date.today() + timedelta(days=5)).isoformat()}, "decided_on"),
        ({"proportionality": {"case_factors": ["astrology"]}}, "proportionality.case_factors.0"),
    ],
)
def test_decision_rules_name_the_field(as_role, overrides, field):
    case_id = submit(as_role("business_unit"))["id"]
    resp = decide(as_role("chair"), case_id, **overrides)
    assert resp.status_code == 422
    assert field in {e["field"] for e in resp.get_json()["errors"]}


def test_choosing_less_than_a_required_scr_is_justified_and_flagged(as_role):
    case_id = submit(as_role("business_unit"))["id"]
    resp = decide(
        as_role("chair"),
        case_id,
        outcome="learning_review",
        lead_reviewers=[],
        rationale="A learning review already covers this family; the panel agreed at its meeting.",
    )
    assert resp.status_code == 200
    assert resp.get_json()["decision"]["panel_scrutiny"] is True
    assert outbox_events(case_id)[-1].data.panel_scrutiny is True


def test_below_threshold_reviews_may_have_internal_reviewers(as_role):
    case_id = submit(
        as_role("business_unit"), facts={"abuse_or_neglect": "suspected", "interagency_concern": "yes"}
    )["id"]
    resp = decide(
        as_role("chair"),
        case_id,
        outcome="multi_agency_concise_review",
        lead_reviewers=[{"name": "Sgt Smith", "organisation": "Police"}],
    )
    assert resp.status_code == 200


def test_the_api_allows_at_most_three_lead_reviewers_as_the_decision_page_does(as_role):
    case_id = submit(as_role("business_unit"))["id"]
    four = [{**INDEPENDENT_REVIEWER, "name": f"Dr {n}"} for n in "ABCD"]
    resp = decide(as_role("chair"), case_id, lead_reviewers=four)
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == [
        {"field": "lead_reviewers", "message": "Name at most 3 lead reviewers"}
    ]
    assert Case.objects.get(case_id=case_id).decision is None
    assert decide(as_role("chair"), case_id, lead_reviewers=four[:3]).status_code == 200


def test_a_north_west_board_is_screened_by_wt2015_and_its_events_name_the_north_west_pack(app, board):
    board.rule_pack = "wt2015-north-west"
    board.save()
    token = bearer(make_token(make_user("business_unit", "chair", board=board)))
    client = app.test_client()
    screened = client.post("/api/v1/screening", json=make_referral()["facts"], headers=token).get_json()
    assert screened["rule_pack"] == "wt2015-north-west"

    created = client.post("/api/v1/referrals", json=make_referral(), headers=token)
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["id"]
    body = client.get(f"/api/v1/cases/{case_id}", headers=token).get_json()
    assert body["rule_pack"] == "wt2015-north-west"
    assert body["screening"]["recommended"] == "serious_case_review"
    assert (
        client.post(
            f"/api/v1/cases/{case_id}/decision",
            json=decision_body(),
            headers=token,
        ).status_code
        == 200
    )
    packs = {e.event_type: e.data.rule_pack for e in outbox_events(case_id) if hasattr(e.data, "rule_pack")}
    assert packs == {
        "referral.submitted": "wt2015-north-west",
        "case.screened": "wt2015-north-west",
        "decision.recorded": "wt2015-north-west",
    }


def test_only_the_chair_or_an_admin_naming_the_chair_decides(as_role, board):
    case_id = submit(as_role("business_unit"))["id"]
    assert decide(as_role("business_unit"), case_id).status_code == 403
    chair = make_user("chair", board=board, name="Clara Chair", email="clara@board.example.org")
    assert decide(as_role("admin"), case_id, chair=chair.email).status_code == 200


def test_an_illegal_transition_is_409_with_a_clear_message(as_role):
    bu = as_role("business_unit")
    case_id = submit(bu)["id"]
    assert decide(as_role("chair"), case_id).status_code == 200
    again = decide(as_role("chair"), case_id)
    assert again.status_code == 409
    assert "decided cannot become decided" in again.get_json()["errors"][0]["message"]
    jump = bu.post(f"/api/v1/cases/{case_id}/status", json={"status": "published"})
    assert jump.status_code == 409
    assert bu.post(f"/api/v1/cases/{case_id}/status", json={"status": "in_review"}).status_code == 200


def test_a_challenge_then_a_changed_decision(as_role):
    case_id = submit(as_role("business_unit"))["id"]
    chair = as_role("chair")
    decide(
        chair,
        case_id,
        outcome="learning_review",
        lead_reviewers=[],
        rationale="The family is already the subject of a learning review this year.",
    )
    early = chair.post(
        f"/api/v1/cases/{case_id}/decision/change",
        json=decision_body(rationale="Panel view"),
    )
    assert early.status_code == 409  # no challenge yet
    challenged = chair.post(
        f"/api/v1/cases/{case_id}/challenges",
        json={
            "challenged_by": "national_panel",
            "challenged_on": today().isoformat(),
            "summary": "Panel disagrees",
        },
    )
    assert challenged.status_code == 201
    changed = chair.post(
        f"/api/v1/cases/{case_id}/decision/change",
        json=decision_body(rationale="Panel view"),
    )
    assert changed.status_code == 200
    assert changed.get_json()["decision"]["previous_outcome"] == "learning_review"
    types = [e.event_type for e in outbox_events(case_id)]
    assert types[-3:] == ["decision.challenged", "decision.changed", "reviewer.appointed"]
    changed_event = next(e for e in outbox_events(case_id) if e.event_type == "decision.changed")
    assert changed_event.data.previous_outcome == "learning_review"
    assert changed_event.data.outcome == "serious_case_review"
    assert changed_event.data.rationale == "Panel view"
    assert changed_event.data.lead_reviewers[0].organisation == "Independent Reviews Ltd"


# -- case list and deadlines -----------------------------------------------------------------


def test_cases_filter_by_status_review_kind_and_overdue(as_role, board):
    bu = as_role("business_unit")
    first, second = submit(bu)["id"], submit(bu)["id"]
    decide(as_role("chair"), first)
    overdue = new_envelope(
        DeadlineOverdue(
            case_id=second,
            board_id=board.board_id,
            deadline_id="d1",
            code="scr_decision",
            due=today() - timedelta(days=1),
            concerns="chair",
        ),
        producer="scheduler",
    )
    apply_deadline_event(parse_envelope(overdue), MongoUnitOfWork())
    apply_deadline_event(parse_envelope(overdue), MongoUnitOfWork())  # a repeat changes nothing

    def ids(query):
        return [c["id"] for c in bu.get(f"/api/v1/cases?{query}").get_json()["items"]]

    assert ids("status=decided") == [first]
    assert ids("review_kind=serious_case_review") == [first]
    assert ids("overdue=true") == [second]
    assert bu.get("/api/v1/cases?status=lost").status_code == 422
    assert bu.get(f"/api/v1/cases/{second}").get_json()["next_deadline"]["status"] == "overdue"


# -- record-level access: the IDOR matrix ----------------------------------------------------


def test_idor_matrix(as_role, board):
    police = as_role("agency_practitioner", agency="police")
    case_id = submit(police)["id"]
    other_board = make_board(agencies=DEMO_AGENCIES)
    readers = {
        "same board, business unit": (as_role("business_unit"), 200),
        "same board, chair": (as_role("chair"), 200),
        "same board, referring agency": (police, 200),
        "same board, referring agency's manager": (as_role("agency_manager", agency="police"), 200),
        "same board, other agency": (as_role("agency_practitioner", agency="health"), 404),
        "same board, family viewer": (as_role("family_viewer"), 403),
        "other board, business unit": (as_role("business_unit", board_=other_board), 404),
        "other board, admin": (as_role("admin", board_=other_board), 404),
        "other board, police": (as_role("agency_practitioner", agency="police", board_=other_board), 404),
    }
    outcome = {who: c.get(f"/api/v1/cases/{case_id}").status_code for who, (c, _) in readers.items()}
    assert outcome == {who: expected for who, (_, expected) in readers.items()}
    # The lists agree with the reads.
    for who, (client, expected) in readers.items():
        listed = client.get("/api/v1/cases")
        if expected == 403:
            assert listed.status_code == 403
        else:
            assert (case_id in [c["id"] for c in listed.get_json()["items"]]) == (expected == 200), who
    # Writes from another board do not reach the case either.
    assert decide(as_role("chair", board_=other_board), case_id).status_code == 404
    # Sharing opens it to the agency it was shared with, and only that one.
    health = readers["same board, other agency"][0]
    assert (
        as_role("business_unit")
        .post(f"/api/v1/cases/{case_id}/shares", json={"agency": "health"})
        .status_code
        == 200
    )
    assert health.get(f"/api/v1/cases/{case_id}").status_code == 200
    assert (
        as_role("agency_practitioner", agency="education").get(f"/api/v1/cases/{case_id}").status_code == 404
    )


def test_every_case_read_and_write_is_audited(as_role):
    bu = as_role("business_unit")
    case_id = submit(bu)["id"]
    bu.get(f"/api/v1/cases/{case_id}")
    as_role("agency_practitioner", agency="education").get(f"/api/v1/cases/{case_id}")
    decide(as_role("chair"), case_id)
    entries = [(e.action, e.outcome) for e in AuditEntry.objects(resource_id=case_id).order_by("at")]
    assert entries == [
        ("case.write", "success"),
        ("case.read", "success"),
        ("case.read", "not_found"),
        ("case.write", "success"),
    ]


def test_no_log_line_holds_the_childs_name(as_role):
    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(str(record.msg) + str(record.args))

    handler = Capture()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        bu = as_role("business_unit")
        case_id = submit(bu)["id"]
        bu.get(f"/api/v1/cases/{case_id}")
        bu.post("/api/v1/referrals", json=make_referral(incident_on="not a date"))
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert records, "nothing was logged: the check would prove nothing"
    assert not [r for r in records if "Jane" in r or "943 476" in r]


def test_references_stay_unique_when_many_arrive_at_once(board):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        refs = list(
            pool.map(lambda _: MongoCaseRepository().next_reference(board.board_id, 2027), range(400))
        )
    assert len(set(refs)) == 400
