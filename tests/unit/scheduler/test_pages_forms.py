"""The scheduler's forms in the browser (Flask's test client): waiving a deadline after a
confirmation, planning the review's timetable, changing a stage's date and marking it done.
Every error of a form at once; a 403 for the roles the API refuses."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from services.scheduler.adapters.store import Schedule
from shared.audit import AuditEntry
from shared.framework import today_in_england
from tests.factories import make_user
from tests.unit.auth.conftest import csrf_from, sign_in
from tests.unit.scheduler.events import referral_submitted

TODAY = today_in_england()
INCIDENT = TODAY - timedelta(days=40)


@pytest.fixture
def referred(service, board):
    service.extras["bus"].handle(
        referral_submitted(
            board.board_id,
            incident=INCIDENT,
            aware=INCIDENT + timedelta(days=1),
            notified=INCIDENT + timedelta(days=2),
        )
    )


@pytest.fixture
def browser(service, board):
    def make(*roles):
        user = make_user(*roles, board=board)
        client = service.app.test_client()
        assert sign_in(client, user.email).status_code == 302
        client.user = user
        return client

    return make


def parts(d) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def summary(resp) -> list[tuple[str, str]]:
    box = re.search(r'class="govuk-error-summary".*?</ul>', text(resp), re.S)
    found = re.findall(r'<a href="([^"]+)">(.*?)</a>', box.group(0), re.S) if box else []
    return [(h, m.strip()) for h, m in found]


def post(client, path: str, data: dict, page: str | None = None):
    token = csrf_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def open_deadline() -> str:
    schedule = Schedule.objects.get(case_id="c1")
    return next(d.deadline_id for d in schedule.deadlines if d.met_on is None and d.waived_at is None)


# -- waiving a deadline --------------------------------------------------------------------------


def test_a_deadline_is_waived_only_after_the_confirmation(browser, referred):
    unit = browser("business_unit")
    deadline_id = open_deadline()
    page = text(unit.get("/schedule/cases/c1"))
    url = f"/schedule/cases/c1/deadlines/{deadline_id}/waive"
    assert f'href="{url}"' in page
    form = text(unit.get(url))
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in form
    assert not re.search(r"\d{4}-\d{2}-\d{2}", form)  # dates in words

    confirm = post(unit, url, {"reason": "The child's family moved abroad; the board agreed."})
    assert confirm.status_code == 200
    assert "Are you sure you want to waive this deadline?" in text(confirm)
    assert Schedule.objects.get(case_id="c1").deadline(deadline_id).waived_at is None

    # Back to change the reason, then confirmed.
    back = post(unit, url, {"reason": "First reason", "confirmed": "yes", "action": "change"})
    assert "Waive a deadline" in text(back) and "First reason" in text(back)
    done = post(unit, url, {"reason": "The board agreed.", "confirmed": "yes", "action": "confirm"})
    assert done.status_code == 302 and done.headers["Location"] == "/schedule/cases/c1"
    record = Schedule.objects.get(case_id="c1").deadline(deadline_id)
    assert record.waived_reason == "The board agreed." and record.waived_by == unit.user.user_id
    shown = text(unit.get("/schedule/cases/c1"))
    assert "Deadline waived" in shown and "Waived: The board agreed." in shown
    assert AuditEntry.objects(action="case.write", resource_id=deadline_id).count() == 3


def test_waiving_needs_a_reason_and_says_so(browser, referred):
    unit = browser("business_unit")
    url = f"/schedule/cases/c1/deadlines/{open_deadline()}/waive"
    empty = post(unit, url, {"reason": "  "})
    assert empty.status_code == 422 and summary(empty) == [("#reason", "Enter why the deadline is waived")]
    long = post(unit, url, {"reason": "x" * 2001})
    assert summary(long) == [("#reason", "The reason must be 2,000 characters or fewer")]


def test_only_the_business_unit_the_chair_or_an_admin_waives_a_deadline(browser, referred):
    deadline_id = open_deadline()
    url = f"/schedule/cases/c1/deadlines/{deadline_id}/waive"
    for role in ("panel_member", "lead_reviewer"):
        who = browser(role)
        assert who.get(url).status_code == 403
        resp = post(who, url, {"reason": "r", "confirmed": "yes", "action": "confirm"}, page="/account")
        assert resp.status_code == 403
        assert "Waive<" not in text(who.get("/schedule/cases/c1"))
    assert Schedule.objects.get(case_id="c1").deadline(deadline_id).waived_at is None


# -- the timetable -------------------------------------------------------------------------------


def test_the_business_unit_plans_the_timetable_then_moves_a_stage_and_marks_it_done(browser, referred):
    unit = browser("business_unit")
    assert 'href="/schedule/cases/c1/plan"' in text(unit.get("/schedule/cases/c1"))
    start = TODAY - timedelta(days=5)
    planned = post(
        unit,
        "/schedule/cases/c1/plan",
        {
            "template": "below_threshold_seven_weeks",
            "start_on": parts(start),
            "review_period_start": parts(INCIDENT - timedelta(days=300)),
        },
    )
    assert planned.status_code == 302
    page = text(unit.get("/schedule/cases/c1"))
    assert "Timetable planned" in page
    code = re.search(r'href="/schedule/cases/c1/stages/([a-z_0-9]+)/replan"', page).group(1)
    # The plan page now leads back: a case has one timetable.
    assert unit.get("/schedule/cases/c1/plan").status_code == 302

    later = TODAY + timedelta(days=60)
    moved = post(
        unit,
        f"/schedule/cases/c1/stages/{code}/replan",
        {"planned_on": parts(later), "reason": "The police chronology is late"},
    )
    assert moved.status_code == 302
    page = text(unit.get("/schedule/cases/c1"))
    assert f"{later.day} {later:%B %Y}" in page

    done = post(unit, f"/schedule/cases/c1/stages/{code}/done", {"done_on": parts(TODAY)})
    assert done.status_code == 302
    assert f"Done on {TODAY.day} {TODAY:%B %Y}" in text(unit.get("/schedule/cases/c1"))


def test_the_plan_form_names_every_problem_at_once(browser, referred):
    unit = browser("business_unit")
    resp = post(
        unit,
        "/schedule/cases/c1/plan",
        {
            "start_on": ["", "", ""],
            "review_period_start": ["31", "2", "2026"],
            "exceptional_reason": "x" * 2001,
        },
    )
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#template", "Select the timetable the review follows"),
        ("#start_on-day", "Enter the date the review starts"),
        ("#review_period_start-day", "The start of the period under review must be a real date"),
        ("#exceptional_reason", "The reason must be 2,000 characters or fewer"),
    ]


def test_the_domain_refuses_a_period_under_review_after_the_incident_on_the_page(browser, referred):
    unit = browser("business_unit")
    resp = post(
        unit,
        "/schedule/cases/c1/plan",
        {
            "template": "below_threshold_seven_weeks",
            "start_on": parts(TODAY),
            "review_period_start": parts(INCIDENT + timedelta(days=1)),
        },
    )
    assert resp.status_code in (409, 422)
    assert [h for h, _ in summary(resp)] == ["#review_period_start-day"]


def test_a_stage_change_names_every_problem_at_once(browser, referred):
    unit = browser("business_unit")
    post(
        unit,
        "/schedule/cases/c1/plan",
        {
            "template": "below_threshold_seven_weeks",
            "start_on": parts(TODAY),
            "review_period_start": parts(INCIDENT - timedelta(days=30)),
        },
    )
    code = re.search(r"/stages/([a-z_0-9]+)/replan", text(unit.get("/schedule/cases/c1"))).group(1)
    resp = post(unit, f"/schedule/cases/c1/stages/{code}/replan", {"planned_on": ["1", "", ""], "reason": ""})
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#planned_on-month", "The new date must include a month and year"),
        ("#reason", "Enter why the date changes"),
    ]


def test_only_the_business_unit_or_an_admin_plans_the_timetable(browser, referred):
    for role in ("chair", "panel_member"):
        who = browser(role)
        assert who.get("/schedule/cases/c1/plan").status_code == 403
        data = {"template": "below_threshold_seven_weeks", "start_on": parts(TODAY)}
        assert post(who, "/schedule/cases/c1/plan", data, page="/account").status_code == 403
        assert 'href="/schedule/cases/c1/plan"' not in text(who.get("/schedule/cases/c1"))


def test_the_review_is_held_for_a_parallel_process_and_the_hold_ended(browser, referred):
    unit = browser("business_unit")
    post(
        unit,
        "/schedule/cases/c1/plan",
        {
            "template": "below_threshold_seven_weeks",
            "start_on": parts(TODAY - timedelta(days=3)),
            "review_period_start": parts(INCIDENT - timedelta(days=30)),
        },
    )
    assert 'href="/schedule/cases/c1/pauses"' in text(unit.get("/schedule/cases/c1"))
    wrong = post(unit, "/schedule/cases/c1/pauses", {"paused_on": ["", "", ""], "scope": "everything"})
    assert wrong.status_code == 422
    assert summary(wrong) == [
        ("#held_by", "Select the process that holds the review"),
        ("#paused_on-day", "Enter the date the hold starts"),
        ("#scope", "Select what the process holds"),
    ]
    held = post(
        unit,
        "/schedule/cases/c1/pauses",
        {"held_by": "inquest", "paused_on": parts(TODAY), "scope": "review", "note": "Inquest opens in May"},
    )
    assert held.status_code == 302
    page = text(unit.get("/schedule/cases/c1"))
    assert "The review is held for the coroner's inquest" in page
    assert f"The coroner's inquest, since {TODAY.day} {TODAY:%B %Y}" in page
    # It holds the review once: no longer offered.
    assert 'value="inquest"' not in text(unit.get("/schedule/cases/c1/pauses"))

    resume_url = "/schedule/cases/c1/pauses/inquest/resume"
    assert f'href="{resume_url}"' in page
    early = post(unit, resume_url, {"resumed_on": ["", "13", "2026"]})
    assert early.status_code == 422 and summary(early) == [
        ("#resumed_on-day", "The date the hold ended must include a day")
    ]
    ended = post(unit, resume_url, {"resumed_on": parts(TODAY)})
    assert ended.status_code == 302
    assert "has ended" in text(unit.get("/schedule/cases/c1"))
    assert unit.get(resume_url).status_code == 404  # nothing holds it now


def test_only_the_business_unit_or_an_admin_holds_the_review(browser, referred):
    chair = browser("chair")
    assert chair.get("/schedule/cases/c1/pauses").status_code == 403
    data = {"held_by": "inquest", "paused_on": parts(TODAY)}
    assert post(chair, "/schedule/cases/c1/pauses", data, page="/account").status_code == 403
    assert post(chair, "/schedule/cases/c1/pauses/inquest/resume", {}, page="/account").status_code == 403


def test_a_calendar_link_is_made_shown_once_and_stopped(browser, referred, service):
    reviewer = browser("lead_reviewer")
    made = post(reviewer, "/schedule/cases/c1/calendar", {}, page="/schedule/cases/c1")
    assert made.status_code == 200
    page = text(made)
    link = re.search(r'<code class="app-secret">(http[^<]+)</code>', page).group(1)
    assert service.app.test_client().get(link.replace("http://localhost", "")).status_code == 200
    action = re.search(r'action="(/schedule/cases/c1/calendar-feeds/[^"]+/revoke)"', page).group(1)
    stopped = post(reviewer, action, {}, page="/schedule/cases/c1")
    assert stopped.status_code == 302
    assert "The calendar link no longer works" in text(reviewer.get("/schedule/cases/c1"))
    assert service.app.test_client().get(link.replace("http://localhost", "")).status_code == 404


def test_a_calendar_link_is_for_the_boards_staff_only(browser, referred):
    family = browser("family_viewer")
    assert post(family, "/schedule/cases/c1/calendar", {}, page="/account").status_code == 403


def test_a_calendar_link_for_the_whole_board(browser, referred, service):
    unit = browser("business_unit")
    made = post(unit, "/schedule/calendar", {}, page="/schedule")
    assert made.status_code == 200 and "the board's open deadlines" in text(made)
    link = re.search(r'<code class="app-secret">(http[^<]+)</code>', text(made)).group(1)
    assert service.app.test_client().get(link.replace("http://localhost", "")).status_code == 200
    action = re.search(r'action="(/schedule/calendar-feeds/[^"]+/revoke)"', text(made)).group(1)
    stopped = post(unit, action, {}, page="/schedule")
    assert stopped.status_code == 302 and stopped.headers["Location"] == "/schedule"
    assert "The calendar link no longer works" in text(unit.get("/schedule"))
