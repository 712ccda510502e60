"""The success answers of the meetings, family, quality and interim learning routes match their
OpenAPI contract (schemathesis validates each real answer against the documented schema)."""

from __future__ import annotations

from tests.contract.harness import CHECKS, load_contract
from tests.factories import bearer, make_token, make_user

BASE = "/api/v1/reviews/{case_id}"
MEETING = {
    "kind": "learning_event",
    "starts_at": "2026-03-20T10:00",
    "ends_at": "2026-03-20T12:00",
    "place": "Town Hall",
    "link": "https://meet.example.org/abc",
    "attendees": [{"name": "Anne", "email": "anne@example.org", "agency": "police", "role": "member"}],
    "agenda": ["Timeline"],
}
ANSWERS = {
    q: {"rating": "met", "evidence": "Minutes"}
    for q in ("members_input", "reviewers_influence", "factors_considered", "rationale_recorded")
}


def test_success_answers_match_the_contract(service, board, review):
    token = make_token(make_user("admin", board=board))
    contract, auth = load_contract(service.app, token), bearer(token)
    ids = {"case_id": "c1"}

    def call(method: str, path: str, status: int, **request: object) -> dict:
        known = {k: v for k, v in ids.items() if "{" + k + "}" in path}
        case = contract[path][method].Case(path_parameters=known, **request)
        response = case.call_and_validate(checks=CHECKS, headers=auth)
        assert response.status_code == status, (method, path, response.text)
        return {} if path.endswith(".svg") else response.json()

    ids["meeting_id"] = call("POST", f"{BASE}/meetings", 201, body=MEETING)["id"]
    call(
        "PUT",
        f"{BASE}/meetings/{{meeting_id}}",
        200,
        body={"notes": "Found", "actions": [{"what": "A", "owner": "B"}]},
    )
    call(
        "PUT",
        f"{BASE}/meetings/{{meeting_id}}",
        200,
        body={"starts_at": "2026-03-21T10:00", "ends_at": "2026-03-21T11:00"},
    )
    call("GET", f"{BASE}/meetings/{{meeting_id}}", 200)
    call("GET", f"{BASE}/meetings", 200)
    call("POST", f"{BASE}/meetings/{{meeting_id}}/cancel", 200)
    call("PUT", f"{BASE}/quality", 200, body={"marker": "proportionate_form_and_focus", "answers": ANSWERS})
    call("GET", f"{BASE}/quality", 200)
    learning = {"improvement": "A", "action_taken": "B", "owner": "C", "on": "2026-02-01", "agency": "police"}
    call("POST", f"{BASE}/interim-learning", 201, body=learning)
    call("GET", f"{BASE}/interim-learning", 200)
    mum = {"name": "Mia", "relationship_to_child": "mother", "sex": "female", "email": "mia@example.org"}
    ids["member_id"] = call("POST", f"{BASE}/family/members", 201, body=mum)["id"]
    kid = call("POST", f"{BASE}/family/members", 201, body={"name": "Kit", "relationship_to_child": "child"})[
        "id"
    ]
    call(
        "POST",
        f"{BASE}/family/relationships",
        201,
        body={"from": ids["member_id"], "kind": "parent_of", "to": kid},
    )
    call(
        "PUT",
        f"{BASE}/family/members/{{member_id}}/consent",
        200,
        body={"status": "given", "on": "2026-02-01"},
    )
    call("PUT", f"{BASE}/family/hold", 200, body={"held": True, "reason": "Trial"})
    contact = {
        "on": "2026-02-02",
        "by": "Bea",
        "how": "letter",
        "outcome": "Sent",
        "member_ids": [ids["member_id"]],
    }
    call("POST", f"{BASE}/family/contacts", 201, body=contact)
    support = {"on": "2026-02-02", "what": "Advocate", "by": "Bea", "member_ids": [ids["member_id"]]}
    call("POST", f"{BASE}/family/support", 201, body=support)
    call(
        "POST",
        f"{BASE}/family/views",
        201,
        body={"on": "2026-02-03", "member_id": ids["member_id"], "summary": "V"},
    )
    call("GET", f"{BASE}/family", 200)
    call("GET", f"{BASE}/family/genogram.svg", 200)
    call("GET", BASE, 200)
