# ruff: noqa: F811  (the browser fixture comes from pages_support, shared by the pages tests)
"""The contribution pages through Flask's test client: the business unit asks agencies for
contributions, the police write a chronology entry by entry and health import one from a CSV
file, each submits after a check page, the business unit returns one and accepts both, and the
merged chronology shows them in order; a report's sections are saved any few at a time. Every
error at once, 403 for each refused role, 404 for another board or another agency."""

from __future__ import annotations

import io

import pytest

from services.reviews.service_layer.unit_of_work import MongoUnitOfWork
from shared.audit import AuditEntry
from tests.factories import make_board

from .pages_support import browser, post, summary, text  # noqa: F401

BASE = "/reviews/c1"
ENTRY = {
    "date": ["14", "3", "2025"],
    "time": "10:15",
    "event": "Home visit",
    "source": "HV record",
    "changed_assessment": "yes",
    "pattern": "no",
}
CSV = (
    "date,time,event,source,significance,learning_point\n"
    "02/04/2025,,Police attended the address,Log 117,,\n"
    "2025-03-14,09:00,GP appointment missed,GP record,First missed,yes\n"
)


def contribution(agency: str):
    uow = MongoUnitOfWork()
    with uow:
        review = uow.reviews.get("c1")
        return next(c for c in review.contributions if c.agency == agency)


def ask(unit, agency: str, kind: str = "chronology", **more) -> str:
    done = post(unit, f"{BASE}/contributions/request", {"agency": agency, "kind": kind, **more})
    assert done.status_code == 302, text(done)[:2000]
    return contribution(agency).contribution_id


def test_asking_an_agency_shows_the_default_due_date_and_every_error(browser, review):
    unit = browser("business")
    page = text(unit.get(f"{BASE}/contributions/request"))
    assert "If you leave this empty, it is due on 23 March 2026" in page
    empty = post(
        unit, f"{BASE}/contributions/request", {"contact_email": "nope", "due_on": ["31", "2", "2026"]}
    )
    assert empty.status_code == 422
    assert summary(empty) == [
        ("#agency", "Select the agency"),
        ("#kind", "Select what the agency is asked for"),
        ("#due_on-day", "The due date must be a real date"),
        ("#contact_email", "Enter an email address like name@example.org"),
    ]
    early = post(
        unit,
        f"{BASE}/contributions/request",
        {"agency": "police", "kind": "chronology", "due_on": ["1", "1", "2026"]},
    )
    assert early.status_code == 422 and summary(early) == [
        ("#due_on-day", "The due date cannot be before the request")
    ]
    done = post(
        unit,
        f"{BASE}/contributions/request",
        {
            "agency": "police",
            "kind": "chronology",
            "contact_name": "Sam Officer",
            "contact_email": "sam@police.example.org",
        },
    )
    assert done.status_code == 302
    shown = text(unit.get(done.headers["Location"]))
    assert "We will email Sam Officer (sam@police.example.org) a link" in shown and "23 March 2026" in shown
    assert contribution("police").contact_email == "sam@police.example.org"
    for role in ("chair", "panel", "police"):
        assert browser(role).get(f"{BASE}/contributions/request").status_code == 403
    assert browser("business", make_board()).get(f"{BASE}/contributions/request").status_code == 404


def test_a_chronology_is_written_returned_resubmitted_accepted_and_merged(browser, review):
    unit = browser("business")
    police_id, health_id = ask(unit, "police"), ask(unit, "health")
    police = browser("police")
    page = f"{BASE}/contributions/{police_id}"
    assert "No entries yet" in text(police.get(page))
    # Another agency's contribution is not found; an agency outside the review and family members
    # are refused.
    assert browser("health").get(page).status_code == 404
    assert browser("education").get(page).status_code == 403
    assert browser("family").get(page).status_code == 403

    add = f"{page}/entries/add"
    empty = post(police, add, {"time": "25:00"})
    assert empty.status_code == 422
    assert [h for h, _ in summary(empty)] == ["#date-day", "#time", "#event", "#source"]
    future = post(police, add, {**ENTRY, "date": ["1", "1", "2027"]})
    assert future.status_code == 422 and summary(future) == [
        ("#date-day", "An event in a chronology cannot lie in the future")
    ]
    assert post(police, add, ENTRY).status_code == 302
    later = post(
        police, add, {**ENTRY, "date": ["1", "2", "2025"], "time": "", "event": "Arrest", "then": "later"}
    )
    assert later.status_code == 302 and later.headers["Location"] == "/home"
    assert post(police, add, {**ENTRY, "event": "Mistake"}).status_code == 302
    shown = text(police.get(page))
    assert shown.index("1 February 2025") < shown.index("14 March 2025")
    assert "Changed, or could have changed, the assessment of the child's situation: yes" in shown
    # Change the second entry, remove the third.
    changed = post(police, f"{page}/entries/2", {**ENTRY, "event": "Home visit, child seen"})
    assert changed.status_code == 302
    assert post(police, f"{page}/entries/3/remove").status_code == 302
    assert [e.event for e in contribution("police").entries] == ["Arrest", "Home visit, child seen"]
    assert police.get(f"{page}/entries/9").status_code == 404

    check = text(police.get(f"{page}/submit"))
    assert "2 entries" in check and "Home visit, child seen" in check
    assert post(police, f"{page}/submit").status_code == 302
    assert contribution("police").status == "submitted"
    frozen = post(police, f"{page}/entries/add", ENTRY)
    assert frozen.status_code == 409 and "cannot be changed" in text(frozen)

    # Health imports a CSV file: every bad row and column at once, then the good file.
    health = browser("health")
    hpage = f"{BASE}/contributions/{health_id}"
    imp = f"{hpage}/import"
    assert "date,time,event,source" in health.get(f"{hpage}/example.csv").get_data(as_text=True)
    bad = post(
        health,
        imp,
        {"file": (io.BytesIO(b"date,event,source\n31/02/2025,x,y\n2025-01-01,,z\n"), "c.csv")},
        page=imp,
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    messages = [m for _, m in summary(bad)]
    assert len(messages) == 2, messages
    assert messages[0].startswith("Row 2, column date: ") and messages[1].startswith("Row 3, column event: ")
    assert all(h == "#file" for h, _ in summary(bad))
    none = post(health, imp, {}, page=imp, content_type="multipart/form-data")
    assert summary(none) == [("#file", "Choose a CSV file to upload")]
    good = post(
        health,
        imp,
        {"file": (io.BytesIO(CSV.encode()), "c.csv")},
        page=imp,
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    assert "2 entries were imported from the file" in text(health.get(hpage))
    assert post(health, f"{hpage}/submit").status_code == 302

    # The police may not judge; the panel member on the panel may; the business unit returns one.
    assert police.post(f"{page}/accept").status_code == 403
    ret = f"{page}/return"
    nothing = post(unit, ret, {"comments": ""})
    assert nothing.status_code == 422 and summary(nothing) == [
        ("#comments", "Say what the agency should change")
    ]
    assert post(unit, ret, {"comments": "Add the 999 call of 3 March"}).status_code == 302
    assert "The review panel returned this for changes" in text(police.get(page))
    assert "Add the 999 call of 3 March" in text(police.get(page))
    assert post(police, f"{page}/submit").status_code == 302
    assert post(unit, f"{page}/accept", page=page).status_code == 302
    assert post(unit, f"{hpage}/accept", page=hpage).status_code == 302
    assert contribution("police").status == contribution("health").status == "accepted"

    merged = text(unit.get(f"{BASE}/chronology"))
    order = ["Arrest", "GP appointment missed", "Home visit, child seen", "Police attended the address"]
    assert [merged.index(e) for e in order] == sorted(merged.index(e) for e in order)
    assert 'href="/documents/cases/c1/generate"' in merged
    only = text(unit.get(f"{BASE}/chronology?agency=health"))
    assert "GP appointment missed" in only and "Arrest" not in only
    period = text(
        unit.get(
            f"{BASE}/chronology?period_from=1&period_from=3&period_from=2025"
            "&period_to=31&period_to=3&period_to=2025"
        )
    )
    assert "Arrest" not in period and "Home visit, child seen" in period and "Police attended" not in period
    backwards = unit.get(
        f"{BASE}/chronology?period_from=1&period_from=3&period_from=2025"
        "&period_to=1&period_to=1&period_to=2025"
    )
    assert backwards.status_code == 422 and summary(backwards) == [
        ("#period_to-day", "The period ends before it starts")
    ]
    for role in ("police", "family", "outsider"):
        assert browser(role).get(f"{BASE}/chronology").status_code == 403
    assert browser("business", make_board()).get(f"{BASE}/chronology").status_code == 404
    assert (
        AuditEntry.objects(action="contribution.write", resource_id=police_id, outcome="success").count() >= 6
    )


def test_a_report_is_saved_a_few_sections_at_a_time_and_submitted_when_complete(browser, review):
    unit = browser("business")
    saar = ask(unit, "police", "single_agency_analysis_report")
    police = browser("police")
    page = f"{BASE}/contributions/{saar}"
    form = text(police.get(page))
    assert "Key issues" in form and "Action plan" in form and "govuk-character-count" in form
    saved = post(police, page, {"introduction": "Who we are", "then": "later"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/home"
    assert contribution("police").sections == {"introduction": "Who we are"}
    cont = post(police, page, {"introduction": "Who we are", "facts": "What happened"})
    assert cont.headers["Location"].endswith("/submit")
    refused = post(police, f"{page}/submit")
    assert refused.status_code == 422
    assert len(summary(refused)) == 5  # the five sections still empty, each named
    assert contribution("police").status == "draft"
    long = post(police, page, {"introduction": "x" * 20_001})
    assert long.status_code == 422 and summary(long)[0][0] == "#introduction"


def test_a_single_agency_review_answers_the_six_questions(browser, review):
    unit = browser("business")
    sar = ask(unit, "health", "single_agency_review")
    health = browser("health")
    page = f"{BASE}/contributions/{sar}"
    form = text(health.get(page))
    assert "What went well with the case" in form and "Barriers to the intervention" in form
    answers = {
        k: "An answer"
        for k in (
            "went_well",
            "learned",
            "barriers",
            "more_effective",
            "policies_supported",
            "do_differently",
        )
    }
    assert post(health, page, answers).status_code == 302
    assert post(health, f"{page}/submit").status_code == 302
    assert contribution("health").status == "submitted"
    panel = browser("panel")
    assert panel.get(page).status_code == 403  # not on the panel yet


@pytest.mark.parametrize("role", ["chair", "panel", "reviewer", "family"])
def test_only_its_agency_or_the_business_unit_writes_a_contribution(browser, review, role):
    cid = ask(browser("business"), "police")
    client = browser(role)
    assert client.post(f"{BASE}/contributions/{cid}/entries/add", data=ENTRY).status_code == 403
    assert client.post(f"{BASE}/contributions/{cid}/import").status_code == 403
