"""The final report through Flask's test client: versions written and uploaded, comparison,
comments, the quality check, the family's preview and comments, the Chair's sign-off; every
422, 404 for another board and 403 by role."""

from __future__ import annotations

import io

import pytest
from docx import Document

from services.reviews.bootstrap import bootstrap
from tests.factories import bearer, make_board, make_token, make_user

from .conftest import TODAY

BASE = "/api/v1/reviews/c1/report"
LEAD_EMAIL = "lee.lead@example.org"
INDEPENDENT = {
    "declarations": {
        "works_for_involved_agency": False,
        "line_manages_involved_staff": False,
        "involved_in_case": False,
        "works_for_board_agency": False,
    },
    "qualifications": "Twenty years of systems reviews",
}

V1 = {
    "circumstances": "Child A was admitted to hospital with a head injury.",
    "process_and_methodology": "A systems review with a learning event.",
    "participation": "Practitioners attended the learning event; the family met the lead reviewer.",
    "good_practice": "The health visitor kept careful records.",
    "improvement": "Information was not shared between police and health.",
    "actions_taken": "The police now copy every referral to health.",
    "conclusion": "Practice was not effective in safeguarding Child A.",
    "recommendations": "The board audits information sharing within six months.",
}


@pytest.fixture
def service(settings):
    return bootstrap(settings, today=lambda: TODAY)


@pytest.fixture
def family_user(board):
    return make_user("family_viewer", board=board, email="fay.family@example.org", name="Fay Family")


@pytest.fixture
def people(users, board, family_user):
    lead = make_user("lead_reviewer", board=board, email=LEAD_EMAIL, name="Lee Lead")
    return {**users, "lead": bearer(make_token(lead)), "fay": bearer(make_token(family_user))}


@pytest.fixture
def seated(client, people, review):
    """The review's panel: the panel member of the conftest and a lead reviewer."""
    from .conftest import PANEL_EMAIL

    for role, name, email in (
        ("member", "Pat Panel", PANEL_EMAIL),
        ("lead_reviewer", "Lee Lead", LEAD_EMAIL),
    ):
        body = {"role": role, "name": name, "email": email, "organisation": "Independent", **INDEPENDENT}
        made = client.post("/api/v1/reviews/c1/panel", json=body, headers=people["business"])
        assert made.status_code == 201, made.get_json()
    return people


def fields(resp) -> set[str]:
    assert resp.status_code == 422, resp.get_json()
    return {e["field"] for e in resp.get_json()["errors"]}


def save(client, who, sections):
    return client.post(f"{BASE}/versions", json={"sections": sections}, headers=who)


def test_versions_are_kept_and_compared_section_by_section(client, seated):
    first = save(client, seated["lead"], V1)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["version"] == 1
    changed = {**V1, "conclusion": "Practice was not effective.\nThe systems did not help practitioners."}
    second = save(client, seated["business"], changed)
    assert second.get_json()["version"] == 2

    listed = client.get(f"{BASE}/versions", headers=seated["panel"]).get_json()
    assert [v["version"] for v in listed["versions"]] == [1, 2]
    assert client.get(f"{BASE}/versions/1", headers=seated["chair"]).get_json()["sections"] == V1

    diff = client.get(f"{BASE}/compare?from=1&to=2", headers=seated["panel"]).get_json()
    by_section = {d["section"]: d for d in diff["sections"]}
    assert not by_section["circumstances"]["changed"]
    conclusion = by_section["conclusion"]
    assert conclusion["changed"]
    assert ["replace", V1["conclusion"], "Practice was not effective."] in conclusion["rows"]
    assert ["insert", "", "The systems did not help practitioners."] in conclusion["rows"]

    bad = client.get(f"{BASE}/compare?from=1&to=9", headers=seated["panel"])
    assert fields(bad) == {"to"}


def test_bad_versions_name_every_wrong_field(client, seated):
    assert fields(save(client, seated["business"], {"summary": "x", "conclusion": 5})) == {
        "sections.summary.key",
        "sections.conclusion.value",
    }
    assert fields(save(client, seated["business"], {"conclusion": "   "})) == {"sections"}
    assert fields(client.post(f"{BASE}/versions", json={}, headers=seated["business"])) == {"sections"}


def test_an_uploaded_docx_is_read_into_sections_by_heading_or_kept_whole(client, seated):
    doc = Document()
    doc.add_heading("Serious case review: Child A", 0)
    doc.add_heading("Circumstances", 1)
    doc.add_paragraph("Child A was admitted to hospital.")
    doc.add_heading("Conclusion", 1)
    doc.add_paragraph("Practice was not effective.")
    doc.add_paragraph("Nor were the systems.")
    buf = io.BytesIO()
    doc.save(buf)
    made = client.post(
        f"{BASE}/versions/upload",
        data={"file": (io.BytesIO(buf.getvalue()), "report.docx")},
        headers=seated["business"],
        content_type="multipart/form-data",
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["sections"] == {
        "circumstances": "Child A was admitted to hospital.",
        "conclusion": "Practice was not effective.\nNor were the systems.",
    }
    assert made.get_json()["filename"] == "report.docx"

    plain = Document()
    plain.add_paragraph("One long text with no headings.")
    buf = io.BytesIO()
    plain.save(buf)
    whole = client.post(
        f"{BASE}/versions/upload",
        data={"file": (io.BytesIO(buf.getvalue()), "draft.docx")},
        headers=seated["business"],
        content_type="multipart/form-data",
    )
    assert whole.get_json()["sections"] == {"body": "One long text with no headings."}
    broken = client.post(
        f"{BASE}/versions/upload",
        data={"file": (io.BytesIO(b"not a document"), "x.docx")},
        headers=seated["business"],
        content_type="multipart/form-data",
    )
    assert fields(broken) == {"file"}


def test_the_panel_comments_and_the_quality_check_says_which_section_addresses_what(client, seated):
    save(client, seated["lead"], {**V1, "participation": "Practitioners came to the learning event."})
    made = client.post(
        f"{BASE}/versions/1/comments",
        json={"section": "conclusion", "text": "Say which systems."},
        headers=seated["panel"],
    )
    assert made.status_code == 201, made.get_json()
    assert fields(
        client.post(
            f"{BASE}/versions/1/comments", json={"section": "nope", "text": ""}, headers=seated["panel"]
        )
    ) == {"section", "text"}
    assert (
        client.post(f"{BASE}/versions/1/comments", json={"text": "x"}, headers=seated["chair"]).status_code
        == 403
    )
    assert (
        client.post(f"{BASE}/versions/7/comments", json={"text": "x"}, headers=seated["panel"]).status_code
        == 404
    )
    version = client.get(f"{BASE}/versions/1", headers=seated["business"]).get_json()
    assert [c["text"] for c in version["comments"]] == ["Say which systems."]

    checked = client.get(f"{BASE}/versions/1/quality", headers=seated["chair"]).get_json()
    points = {p["code"]: p for p in checked["points"]}
    assert points["conclusion"] == {**points["conclusion"], "status": "addressed", "sections": ["conclusion"]}
    # The participation section names practitioners but not the family.
    assert points["participation"]["status"] == "missing"
    assert points["participation"]["not_mentioned"] == ["family"]
    assert points["plain_english"]["status"] == "for_the_panel"
    assert (checked["addressed"], checked["of"]) == (7, 8)


def test_only_the_chair_signs_off_and_a_later_version_needs_a_new_sign_off(client, seated):
    save(client, seated["lead"], V1)
    body = {"version": 1, "signed_off_on": TODAY.isoformat()}
    assert client.post(f"{BASE}/sign-off", json=body, headers=seated["business"]).status_code == 403
    signed = client.post(f"{BASE}/sign-off", json=body, headers=seated["chair"])
    assert signed.status_code == 201, signed.get_json()
    assert client.post(f"{BASE}/sign-off", json=body, headers=seated["chair"]).status_code == 409
    assert client.get(BASE, headers=seated["business"]).get_json()["signed_off"]["version"] == 1

    save(client, seated["lead"], {**V1, "conclusion": "Changed after sign-off."})
    assert client.get(BASE, headers=seated["business"]).get_json()["signed_off"] is None
    old = client.post(f"{BASE}/sign-off", json=body, headers=seated["chair"])
    assert fields(old) == {"version"}
    assert fields(client.post(f"{BASE}/sign-off", json={"version": 0}, headers=seated["chair"])) == {
        "version",
        "signed_off_on",
    }
    again = client.post(f"{BASE}/sign-off", json={**body, "version": 2}, headers=seated["chair"])
    assert again.status_code == 201


def test_the_family_comments_only_on_what_was_shown_to_them_and_the_business_unit_reads_it(
    client, seated, family_user
):
    save(client, seated["lead"], V1)
    save(client, seated["lead"], {**V1, "conclusion": "Second draft."})
    shared = client.post(
        f"{BASE}/versions/1/shares", json={"email": "fay.family@example.org"}, headers=seated["business"]
    )
    assert shared.status_code == 201, shared.get_json()
    assert shared.get_json()["user_id"] == family_user.user_id
    assert fields(client.post(f"{BASE}/versions/1/shares", json={}, headers=seated["business"])) == {
        "user_id"
    }
    stranger = client.post(
        f"{BASE}/versions/1/shares", json={"email": LEAD_EMAIL}, headers=seated["business"]
    )
    assert fields(stranger) == {"email"}
    assert (
        client.post(
            f"{BASE}/versions/1/shares", json={"email": "a@b.org"}, headers=seated["panel"]
        ).status_code
        == 403
    )

    # The family reads the version in the documents service, page by page, never from this API.
    assert client.get(f"{BASE}/versions/1", headers=seated["fay"]).status_code == 403
    assert client.get(BASE, headers=seated["fay"]).status_code == 403

    said = client.post(
        f"{BASE}/versions/1/family-comments",
        json={"text": "My son's school is not mentioned."},
        headers=seated["fay"],
    )
    assert said.status_code == 201 and said.get_json()["family"] is True
    assert (
        client.post(
            f"{BASE}/versions/2/family-comments", json={"text": "x"}, headers=seated["fay"]
        ).status_code
        == 404
    )
    seen_by_unit = client.get(BASE, headers=seated["business"]).get_json()["comments"]
    assert [c["text"] for c in seen_by_unit] == ["My son's school is not mentioned."]
    assert client.get(BASE, headers=seated["panel"]).get_json()["comments"] == []


def test_another_boards_review_is_not_found_and_agency_staff_are_refused(client, seated):
    save(client, seated["lead"], V1)
    other = make_board(agencies=("police",))
    outsider = bearer(make_token(make_user("business_unit", board=other)))
    assert client.get(f"{BASE}/versions/1", headers=outsider).status_code == 404
    assert save(client, outsider, V1).status_code == 404
    assert client.get(f"{BASE}/versions", headers=seated["police"]).status_code == 403
    assert save(client, seated["reviewer"], V1).status_code == 403  # a lead reviewer not on this panel


def test_a_repeated_post_with_the_same_idempotency_key_saves_one_version(client, seated):
    headers = {**seated["business"], "Idempotency-Key": "version-once"}
    assert save(client, headers, V1).get_json()["version"] == 1
    assert save(client, headers, V1).get_json()["version"] == 1
    assert len(client.get(BASE, headers=seated["business"]).get_json()["versions"]) == 1


def test_saving_a_version_tells_the_documents_service_its_sections(service, client, seated):
    from services.reviews.adapters.report_store import ReportDocument

    save(client, seated["lead"], V1)
    doc = ReportDocument.objects(case_id="c1").first()
    kinds = [e.event_type for e in doc.outbox]
    assert kinds == ["report.version_saved"]
    assert doc.outbox[0].envelope["data"]["sections"] == V1
