"""Rule packs wt2018 and wt2023: the safeguarding partners' deadlines under the current guidance.

Sources as the research for issue 12 marks them: W18-3/W23-3 (the Panel within 5 working days
of becoming aware), W18-11 (rapid review: 15 working days from becoming aware, the 2018 text as
quoted) and W23-9 (15 working days from the notification to the Panel, the Panel's 2025
guidance), W18-20 (publication: at least a year). Dates counted by hand as in test_rules.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.domain.deadlines import compute_deadlines
from services.scheduler.domain.rules import RULE_PACKS
from tests.unit.scheduler.rule_helpers import ENGLAND, deadline, due_dates

AWARE = date(2026, 12, 21)  # Monday
PANEL_NOTIFIED = date(2026, 12, 23)  # Wednesday
CURRENT = ("wt2018", "wt2023")
LCSPR = "local_child_safeguarding_practice_review"


@pytest.mark.parametrize("pack", CURRENT)
def test_the_panel_is_notified_within_five_working_days_of_becoming_aware(pack):
    # Mon 21 Dec 2026: 22 (1), 23 (2), 24 (3), 25 hol, 26-27 wknd, 28 sub, 29 (4), Wed 30 Dec (5)
    d = deadline("incident_notification", {"became_aware_on": AWARE}, pack=pack)
    assert d.due == date(2026, 12, 30)
    assert d.concerns == "local_authority"
    assert "Child Safeguarding Practice Review Panel" in d.rule and "Ofsted" not in d.rule
    assert "s.16C(1)" in d.source
    chapter = {"wt2018": "Working Together 2018, chapter 4", "wt2023": "Working Together 2023, chapter 5"}
    assert d.source.startswith(chapter[pack])


def test_wt2018_rapid_review_counts_from_becoming_aware():
    # Mon 21 Dec 2026 + 15 working days: 22, 23, 24 (3), 29, 30, 31 (6), 4-8 Jan (11),
    # 11, 12, 13, Thu 14 Jan 2027 (15); 25 Dec, 28 Dec (sub) and 1 Jan are bank holidays
    d = deadline("rapid_review", {"became_aware_on": AWARE}, pack="wt2018")
    assert d.due == date(2027, 1, 14)
    assert d.concerns == "safeguarding_partners"
    assert "'The rapid review'" in d.source and "becoming aware" in d.source
    assert "after the local authority became aware of the incident on Monday 21 December 2026" in d.rule


def test_wt2023_rapid_review_counts_from_the_notification_to_the_panel():
    # Wed 23 Dec 2026 + 15 working days: 24 (1), 29, 30, 31 (4), 4-8 Jan (9), 11-15 Jan (14),
    # Mon 18 Jan 2027 (15)
    case = {"became_aware_on": AWARE, "panel_notified_on": PANEL_NOTIFIED}
    d = deadline("rapid_review", case, pack="wt2023")
    assert d.due == date(2027, 1, 18)
    assert "June 2025" in d.source and "notification to the Panel" in d.source
    # until the Panel has been notified, the rapid review's clock has not started
    assert "rapid_review" not in due_dates({"became_aware_on": AWARE}, pack="wt2023")


@pytest.mark.parametrize("pack", CURRENT)
def test_no_notification_and_no_rapid_review_for_a_case_that_is_not_notifiable(pack):
    # s.16C(1): only a serious child safeguarding case is notified to the Panel, and a rapid
    # review follows a notification (W23-10).
    case = {"became_aware_on": AWARE, "panel_notified_on": PANEL_NOTIFIED}
    assert compute_deadlines(pack, case, None, ENGLAND, notifiable=False) == []


def test_wt2018_publication_stays_available_for_at_least_a_year():
    d = deadline("publication_retention", {"published_on": date(2028, 2, 29)}, LCSPR, pack="wt2018")
    assert d.due == date(2029, 2, 28)
    assert "until at least" in d.rule and d.source.startswith("Working Together 2018, chapter 4")


# What the research could not cite (marked C or X) is left out, with a DOMAIN note in rules_current.
LEFT_OUT = {
    # W18-19 (C), W23-15 (X): no six-month completion for a local review
    "review_completion",
    # W18-21, W23-17 (X): no 7 working days before publication
    "pre_publication_copies",
    # W18-17 (X): no notice of the decision to the Panel, Ofsted and the DfE; the decision comes
    # out of the rapid review, whose deadline it is
    "decision_notification",
    "scr_decision",
    "national_panel_decision_notification",
    # 000 §9 is the Wirral board's practice, not the guidance's
    "action_plan_progress",
}


@pytest.mark.parametrize("pack", CURRENT)
def test_only_rules_the_research_could_cite(pack):
    everything = {
        "incident_on": date(2026, 12, 20),
        "became_aware_on": AWARE,
        "panel_notified_on": PANEL_NOTIFIED,
        "board_notified_on": PANEL_NOTIFIED,
        "decided_on": date(2027, 1, 20),
        "initiated_on": date(2027, 2, 1),
        "planned_publication_on": date(2027, 9, 1),
        "published_on": date(2027, 9, 1),
        "action_plan_agreed_on": date(2027, 9, 1),
    }
    codes = {d.code for d in compute_deadlines(pack, everything, LCSPR, ENGLAND)}
    expected = {"wt2018": {"incident_notification", "rapid_review", "publication_retention"}}
    # W23-16 (C): the year online is not attributed to the 2023 text
    assert codes == expected.get(pack, {"incident_notification", "rapid_review"})
    assert not codes & LEFT_OUT


@pytest.mark.parametrize("pack", CURRENT)
def test_the_current_packs_speak_of_the_partners_and_the_panel(pack):
    for rule in RULE_PACKS[pack].rules:
        assert "LSCB" not in rule.description and "board" not in rule.description
        assert "National Panel" not in rule.description
        assert "Working Together 20" in rule.source or "Panel" in rule.source
        assert "¶" not in rule.source and "§" not in rule.source  # no paragraph numbers were checked
