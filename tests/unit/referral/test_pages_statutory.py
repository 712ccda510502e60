"""Issue 12 on the pages (GOV.UK forms, Flask's test client): a wt2023 board from referral to
rapid review to practice-review decision, the board's rule pack setting, and the corrections the
forms must make, every error at once in the error summary."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from services.referral.adapters.store import Case
from shared.audit import AuditEntry
from shared.framework import today_in_england as today
from tests.factories import make_user
from tests.unit.referral.test_pages import (
    DIED_JOURNEY,
    HARMED_JOURNEY,
    INCIDENT,
    date_parts,
    error_summary,
    send,
    submitted_case,
    text,
    walk,
)

TODAY = date_parts(today())


def set_pack(board, pack: str) -> None:
    board.rule_pack = pack
    board.save()


def hrefs(resp) -> list[str]:
    return [h for h, _ in error_summary(text(resp))]


def test_an_admin_sets_the_boards_rule_pack_on_a_page_recorded_in_the_audit_log(browser, board):
    admin = browser("admin")
    assert 'href="/admin/board"' in admin.page("/admin/audit")
    page = admin.page("/admin/board")
    assert re.search(r'value="wt2015"\s+checked', page)
    assert set(re.findall(r'name="rule_pack" type="radio" value="([a-z0-9-]+)"', page)) == {
        "wt2015",
        "wt2015-north-west",
        "wt2018",
        "wt2023",
    }
    done = admin.submit("/admin/board", {"rule_pack": "wt2023"}, action=None)
    assert done.status_code == 302
    assert "The board now works under Working Together to Safeguard Children 2023" in text(
        admin.client.get(done.headers["Location"])
    )
    board.reload()
    assert board.rule_pack == "wt2023"
    assert AuditEntry.objects(action="board.rule_pack_changed").get().detail == "rule_pack wt2015 -> wt2023"
    assert browser("chair").get("/admin/board").status_code == 403  # admins and the business unit only
    wrong = admin.submit("/admin/board", {"rule_pack": "wt1066"}, action=None)
    assert wrong.status_code == 422 and hrefs(wrong) == ["#rule_pack"]


def test_a_wt2023_board_from_referral_to_rapid_review_to_practice_review_decision(browser, board):
    set_pack(board, "wt2023")
    referrer = browser("agency_practitioner", agency="police", name="Priya Shah")
    check_url = walk(referrer, HARMED_JOURNEY, **{"working-together": {"interagency_concern": "yes"}})
    sent = send(referrer, check_url)
    assert sent.status_code == 302
    case = Case.objects.get()
    assert case.rule_pack == "wt2023"
    confirmation = text(referrer.client.get(sent.headers["Location"]))
    assert "Is it a serious child safeguarding case?" in confirmation
    assert "Is a Serious Case Review required?" not in confirmation
    assert "the safeguarding partners make the decision" in confirmation

    chair = browser("chair", name="Pat Chair")
    case_page = text(chair.client.get(f"/cases/{case.case_id}"))
    assert (
        "Record the rapid review" in case_page
        and "Record the safeguarding partners' decision" not in case_page
    )
    # The decision waits for the rapid review (W23-8).
    early = chair.get(f"/cases/{case.case_id}/decision")
    assert early.status_code == 302 and early.headers["Location"].endswith("/rapid-review")

    url = f"/cases/{case.case_id}/rapid-review"
    before_aware = date_parts(INCIDENT - timedelta(days=5))
    empty = chair.submit(url, {"completed_on": before_aware, "summary": "x"}, action=None)
    assert empty.status_code == 422
    # Every problem at once: the page's own, and the handler's (the date, the sentence).
    assert hrefs(empty) == [
        "#recommends_local_review",
        "#suggests_national_review",
        "#completed_on-day",
        "#summary",
    ]
    done = chair.submit(
        url,
        {
            "completed_on": TODAY,
            "recommends_local_review": "yes",
            "suggests_national_review": "no",
            "summary": "Police and health did not share what they knew.",
        },
        action=None,
    )
    # Checked, not recorded, until confirmed on "Check your answers".
    assert done.status_code == 302 and case.reload().rapid_review is None
    check = text(chair.client.get(done.headers["Location"]))
    assert "the Child Safeguarding Practice Review Panel will be emailed the rapid review" in check
    assert f'href="/cases/{case.case_id}/rapid-review#summary"' in check
    done = chair.submit(done.headers["Location"], {}, action=None)
    assert done.status_code == 302
    assert case.reload().rapid_review.recommends_local_review is True

    decision = chair.page(f"/cases/{case.case_id}/decision")
    assert "Record the safeguarding partners' decision" in html.unescape(decision)
    radios = re.findall(r'name="outcome" type="radio" value="([a-z_]+)"', decision)
    assert radios == ["local_child_safeguarding_practice_review", "no_review"]
    assert 'name="method"' not in decision  # no SCR, no SCR method
    refused = chair.submit(
        f"/cases/{case.case_id}/decision",
        {"outcome": "no_review", "decided_on": TODAY, "rationale": "No."},
        action=None,
    )
    assert refused.status_code == 422 and hrefs(refused) == ["#rationale"]
    decided = chair.submit(
        f"/cases/{case.case_id}/decision",
        {
            "outcome": "local_child_safeguarding_practice_review",
            "decided_on": TODAY,
            "rationale": "The rapid review found two agencies did not share what they knew.",
        },
        action=None,
    )
    assert decided.status_code == 302 and case.reload().decision is None  # checked, not recorded
    check = text(chair.client.get(decided.headers["Location"]))
    assert "the Child Safeguarding Practice Review Panel will be emailed the decision" in check
    decided = chair.submit(decided.headers["Location"], {}, action=None)
    shown = text(chair.client.get(decided.headers["Location"]))
    assert "Decision recorded: Local child safeguarding practice review" in shown
    assert "Police and health did not share what they knew." in shown  # the rapid review
    assert case.reload().decision.chair_name == "Pat Chair"


def test_the_decision_page_names_every_problem_at_once_the_chair_and_the_reviewers_declarations(
    browser, board
):
    """Corrections 4 and 11 (001 §5.6; 003 Appointing reviewers), with the date missing."""
    case = submitted_case(board)
    make_user("chair", board=board, name="Clara Chair")
    admin = browser("admin")
    page = admin.page(f"/cases/{case.case_id}/decision")
    assert "Which Chair made the decision?" in page and "Clara Chair" in page
    resp = admin.submit(
        f"/cases/{case.case_id}/decision",
        {
            "outcome": "serious_case_review",
            "decided_on": ["", "", ""],
            "rationale": "The criteria are met.",
            "lead_reviewers-0-name": "DS Khan",
            "lead_reviewers-0-organisation": "Merseyside Police",
            "lead_reviewers-0-declarations": ["involved_in_case"],
        },
        action=None,
    )
    assert resp.status_code == 422
    assert hrefs(resp) == [
        "#chair",
        "#decided_on-day",
        "#method",
        "#lead_reviewers-0-declarations",
        "#lead_reviewers-0-organisation",
        "#lead_reviewers-0-qualifications",
    ]
    assert case.reload().decision is None


def test_a_challenge_then_the_decision_kept_on_the_pages(browser, board):
    case = submitted_case(board)
    chair = browser("chair", name="Charles Chair")
    # A peer challenge while the Chair is considering the decision (003 checklist).
    page = chair.page(f"/cases/{case.case_id}/challenge")
    assert 'value="national_panel"' not in page
    assert (
        chair.submit(
            f"/cases/{case.case_id}/challenge",
            {"challenged_by": "peer", "challenged_on": TODAY, "summary": "Consider a smaller review."},
            action=None,
        ).status_code
        == 302
    )
    check = chair.answer(
        f"/cases/{case.case_id}/decision",
        {
            "outcome": "learning_review",
            "decided_on": TODAY,
            "rationale": "A learning review of this family is already under way this year.",
        },
        action=None,
    )
    chair.answer(check, {}, action=None)
    assert "Keep the decision" not in text(chair.client.get(f"/cases/{case.case_id}"))
    chair.answer(
        f"/cases/{case.case_id}/challenge",
        {"challenged_by": "national_panel", "challenged_on": TODAY, "summary": "The Panel asks for an SCR."},
        action=None,
    )
    assert "Keep the decision" in text(chair.client.get(f"/cases/{case.case_id}"))
    wrong = chair.submit(
        f"/cases/{case.case_id}/decision/confirm",
        {"confirmed_on": ["", "", ""], "rationale": "Kept"},
        action=None,
    )
    assert wrong.status_code == 422 and hrefs(wrong) == ["#confirmed_on-day", "#rationale"]
    kept = chair.submit(
        f"/cases/{case.case_id}/decision/confirm",
        {"confirmed_on": TODAY, "rationale": "The learning review remains proportionate to the case."},
        action=None,
    )
    assert kept.status_code == 302 and case.reload().challenges[-1].outcome is None
    check = text(chair.client.get(kept.headers["Location"]))
    assert (
        "Ofsted, the Department for Education and the National Panel of Independent Experts will be emailed"
        in check
    )
    kept = chair.submit(kept.headers["Location"], {}, action=None)
    assert kept.status_code == 302
    shown = text(chair.client.get(kept.headers["Location"]))
    assert "Kept after a challenge on" in shown and "Peer challenge sought before the decision" in shown
    assert case.reload().challenges[-1].outcome == "decision kept"


def test_the_referral_pages_take_a_child_known_to_no_agency_and_from_another_area(browser):
    b = browser("business_unit")
    check_url = walk(
        b,
        HARMED_JOURNEY,
        agencies={"agencies_involved": ["none"]},
        **{
            "where-the-child-lives": {
                "child_lives_in_area": "no",
                "home_board": "Cumbria LSCB",
                "other_boards": "Lancashire LSCB\n",
            }
        },
    )
    check = text(b.client.get(check_url))
    assert "None: no agency was involved with the child" in check and "In the area of Cumbria LSCB" in check
    assert send(b, check_url).status_code == 302
    case = Case.objects.get()
    assert (case.agencies_involved, case.home_board, case.other_boards) == (
        [],
        "Cumbria LSCB",
        ["Lancashire LSCB"],
    )
    assert "The child normally lives in the area of Cumbria LSCB" in text(
        b.client.get(f"/cases/{case.case_id}")
    )


def test_the_referral_pages_refuse_what_correction_12_refuses(browser):
    b = browser("business_unit")
    location = "/referrals/new"
    for slug, data in DIED_JOURNEY[:-1]:
        if slug == "summary":
            short = b.submit(location, {"summary": "x"})
            assert short.status_code == 422
            assert ("#summary", "Describe what happened in at least a sentence") in error_summary(text(short))
        location = b.answer(location, data)
    assert location.endswith("/child")
    born_after = date_parts(INCIDENT + timedelta(days=1))
    resp = b.submit(location, {"child_date_of_birth": born_after, "child_nhs_number": "943 476 5918"})
    assert resp.status_code == 422
    assert hrefs(resp) == ["#child_date_of_birth-day", "#child_nhs_number"]
    adult = date_parts(INCIDENT.replace(year=INCIDENT.year - 18))
    older = b.submit(location, {"child_date_of_birth": adult})
    assert "The child must have been under 18 on the date of the incident" in text(older)
