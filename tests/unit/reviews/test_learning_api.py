"""The learning summary, learning products and the learning repository through the API: every
Appendix B field, word and filter search, another board's unshared learning never shown, regional
sharing, the CSV and Word exports, and a review finished by its publication."""

from __future__ import annotations

import csv
import io
from datetime import date

from docx import Document

from services.reviews.adapters.store import ReviewDocument
from shared.events.report import PublicationDecided, ReportPublished
from tests.events import decision_recorded, referral_submitted
from tests.factories import bearer, make_board, make_token, make_user

from .conftest import feed

SUMMARY = {
    "board_area": "Wirral",
    "review_type": "Serious case review, systems approach; independent chair and author; chosen by the Chair",
    "incident_month": "2025-11",
    "summary": "An infant's injuries after months of missed health appointments and unseen neglect",
    "case_learning": "Missed appointments were not followed up; the father's drinking was not asked about",
    "method_learning": "The learning event with practitioners worked well; it took seven months",
    "single_agency_recommendations": "Health visitors follow up two missed appointments",
    "multi_agency_recommendations": "Share concerns about neglect across agencies at the first sign",
    "changes": "The health lead revises the missed-appointment policy by June",
    "impact_audit": "A case-file audit of 40 families in a year",
    "other_comments": "",
    "themes": ["neglect", "substance_misuse"],
}


def put(client, headers, case_id="c1", **overrides):
    return client.put(
        f"/api/v1/reviews/{case_id}/learning-summary", json={**SUMMARY, **overrides}, headers=headers
    )


def search(client, headers, **query):
    resp = client.get("/api/v1/learning", query_string=query, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_every_appendix_b_field_is_kept_and_the_document_event_carries_them(client, users, review):
    resp = put(client, users["business"])
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["complete"] is True and body["completed_on"] == "2026-03-02" and body["reference"]
    for name, value in SUMMARY.items():
        assert body[name] == value, name
    event = [e for e in ReviewDocument.objects(case_id="c1").first().outbox][-1]
    assert event.event_type == "learning_summary.completed"
    assert event.envelope["data"]["impact_audit"] == SUMMARY["impact_audit"]
    assert event.envelope["data"]["themes"] == ["neglect", "substance_misuse"]
    assert client.get("/api/v1/reviews/c1/learning-summary", headers=users["chair"]).get_json() == body


def test_every_missing_field_is_named_at_once(client, users, review):
    resp = client.put(
        "/api/v1/reviews/c1/learning-summary", json={"themes": ["gossip"]}, headers=users["business"]
    )
    assert resp.status_code == 422
    named = {e["field"].split(".")[0] for e in resp.get_json()["errors"]}  # themes.0: the unknown theme
    assert named >= {
        "board_area",
        "review_type",
        "summary",
        "case_learning",
        "method_learning",
        "single_agency_recommendations",
        "multi_agency_recommendations",
        "changes",
        "impact_audit",
        "themes",
    }
    blank = put(client, users["business"], summary="   ", themes=[])
    assert {e["field"] for e in blank.get_json()["errors"]} == {"summary", "themes"}


def test_only_the_business_unit_and_chair_complete_it(client, users, review):
    assert put(client, users["panel"]).status_code == 403
    assert put(client, users["police"]).status_code == 403
    assert put(client, users["chair"]).status_code == 200


def test_a_summary_is_found_by_words_theme_kind_and_year(client, users, review):
    put(client, users["business"])
    found = search(client, users["business"], q="Missed APPOINTMENTS drinking")
    assert found["total"] == 1
    item = found["items"][0]
    assert item["case_id"] == "c1" and item["review_kind"] == "serious_case_review"
    assert item["themes"] == ["neglect", "substance_misuse"] and item["finished"] is False
    assert search(client, users["business"], q="appointments", theme="neglect", year=2026)["total"] == 1
    assert search(client, users["business"], q="appointments", theme="mental_health")["total"] == 0
    assert search(client, users["business"], q="appointments bicycle")["total"] == 0
    assert search(client, users["business"], kind="learning_review")["total"] == 0
    assert search(client, users["business"], year=2025)["total"] == 0
    assert search(client, users["business"], q="substance misuse")["total"] == 1  # the theme's words
    bad = client.get("/api/v1/learning?theme=gossip&year=1", headers=users["business"])
    assert {e["field"] for e in bad.get_json()["errors"]} == {"theme", "year"}


def test_a_changed_summary_is_found_by_its_new_words_only(client, users, review):
    put(client, users["business"])
    put(client, users["business"], summary="Bruising in a non-mobile baby", case_learning="Bruising protocol")
    assert search(client, users["business"], q="bruising")["total"] == 1
    assert search(client, users["business"], q="drinking")["total"] == 0
    assert search(client, users["business"], q="infant")["total"] == 0
    assert search(client, users["business"], q="neglect")["total"] == 1  # the recommendations still say so


def _other_board_summary(client, service, sharing_region: str | None):
    other = make_board(agencies=("police", "health"))
    headers = bearer(make_token(make_user("business_unit", board=other)))
    feed(
        service,
        referral_submitted(other.board_id, case_id="o1"),
        decision_recorded(other.board_id, case_id="o1"),
    )
    assert (
        put(client, headers, case_id="o1", summary="Neglect of a toddler in the other board").status_code
        == 200
    )
    if sharing_region:
        client.put(
            "/api/v1/learning/sharing", json={"region": sharing_region, "share": True}, headers=headers
        )
    return headers


def test_another_boards_unshared_learning_never_appears(client, users, review, service):
    put(client, users["business"])
    other = _other_board_summary(client, service, sharing_region=None)
    client.put(
        "/api/v1/learning/sharing", json={"region": "North West", "share": True}, headers=users["business"]
    )
    assert {i["case_id"] for i in search(client, users["business"], q="neglect")["items"]} == {"c1"}
    assert {i["case_id"] for i in search(client, other, q="neglect")["items"]} == {"o1"}
    csv_text = client.get("/api/v1/learning/export.csv", headers=users["business"]).get_data(as_text=True)
    assert "other board" not in csv_text


def test_boards_of_a_region_that_both_share_see_each_others_learning(client, users, review, service):
    put(client, users["business"])
    other = _other_board_summary(client, service, sharing_region="North West")
    # Sharing is mutual: until this board shares too, it sees only its own.
    assert {i["case_id"] for i in search(client, users["business"], q="neglect")["items"]} == {"c1"}
    shared = client.put(
        "/api/v1/learning/sharing", json={"region": "North West", "share": True}, headers=users["business"]
    )
    assert shared.status_code == 200 and len(shared.get_json()["boards"]) == 2
    found = search(client, users["business"], q="neglect")["items"]
    assert {(i["case_id"], i["own_board"]) for i in found} == {("c1", True), ("o1", False)}
    assert {i["case_id"] for i in search(client, other, q="neglect")["items"]} == {"c1", "o1"}
    # Another region's board sees nothing of theirs.
    client.put("/api/v1/learning/sharing", json={"region": "North West", "share": False}, headers=other)
    assert {i["case_id"] for i in search(client, users["business"], q="neglect")["items"]} == {"c1"}
    bad = client.put("/api/v1/learning/sharing", json={"share": "perhaps"}, headers=users["business"])
    assert {e["field"] for e in bad.get_json()["errors"]} == {"region", "share"}
    assert (
        client.put(
            "/api/v1/learning/sharing", json={"region": "x", "share": True}, headers=users["panel"]
        ).status_code
        == 403
    )


def test_the_collation_exports_as_csv_and_word(client, users, review):
    put(client, users["business"])
    resp = client.get("/api/v1/learning/export.csv?q=neglect", headers=users["business"])
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["Kind of review"] == "Serious case review"
    assert rows[0]["Themes"] == "Neglect; Substance misuse" and rows[0]["Completed"] == "2 March 2026"
    docx = client.get("/api/v1/learning/export.docx", headers=users["chair"])
    assert docx.status_code == 200
    text = "\n".join(
        cell.text for t in Document(io.BytesIO(docx.data)).tables for row in t.rows for cell in row.cells
    )
    assert SUMMARY["case_learning"] in text and "2 March 2026" in text


def test_the_summary_is_finished_when_the_report_is_published_or_not_to_be(
    client, users, review, service, board
):
    put(client, users["business"])
    feed(
        service,
        ReportPublished(
            case_id="c1",
            board_id=board.board_id,
            version=2,
            published_on=date(2026, 5, 4),
            url="https://b.example/r",
        ),
    )
    item = search(client, users["business"], q="appointments")["items"][0]
    assert item["finished"] is True and item["published_on"] == "2026-05-04" and item["year"] == 2026
    # Not to be published: finished too, before its summary is even written.
    feed(
        service,
        referral_submitted(board.board_id, case_id="c3"),
        decision_recorded(board.board_id, case_id="c3"),
    )
    feed(
        service,
        PublicationDecided(
            case_id="c3",
            board_id=board.board_id,
            publish=False,
            reason="Siblings",
            decided_on=date(2026, 4, 1),
        ),
    )
    put(client, users["business"], case_id="c3", summary="Another appointments review")
    found = {i["case_id"]: i for i in search(client, users["business"], q="appointments")["items"]}
    assert found["c3"]["finished"] is True and found["c3"]["published_on"] is None


def test_learning_products_are_recorded_with_date_and_reach(client, users, review):
    body = {
        "kind": "seven_minute_briefing",
        "title": "Missed appointments",
        "date": "2026-04-20",
        "reach": 140,
    }
    resp = client.post("/api/v1/reviews/c1/learning-products", json=body, headers=users["business"])
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["reach"] == 140 and resp.get_json()["date"] == "2026-04-20"
    listed = client.get("/api/v1/reviews/c1/learning-products", headers=users["panel"])
    assert listed.status_code in (200, 403)  # the panel member sits on the panel only once added
    assert client.get("/api/v1/reviews/c1/learning-products", headers=users["chair"]).get_json()["items"][0][
        "title"
    ]
    bad = client.post(
        "/api/v1/reviews/c1/learning-products",
        json={"kind": "poster", "reach": -1},
        headers=users["business"],
    )
    assert {e["field"] for e in bad.get_json()["errors"]} == {"kind", "title", "date", "reach"}


def test_the_annual_report_section_has_every_review_of_the_year_with_findings_actions_and_impact(
    client, users, review
):
    put(client, users["business"])
    action = {
        "recommendation": "Share concerns early",
        "action": "Neglect screening at the first visit",
        "owner_agency": "health",
        "owner_email": "lead@example.org",
        "due_on": "2026-06-30",
        "success_measure": "Nine in ten visits screened",
    }
    made = client.post("/api/v1/reviews/c1/actions", json=action, headers=users["business"]).get_json()
    client.post(
        f"/api/v1/reviews/c1/actions/{made['id']}/close",
        json={"evidence_of_impact": "Audit: 37 of 40 visits screened"},
        headers=users["business"],
    )
    product = {"kind": "practitioner_forum", "title": "Neglect forum", "date": "2026-04-20", "reach": 60}
    client.post("/api/v1/reviews/c1/learning-products", json=product, headers=users["business"])

    resp = client.get("/api/v1/learning/annual-report.docx?year=2026", headers=users["chair"])
    assert resp.status_code == 200
    document = Document(io.BytesIO(resp.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "1 reviews with learning in 2026" in text
    assert SUMMARY["case_learning"] in text  # the findings
    assert "Neglect screening at the first visit" in cells and "30 June 2026" in cells and "Closed" in cells
    assert "Audit: 37 of 40 visits screened" in text  # the impact
    assert "Practitioner forum: Neglect forum, 20 April 2026, reached 60" in text
    empty = client.get("/api/v1/learning/annual-report.docx?year=2025", headers=users["business"])
    assert "0 reviews with learning in 2025" in "\n".join(
        p.text for p in Document(io.BytesIO(empty.data)).paragraphs
    )
    assert client.get("/api/v1/learning/annual-report.docx", headers=users["business"]).status_code == 422
    assert (
        client.get("/api/v1/learning/annual-report.docx?year=2026", headers=users["panel"]).status_code == 403
    )
