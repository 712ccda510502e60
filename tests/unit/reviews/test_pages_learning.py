"""The learning pages (Flask's test client): a review's learning summary completed, shown and
changed with every field of the template, its learning products, the board's learning repository
searched by words, theme, kind and year with its exports, another board's unshared learning
never shown, the board's choice to share with its region; every error at once, 403 by role."""

from __future__ import annotations

import csv
import io
import re

from services.reviews.adapters import learning_index
from services.reviews.adapters.store import ReviewDocument
from services.reviews.domain.learning import TEXT_FIELDS
from tests.events import decision_changed, decision_recorded, referral_submitted
from tests.factories import make_board, make_user
from tests.unit.auth.conftest import sign_in
from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import audited, post, summary, text
from tests.unit.reviews.conftest import feed

# The shared fixtures of the reviews pages.
browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere
seated = conduct_pages.seated

PAGE = "/reviews/c1/learning-summary"
CHANGE = f"{PAGE}/change"
NEW_PRODUCT = "/reviews/c1/learning-products/new"

FORM = {
    "board_area": "Wirral",
    "completed_on": ["2", "3", "2026"],
    "review_type": "Serious case review, systems approach; independent chair and author",
    "incident_month": ["11", "2025"],
    "reference": "SCR-2026-07",
    "summary": "An infant's injuries after months of missed health appointments and unseen neglect",
    "case_learning": "Missed appointments were not followed up\nThe father's drinking was not asked about",
    "method_learning": "The learning event with practitioners worked well; it took seven months",
    "single_agency_recommendations": "Health visitors follow up two missed appointments",
    "multi_agency_recommendations": "Share concerns about neglect across agencies at the first sign",
    "changes": "The health lead revises the missed-appointment policy by June",
    "impact_audit": "A case-file audit of 40 families in a year",
    "other_comments": "",
    "themes": ["neglect", "substance_misuse"],
}

PRODUCT = {
    "kind": "seven_minute_briefing",
    "title": "Missed appointments",
    "on": ["20", "4", "2026"],
    "reach": "1,140",
    "agencies": ["health", "police"],
    "notes": "Sent to every GP practice",
}


def complete(client, case_id="c1", **overrides):
    resp = post(
        client,
        f"/reviews/{case_id}/learning-summary",
        {**FORM, **overrides},
        page=f"/reviews/{case_id}/learning-summary/change",
    )
    assert resp.status_code == 302, summary(resp)
    return resp


def results(resp) -> list[str]:
    """The references the repository page lists, in order."""
    found = re.findall(r'<h3 class="govuk-heading-s[^"]*">\s*(?:<a [^>]*>)?([^<]+)', text(resp))
    return [f.strip() for f in found]


# -- the learning summary -----------------------------------------------------------------------


def test_the_business_unit_completes_the_summary_and_it_is_stored_as_the_api_stores_it(review, browser):
    unit = browser("business")
    first = text(unit.get(PAGE))
    assert "The learning summary has not been completed yet." in first
    assert CHANGE in first and 'href="/reviews/c1"' in first and "Back to the review" in first
    form = text(unit.get(CHANGE))
    assert 'value="Test Partnership"' in form  # the board's name to start with
    assert 'data-maxlength="20000"' in form  # the character counts
    assert "Substance misuse" in form and "Multi-agency working" in form and "Suicide and self-harm" in form

    assert complete(unit).headers["Location"] == PAGE
    stored = unit.get("/api/v1/reviews/c1/learning-summary").get_json()  # the API, as the page saved it
    for name, value in FORM.items():
        if name not in ("completed_on", "incident_month"):
            assert stored[name] == value, name
    assert stored["completed_on"] == "2026-03-02" and stored["incident_month"] == "2025-11"
    assert stored["completed_by"] == "Business User" and stored["complete"] is True
    outbox = ReviewDocument.objects(case_id="c1").first().outbox
    assert outbox[-1].event_type == "learning_summary.completed"
    assert outbox[-1].envelope["data"]["themes"] == ["neglect", "substance_misuse"]
    assert audited(unit.user.user_id, "review.write") == 1

    shown = text(unit.get(PAGE))
    assert "The learning summary was saved." in shown
    assert "November 2025" in shown and "2 March 2026" in shown and "Neglect; Substance misuse" in shown
    assert '<p class="govuk-body">The father\'s drinking was not asked about</p>' in shown
    assert f"{CHANGE}#case_learning" in shown and f"{CHANGE}#incident_month-month" in shown
    assert 'href="/documents/cases/c1/generate"' in shown


def test_the_form_shows_what_was_saved_and_a_change_is_kept(review, browser):
    chair = browser("chair")
    complete(chair)
    form = text(chair.get(CHANGE))
    assert 'value="SCR-2026-07"' in form and 'id="incident_month-month" name="incident_month"' in form
    assert re.search(r'id="incident_month-month"[^>]*value="11"', form)
    assert re.search(r'value="neglect"[^>]*checked', form)
    assert not re.search(r'value="mental_health"[^>]*checked', form)
    assert "The learning event with practitioners worked well" in form
    complete(chair, themes=["mental_health"], incident_month=["Sept", "2025"], summary="A changed summary")
    stored = chair.get("/api/v1/reviews/c1/learning-summary").get_json()
    assert stored["themes"] == ["mental_health"] and stored["incident_month"] == "2025-09"
    assert stored["summary"] == "A changed summary"


def test_every_error_of_the_summary_is_shown_at_once_and_nothing_is_saved(review, browser):
    unit = browser("business")
    blank = {name: "" for name in FORM if name not in ("completed_on", "incident_month", "themes")}
    resp = post(
        unit, PAGE, {**blank, "completed_on": ["31", "2", "2026"], "incident_month": ["13", ""]}, page=CHANGE
    )
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#board_area", "Enter the board's area"),
        ("#completed_on-day", "The date the summary was completed must be a real date"),
        ("#review_type", f"Enter {TEXT_FIELDS['review_type']}"),
        ("#incident_month-year", "The month of the incident must include a year"),
        ("#summary", "Enter a short summary for the learning repository"),
        ("#case_learning", "Enter what you learnt about the case"),
        ("#method_learning", "Enter what you learnt about the review or methodology"),
        ("#single_agency_recommendations", "Enter the key single-agency recommendations"),
        ("#multi_agency_recommendations", "Enter the key multi-agency recommendations"),
        ("#changes", "Enter how you intend to make changes, and who is doing what"),
        ("#impact_audit", "Enter how you will audit the impact"),
        ("#themes", "Select at least one theme"),
    ]
    assert text(resp).count("govuk-error-message") == 12 and "<title>Error: " in text(resp)
    month = post(
        unit, PAGE, {**FORM, "incident_month": ["Smarch", "2025"], "reference": "x" * 501}, page=CHANGE
    )
    assert summary(month) == [
        ("#incident_month-month", "The month of the incident must be a real month, like 11 or November"),
        ("#reference", "Review reference must be 500 characters or fewer"),
    ]
    assert unit.get("/api/v1/reviews/c1/learning-summary").status_code == 404


def test_a_withdrawn_review_refuses_its_summary_and_products_on_the_page(review, browser, service, board):
    feed(service, decision_changed(board.board_id, outcome="no_review"))
    unit = browser("business")
    refused = post(unit, PAGE, FORM, page=CHANGE)
    assert refused.status_code == 409
    assert summary(refused) == [
        ("#main-content", "The decision no longer holds this review: it was withdrawn")
    ]
    assert 'value="Wirral"' in text(refused)  # what was entered is kept
    product = post(unit, NEW_PRODUCT, PRODUCT)
    assert product.status_code == 409 and "it was withdrawn" in text(product)


# -- learning products --------------------------------------------------------------------------


def test_a_learning_product_is_recorded_once_and_listed(review, browser):
    unit = browser("business")
    page = text(unit.get(NEW_PRODUCT))
    assert "Seven-minute briefing" in page and "Case-file audit" in page and "Practitioner forum" in page
    key = re.search(r'name="product_id" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    sent = post(unit, NEW_PRODUCT, {**PRODUCT, "product_id": key})
    assert sent.status_code == 302 and sent.headers["Location"] == f"{PAGE}#products"
    assert post(unit, NEW_PRODUCT, {**PRODUCT, "product_id": key}).status_code == 302  # sent twice
    stored = unit.get("/api/v1/reviews/c1/learning-products").get_json()["items"]
    assert len(stored) == 1
    assert {k: stored[0][k] for k in ("kind", "title", "date", "reach", "agencies", "notes")} == {
        "kind": "seven_minute_briefing",
        "title": "Missed appointments",
        "date": "2026-04-20",
        "reach": 1140,
        "agencies": ["health", "police"],
        "notes": "Sent to every GP practice",
    }
    assert stored[0]["recorded_by"] == "Business User" and audited(unit.user.user_id, "review.write") == 2
    listing = text(unit.get(PAGE))
    assert "Seven-minute briefing recorded: Missed appointments" in listing
    assert "20 April 2026" in listing and "1,140" in listing and "Health, Police" in listing


def test_every_error_of_a_learning_product_is_shown_at_once(review, browser):
    unit = browser("business")
    resp = post(unit, NEW_PRODUCT, {"kind": "poster", "title": " ", "on": ["", "4", "2026"], "reach": "-3"})
    assert resp.status_code == 422 and summary(resp) == [
        ("#kind", "Select what was made from the review"),
        ("#title", "Enter the title"),
        ("#on-day", "The date must include a day"),
        ("#reach", "How many people it reached must be a whole number, like 40"),
    ]
    empty = post(unit, NEW_PRODUCT, {**PRODUCT, "reach": "", "agencies": ["fire"]})
    assert summary(empty) == [
        ("#reach", "Enter how many people it reached"),
        ("#agencies", "Select agencies from the list"),
    ]
    assert unit.get("/api/v1/reviews/c1/learning-products").get_json()["items"] == []


# -- the learning repository ------------------------------------------------------------------


def _open(service, board_id: str, case_id: str) -> None:
    """A review of the case, opened by an SCR decision."""
    feed(service, referral_submitted(board_id, case_id=case_id), decision_recorded(board_id, case_id=case_id))


def test_the_repository_finds_a_summary_by_words_and_theme(review, browser, service, board):
    unit = browser("business")
    complete(unit)
    _open(service, board.board_id, "c3")
    complete(
        unit,
        "c3",
        reference="LR-2026-02",
        summary="Bruising in a non-mobile baby seen by three agencies",
        case_learning="The bruising protocol was not followed",
        single_agency_recommendations="Train on the bruising protocol",
        multi_agency_recommendations="Refer every bruised baby",
        changes="The protocol is relaunched",
        themes=["physical_abuse", "information_sharing"],
    )
    everything = unit.get("/learning")
    assert everything.status_code == 200 and sorted(results(everything)) == ["LR-2026-02", "SCR-2026-07"]
    assert "2 learning summaries found" in text(everything)
    paged = text(unit.get("/learning?per_page=1&page=2"))
    assert "Showing 2 to 2 of 2 learning summaries" in paged and "/learning?per_page=1&page=1" in paged

    by_word = unit.get("/learning?q=missed+APPOINTMENTS")
    shown = text(by_word)
    assert results(by_word) == ["SCR-2026-07"] and "1 learning summary found" in shown
    assert 'href="/reviews/c1/learning-summary"' in shown and "Serious case review." in shown
    assert "Review not finished yet." in shown and "completed 2 March 2026." in shown
    tags = re.findall(r'class="govuk-tag govuk-tag--blue[^"]*">\s*([^<]+?)\s*<', shown)
    assert tags == ["Neglect", "Substance misuse"]
    assert 'href="/api/v1/learning/export.csv?q=missed+APPOINTMENTS"' in shown
    assert 'href="/api/v1/learning/export.docx?q=missed+APPOINTMENTS"' in shown
    assert 'href="/api/v1/learning/annual-report.docx?year=2026"' in shown

    assert results(unit.get("/learning?theme=physical_abuse")) == ["LR-2026-02"]
    assert results(unit.get("/learning?q=bruising&theme=neglect")) == []
    assert "No learning summary matches the search." in text(unit.get("/learning?q=bicycle"))
    both = ["LR-2026-02", "SCR-2026-07"]
    assert sorted(results(unit.get("/learning?year=2026&kind=serious_case_review"))) == both
    assert results(unit.get("/learning?year=2025")) == []
    assert results(unit.get("/learning?kind=learning_review")) == []
    # The export the page links to answers the signed-in browser.
    exported = unit.get("/api/v1/learning/export.csv?theme=physical_abuse")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [r["Reference"] for r in rows] == ["LR-2026-02"]
    assert unit.get("/api/v1/learning/export.docx?q=bruising").status_code == 200


def test_a_wrong_search_shows_every_error_at_once(review, browser):
    unit = browser("business")
    resp = unit.get("/learning?theme=gossip&kind=inquiry&year=1999&agency=fire")
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#theme", "Select a theme from the list"),
        ("#kind", "Select a kind of review from the list"),
        ("#year", "The year must be a year between 2000 and 2100, like 2025"),
        ("#agency", "Select an agency from the list"),
    ]
    assert "learning summaries found" not in text(resp)


def _other_board(service):
    other = make_board(agencies=("police",))
    _open(service, other.board_id, "o1")
    user = make_user("business_unit", board=other, name="Other Business")
    client = service.app.test_client()
    assert sign_in(client, user.email).status_code == 302
    complete(client, "o1", reference="OTHER-1", summary="Neglect of a toddler in the other board")
    return client


def _share(client, region="North West", share="yes"):
    sent = post(client, "/learning/sharing", {"share": share, "region": region})
    assert sent.status_code == 302 and sent.headers["Location"] == "/learning/sharing/check", summary(sent)
    done = post(client, "/learning/sharing/check", {})
    assert done.status_code == 302
    return done


def test_another_boards_unshared_learning_never_appears(review, browser, service):
    unit = browser("business")
    complete(unit)
    other = _other_board(service)
    _share(unit)  # this board shares; the other does not
    assert results(unit.get("/learning?q=neglect")) == ["SCR-2026-07"]
    assert "OTHER-1" not in text(unit.get("/learning"))
    assert results(other.get("/learning?q=neglect")) == ["OTHER-1"]
    # Once both share, each finds the other's, without a link into the other board's review.
    _share(other)
    found = text(unit.get("/learning?q=neglect"))
    assert "OTHER-1" in found and "Shared by Test Partnership." in found
    assert 'href="/reviews/o1/learning-summary"' not in found
    assert unit.get("/reviews/o1/learning-summary").status_code == 404


# -- sharing with the region --------------------------------------------------------------------


def test_the_business_unit_opts_the_board_in_and_out_after_a_confirmation(review, browser, board):
    unit = browser("business")
    assert unit.get("/learning/sharing/check").headers["Location"] == "/learning/sharing"  # nothing chosen
    assert "The board does not share its learning summaries" in text(unit.get("/learning/sharing"))
    wrong = post(unit, "/learning/sharing", {"region": " "})
    assert wrong.status_code == 422
    assert summary(wrong) == [
        ("#share", "Select whether the board shares its learning summaries"),
        ("#region", "Enter the name of the board's region"),
    ]
    post(unit, "/learning/sharing", {"share": "yes", "region": "North West"})
    check = text(unit.get("/learning/sharing/check"))
    assert "North West" in check and "Confirm and share" in check
    assert learning_index.visible_boards(board.board_id) == [board.board_id]  # nothing changed yet
    assert learning_index.LearningSharingDocument.objects(board_id=board.board_id).first() is None
    done = post(unit, "/learning/sharing/check", {})
    assert done.headers["Location"] == "/learning/sharing"
    shown = text(unit.get("/learning/sharing"))
    assert "The board shares its learning summaries with the boards of North West" in shown
    kept = learning_index.LearningSharingDocument.objects(board_id=board.board_id).first()
    assert kept.region == "North West" and kept.share is True
    assert audited(unit.user.user_id, "learning.sharing") == 1
    again = text(unit.get("/learning/sharing"))
    assert 'value="North West"' in again and re.search(r'value="yes"[^>]*checked', again)

    _share(unit, share="no")
    assert learning_index.LearningSharingDocument.objects(board_id=board.board_id).first().share is False
    assert "The board no longer shares its learning summaries" in text(unit.get("/learning/sharing"))


# -- who may do what ----------------------------------------------------------------------------


def test_agency_staff_and_family_members_are_refused_every_learning_page(review, browser, board):
    for who in ("police", "health", "family"):
        client = browser(who)
        for path in (PAGE, CHANGE, NEW_PRODUCT, "/learning", "/learning/sharing", "/learning/sharing/check"):
            assert client.get(path).status_code == 403, (who, path)
        refused = client.get("/learning")  # the refusal page carries the session's CSRF token
        token = re.search(r'name="lscb-csrf-token" content="([^"]+)"', text(refused)).group(1)
        for path, data in (
            (PAGE, FORM),
            (NEW_PRODUCT, PRODUCT),
            ("/learning/sharing", {"share": "yes", "region": "North West"}),
            ("/learning/sharing/check", {}),
        ):
            sent = client.post(path, data={"csrf_token": token, **data})
            assert sent.status_code == 403 and "You do not have permission" in text(sent), (who, path)
    assert browser("business").get("/api/v1/reviews/c1/learning-summary").status_code == 404
    assert learning_index.LearningSharingDocument.objects(board_id=board.board_id).first() is None


def test_only_the_business_unit_admins_and_the_chair_change_learning(review, browser):
    complete(browser("business"))
    for who in ("panel", "reviewer"):
        client = browser(who)
        for path in (CHANGE, NEW_PRODUCT, "/learning/sharing"):
            assert client.get(path).status_code == 403, (who, path)
        assert client.get("/learning").status_code == 200
    assert browser("admin").get(CHANGE).status_code == 200
    assert browser("chair").get("/learning/sharing").status_code == 200


def test_a_panel_member_reads_the_summary_of_a_review_they_sit_on_only(seated, browser):
    complete(browser("business"))
    member, outsider = browser("panel"), browser("outsider")
    shown = text(member.get(PAGE))
    assert "Missed appointments were not followed up" in shown and CHANGE not in shown
    assert "Record a learning product" not in shown and "/documents/cases/c1/generate" not in shown
    assert 'href="/reviews/c1/learning-summary"' in text(member.get("/learning"))
    assert outsider.get(PAGE).status_code == 403
    found = outsider.get("/learning")
    assert results(found) == ["SCR-2026-07"] and 'href="/reviews/c1/learning-summary"' not in text(found)


def test_another_boards_review_is_not_found(browser, elsewhere):
    unit = browser("business")
    assert unit.get(f"/reviews/{elsewhere}/learning-summary").status_code == 404
    assert unit.get(f"/reviews/{elsewhere}/learning-summary/change").status_code == 404
    assert (
        post(unit, f"/reviews/{elsewhere}/learning-summary", FORM, page="/learning/sharing").status_code
        == 404
    )
