"""Sharing a report with a family member, and revoking it, tell the other services: the
scheduler's home page lists the reports a family member may read (``document_share.created``,
``document_share.revoked``)."""

from __future__ import annotations

from services.documents.adapters.store import DocumentShare
from tests.factories import make_user


def published(share_id: str) -> list[dict]:
    share = DocumentShare.objects(share_id=share_id).get()
    return [entry.envelope for entry in share.outbox]


def test_a_share_and_its_revoking_are_published_once(world):
    case_id = world.new_case(summary="Found unresponsive.")
    client = world.client()
    doc = client.post(
        "/api/v1/documents", headers=world.token, json={"case_id": case_id, "kind": "referral_summary"}
    ).get_json()
    family = make_user("family_viewer", board=world.board)
    made = client.post(
        f"/api/v1/documents/{doc['id']}/shares", headers=world.token, json={"user_id": family.user_id}
    )
    share_id = made.get_json()["id"]
    (shared,) = published(share_id)
    assert shared["event_type"] == "document_share.created"
    assert shared["data"] == {
        "case_id": case_id,
        "board_id": world.board.board_id,
        "share_id": share_id,
        "document_id": doc["id"],
        "kind": "referral_summary",
        "user_id": family.user_id,
    }
    for _ in range(2):  # revoking twice tells once
        assert client.delete(f"/api/v1/documents/shares/{share_id}", headers=world.token).status_code == 200
    assert [e["event_type"] for e in published(share_id)] == [
        "document_share.created",
        "document_share.revoked",
    ]
