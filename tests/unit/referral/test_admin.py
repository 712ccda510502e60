"""The referral service's admin API: who may make an API token, and the lists of tokens and of
the audit log, a page at a time."""

from __future__ import annotations

import pytest

from services.referral.domain.api_tokens import TOKEN_ROLES
from shared.audit import AuditEntry, record
from shared.auth.models import ROLES, ApiToken

TOKENS = "/api/v1/tokens"


# -- who may make an API token --------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "agency"),
    [(("business_unit",), None), (("admin",), None), (("agency_manager",), "police")],
)
def test_the_roles_that_run_scripts_make_tokens(as_role, roles, agency):
    resp = as_role(*roles, agency=agency).post(TOKENS, json={"name": "nightly export"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["token"].startswith("lscb_")


@pytest.mark.parametrize(
    ("role", "agency"),
    [
        ("family_viewer", None),
        ("panel_member", None),
        ("chair", None),
        ("lead_reviewer", None),
        ("agency_practitioner", "police"),
    ],
)
def test_roles_that_sign_in_to_the_pages_are_refused_a_token_saying_why(as_role, role, agency):
    client = as_role(role, agency=agency)
    resp = client.post(TOKENS, json={"name": "mine"})
    assert resp.status_code == 403
    (error,) = resp.get_json()["errors"]
    assert "sign in to the pages" in error["message"] and "agency managers" in error["message"]
    assert ApiToken.objects.count() == 1  # the test client's own, made by the factory
    denied = AuditEntry.objects(action="token.created").get()
    assert denied.outcome == "denied"


def test_a_family_member_cannot_make_a_token_but_may_list_and_revoke_their_own(as_role):
    family = as_role("family_viewer")
    assert family.post(TOKENS, json={"name": "phone"}).status_code == 403
    (own,) = family.get(TOKENS).get_json()["items"]  # the one the test made for the client
    assert family.delete(f"{TOKENS}/{own['id']}").status_code == 200


def test_every_role_is_either_for_tokens_or_for_the_pages():
    assert TOKEN_ROLES <= set(ROLES)
    assert "family_viewer" not in TOKEN_ROLES and "chair" not in TOKEN_ROLES


def test_a_member_with_one_token_role_among_others_may_make_one(as_role):
    assert as_role("chair", "business_unit").post(TOKENS, json={"name": "x"}).status_code == 201


# -- the lists ------------------------------------------------------------------------------


def test_tokens_are_listed_a_page_at_a_time(as_role):
    admin = as_role("admin")
    for n in range(4):
        assert admin.post(TOKENS, json={"name": f"t{n}"}).status_code == 201
    first = admin.get(f"{TOKENS}?per_page=3").get_json()
    second = admin.get(f"{TOKENS}?per_page=3&page=2").get_json()
    assert (first["total"], first["pages"], len(first["items"]), len(second["items"])) == (5, 2, 3, 2)
    names = [t["name"] for t in first["items"] + second["items"]]
    assert sorted(names) == ["t0", "t1", "t2", "t3", "test"] and len(set(names)) == 5
    assert admin.get(f"{TOKENS}?per_page=500").status_code == 422


def test_the_audit_log_is_paged_and_limit_still_works_as_the_size_of_a_page(as_role, board):
    for n in range(5):
        record("case.read", resource=("case", f"c-{n}"), board_id=board.board_id)
    admin = as_role("admin")
    pages = [admin.get(f"/api/v1/audit?action=case.read&per_page=2&page={n}").get_json() for n in (1, 2, 3)]
    assert [(p["total"], p["page"], p["pages"], len(p["items"])) for p in pages] == [
        (5, 1, 3, 2),
        (5, 2, 3, 2),
        (5, 3, 3, 1),
    ]
    # Entries made in the same millisecond are ordered by their id: each is on one page only.
    assert sorted(e["resource_id"] for p in pages for e in p["items"]) == [f"c-{n}" for n in range(5)]
    limited = admin.get("/api/v1/audit?action=case.read&limit=4").get_json()
    assert (limited["per_page"], len(limited["items"])) == (4, 4)
    for query, field in (("limit=5000", "limit"), ("limit=2&per_page=2", "limit"), ("page=0", "page")):
        resp = admin.get(f"/api/v1/audit?{query}")
        assert resp.status_code == 422 and resp.get_json()["errors"][0]["field"] == field, query


def test_the_audit_page_shows_a_page_and_the_total(app, board):
    from tests.factories import make_user
    from tests.unit.auth.conftest import sign_in

    for n in range(3):
        record("case.read", resource=("case", f"c-{n}"), board_id=board.board_id)
    client = app.test_client()
    sign_in(client, make_user("admin", board=board).email)
    body = client.get("/admin/audit?action=case.read&per_page=2").get_data(as_text=True)
    assert "Showing 1 to 2 of 3 entries" in body
    assert "/admin/audit?action=case.read&amp;per_page=2&amp;page=2" in body
