"""The referral service's pages, driven as a browser would: sign in, read each page's CSRF
token, post the form to its action, follow the redirect.

The referral journey (one question per page, kept in a draft until it is sent), the case
list, the case page and the Chair's decision.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from services.referral.adapters.store import Case, Draft
from services.referral.bootstrap import messagebus
from services.referral.domain.screening import RULE_PACKS, Facts, screen
from services.referral.entrypoints import forms
from services.referral.service_layer.deadlines import apply_deadline_event
from services.referral.service_layer.messages import RecordDecision, SubmitReferral
from services.referral.service_layer.unit_of_work import MongoUnitOfWork
from shared.audit import AuditEntry
from shared.auth.models import Agency
from shared.auth.principal import Principal
from shared.events import new_envelope, parse_envelope
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.framework import today_in_england as today
from tests.factories import DEMO_AGENCIES, make_board
from tests.unit.auth.conftest import csrf_from
from tests.unit.referral.conftest import Browser
from tests.unit.referral.test_handlers import INDEPENDENT


def text(resp) -> str:
    """A page's text with the HTML entities read, as a user would see the words."""
    return html.unescape(resp.get_data(as_text=True))


def error_summary(body: str) -> list[tuple[str, str]]:
    """(href, message) of each entry in the GOV.UK error summary."""
    summary = re.search(r'class="govuk-error-summary".*?</ul>', body, re.S)
    if not summary:
        return []
    return [
        (html.unescape(h), html.unescape(m).strip())
        for h, m in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary.group(0), re.S)
    ]


def inline_errors(body: str) -> list[str]:
    return [
        html.unescape(m).strip()
        for m in re.findall(
            r'class="govuk-error-message">\s*'
            r'<span class="govuk-visually-hidden">Error:</span>(.*?)</p>',
            body,
            re.S,
        )
    ]


def date_parts(d) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


INCIDENT = today() - timedelta(days=10)
AWARE = today() - timedelta(days=9)
BORN_16 = INCIDENT.replace(year=INCIDENT.year - 17) + timedelta(days=30)  # 16 at the incident

# The pages of a referral where the child died under a deprivation of liberty order, aged 16.
DIED_JOURNEY = [
    ("what-happened", {"what_happened": "died"}),
    ("suspected-suicide", {"suspected_suicide": "no"}),
    ("custody", {"custody_setting": "none"}),
    ("mental-health-act", {"detained_mental_health_act": "no"}),
    ("deprivation-of-liberty", {"deprivation_of_liberty_order": "yes"}),
    ("child-age", {"child_age": "16"}),
    ("looked-after", {"looked_after": "yes"}),
    ("regulated-setting", {"regulated_setting": "none"}),
    ("abuse-or-neglect", {"abuse_or_neglect": "not_suspected"}),
    ("working-together", {"interagency_concern": "no"}),
    ("dates", {"incident_on": date_parts(INCIDENT), "became_aware_on": date_parts(AWARE)}),
    ("agencies", {"agencies_involved": ["police", "health"]}),
    ("where-the-child-lives", {"child_lives_in_area": "yes"}),
    (
        "referrer",
        {
            "referrer_name": "Priya Shah",
            "referrer_agency": "police",
            "referrer_email": "priya@police.example.org",
        },
    ),
    ("summary", {"summary": "Found unresponsive in a secure unit; police and health involved."}),
    (
        "child",
        {
            "child_name": "Jane Doe",
            "child_date_of_birth": date_parts(BORN_16),
            "child_address": "1 High Street, Wirral",
            "child_nhs_number": "943 476 5919",
        },
    ),
]
HARMED_JOURNEY = [
    ("what-happened", {"what_happened": "seriously_harmed"}),
    ("custody", {"custody_setting": "none"}),
    ("mental-health-act", {"detained_mental_health_act": "no"}),
    ("deprivation-of-liberty", {"deprivation_of_liberty_order": "no"}),
    ("looked-after", {"looked_after": "no"}),
    ("regulated-setting", {"regulated_setting": "childminder"}),
    ("abuse-or-neglect", {"abuse_or_neglect": "suspected"}),
    ("working-together", {"interagency_concern": "unclear"}),
    *DIED_JOURNEY[10:15],
    ("child", {}),
]


def walk(b: Browser, journey, **replace) -> str:
    """Answer each page in turn, checking each answer leads to the next page; returns the
    "Check your answers" address."""
    location = "/referrals/new"
    for i, (slug, data) in enumerate(journey):
        if i:
            assert location.endswith(f"/{slug}"), (location, slug)
        location = b.answer(location, replace.get(slug, data))
    assert location.endswith("/check"), location
    return location


def send(b: Browser, check_url: str):
    return b.submit(check_url, {}, action=None)


# -- the journey ---------------------------------------------------------------------------


def test_the_whole_journey_creates_a_screened_case(browser, board):
    b = browser("agency_practitioner", agency="police", name="Priya Shah")
    assert b.get("/referrals/new").status_code == 200
    assert Draft.objects.count() == 0  # opening a page changes nothing
    referrer_page = None

    location = "/referrals/new"
    for i, (slug, data) in enumerate(DIED_JOURNEY):
        if i:
            assert location.endswith(f"/{slug}"), (location, slug)
        if slug == "referrer":
            referrer_page = b.page(location)
        location = b.answer(location, data)
        assert Case.objects.count() == 0  # nothing is a case before it is sent
    assert location.endswith("/check")
    # The referrer was prefilled from the signed-in user.
    assert 'value="Priya Shah"' in referrer_page and f'value="{b.user.email}"' in referrer_page
    assert re.search(r'value="police"\s+checked', referrer_page)

    check = html.unescape(b.page(location))
    for row in (
        "In custody",
        "Deprivation of liberty order",
        "Child's age",
        "Jane Doe",
        "Police, Health",
        "943 476 5919",
    ):
        assert row in check
    change_links = re.findall(r'href="/referrals/[^/]+/([a-z-]+)\?change=1"', check)
    assert set(change_links) == {slug for slug, _ in DIED_JOURNEY}

    resp = send(b, location)
    assert resp.status_code == 302, text(resp)[:2000]
    case = Case.objects.get()
    assert resp.headers["Location"] == f"/referrals/submitted/{case.case_id}"
    assert Draft.objects.count() == 0

    expected_facts = Facts(
        abuse_or_neglect="not_suspected",
        child_died=True,
        looked_after=True,
        deprivation_of_liberty_order=True,
        child_age=16,
        interagency_concern="no",
    )
    assert case.facts == expected_facts.as_dict()
    assert case.screening == screen(expected_facts).as_dict()
    assert case.screening["scr_required"] and "death_deprivation_of_liberty" in case.screening["scr_grounds"]
    assert (case.incident_on, case.became_aware_on) == (INCIDENT, AWARE)
    assert case.agencies_involved == ["police", "health"]
    assert (case.referrer.name, case.referrer.agency) == ("Priya Shah", "police")
    assert case.child.name == "Jane Doe" and case.child.date_of_birth == BORN_16.isoformat()
    stored = str(Case._get_collection().find_one({"_id": case.case_id}))
    assert "Jane Doe" not in stored and "943 476 5919" not in stored and "High Street" not in stored

    confirmation = html.unescape(b.page(resp.headers["Location"]))
    assert case.reference in confirmation and "Referral sent" in confirmation
    for reason in case.screening["reasons"]:
        assert reason["text"] in confirmation
        assert f"Source: {reason['source']}" in confirmation


def test_the_death_questions_are_asked_only_when_the_child_died(browser):
    """Correction 1 (003 ¶20): where a seriously harmed child was held is asked too; whether the
    death is a suicide, and the age under a deprivation of liberty order, only of a death."""
    b = browser("business_unit")
    harmed = b.answer("/referrals/new", {"what_happened": "seriously_harmed"})
    assert harmed.endswith("/custody")
    draft = Draft.objects.get()
    for slug in ("suspected-suicide", "child-age"):
        resp = b.get(f"/referrals/{draft.draft_id}/{slug}")
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/custody"), slug
    neither = browser("business_unit")
    assert neither.answer("/referrals/new", {"what_happened": "neither"}).endswith("/looked-after")

    check_url = walk(b, HARMED_JOURNEY, custody={"custody_setting": "police_custody"})
    check = b.page(check_url)
    assert "In custody" in check and "Suspected suicide" not in check
    assert send(b, check_url).status_code == 302
    case = Case.objects.get()
    assert case.facts["seriously_harmed"] is True and case.facts["child_died"] is False
    assert (
        case.facts["custody_setting"] == "police_custody" and case.facts["regulated_setting"] == "childminder"
    )
    # Abuse suspected, concern unclear: an SCR on the other criteria (003 reg 5(2)(b)(ii)), not ¶20.
    assert case.screening["scr_grounds"] == ["serious_harm_interagency_concern"]


def test_changing_what_happened_asks_or_drops_the_death_questions(browser):
    b = browser("business_unit")
    check_url = walk(b, HARMED_JOURNEY)
    draft_id = Draft.objects.get().draft_id
    change = f"/referrals/{draft_id}/what-happened?change=1"
    assert f'href="/referrals/{draft_id}/what-happened?change=1"' in b.page(check_url)

    # Now the child died: the death question never answered comes next; the settings stay.
    location = b.answer(change, {"what_happened": "died"})
    assert location == f"/referrals/{draft_id}/suspected-suicide?change=1"
    assert b.answer(location, {"suspected_suicide": "no"}) == check_url
    location = b.answer(
        f"/referrals/{draft_id}/deprivation-of-liberty?change=1", {"deprivation_of_liberty_order": "yes"}
    )
    assert location.endswith("/child-age?change=1")
    assert b.answer(location, {"child_age": "16"}) == check_url

    # And back again: the death answers go.
    assert b.answer(change, {"what_happened": "neither"}) == check_url
    answers = Draft.objects.get().answers
    assert not {"suspected_suicide", "custody_setting", "child_age"} & set(answers)


def test_a_date_marks_only_the_boxes_in_error(browser, board):
    b = browser("business_unit")
    draft = Draft(board_id=board.board_id, user_id=b.user.user_id, answers=dict(SAVED_DIED))
    draft.save()
    body = b.submit(
        f"/referrals/{draft.draft_id}/dates",
        {"incident_on": ["3", "", ""], "became_aware_on": date_parts(AWARE)},
    ).get_data(as_text=True)
    marked = re.findall(r'govuk-input--error" id="([a-z_-]+)"', body)
    assert marked == ["incident_on-month", "incident_on-year"]
    assert (
        "#incident_on-month",
        "The date of the incident must include a month and year",
    ) in error_summary(body)
    child = b.page(f"/referrals/{draft.draft_id}/child")
    assert re.findall(r'autocomplete="(bday-[a-z]+)"', child) == [
        "bday-day",
        "bday-month",
        "bday-year",
    ]


def test_a_date_before_1900_is_refused_on_the_pages_as_in_the_api(browser, board):
    b = browser("business_unit")
    draft = Draft(board_id=board.board_id, user_id=b.user.user_id, answers=dict(SAVED_DIED))
    draft.save()
    resp = b.submit(
        f"/referrals/{draft.draft_id}/dates",
        {"incident_on": ["1", "1", "0001"], "became_aware_on": date_parts(AWARE)},
    )
    assert resp.status_code == 422
    assert (
        "#incident_on-year",
        "The date of the incident must be the same as or after 1 January 1900",
    ) in error_summary(resp.get_data(as_text=True))
    assert Draft.objects.get(draft_id=draft.draft_id).answers["incident_on"] == SAVED_DIED["incident_on"]


SAVED_DIED = {
    "what_happened": "died",
    "suspected_suicide": False,
    "custody_setting": "none",
    "detained_mental_health_act": False,
    "deprivation_of_liberty_order": True,
    "child_age": 16,
    "looked_after": False,
    "regulated_setting": "none",
    "abuse_or_neglect": "suspected",
    "interagency_concern": "unclear",
    "incident_on": INCIDENT.isoformat(),
    "became_aware_on": AWARE.isoformat(),
    "agencies_involved": ["police", "health"],
    "child_lives_in_area": True,
    "referrer": {"name": "Priya", "agency": "police", "email": "priya@police.example.org"},
    "summary": "Found unresponsive in a secure unit.",
}


INVALID_PAGES = [
    ("what-happened", {}, "#what_happened", "Select what happened to the child"),
    (
        "suspected-suicide",
        {},
        "#suspected_suicide",
        "Select yes if the death is a suspected suicide",
    ),
    (
        "custody",
        {"custody_setting": "space_station"},
        "#custody_setting",
        "Select where the child was in custody, or that the child was not in custody",
    ),
    (
        "mental-health-act",
        {},
        "#detained_mental_health_act",
        "Select yes if the child was detained under the Mental Health Act 1983",
    ),
    (
        "deprivation-of-liberty",
        {},
        "#deprivation_of_liberty_order",
        "Select yes if the child was subject to a deprivation of liberty order",
    ),
    (
        "child-age",
        {"child_age": "19"},
        "#child_age",
        "The child's age must be a whole number from 0 to 17",
    ),
    ("child-age", {"child_age": ""}, "#child_age", "Enter the child's age"),
    (
        "looked-after",
        {},
        "#looked_after",
        "Select yes if the child was looked after by a local authority",
    ),
    (
        "regulated-setting",
        {},
        "#regulated_setting",
        "Select the regulated setting or service, or that it was not in one",
    ),
    (
        "abuse-or-neglect",
        {},
        "#abuse_or_neglect",
        "Select whether abuse or neglect is known, suspected or not suspected",
    ),
    (
        "working-together",
        {},
        "#interagency_concern",
        "Select whether there is concern about how the agencies worked together",
    ),
    (
        "dates",
        {"incident_on": ["3", "", "2025"], "became_aware_on": date_parts(AWARE)},
        "#incident_on-month",
        "The date of the incident must include a month",
    ),
    (
        "dates",
        {"incident_on": ["31", "2", "2025"], "became_aware_on": date_parts(AWARE)},
        "#incident_on-day",
        "The date of the incident must be a real date",
    ),
    (
        "dates",
        {
            "incident_on": date_parts(INCIDENT),
            "became_aware_on": date_parts(today() + timedelta(days=1)),
        },
        "#became_aware_on-day",
        "The date the local authority became aware must be today or in the past",
    ),
    (
        "dates",
        {
            "incident_on": date_parts(INCIDENT),
            "became_aware_on": date_parts(INCIDENT - timedelta(days=1)),
        },
        "#became_aware_on-day",
        "The date the local authority became aware must be the same as or after the date of the incident",
    ),
    (
        "dates",
        {"incident_on": ["", "", ""], "became_aware_on": date_parts(AWARE)},
        "#incident_on-day",
        "Enter the date of the incident",
    ),
    ("agencies", {}, "#agencies_involved", "Select the agencies that were involved with the child"),
    (
        "agencies",
        {"agencies_involved": ["fire_brigade"]},
        "#agencies_involved",
        "Select the agencies that were involved with the child",
    ),
    (
        "referrer",
        {
            "referrer_name": "Priya",
            "referrer_agency": "police",
            "referrer_email": "priya-at-police",
        },
        "#referrer_email",
        "Enter an email address in the correct format, like name@example.org",
    ),
    (
        "referrer",
        {"referrer_name": " ", "referrer_agency": "police", "referrer_email": "p@example.org"},
        "#referrer_name",
        "Enter your full name",
    ),
    ("summary", {"summary": "   "}, "#summary", "Enter a summary of what happened"),
    (
        "child",
        {"child_nhs_number": "12345"},
        "#child_nhs_number",
        "Enter the NHS number as 10 digits, like 943 476 5919",
    ),
    (
        "child",
        {"child_date_of_birth": ["1", "6", ""]},
        "#child_date_of_birth-year",
        "The child's date of birth must include a year",
    ),
]


@pytest.mark.parametrize(
    "slug, data, anchor, message",
    INVALID_PAGES,
    ids=[f"{s}-{a}-{i}" for i, (s, _, a, _) in enumerate(INVALID_PAGES)],
)
def test_each_page_shows_its_errors_linked_to_the_field(browser, board, slug, data, anchor, message):
    b = browser("agency_manager", agency="police")
    answers = dict(SAVED_DIED)
    draft = Draft(board_id=board.board_id, user_id=b.user.user_id, answers=answers)
    draft.save()
    resp = b.submit(f"/referrals/{draft.draft_id}/{slug}", data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "<title>Error: " in body
    assert (anchor, message) in error_summary(body)
    assert message in inline_errors(body)
    assert f'id="{anchor[1:]}"' in body  # the link lands on the field
    assert Draft.objects.get().answers == answers  # nothing saved


def test_save_and_come_back_later_keeps_the_answers(browser, board):
    b = browser("agency_practitioner", agency="police")
    location = b.answer("/referrals/new", {"what_happened": "neither"})
    location = b.answer(location, {"looked_after": "yes"})
    saved = b.answer(location, {"regulated_setting": "childminder"}, action="save")
    assert saved == "/referrals"
    start = html.unescape(b.page(saved))
    assert "Your answers have been saved" in start
    assert "Neither: the child did not die and was not seriously harmed" in start
    draft = Draft.objects.get()
    resume = f"/referrals/{draft.draft_id}/abuse-or-neglect"
    assert f'href="{resume}"' in start  # continue where the user stopped
    assert Case.objects.count() == 0

    page = b.page(resume)
    back = re.search(
        r'class="govuk-back-link"[^>]*href="([^"]+)"|href="([^"]+)" class="govuk-back-link"', page
    )
    back_url = next(g for g in back.groups() if g)
    assert back_url == f"/referrals/{draft.draft_id}/regulated-setting"
    assert re.search(r'value="childminder"\s+checked', b.page(back_url))
    assert re.search(r'value="yes"\s+checked', b.page(f"/referrals/{draft.draft_id}/looked-after"))

    # Someone else on the board neither sees nor opens it.
    other = browser("agency_practitioner", agency="police")
    assert "Neither: the child did not die" not in other.page("/referrals")
    assert other.get(resume).status_code == 404


def test_save_and_come_back_later_from_an_empty_page_keeps_nothing(browser):
    b = browser("business_unit")
    assert b.answer("/referrals/new", {}, action="save") == "/referrals"
    assert Draft.objects.count() == 0


def test_the_final_submit_checks_every_page_again(browser):
    b = browser("business_unit")
    check_url = walk(b, HARMED_JOURNEY)
    draft_id = Draft.objects.get().draft_id
    Agency.objects(board_id=b.user.memberships[0].board_id, code="health").delete()

    resp = send(b, check_url)
    assert resp.status_code == 422
    assert (
        f"/referrals/{draft_id}/agencies?change=1#agencies_involved",
        "Select the agencies that were involved with the child",
    ) in error_summary(text(resp))
    assert Case.objects.count() == 0 and Draft.objects.count() == 1
    # The page that owns the answer shows the problem too.
    agencies = b.page(f"/referrals/{draft_id}/agencies?change=1")
    assert "Select the agencies that were involved with the child" in inline_errors(agencies)


@pytest.mark.parametrize(
    "spoil, link",
    [
        ({"agencies_involved": ["police", "fire_brigade"]}, "agencies?change=1#agencies_involved"),
        ({"abuse_or_neglect": "perhaps"}, "abuse-or-neglect?change=1#abuse_or_neglect"),
        (
            {"incident_on": (today() + timedelta(days=3)).isoformat()},
            "dates?change=1#incident_on-day",
        ),
    ],
)
def test_errors_from_the_handler_are_shown_against_the_page_that_owns_the_field(
    browser, monkeypatch, spoil, link
):
    b = browser("business_unit")
    check_url = walk(b, HARMED_JOURNEY)
    draft = Draft.objects.get()
    draft.answers = {**draft.answers, **spoil}
    draft.save()
    monkeypatch.setattr(forms, "check_all", lambda state, ctx: [])  # only the handler checks now

    resp = send(b, check_url)
    assert resp.status_code == 422
    assert any(href == f"/referrals/{draft.draft_id}/{link}" for href, _ in error_summary(text(resp)))
    assert Case.objects.count() == 0


def test_html_typed_in_the_summary_is_stored_as_text_and_shown_escaped(browser):
    b = browser("agency_practitioner", agency="police")
    typed = '<script>alert("x")</script><b>bold</b> & more'
    check_url = walk(b, HARMED_JOURNEY, summary={"summary": typed})
    assert "<script>alert" not in b.page(check_url)
    assert send(b, check_url).status_code == 302
    case = Case.objects.get()
    assert case.summary == typed
    body = b.page(f"/cases/{case.case_id}")
    assert "<script>alert" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; more" in body


def test_the_referral_pages_are_for_agency_staff_and_the_business_unit(browser):
    assert browser("chair").get("/referrals").status_code == 403
    assert browser("panel_member").get("/referrals/new").status_code == 403
    assert browser("agency_manager", agency="health").get("/referrals").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(browser):
    b = browser("business_unit")
    resp = b.client.post("/referrals/new", data={"what_happened": "died", "action": "continue"})
    assert resp.status_code == 403
    assert Draft.objects.count() == 0


# -- cases -----------------------------------------------------------------------------------


def submitted_case(board, agency="police", **facts) -> Case:
    principal = Principal(
        user_id="u-referrer",
        name="Referrer",
        board_id=board.board_id,
        roles=frozenset({"agency_practitioner"}),
        agency=agency,
    )
    command = SubmitReferral(
        actor=principal,
        facts=Facts(**{"child_died": True, "abuse_or_neglect": "suspected", **facts}),
        incident_on=INCIDENT,
        became_aware_on=AWARE,
        summary="Found unresponsive.",
        agencies_involved=[agency],
        referrer={"name": "Referrer", "agency": agency, "email": "r@example.org"},
    )
    return BUS.handle(command)


# The service's handlers on the store the pages use, for arranging what a page then shows.
BUS = messagebus(uow=MongoUnitOfWork())


def announce(board, case, event_type, due):
    payload = event_type(
        case_id=case.case_id,
        board_id=board.board_id,
        deadline_id=f"d-{case.case_id}",
        code="scr_decision",
        due=due,
        concerns="chair",
    )
    apply_deadline_event(parse_envelope(new_envelope(payload, producer="scheduler")), MongoUnitOfWork())


def row_of(body: str, reference: str) -> str:
    return next(r for r in re.findall(r'<tr class="govuk-table__row">.*?</tr>', body, re.S) if reference in r)


def test_the_case_list_shows_each_deadline_as_a_tag_in_colour_and_words(browser, board):
    overdue, soon, calm = submitted_case(board), submitted_case(board), submitted_case(board)
    announce(board, overdue, DeadlineOverdue, today() - timedelta(days=1))
    announce(board, soon, DeadlineDueSoon, today() + timedelta(days=2))
    body = browser("business_unit").page("/cases")
    expected = {
        overdue: ("govuk-tag--red", "Overdue"),
        soon: ("govuk-tag--orange", "Due soon"),
        calm: ("govuk-tag--green", "On track"),
    }
    for case, (colour, words) in expected.items():
        row = row_of(body, case.reference)
        assert re.search(rf'class="govuk-tag {colour}">{words}<', row), row
        assert "Awaiting decision" in row
    assert "Chair's decision on a Serious Case Review, due" in html.unescape(row_of(body, overdue.reference))


def test_the_case_list_filters_by_status(browser, board):
    waiting, decided = submitted_case(board), submitted_case(board)
    chair = Principal(user_id="u-chair", name="Chair", board_id=board.board_id, roles=frozenset({"chair"}))
    BUS.handle(
        RecordDecision(
            actor=chair,
            case_id=decided.case_id,
            outcome="serious_case_review",
            decided_on=today(),
            rationale="Criteria met.",
            lead_reviewers=[INDEPENDENT],
            method="intensive",
        )
    )
    b = browser("business_unit")
    only_decided = b.page("/cases?status=decided")
    assert decided.reference in only_decided and waiting.reference not in only_decided
    assert "Serious Case Review" in row_of(only_decided, decided.reference)
    resp = b.get("/cases?status=lost")
    assert resp.status_code == 422 and (
        "#status",
        "Select a status from the list",
    ) in error_summary(text(resp))


def test_a_case_the_user_may_not_see_is_not_found(browser, board):
    case = submitted_case(board, agency="police")
    assert browser("agency_practitioner", agency="police").get(f"/cases/{case.case_id}").status_code == 200
    health = browser("agency_practitioner", agency="health")
    assert health.get(f"/cases/{case.case_id}").status_code == 404
    assert case.reference not in health.page("/cases")
    other_board = make_board(agencies=DEMO_AGENCIES)
    assert browser("business_unit", board_=other_board).get(f"/cases/{case.case_id}").status_code == 404
    assert AuditEntry.objects(resource_id=case.case_id, action="case.read", outcome="not_found").count() == 2


def test_the_case_page_explains_the_screening_with_its_sources(browser, board):
    case = submitted_case(board, looked_after=True)
    body = html.unescape(browser("panel_member").page(f"/cases/{case.case_id}"))
    for reason in case.screening["reasons"]:
        assert reason["text"] in body and f"Source: {reason['source']}" in body
    assert "Looked-after child" in body and "Suspected" in body
    assert "Referral submitted" in body and "Awaiting the Chair's decision" in body  # the history
    assert "Record the Chair's decision" not in body  # not for a panel member


# -- the Chair's decision ------------------------------------------------------------------


def test_the_chair_records_a_decision_and_the_case_page_shows_it(browser, board):
    case = submitted_case(board)  # an SCR is required
    chair = browser("chair")
    assert f'href="/cases/{case.case_id}/decision"' in chair.page(f"/cases/{case.case_id}")
    page = chair.page(f"/cases/{case.case_id}/decision")
    radios = re.findall(r'name="outcome" type="radio" value="([a-z_]+)"', page)
    assert radios[0] == "serious_case_review" and set(radios) == set(RULE_PACKS["wt2015"].review_kinds)
    assert "goes to the National Panel" in html.unescape(page)

    url = f"/cases/{case.case_id}/decision"
    today_parts = date_parts(today())
    no_reviewer = chair.submit(
        url, {"outcome": "serious_case_review", "decided_on": today_parts}, action=None
    )
    assert no_reviewer.status_code == 422
    assert (
        "#lead_reviewers-0-name",
        "A Serious Case Review needs at least one lead reviewer",
    ) in error_summary(text(no_reviewer))

    unjustified = chair.submit(
        url,
        {"outcome": "learning_review", "decided_on": today_parts, "rationale": "No."},
        action=None,
    )
    assert unjustified.status_code == 422
    assert [h for h, _ in error_summary(text(unjustified))] == ["#rationale"]
    assert case.reload().decision is None

    done = chair.submit(
        url,
        {
            "outcome": "serious_case_review",
            "decided_on": today_parts,
            "rationale": "The criteria are met.",
            "method": "intensive",
            "lead_reviewers-0-name": "Dr R Independent",
            "lead_reviewers-0-organisation": "Independent Reviews Ltd",
            "lead_reviewers-0-qualifications": "Accredited lead reviewer",
            "lead_reviewers-0-declarations": "none",
            "case_factors": ["legal_requirements"],
            "context_factors": ["public_interest"],
        },
        action=None,
    )
    # Checked against the rules, not recorded: "Check your answers" comes first.
    assert done.status_code == 302 and done.headers["Location"] == f"/cases/{case.case_id}/decision/check"
    assert case.reload().decision is None
    check = html.unescape(chair.page(done.headers["Location"]))
    assert "Ofsted, the Department for Education and the National Panel" in check
    assert f'href="/cases/{case.case_id}/decision#rationale"' in check  # a Change link
    done = chair.submit(done.headers["Location"], {}, action=None)
    assert done.status_code == 302 and done.headers["Location"] == f"/cases/{case.case_id}"
    shown = html.unescape(chair.page(done.headers["Location"]))
    assert "Decision recorded: Serious Case Review" in shown
    assert "govuk-notification-banner--success" in shown
    assert "Dr R Independent, Independent Reviews Ltd" in re.sub(r"<[^>]+>", "", shown)
    # The declarations are shown with the decision (correction 4).
    assert "The reviewer works for one of the board's agencies: no" in shown
    assert rules_text("legal_requirements") in shown and "Public interest in the case" in shown
    decision = case.reload().decision
    assert decision.outcome == "serious_case_review" and decision.decided_on == today()
    assert decision.case_factors == ["legal_requirements"]
    # Decided: the form is gone.
    assert chair.get(url).status_code == 302


def rules_text(code: str) -> str:
    from shared.framework import CASE_FACTORS

    return CASE_FACTORS[code]


def test_form_errors_on_the_decision_page_link_to_their_fields(browser, board):
    case = submitted_case(board)
    resp = browser("admin").submit(
        f"/cases/{case.case_id}/decision",
        {"decided_on": ["", "13", "2025"], "lead_reviewers-1-organisation": "Somewhere"},
        action=None,
    )
    errors = error_summary(text(resp))
    assert resp.status_code == 422
    assert ("#outcome", "Select the decision") in errors
    # An admin records the decision for a Chair, and names them (correction 11).
    assert ("#chair", "Select the Chair who made the decision") in errors
    assert ("#decided_on-day", "The date of the decision must include a day") in errors
    assert ("#lead_reviewers-1-name", "Enter the lead reviewer's full name") in errors


def test_only_the_chair_or_an_admin_sees_the_decision_page(browser, board):
    case = submitted_case(board)
    url = f"/cases/{case.case_id}/decision"
    for who in (browser("business_unit"), browser("agency_practitioner", agency="police")):
        assert who.get(url).status_code == 403
        token = csrf_from(who.page("/account"))  # a valid token: the refusal is about the role
        resp = who.client.post(
            url,
            data={"csrf_token": token, "outcome": "no_review", "decided_on": date_parts(today())},
        )
        assert resp.status_code == 403
    assert case.reload().decision is None
    assert "Record the Chair's decision" not in browser("business_unit").page(f"/cases/{case.case_id}")


def test_case_reads_and_writes_are_audited(browser, board):
    b = browser("business_unit")
    check_url = walk(b, HARMED_JOURNEY)
    send(b, check_url)
    case = Case.objects.get()
    b.page(f"/referrals/submitted/{case.case_id}")
    b.page(f"/cases/{case.case_id}")
    b.page("/cases")
    chair = browser("chair")
    check = chair.answer(
        f"/cases/{case.case_id}/decision",
        {
            "outcome": "learning_review",
            "decided_on": date_parts(today()),
            "rationale": "A learning review already covers this family and its agencies this year.",
        },
        action=None,
    )
    chair.answer(check, {}, action=None)

    def entries(**query):
        return [(e.action, e.outcome, e.actor_id) for e in AuditEntry.objects(**query).order_by("at")]

    assert entries(resource_id=case.case_id) == [
        ("case.write", "success", b.user.user_id),  # the referral sent
        ("case.read", "success", b.user.user_id),  # the confirmation
        ("case.read", "success", b.user.user_id),  # the case page
        ("case.read", "success", chair.user.user_id),  # the decision page
        ("case.read", "success", chair.user.user_id),  # the answers checked against the rules
        ("case.read", "success", chair.user.user_id),  # check your answers
        ("case.write", "success", chair.user.user_id),  # the decision
    ]
    assert entries(action="case.list") == [("case.list", "success", b.user.user_id)]
    assert AuditEntry.objects(action="draft.write", actor_id=b.user.user_id).count() == len(HARMED_JOURNEY)
