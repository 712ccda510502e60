"""A family member reads the report shared with them, on screen only, and each view is logged."""

from __future__ import annotations

import pytest

from shared.audit import AuditEntry
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.documents.conftest import AGENCIES


@pytest.fixture
def shared(world):
    case_id = world.new_case(summary="<b>Family</b> & friends were worried.")
    client = world.client()
    doc = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "referral_summary"}
    ).get_json()
    family = make_user("family_viewer", board=world.board)
    other_family = make_user("family_viewer", board=world.board)
    made = client.post(
        f"/api/v1/documents/{doc['id']}/shares", headers=world.token, json={"user_id": family.user_id}
    )
    assert made.status_code == 201
    return world, client, doc, made.get_json()["id"], family, other_family


def test_the_family_member_reads_the_shared_report_as_pages(shared):
    world, client, doc, share_id, family, _ = shared
    token = bearer(make_token(family))
    listing = client.get("/reports", headers=token).get_data(as_text=True)
    assert f"/reports/{share_id}" in listing
    page = client.get(f"/reports/{share_id}", headers=token)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Page 1 of" in html
    assert "&lt;b&gt;Family&lt;/b&gt; &amp; friends" in html  # their own words, escaped
    assert "/content" not in html and "format=pdf" not in html  # no way to take a copy
    views = AuditEntry.objects(action="report.view", actor_id=family.user_id, outcome="success")
    assert views.count() == 1 and views.first().resource_id == doc["id"]


def test_the_family_member_cannot_download_or_see_anything_else(shared):
    world, client, doc, share_id, family, other_family = shared
    token = bearer(make_token(family))
    assert client.get(f"/api/v1/documents/{doc['id']}/content", headers=token).status_code == 403
    assert client.get(f"/api/v1/documents?case_id={doc['id']}", headers=token).status_code == 403
    assert client.get(f"/reports/{share_id}", headers=bearer(make_token(other_family))).status_code == 404
    outsider = make_user("family_viewer", board=make_board(agencies=AGENCIES))
    assert client.get(f"/reports/{share_id}", headers=bearer(make_token(outsider))).status_code == 404
    assert AuditEntry.objects(action="report.view", outcome="not_found").count() == 2


def test_a_revoked_share_can_no_longer_be_read(shared):
    world, client, doc, share_id, family, _ = shared
    assert client.delete(f"/api/v1/documents/shares/{share_id}", headers=world.token).status_code == 200
    assert client.get(f"/reports/{share_id}", headers=bearer(make_token(family))).status_code == 404


def test_only_family_members_of_the_board_can_be_given_a_report(shared):
    world, client, doc, *_ = shared
    chair = make_user("chair", board=world.board)
    resp = client.post(
        f"/api/v1/documents/{doc['id']}/shares", headers=world.token, json={"user_id": chair.user_id}
    )
    assert resp.status_code == 422 and resp.get_json()["errors"][0]["field"] == "user_id"
