"""The final report's pages (Flask's test client): the report's page, writing and uploading a
version, a version with its comments and quality check, and comparing two versions; every error
of a form at once. Showing a version to the family, the sign-off, the family's comment and who
may open what are in :mod:`.test_pages_report_family`."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from shared.audit import AuditEntry
from tests.factories import bearer, make_token
from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import post, summary, text

from .test_report_api import V1

browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere
seated = conduct_pages.seated

BASE = "/reviews/c1/report"
API = "/api/v1/reviews/c1/report"


def api(client, who, path: str = ""):
    """The report as the JSON API answers ``who`` (a signed-in browser's user)."""
    resp = client.get(f"{API}{path}", headers=bearer(make_token(who.user)))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def write(client, sections):
    return post(client, f"{BASE}/write", sections)


def docx(*paragraphs: tuple[str, str]) -> bytes:
    doc = Document()
    for style, words in paragraphs:
        if style == "heading":
            doc.add_heading(words, 1)
        else:
            doc.add_paragraph(words)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def upload(client, data: bytes | None, filename: str = "report.docx"):
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(f"{BASE}/upload").text)
    form = {"csrf_token": token.group(1) if token else ""}
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.post(f"{BASE}/upload", data=form, content_type="multipart/form-data")


@pytest.fixture
def unit(seated, browser):
    return browser("business")


@pytest.fixture
def two_versions(client, unit):
    assert write(unit, V1).status_code == 302
    changed = {**V1, "conclusion": "Practice was not effective.\nThe systems did not help practitioners."}
    assert write(unit, changed).status_code == 302
    return unit


# -- the report's page ---------------------------------------------------------------------------


def test_the_report_page_says_when_no_version_is_saved_and_offers_the_ways_to_write_one(unit, browser):
    page = text(unit.get(BASE))
    assert "No version saved yet." in page
    assert 'href="/reviews/c1"' in page and "Back to the review" in page
    assert 'aria-label="Pages of this case"' in page  # the case tabs
    assert f"{BASE}/write" in page and f"{BASE}/upload" in page
    assert f"{BASE}/share" not in page and f"{BASE}/sign-off" not in page  # nothing to show or sign
    chair = text(browser("chair").get(BASE))
    assert "No version saved yet." in chair and f"{BASE}/write" not in chair
    assert "No version saved yet." in text(unit.get(f"{BASE}/compare"))


def test_the_report_page_lists_versions_sign_off_shares_by_name_and_comments(client, two_versions, browser):
    family = browser("family")
    post(two_versions, f"{BASE}/share", {"version": "1", "user_id": family.user.user_id})
    post(two_versions, f"{BASE}/share/check", {})
    page = text(two_versions.get(BASE))
    assert "Version 2" in page and "2 March 2026" in page and "Business User" in page
    assert "Written in the browser" in page and "Not signed off yet" in page and "No comments yet" in page
    assert f"{BASE}/versions/1" in page and f"{BASE}/compare" in page
    shares = page.split("Shown to the family")[1]
    assert "Family User" in shares and family.user.user_id not in shares
    # The panel sees no shares; the Chair is offered the sign-off.
    panel = text(browser("panel").get(BASE))
    assert "Shown to the family" not in panel and "Family User" not in panel
    assert f"{BASE}/sign-off" in text(browser("chair").get(BASE))


# -- writing and uploading ---------------------------------------------------------------------


def test_a_version_written_in_the_browser_is_saved_as_the_api_saves_it(client, unit):
    form = text(unit.get(f"{BASE}/write"))
    assert form.count("govuk-character-count") >= 8 and 'maxlength="100000"' in form
    assert (
        "Circumstances that led to the review" in form and "Recommendations and practice challenges" in form
    )
    made = write(unit, V1)
    assert made.status_code == 302 and made.headers["Location"] == f"{BASE}/versions/1"
    assert "Version 1 saved" in text(unit.get(f"{BASE}/versions/1"))
    assert api(client, unit, "/versions/1")["sections"] == V1
    # The next version starts from the latest one's text.
    again = text(unit.get(f"{BASE}/write"))
    assert V1["conclusion"] in again and "makes version 2" in again
    assert write(unit, {**V1, "good_practice": ""}).headers["Location"] == f"{BASE}/versions/2"
    assert "good_practice" not in api(client, unit, "/versions/2")["sections"]
    assert AuditEntry.objects(actor_id=unit.user.user_id, action="review.write").count() == 2


def test_every_problem_with_a_written_version_is_named_at_once(unit):
    empty = write(unit, {k: "  " for k in V1})
    assert empty.status_code == 422
    assert summary(empty) == [("#circumstances", "Write at least one section of the report")]
    long = "x" * 100_001
    too_long = write(unit, {**V1, "good_practice": long, "conclusion": long})
    assert too_long.status_code == 422
    assert summary(too_long) == [
        ("#good_practice", "Keep this section under 100,000 characters"),
        ("#conclusion", "Keep this section under 100,000 characters"),
    ]


def test_an_uploaded_word_document_becomes_a_version(client, unit):
    page = text(unit.get(f"{BASE}/upload"))
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    data = docx(
        ("heading", "Circumstances"),
        ("text", "Child A was admitted."),
        ("heading", "Conclusion"),
        ("text", "Not effective."),
    )
    made = upload(unit, data, "final.docx")
    assert made.status_code == 302 and made.headers["Location"] == f"{BASE}/versions/1"
    assert "Version 1 saved from final.docx" in text(unit.get(f"{BASE}/versions/1"))
    stored = api(client, unit, "/versions/1")
    assert stored["sections"] == {"circumstances": "Child A was admitted.", "conclusion": "Not effective."}
    assert stored["filename"] == "final.docx"
    assert "final.docx" in text(unit.get(BASE))


def test_a_document_read_whole_stays_editable_in_the_next_version(client, unit):
    upload(unit, docx(("text", "One long text with no headings.")), "draft.docx")
    page = text(unit.get(f"{BASE}/write"))
    assert 'name="body"' in page and "One long text with no headings." in page
    assert "The report as uploaded (its headings named no section)" in page
    made = write(unit, {"body": "One long text, now edited.", "conclusion": "A conclusion at last."})
    assert made.headers["Location"] == f"{BASE}/versions/2"
    assert api(client, unit, "/versions/2")["sections"] == {
        "body": "One long text, now edited.",
        "conclusion": "A conclusion at last.",
    }


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (None, "", "Select a Word document (.docx) to upload"),
        (b"just words", "notes.txt", "The selected file must be a Word document (.docx)"),
        (b"not really a document", "report.docx", "Choose a Word document (.docx)"),
    ],
)
def test_an_upload_that_is_missing_or_not_a_word_document_is_refused(client, unit, data, filename, message):
    resp = upload(unit, data, filename)
    assert resp.status_code == 422
    assert summary(resp) == [("#file", message)]
    assert "govuk-file-upload--error" in text(resp) or "govuk-form-group--error" in text(resp)
    assert client.get(API, headers=bearer(make_token(unit.user))).status_code == 404  # nothing saved


# -- a version: comments and the quality check ----------------------------------------------------


def test_the_version_page_shows_sections_the_quality_check_and_the_panels_comments(client, unit, browser):
    write(unit, {**V1, "participation": "Practitioners came to the learning event."})
    panel = browser("panel")
    page = text(panel.get(f"{BASE}/versions/1"))
    assert V1["circumstances"] in page and "Findings: good practice" in page
    assert "Quality check: 7 of 8 points addressed" in page
    assert "How practitioners and the family took part and were heard" in page
    assert "Does not mention: family" in page and "For the panel to judge" in page
    assert 'name="text"' in page and "The whole version" in page

    said = post(
        panel,
        f"{BASE}/versions/1/comments",
        {"section": "conclusion", "text": "Say which systems."},
        page=f"{BASE}/versions/1",
    )
    assert said.status_code == 302 and said.headers["Location"] == f"{BASE}/versions/1#comments"
    shown = text(panel.get(f"{BASE}/versions/1"))
    assert "Your comment has been added" in shown
    conclusion = shown.split('id="section-conclusion"')[1]
    assert "Say which systems." in conclusion.split("Comments on the whole version")[0]
    [stored] = api(client, unit, "/versions/1")["comments"]
    assert (stored["section"], stored["text"], stored["family"]) == (
        "conclusion",
        "Say which systems.",
        False,
    )


def test_every_problem_with_a_comment_is_named_at_once(unit, browser):
    write(unit, {"conclusion": "Only this section."})
    panel = browser("panel")
    bad = post(
        panel,
        f"{BASE}/versions/1/comments",
        {"section": "good_practice", "text": " "},
        page=f"{BASE}/versions/1",
    )
    assert bad.status_code == 422
    assert summary(bad) == [("#section", "Select a section of this version"), ("#text", "Enter your comment")]
    long = post(
        panel, f"{BASE}/versions/1/comments", {"section": "", "text": "x" * 5001}, page=f"{BASE}/versions/1"
    )
    assert summary(long) == [("#text", "Comment must be 5,000 characters or fewer")]


def test_the_chair_reads_versions_but_does_not_comment(unit, browser):
    write(unit, V1)
    chair = browser("chair")
    page = text(chair.get(f"{BASE}/versions/1"))
    assert V1["conclusion"] in page and 'name="text"' not in page
    assert (
        post(chair, f"{BASE}/versions/1/comments", {"text": "x"}, page=f"{BASE}/sign-off").status_code == 403
    )
    assert unit.get(f"{BASE}/versions/9").status_code == 404


# -- comparing --------------------------------------------------------------------------------


def test_two_versions_are_compared_side_by_side_with_the_changed_sections_marked(two_versions, browser):
    panel = browser("panel")
    form = text(panel.get(f"{BASE}/compare"))
    assert 'name="from_version"' in form and 'name="to_version"' in form and "Version 2" in form
    page = text(panel.get(f"{BASE}/compare?from_version=1&to_version=2"))
    assert "1 of 8 sections changed." in page
    conclusion = page.split('id="compare-conclusion"')[1].split("</section>")[0]
    assert "Changed" in conclusion and conclusion.count("govuk-grid-column-one-half") == 2
    hidden = '<span class="govuk-visually-hidden">'
    assert f"<del>{hidden}Removed or changed: </span>{V1['conclusion']}</del>" in conclusion
    assert (
        f"<ins>{hidden}Added or changed: </span>The systems did not help practitioners.</ins>" in conclusion
    )
    circumstances = page.split('id="compare-circumstances"')[1].split("</section>")[0]
    assert "Not changed" in circumstances and "govuk-grid-column" not in circumstances


def test_every_problem_with_the_versions_to_compare_is_named_at_once(two_versions):
    none = two_versions.get(f"{BASE}/compare?from_version=&to_version=")
    assert none.status_code == 422
    assert summary(none) == [
        ("#from_version", "Select the version to compare from"),
        ("#to_version", "Select the version to compare with"),
    ]
    same = two_versions.get(f"{BASE}/compare?from_version=2&to_version=2")
    assert summary(same) == [("#to_version", "Select a different version to compare with")]
    unknown = two_versions.get(f"{BASE}/compare?from_version=7&to_version=8")
    assert [m for _, m in summary(unknown)] == [
        "Select the version to compare from",
        "Select the version to compare with",
    ]
