"""Screening under the current guidance (packs ``wt2018``, ``wt2023``) and issue 12's corrections to
``wt2015``'s screening: each test names the seed section or the research row it rests on
(/tmp/wt-research.md ids: W18-n, W23-n, Ln)."""

from __future__ import annotations

import re

import pytest

from services.referral.domain.screening import RULE_PACKS, Facts, screen
from services.referral.domain.screening.wt2018 import WT2018
from services.referral.domain.screening.wt2023 import WT2023
from shared.auth.models import RULE_PACKS as BOARD_RULE_PACKS

CURRENT = ("wt2018", "wt2023")
# Every reason of a current pack cites the statute, the regulations, the guidance by chapter, or
# the Panel's own pages (paragraph numbers were not found: none is invented).
CURRENT_SOURCE = re.compile(
    r"(Children Act 2004 s\.16|SI 2018/789 reg \d+|WT20(18|23) ch\. [45]|Panel|gov\.uk)"
)


def facts(**given) -> Facts:
    return Facts(**{"abuse_or_neglect": "not_suspected", **given})


def codes(s) -> list[str]:
    return [r.code for r in s.reasons]


def test_a_board_may_choose_every_pack_the_screening_has():
    assert set(RULE_PACKS) == set(BOARD_RULE_PACKS) == {"wt2015", "wt2015-north-west", "wt2018", "wt2023"}


# -- wt2018 / wt2023: serious child safeguarding cases (W18-1, W23-1; Children Act 2004 s.16C(1)) --


@pytest.mark.parametrize("pack", CURRENT)
@pytest.mark.parametrize(
    "given, serious",
    [
        ({"child_died": True, "abuse_or_neglect": "suspected"}, True),
        ({"seriously_harmed": True, "abuse_or_neglect": "known"}, True),
        ({"child_died": True, "suspected_suicide": True, "abuse_or_neglect": "known"}, True),
        ({"abuse_or_neglect": "known"}, False),  # neither died nor seriously harmed
        ({"child_died": True}, False),  # abuse or neglect not known or suspected
        ({"seriously_harmed": True, "interagency_concern": "yes"}, False),
    ],
)
def test_a_serious_child_safeguarding_case_is_abuse_or_neglect_and_death_or_serious_harm(
    pack, given, serious
):
    s = screen(facts(**given), pack)
    assert s.rule_pack == pack
    assert ("serious_child_safeguarding_case" in s.notifiable_grounds) is serious
    assert ("rapid_review.required" in codes(s)) is serious
    assert RULE_PACKS[pack].is_serious_case(s.notifiable_grounds) is serious
    # No Serious Case Reviews after 2018: no SCR, no SCR method.
    assert s.scr_required is False and s.scr_grounds == () and s.suggested_method is None


@pytest.mark.parametrize("pack", CURRENT)
def test_the_panel_is_notified_within_5_working_days_and_shares_it_with_dfe_and_ofsted(pack):
    """W18-3, W18-5, W23-3: the local authority notifies the Child Safeguarding Practice Review Panel."""
    s = screen(facts(child_died=True, abuse_or_neglect="known"), pack)
    note = next(r for r in s.reasons if r.code == "notifiable.notify_panel_within_5_working_days")
    assert "Child Safeguarding Practice Review Panel within 5 working days" in note.text
    assert "Ofsted" in note.text and "Department for Education" in note.text
    assert "National Panel of Independent Experts" not in " ".join(r.text for r in s.reasons)


@pytest.mark.parametrize("pack", CURRENT)
def test_a_looked_after_childs_death_is_notified_to_the_secretary_of_state_and_ofsted(pack):
    """W18-6, W23-4: whether or not abuse or neglect is suspected; not by itself a serious case."""
    s = screen(facts(child_died=True, looked_after=True), pack)
    assert s.notifiable_grounds == ("looked_after_child_death",)
    assert "Secretary of State and Ofsted" in s.reasons[0].text
    assert "rapid_review.required" not in codes(s)


@pytest.mark.parametrize("pack", CURRENT)
def test_regulated_settings_and_custody_have_no_rule_of_their_own_after_2018(pack):
    """W18-7, W23-7 not found (DOMAIN note): a death at a childminder's, or in custody, without
    abuse or neglect suspected, is neither notifiable nor a serious case."""
    s = screen(facts(child_died=True, regulated_setting="childminder", custody_setting="remand"), pack)
    assert s.notifiable is False and s.recommended == "no_review"
    assert {
        "notifiable.regulated_setting_has_no_rule_of_its_own",
        "scr.settings_have_no_rule_of_their_own",
    } <= set(codes(s))


@pytest.mark.parametrize("pack", CURRENT)
@pytest.mark.parametrize(
    "concern, recommended, row",
    [
        ("yes", "local_child_safeguarding_practice_review", "serious_case_concern"),
        ("unclear", "local_child_safeguarding_practice_review", "serious_case_concern"),
        ("no", "no_review", "serious_case_no_concern"),
    ],
)
def test_the_recommendation_is_a_rapid_review_then_perhaps_a_local_review_reg_11(
    pack, concern, recommended, row
):
    """W18-10, W18-14, L11: the rapid review decides next steps against SI 2018/789 reg 11."""
    s = screen(facts(seriously_harmed=True, abuse_or_neglect="suspected", interagency_concern=concern), pack)
    assert (s.recommended, s.options[0]) == (recommended, recommended)
    assert set(s.options) == {"local_child_safeguarding_practice_review", "no_review"}
    reason = next(r for r in s.reasons if r.code == f"recommended.{row}")
    assert "SI 2018/789 reg 11" in reason.source and "rapid review" in reason.text


@pytest.mark.parametrize(
    "pack, partners", [("wt2018", "clinical commissioning group"), ("wt2023", "integrated care board")]
)
def test_the_safeguarding_partners_decide_named_as_the_edition_names_them(pack, partners):
    """W18-13, W23-13, W23-18; L8 (Children Act 2004 s.16E: CCG, later ICB)."""
    s = screen(facts(child_died=True, abuse_or_neglect="known"), pack)
    decide = next(r for r in s.reasons if r.code == "decision.safeguarding_partners_decide")
    assert partners in decide.text and "s.16F(1)" in decide.source
    assert "LSCB" not in " ".join(r.text for r in s.reasons)


@pytest.mark.parametrize("pack", CURRENT)
def test_every_reason_of_a_current_pack_cites_statute_regulation_guidance_or_panel(pack):
    for given in (
        {"child_died": True, "abuse_or_neglect": "known", "suspected_suicide": True},
        {"seriously_harmed": True, "abuse_or_neglect": "suspected", "interagency_concern": "no"},
        {"child_died": True, "looked_after": True, "custody_setting": "remand"},
        {},
    ):
        for reason in screen(facts(**given), pack).reasons:
            assert CURRENT_SOURCE.search(reason.source), (reason.code, reason.source)
            assert "¶" not in reason.source  # no invented paragraph numbers


def test_the_2018_pack_cites_chapter_4_and_the_2023_pack_chapter_5():
    f = facts(child_died=True, abuse_or_neglect="known")
    sources_2018 = " ".join(r.source for r in WT2018.evaluate(f).reasons)
    sources_2023 = " ".join(r.source for r in WT2023.evaluate(f).reasons)
    assert "WT2018 ch. 4 'The rapid review'" in sources_2018 and "WT2023" not in sources_2018
    assert "WT2023 ch. 5" in sources_2023 and "WT2018" not in sources_2023


@pytest.mark.parametrize("pack", CURRENT)
def test_cross_border_the_incident_area_leads_the_rapid_review_with_the_home_area(pack):
    """W23-10 (Panel FAQs); 003 checklist / 004 for wt2015 below."""
    (home,) = RULE_PACKS[pack].cross_border_reasons("Cumbria Safeguarding Partnership", [])
    assert home.code == "cross_border.home_board" and "Cumbria Safeguarding Partnership" in home.text
    assert "rapid review" in home.text and "Panel" in home.source


# -- wt2015: corrections 1, 8, 9, 10 --------------------------------------------------------------


@pytest.mark.parametrize(
    "setting",
    [
        {"custody_setting": "police_custody"},
        {"detained_mental_health_act": True},
        {"deprivation_of_liberty_order": True},
    ],
)
def test_correction_1_a_harmed_child_held_is_screened_on_the_other_criteria_003_para_20(setting):
    """003 ¶20 makes only a *death* in those settings decisive; abuse suspected + concern about
    how agencies worked together makes an SCR required (003 reg 5(2)(b)(ii))."""
    s = screen(
        facts(seriously_harmed=True, abuse_or_neglect="suspected", interagency_concern="yes", **setting)
    )
    assert s.scr_grounds == ("serious_harm_interagency_concern",)
    note = next(r for r in s.reasons if r.code == "scr.setting_without_death")
    assert note.source == "003 ¶20"
    unharmed_by_abuse = screen(facts(seriously_harmed=True, **setting))
    assert unharmed_by_abuse.scr_required is False and unharmed_by_abuse.notifiable is False


@pytest.mark.parametrize(
    "given, method, row",
    [
        # 001 §5.4 (1): a death in custody where abuse or neglect is not known or suspected.
        (
            {"child_died": True, "custody_setting": "young_offender_institution"},
            "targeted",
            "targeted.custody_without_abuse",
        ),
        (
            {"child_died": True, "detained_mental_health_act": True},
            "targeted",
            "targeted.custody_without_abuse",
        ),
        # 001 §5.3: the criteria met with abuse or neglect suspected: very serious.
        ({"child_died": True, "abuse_or_neglect": "suspected"}, "intensive", "intensive.criteria_met"),
        (
            {"child_died": True, "abuse_or_neglect": "known", "custody_setting": "remand"},
            "intensive",
            "intensive.criteria_met",
        ),
        # 001 §5.4 (2): an SCR commissioned though the threshold is not met.
        (
            {"seriously_harmed": True, "abuse_or_neglect": "known", "interagency_concern": "no"},
            "targeted",
            "targeted.criteria_not_met",
        ),
    ],
)
def test_correction_9_the_screening_suggests_a_method_with_its_reason_001_5_3_and_5_4(given, method, row):
    for pack in ("wt2015", "wt2015-north-west"):
        s = screen(facts(**given), pack)
        assert s.suggested_method == method and s.as_dict()["suggested_method"] == method
        reason = next(r for r in s.reasons if r.code == f"method.{row}")
        assert reason.source.startswith("001 §5.")


def test_correction_10_the_chair_may_review_how_learning_already_identified_is_embedded_001_4_2():
    s = screen(facts(abuse_or_neglect="suspected", interagency_concern="yes"))
    assert s.recommended == "multi_agency_concise_review"
    assert "embedded_learning_review" in s.options and "embedded_learning_review" != s.recommended
    note = next(r for r in s.reasons if r.code == "decision.learning_already_identified")
    assert note.source == "001 §4.2"
    assert "embedded_learning_review" not in screen(facts(abuse_or_neglect="known"), "wt2023").options


def test_correction_8_cross_border_the_home_board_decides_003_checklist_and_others_are_involved_004():
    home, others = RULE_PACKS["wt2015"].cross_border_reasons(
        "Cumbria LSCB", ["Lancashire LSCB", "Bolton LSCB"]
    )
    assert "Cumbria LSCB" in home.text and "decides" in home.text
    assert home.source.startswith("003 SCR checklist")
    assert "Lancashire LSCB, Bolton LSCB" in others.text and others.source.startswith("004")
    assert RULE_PACKS["wt2015"].cross_border_reasons(None, []) == []


def test_correction_3_a_decision_not_to_hold_an_scr_needs_its_reasons_001_3():
    s = screen(facts(abuse_or_neglect="suspected"))
    note = next(r for r in s.reasons if r.code == "decision.chair_may_commission_scr")
    assert "reasons" in note.text and "001 §3" in note.source
