"""The decision's "Check your answers" (nothing recorded, nobody emailed until it is confirmed),
moving a case on, and letting another agency see it: GOV.UK forms with every error at once, and
a 403 for the roles the API refuses."""

from __future__ import annotations

import html
import re

from services.referral.adapters.store import Case
from services.referral.service_layer.messages import RecordChallenge, RecordDecision
from shared.audit import AuditEntry
from shared.auth.principal import Principal
from shared.framework import today_in_england as today
from tests.unit.auth.conftest import csrf_from
from tests.unit.referral.test_handlers import INDEPENDENT
from tests.unit.referral.test_pages import BUS, date_parts, error_summary, submitted_case, text

TODAY = date_parts(today())
LEARNING = {
    "outcome": "learning_review",
    "decided_on": TODAY,
    "rationale": "A learning review of this family is already under way this year.",
}


def hrefs(resp) -> list[str]:
    return [h for h, _ in error_summary(text(resp))]


def decided_case(board) -> Case:
    case = submitted_case(board)
    chair = Principal(user_id="u-chair", name="Chair", board_id=board.board_id, roles=frozenset({"chair"}))
    return BUS.handle(
        RecordDecision(
            actor=chair,
            case_id=case.case_id,
            outcome="serious_case_review",
            decided_on=today(),
            rationale="Criteria met.",
            lead_reviewers=[INDEPENDENT],
            method="intensive",
        )
    )


def posted(who, url: str, data: dict) -> int:
    """A POST with a valid CSRF token, so that a refusal is about the role."""
    token = csrf_from(who.page("/account"))
    return who.client.post(url, data={"csrf_token": token, **data}).status_code


# -- the decision: check your answers ---------------------------------------------------------


def test_the_decision_is_checked_then_shown_with_change_links_and_recorded_only_when_confirmed(
    browser, board
):
    case = submitted_case(board)
    chair = browser("chair")
    form = chair.page(f"/cases/{case.case_id}/decision")
    assert 'data-module="govuk-character-count"' in form and 'data-maxlength="20000"' in form
    resp = chair.submit(f"/cases/{case.case_id}/decision", LEARNING, action=None)
    check_url = f"/cases/{case.case_id}/decision/check"
    assert resp.status_code == 302 and resp.headers["Location"] == check_url
    assert case.reload().decision is None  # checked against the rules only

    check = text(chair.client.get(check_url))
    assert "Check the decision before you record it" in check
    assert "Learning Review" in check and "A learning review of this family" in check
    assert f"{today().day} {today():%B %Y}" in check  # the date in words
    assert (
        "Ofsted, the Department for Education and the National Panel of Independent Experts"
        " will be emailed the decision"
    ) in check
    changes = re.findall(r'href="(/cases/[^"]+/decision#[^"]+)"', check)
    assert f"/cases/{case.case_id}/decision#rationale" in changes
    assert f"/cases/{case.case_id}/decision#outcome" in changes

    # A Change link goes back to the form with the answers given.
    again = chair.page(f"/cases/{case.case_id}/decision")
    assert "A learning review of this family is already under way this year." in html.unescape(again)
    assert re.search(r'value="learning_review"\s+checked', again)

    done = chair.submit(check_url, {}, action=None)
    assert done.status_code == 302 and done.headers["Location"] == f"/cases/{case.case_id}"
    assert case.reload().decision.outcome == "learning_review"
    assert "Decision recorded: Learning Review" in text(chair.client.get(done.headers["Location"]))
    # The answers are gone with the decision recorded: the check page sends the Chair on.
    assert chair.get(check_url).status_code == 302
    writes = AuditEntry.objects(resource_id=case.case_id, action="case.write", actor_id=chair.user.user_id)
    assert writes.count() == 1


def test_the_check_page_without_answers_sends_the_chair_to_the_form(browser, board):
    case = submitted_case(board)
    resp = browser("chair").get(f"/cases/{case.case_id}/decision/check")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/cases/{case.case_id}/decision"


def test_a_changed_decision_is_checked_too_and_every_problem_is_named_at_once(browser, board):
    case = decided_case(board)
    BUS.handle(
        RecordChallenge(
            actor=Principal(
                user_id="u-bu", name="Unit", board_id=board.board_id, roles=frozenset({"business_unit"})
            ),
            case_id=case.case_id,
            challenged_by="national_panel",
            challenged_on=today(),
            summary="The Panel asks for a learning review instead.",
        )
    )
    chair = browser("chair")
    url = f"/cases/{case.case_id}/decision/change"
    # The page's problems and the decision rules' at once: the date, and the short reasons.
    wrong = chair.submit(
        url, {"outcome": "learning_review", "decided_on": ["", "", ""], "rationale": "No."}, action=None
    )
    assert wrong.status_code == 422 and set(hrefs(wrong)) == {"#decided_on-day", "#rationale"}
    # The same outcome as before is no change (a rule of the handler).
    same = chair.submit(
        url,
        {
            **LEARNING,
            "outcome": "serious_case_review",
            "method": "intensive",
            "lead_reviewers-0-name": "Dr R Independent",
            "lead_reviewers-0-organisation": "Independent Reviews Ltd",
            "lead_reviewers-0-qualifications": "Accredited lead reviewer",
            "lead_reviewers-0-declarations": "none",
        },
        action=None,
    )
    assert same.status_code == 422 and hrefs(same) == ["#outcome"]
    assert "The outcome is the same as before: to keep the decision, confirm it" in text(same)

    resp = chair.submit(url, LEARNING, action=None)
    assert resp.status_code == 302 and resp.headers["Location"] == f"{url}/check"
    assert case.reload().decision.outcome == "serious_case_review"
    check = text(chair.client.get(f"{url}/check"))
    assert "Check the decision before you change it" in check and "emailed the changed decision" in check
    assert f'href="{url}#rationale"' in check
    done = chair.submit(f"{url}/check", {}, action=None)
    assert done.status_code == 302
    decision = case.reload().decision
    assert decision.outcome == "learning_review" and decision.previous_outcome == "serious_case_review"


def test_only_a_chair_or_an_admin_checks_and_confirms_a_decision(browser, board):
    case = submitted_case(board)
    for who in (browser("business_unit"), browser("agency_practitioner", agency="police")):
        for path in ("/decision/check", "/decision/change/check"):
            assert who.get(f"/cases/{case.case_id}{path}").status_code == 403
            assert posted(who, f"/cases/{case.case_id}{path}", {}) == 403
    assert case.reload().decision is None


# -- moving a case on -------------------------------------------------------------------------


def test_the_business_unit_moves_a_decided_case_on_with_a_reason(browser, board):
    case = decided_case(board)
    unit = browser("business_unit")
    page = unit.page(f"/cases/{case.case_id}/status")
    assert set(re.findall(r'name="status" type="radio" value="([a-z_]+)"', page)) == {"in_review", "closed"}
    assert "The case is now: <strong>Decided</strong>" in page
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in page
    done = unit.submit(
        f"/cases/{case.case_id}/status",
        {"status": "in_review", "reason": "The lead reviewer started on Monday."},
        action=None,
    )
    assert done.status_code == 302 and done.headers["Location"] == f"/cases/{case.case_id}"
    case.reload()
    assert case.status == "in_review"
    assert case.history[-1].detail == "The lead reviewer started on Monday."
    assert "The case is now: in review" in text(unit.client.get(done.headers["Location"]))
    assert AuditEntry.objects(
        resource_id=case.case_id, action="case.write", actor_id=unit.user.user_id
    ).count()


def test_moving_a_case_on_names_every_problem_at_once(browser, board):
    case = decided_case(board)
    unit = browser("business_unit")
    resp = unit.submit(
        f"/cases/{case.case_id}/status", {"status": "published", "reason": "x" * 2001}, action=None
    )
    assert resp.status_code == 422
    assert error_summary(text(resp)) == [
        ("#status", "Select what has happened to the case"),
        ("#reason", "The reason must be 2,000 characters or fewer"),
    ]
    assert case.reload().status == "decided"


def test_a_case_awaiting_its_decision_is_moved_on_by_the_decision(browser, board):
    case = submitted_case(board)
    page = text(browser("business_unit").client.get(f"/cases/{case.case_id}/status"))
    assert "The case moves on when the decision is recorded" in page and 'name="status"' not in page


def test_only_the_business_unit_or_an_admin_moves_a_case_on_or_lets_an_agency_in(browser, board):
    case = decided_case(board)
    for who in (browser("chair"), browser("agency_manager", agency="police"), browser("panel_member")):
        for path, data in (("status", {"status": "closed"}), ("agencies", {"agency": "health"})):
            assert who.get(f"/cases/{case.case_id}/{path}").status_code == 403
            assert posted(who, f"/cases/{case.case_id}/{path}", data) == 403
    case.reload()
    assert case.status == "decided" and case.shared_with == []


# -- letting another agency see the case ------------------------------------------------------


def test_the_business_unit_lets_another_agency_see_the_case(browser, board):
    case = submitted_case(board)  # referred by the police
    unit = browser("business_unit")
    page = unit.page(f"/cases/{case.case_id}/agencies")
    offered = re.findall(r'name="agency" type="radio" value="([a-z_]+)"', page)
    assert "police" not in offered and "health" in offered
    wrong = unit.submit(f"/cases/{case.case_id}/agencies", {}, action=None)
    assert wrong.status_code == 422 and hrefs(wrong) == ["#agency"]
    done = unit.submit(f"/cases/{case.case_id}/agencies", {"agency": "health"}, action=None)
    assert done.status_code == 302
    assert case.reload().shared_with == ["health"]
    assert "Health can now see the case" in text(unit.client.get(done.headers["Location"]))
    assert browser("agency_practitioner", agency="health").get(f"/cases/{case.case_id}").status_code == 200


def test_long_text_boxes_count_their_characters(browser, board):
    case = submitted_case(board)
    chair = browser("chair")
    challenge = chair.page(f"/cases/{case.case_id}/challenge")
    assert 'data-module="govuk-character-count" data-maxlength="20000"' in challenge
    decision = chair.page(f"/cases/{case.case_id}/decision")
    # The reasons (20,000) and each lead reviewer's qualifications (2,000).
    assert decision.count('data-module="govuk-character-count"') == 1 + 3
    assert 'data-maxlength="2000"' in decision


def test_the_referrals_summary_counts_its_characters(app):
    from services.referral.entrypoints.forms.details import SummaryForm

    with app.test_request_context():
        box = str(SummaryForm(formdata=None, meta={"csrf": False}).summary())
    assert 'data-module="govuk-character-count" data-maxlength="10000"' in box


def test_keeping_a_decision_is_checked_first_and_a_change_link_keeps_the_answers(browser, board):
    case = decided_case(board)
    BUS.handle(
        RecordChallenge(
            actor=Principal(user_id="u-c", name="Chair", board_id=board.board_id, roles=frozenset({"chair"})),
            case_id=case.case_id,
            challenged_by="national_panel",
            challenged_on=today(),
            summary="The Panel asks why.",
        )
    )
    chair = browser("chair")
    url = f"/cases/{case.case_id}/decision/confirm"
    resp = chair.submit(
        url, {"confirmed_on": TODAY, "rationale": "The SCR stands on its criteria."}, action=None
    )
    assert resp.status_code == 302 and resp.headers["Location"] == f"{url}/check"
    check = text(chair.client.get(f"{url}/check"))
    assert "Check your answers before you keep the decision" in check and "Serious Case Review" in check
    assert f'href="{url}#rationale"' in check
    assert "The SCR stands on its criteria." in text(chair.client.get(url))  # back by the Change link
    assert not case.reload().decision.confirmations
    assert chair.submit(f"{url}/check", {}, action=None).status_code == 302
    assert case.reload().decision.confirmations[0].rationale == "The SCR stands on its criteria."


def test_only_the_roles_of_the_api_check_a_rapid_review_or_a_decision_kept(browser, board):
    case = submitted_case(board)
    police = browser("agency_practitioner", agency="police")
    unit = browser("business_unit")
    for path in ("/rapid-review/check", "/decision/confirm/check"):
        assert police.get(f"/cases/{case.case_id}{path}").status_code == 403
        assert posted(police, f"/cases/{case.case_id}{path}", {}) == 403
    assert unit.get(f"/cases/{case.case_id}/decision/confirm/check").status_code == 403
    assert posted(unit, f"/cases/{case.case_id}/decision/confirm/check", {}) == 403
