"""Issue 12's corrections to the wt2015 deadline rules, each test citing the seed it follows.

Expected dates are counted by hand as in test_rules.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.domain.deadline_rule import DeadlineRule, RulePack
from services.scheduler.domain.deadlines import STATUSES, compute_deadlines, count_statuses, deadline_status
from services.scheduler.domain.rules import RULE_PACKS
from tests.unit.scheduler.rule_helpers import ENGLAND, deadline, due_dates, full_case

# -- correction 2: the incident notification only for a notifiable incident ------------------------
# 003 "Notifiable Incidents": the local authority reports to Ofsted and the board an incident that
# meets one of the four criteria; one that meets none owes no report, so no deadline.


@pytest.mark.parametrize("pack", ["wt2015", "wt2015-north-west"])
def test_a_non_notifiable_incident_owes_no_incident_notification(pack):
    case = full_case()
    notifiable = {d.code for d in compute_deadlines(pack, case, "learning_review", ENGLAND)}
    not_notifiable = {
        d.code for d in compute_deadlines(pack, case, "learning_review", ENGLAND, notifiable=False)
    }
    assert "incident_notification" in notifiable
    assert not_notifiable == notifiable - {"incident_notification"}


def test_the_board_still_decides_on_a_non_notifiable_incident():
    # 003 checklist, "Decisions whether to initiate an SCR": the board decides on an incident
    # notified to it; the duty to decide does not depend on Ofsted having been told.
    got = compute_deadlines(
        "wt2015", {"board_notified_on": date(2026, 1, 5)}, None, ENGLAND, notifiable=False
    )
    assert [d.code for d in got] == ["scr_decision"]


# -- correction 6: late is not on time ---------------------------------------------------------------


DUE = date(2026, 4, 10)


@pytest.mark.parametrize(
    ("met_on", "status"),
    [
        (date(2026, 4, 9), "met"),
        (DUE, "met"),  # on the due date is on time
        (date(2026, 4, 13), "met_late"),  # the next working day is late
        (date(2026, 6, 1), "met_late"),
    ],
)
def test_a_deadline_met_after_its_due_date_is_met_late(met_on, status):
    today = date(2026, 7, 1)
    assert deadline_status(DUE, today, met_on, False, 3, ENGLAND) == status
    # whatever today is: met late stays met late
    assert deadline_status(DUE, met_on, met_on, False, 3, ENGLAND) == status


def test_a_waiver_wins_over_a_late_meeting():
    assert deadline_status(DUE, date(2026, 7, 1), date(2026, 6, 1), True, 3, ENGLAND) == "waived"


def test_the_statuses_and_their_figures():
    assert STATUSES == ("pending", "due_soon", "overdue", "met", "met_late", "waived")
    counts = count_statuses(["met", "met_late", "met_late", "overdue"])
    assert counts == {"pending": 0, "due_soon": 0, "overdue": 1, "met": 1, "met_late": 2, "waived": 0}


# -- correction 11: citations and scopes ---------------------------------------------------------------


def test_the_decision_notification_cites_the_003_checklist_not_001():
    # 003 checklist, "Decisions whether to initiate an SCR": Ofsted, DfE and the national panel
    # within five working days of the Chair's decision. 001 §3 says 14 days, to the National
    # Panel only: the North West rule, kept apart in wt2015-north-west.
    for pack in ("wt2015", "wt2015-north-west"):
        d = deadline("decision_notification", {"decided_on": date(2026, 2, 2)}, pack=pack)
        assert d.source == "003 SCR checklist (decisions whether to initiate an SCR)"
        assert "001" not in d.source
    d = deadline(
        "national_panel_decision_notification", {"decided_on": date(2026, 2, 2)}, pack="wt2015-north-west"
    )
    assert d.source == "001 §3" and "14 calendar days" in d.rule


CASE = {"incident_on": date(2026, 1, 15), "initiated_on": date(2026, 3, 2)}


def test_six_months_for_an_scr_cites_003():
    # 003 checklist, "Timescale for SCR completion": within six months of initiating it.
    d = deadline("review_completion", CASE, "serious_case_review")
    assert d.due == date(2026, 9, 2)
    assert d.source == "003 SCR checklist (timescale for SCR completion)"
    assert d.rule.startswith("The Serious Case Review aims to be complete by Wednesday 2 September 2026")


@pytest.mark.parametrize("kind", ["critical_incident_review", "learning_review"])
def test_six_months_for_a_multi_agency_review_below_the_threshold_cites_000_section_7(kind):
    # 000 §7: the board's case reviews (critical incident and learning reviews, 000 §1 and §3)
    # within six months of initiation and within 12 months of the incident.
    d = deadline("review_completion", CASE, kind)
    assert d.source == "000 §7"
    assert d.due == date(2026, 9, 2)  # 2 Mar + 6 months, before 15 Jan 2027


@pytest.mark.parametrize("pack", sorted(RULE_PACKS))
@pytest.mark.parametrize("kind", ["single_agency_review", "multi_agency_concise_review", "no_review"])
def test_no_completion_deadline_where_no_seed_sets_one(pack, kind):
    # 000 §2 (single agency: the agency's own approach) and 001 §4.3 (individual agency: decided
    # locally) set no timescale; nor does 001 §4.2 for concise reviews.
    case = {"decided_on": date(2026, 3, 2)} if kind == "no_review" else CASE
    assert "review_completion" not in due_dates(case, kind, pack=pack)


def test_two_rules_of_one_code_must_not_meet_in_one_case():
    def rule(kinds):
        return DeadlineRule("x", "decided_on", 1, "months", 1, "chair", "X", "test", applies_to=kinds)

    RulePack(
        "ok", "disjoint", (rule(frozenset({"learning_review"})), rule(frozenset({"serious_case_review"})))
    )
    with pytest.raises(ValueError, match="can apply to the same case"):
        RulePack("bad", "overlap", (rule(None), rule(frozenset({"serious_case_review"}))))
