"""Statutory screening, rule pack wt2015: every rule in DOMAIN.md's screening sections."""

from __future__ import annotations

import ast
import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from services.referral.domain.screening import (
    CUSTODY_SETTINGS,
    DEFAULT_RULE_PACK,
    REGULATED_SETTINGS,
    RULE_PACKS,
    Facts,
    InvalidFacts,
    Screening,
    UnknownRulePack,
    screen,
    wt2015,
)

ALL_KINDS = {
    "serious_case_review",
    "critical_incident_review",
    "learning_review",
    "multi_agency_concise_review",
    "single_agency_review",
    "embedded_learning_review",
    "no_review",
}
NOTIFIABLE_GROUNDS = {
    "death_abuse_neglect",
    "serious_harm_abuse_neglect",
    "looked_after_child_death",
    "regulated_setting_death",
    "scr_criteria_met",
}
SCR_GROUNDS = {
    "death_abuse_neglect",
    "serious_harm_interagency_concern",
    "death_in_custody",
    "death_detained_mental_health_act",
    "death_deprivation_of_liberty",
}
SOURCE = re.compile(r"^00[0-4] (¶\d+|§\d|[A-Z])")


def make_facts(**overrides) -> Facts:
    values = {"abuse_or_neglect": "not_suspected"}
    values.update(overrides)
    return Facts(**values)


def run(**overrides) -> Screening:
    return screen(make_facts(**overrides))


def codes(s: Screening) -> list[str]:
    return [r.code for r in s.reasons]


def reason(s: Screening, code: str):
    found = [r for r in s.reasons if r.code == code]
    assert len(found) == 1, f"expected one reason {code!r}, got {codes(s)}"
    return found[0]


# -- Notifiable incidents (003 "Notifiable Incidents"; 003 ¶15) ------------------------------


@pytest.mark.parametrize(
    "overrides, grounds",
    [
        # 1. died, abuse or neglect known or suspected (always an SCR too, so scr_criteria_met)
        (
            {"child_died": True, "abuse_or_neglect": "known"},
            ("death_abuse_neglect", "scr_criteria_met"),
        ),
        # 2. seriously harmed, abuse suspected, clearly no inter-agency concern (so no SCR)
        (
            {
                "seriously_harmed": True,
                "abuse_or_neglect": "suspected",
                "interagency_concern": "no",
            },
            ("serious_harm_abuse_neglect",),
        ),
        # 3. looked-after child died, abuse not suspected
        ({"child_died": True, "looked_after": True}, ("looked_after_child_death",)),
        # 4. died in a regulated setting, abuse not suspected
        ({"child_died": True, "regulated_setting": "childminder"}, ("regulated_setting_death",)),
        # 003 ¶15: meets SCR criteria only through ¶20
        ({"child_died": True, "detained_mental_health_act": True}, ("scr_criteria_met",)),
    ],
)
def test_each_notifiable_ground_on_its_own(overrides, grounds):
    s = run(**overrides)
    assert s.notifiable is True
    assert s.notifiable_grounds == grounds


@pytest.mark.parametrize("abuse", ["known", "suspected"])
def test_death_with_known_or_suspected_abuse_is_notifiable(abuse):
    s = run(child_died=True, abuse_or_neglect=abuse)
    assert "death_abuse_neglect" in s.notifiable_grounds


@pytest.mark.parametrize("concern", ["yes", "no", "unclear"])
def test_serious_harm_with_abuse_is_notifiable_whatever_the_interagency_concern(concern):
    s = run(seriously_harmed=True, abuse_or_neglect="known", interagency_concern=concern)
    assert "serious_harm_abuse_neglect" in s.notifiable_grounds


def test_serious_harm_without_suspected_abuse_is_not_notifiable():
    s = run(seriously_harmed=True, interagency_concern="yes")
    assert (s.notifiable, s.notifiable_grounds) == (False, ())
    assert "notifiable.none" in codes(s)


def test_death_without_suspected_abuse_is_not_notifiable_when_nothing_else_applies():
    s = run(child_died=True)
    assert (s.notifiable, s.scr_required) == (False, False)
    assert s.recommended == "no_review"
    assert "scr.not_required.abuse_not_suspected" in codes(s)


@pytest.mark.parametrize(
    "overrides, ground",
    [
        ({"looked_after": True}, "looked_after_child_death"),
        ({"regulated_setting": "independent_fostering_agency"}, "regulated_setting_death"),
        ({"custody_setting": "police_custody"}, "scr_criteria_met"),
        ({"detained_mental_health_act": True}, "scr_criteria_met"),
        ({"deprivation_of_liberty_order": True, "child_age": 17}, "scr_criteria_met"),
    ],
)
def test_death_without_suspected_abuse_is_notifiable_in_these_circumstances(overrides, ground):
    s = run(child_died=True, abuse_or_neglect="not_suspected", **overrides)
    assert s.notifiable_grounds == (ground,)


def test_looked_after_child_alive_and_unharmed_is_not_notifiable():
    s = run(looked_after=True, regulated_setting="childrens_home")
    assert s.notifiable is False


def test_looked_after_death_without_abuse_is_notifiable_but_needs_no_scr():
    s = run(child_died=True, looked_after=True)
    assert s.notifiable is True
    assert s.scr_required is False
    assert s.scr_grounds == ()
    assert "scr.not_required.abuse_not_suspected" in codes(s)


@pytest.mark.parametrize("setting", sorted(set(REGULATED_SETTINGS) - {"secure_childrens_home"}))
def test_death_in_each_regulated_setting_is_notifiable_but_needs_no_scr(setting):
    s = run(child_died=True, regulated_setting=setting)
    assert s.notifiable_grounds == ("regulated_setting_death",)
    assert s.scr_required is False
    assert reason(s, "notifiable.regulated_setting_death").source.startswith("003 Notifiable Incidents")


def test_regulated_settings_are_the_eleven_of_the_guidance():
    assert len(REGULATED_SETTINGS) == 11
    assert "secure_childrens_home" in REGULATED_SETTINGS


@pytest.mark.parametrize("setting", REGULATED_SETTINGS)
def test_serious_harm_in_a_regulated_setting_without_abuse_is_not_notifiable(setting):
    s = run(seriously_harmed=True, regulated_setting=setting)
    assert s.notifiable is False


@pytest.mark.parametrize(
    "overrides",
    [
        {"regulated_setting": "secure_childrens_home"},
        {"custody_setting": "secure_childrens_home"},
    ],
    ids=["named-as-regulated-setting", "named-as-custody-setting"],
)
def test_death_in_a_secure_childrens_home_is_both_a_regulated_and_a_custody_death(overrides):
    s = run(child_died=True, **overrides)
    assert s.notifiable_grounds == ("regulated_setting_death", "scr_criteria_met")
    assert s.scr_grounds == ("death_in_custody",)


def test_notifiable_incident_carries_the_five_working_day_deadline():
    s = run(child_died=True, looked_after=True)
    r = reason(s, "notifiable.report_within_5_working_days")
    assert "5 working days" in r.text
    assert r.source == "003 Notifiable Incidents"
    assert "notifiable.report_within_5_working_days" not in codes(run(seriously_harmed=True))


# -- When an SCR is required (003 "Serious Case Reviews"; reg 5(2); ¶20) ---------------------


@pytest.mark.parametrize(
    "overrides, grounds",
    [
        ({"child_died": True, "abuse_or_neglect": "suspected"}, ("death_abuse_neglect",)),
        (
            {"seriously_harmed": True, "abuse_or_neglect": "known", "interagency_concern": "yes"},
            ("serious_harm_interagency_concern",),
        ),
        ({"child_died": True, "custody_setting": "remand"}, ("death_in_custody",)),
        (
            {"child_died": True, "detained_mental_health_act": True},
            ("death_detained_mental_health_act",),
        ),
        (
            {"child_died": True, "deprivation_of_liberty_order": True, "child_age": 16},
            ("death_deprivation_of_liberty",),
        ),
    ],
)
def test_each_scr_ground_on_its_own(overrides, grounds):
    s = run(**overrides)
    assert s.scr_required is True
    assert s.scr_grounds == grounds
    assert "scr_criteria_met" in s.notifiable_grounds
    assert s.recommended == "serious_case_review"


@pytest.mark.parametrize("setting", CUSTODY_SETTINGS)
def test_death_in_each_custody_setting_requires_an_scr_without_abuse(setting):
    s = run(child_died=True, custody_setting=setting, abuse_or_neglect="not_suspected")
    assert s.scr_grounds == ("death_in_custody",)
    assert s.notifiable is True
    assert "scr_criteria_met" in s.notifiable_grounds
    assert reason(s, "scr.death_in_custody").source == "003 ¶20"


def test_custody_settings_are_the_seven_of_paragraph_20():
    assert set(CUSTODY_SETTINGS) == {
        "custody",
        "police_custody",
        "remand",
        "following_sentence",
        "young_offender_institution",
        "secure_training_centre",
        "secure_childrens_home",
    }


def test_custody_death_without_abuse_is_notifiable_only_because_it_meets_scr_criteria():
    s = run(child_died=True, custody_setting="young_offender_institution")
    assert s.notifiable_grounds == ("scr_criteria_met",)
    assert reason(s, "notifiable.scr_criteria_met").source == "003 ¶15"


@pytest.mark.parametrize(
    "age, required",
    [(0, False), (15, False), (16, True), (17, True)],
)
def test_deprivation_of_liberty_requires_an_scr_only_at_16_or_17(age, required):
    s = run(child_died=True, deprivation_of_liberty_order=True, child_age=age)
    assert s.scr_required is required
    assert ("death_deprivation_of_liberty" in s.scr_grounds) is required
    assert ("scr.deprivation_of_liberty_under_16" in codes(s)) is (not required)


def test_age_alone_without_an_order_triggers_nothing():
    s = run(child_died=True, child_age=17)
    assert s.scr_required is False


def test_a_15_year_old_under_an_order_still_gets_an_scr_when_abuse_is_suspected():
    s = run(
        child_died=True,
        deprivation_of_liberty_order=True,
        child_age=15,
        abuse_or_neglect="suspected",
    )
    assert s.scr_grounds == ("death_abuse_neglect",)


def test_suspected_suicide_counts_as_a_death():
    s = run(child_died=True, suspected_suicide=True, abuse_or_neglect="suspected")
    assert s.scr_grounds == ("death_abuse_neglect",)
    assert "death_abuse_neglect" in s.notifiable_grounds
    assert "suspected_suicide_counts_as_death" in codes(s)


def test_suspected_suicide_without_suspected_abuse_needs_no_scr():
    s = run(child_died=True, suspected_suicide=True)
    assert (s.notifiable, s.scr_required) == (False, False)


@pytest.mark.parametrize("concern, required", [("yes", True), ("unclear", True), ("no", False)])
def test_serious_harm_needs_an_scr_unless_it_is_clear_there_is_no_interagency_concern(concern, required):
    s = run(seriously_harmed=True, abuse_or_neglect="suspected", interagency_concern=concern)
    assert s.scr_required is required
    assert ("scr.unclear_interagency_concern_counts" in codes(s)) is (concern == "unclear")


def test_interagency_concern_defaults_to_unclear_and_so_counts():
    s = run(seriously_harmed=True, abuse_or_neglect="known")
    assert s.scr_grounds == ("serious_harm_interagency_concern",)


def test_serious_harm_with_clearly_no_concern_explains_why_no_scr():
    s = run(seriously_harmed=True, abuse_or_neglect="known", interagency_concern="no")
    r = reason(s, "scr.not_required.no_interagency_concern")
    assert "not required" in r.text
    assert r.source.startswith("003 Serious Case Reviews")


def test_death_needs_no_interagency_concern():
    s = run(child_died=True, abuse_or_neglect="known", interagency_concern="no")
    assert s.scr_grounds == ("death_abuse_neglect",)


@pytest.mark.parametrize("abuse", ["known", "suspected"])
def test_abuse_without_death_or_serious_harm_needs_no_scr(abuse):
    s = run(abuse_or_neglect=abuse, interagency_concern="yes")
    assert (s.notifiable, s.scr_required) == (False, False)
    assert "scr.not_required.no_death_or_serious_harm" in codes(s)


def test_several_grounds_are_all_reported_in_pack_order():
    s = run(
        child_died=True,
        seriously_harmed=True,
        abuse_or_neglect="known",
        interagency_concern="yes",
        looked_after=True,
        custody_setting="secure_childrens_home",
        detained_mental_health_act=True,
        deprivation_of_liberty_order=True,
        child_age=16,
    )
    assert s.scr_grounds == tuple(wt2015.SCR_GROUNDS)
    assert s.notifiable_grounds == tuple(wt2015.NOTIFIABLE_GROUNDS)


# -- Reasons and sources ---------------------------------------------------------------------

SCENARIOS = [
    {"child_died": True, "abuse_or_neglect": "known", "suspected_suicide": True},
    {"seriously_harmed": True, "abuse_or_neglect": "suspected"},
    {"seriously_harmed": True, "abuse_or_neglect": "suspected", "interagency_concern": "no"},
    {"child_died": True, "looked_after": True, "regulated_setting": "childrens_home"},
    {
        "child_died": True,
        "custody_setting": "secure_training_centre",
        "detained_mental_health_act": True,
    },
    {"child_died": True, "deprivation_of_liberty_order": True, "child_age": 17},
    {"abuse_or_neglect": "known", "interagency_concern": "yes"},
    {},
]


@pytest.mark.parametrize("overrides", SCENARIOS)
def test_every_ground_and_the_recommendation_carry_a_reason_with_a_source(overrides):
    s = run(**overrides)
    for g in s.notifiable_grounds:
        r = reason(s, f"notifiable.{g}")
        assert SOURCE.match(r.source), r.source
        assert r.text
    for g in s.scr_grounds:
        r = reason(s, f"scr.{g}")
        assert SOURCE.match(r.source), r.source
    recs = [r for r in s.reasons if r.code.startswith("recommended.")]
    assert len(recs) == 1
    assert SOURCE.match(recs[0].source)
    assert all(SOURCE.match(r.source) and r.text and r.code for r in s.reasons)


def test_reasons_have_stable_unique_codes():
    s = run(**SCENARIOS[0])
    assert len(codes(s)) == len(set(codes(s)))
    assert codes(s)[:3] == [
        "notifiable.death_abuse_neglect",
        "notifiable.scr_criteria_met",
        "scr.death_abuse_neglect",
    ]


@pytest.mark.parametrize(
    "code, source",
    [
        ("notifiable.death_abuse_neglect", "003 Notifiable Incidents"),
        ("notifiable.scr_criteria_met", "003 ¶15"),
        ("scr.death_abuse_neglect", "003 Serious Case Reviews (reg 5(2)(a), (b)(i))"),
        ("child_death_review_applies", "003 ¶8"),
        ("decision.alternative_needs_justification", "003 SCR checklist; 001 §3"),
    ],
)
def test_sources_name_seed_and_section(code, source):
    assert reason(run(**SCENARIOS[0]), code).source == source


# -- Recommendation and options --------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, recommended, row",
    [
        (
            {"child_died": True, "abuse_or_neglect": "known"},
            "serious_case_review",
            "scr_criteria_met",
        ),
        (
            {"seriously_harmed": True, "abuse_or_neglect": "known", "interagency_concern": "no"},
            "single_agency_review",
            "serious_harm_no_interagency_concern",
        ),
        (
            {"child_died": True, "looked_after": True, "interagency_concern": "no"},
            "single_agency_review",
            "death_in_care_no_interagency_concern",
        ),
        ({"child_died": True, "looked_after": True}, "critical_incident_review", "death_in_care"),
        (
            {"child_died": True, "regulated_setting": "childminder", "interagency_concern": "yes"},
            "critical_incident_review",
            "death_in_care",
        ),
        (
            {"seriously_harmed": True, "interagency_concern": "yes"},
            "critical_incident_review",
            "harm_without_abuse_interagency_concern",
        ),
        (
            {"child_died": True, "interagency_concern": "yes"},
            "critical_incident_review",
            "harm_without_abuse_interagency_concern",
        ),
        (
            {"abuse_or_neglect": "suspected", "interagency_concern": "yes"},
            "multi_agency_concise_review",
            "abuse_below_threshold_interagency_concern",
        ),
        (
            {"abuse_or_neglect": "known"},
            "critical_incident_review",
            "harmed_below_threshold_concern_unclear",
        ),
        (
            {"abuse_or_neglect": "suspected"},
            "learning_review",
            "could_have_been_harmed_concern_unclear",
        ),
        (
            {"abuse_or_neglect": "known", "interagency_concern": "no"},
            "single_agency_review",
            "abuse_below_threshold_no_interagency_concern",
        ),
        ({}, "no_review", "nothing_suggests_learning"),
        ({"seriously_harmed": True}, "no_review", "nothing_suggests_learning"),
        (
            {"child_died": True, "interagency_concern": "no"},
            "no_review",
            "nothing_suggests_learning",
        ),
    ],
)
def test_recommendation_for_each_branch(overrides, recommended, row):
    s = run(**overrides)
    assert s.recommended == recommended
    assert f"recommended.{row}" in codes(s)
    assert s.options[0] == recommended
    assert set(s.options) == ALL_KINDS
    assert len(s.options) == len(ALL_KINDS)


def test_scr_required_lists_scr_first_and_still_lists_the_alternatives():
    s = run(child_died=True, custody_setting="police_custody")
    assert s.options == (
        "serious_case_review",
        "critical_incident_review",
        "learning_review",
        "multi_agency_concise_review",
        "single_agency_review",
        "embedded_learning_review",
        "no_review",
    )
    assert "justified in writing" in reason(s, "decision.alternative_needs_justification").text
    assert "decision.chair_may_commission_scr" not in codes(s)


def test_chair_may_commission_an_scr_when_none_is_required():
    s = run()
    assert "serious_case_review" in s.options
    assert "decision.chair_may_commission_scr" in codes(s)
    assert "decision.alternative_needs_justification" not in codes(s)


def test_every_death_mentions_the_child_death_review_process():
    assert "child_death_review_applies" in codes(run(child_died=True))
    assert "child_death_review_applies" not in codes(run(seriously_harmed=True))


def test_every_recommendation_row_cites_a_seed_and_recommends_a_known_kind():
    for row in wt2015.RECOMMENDATIONS:
        assert row.recommended in ALL_KINDS
        assert SOURCE.match(row.source), row.source
    assert wt2015.RECOMMENDATIONS[-1].recommended == "no_review"


# -- Invariants over every valid combination of facts ----------------------------------------


def _all_valid_facts():
    for (
        died,
        harmed,
        abuse,
        concern,
        looked_after,
        regulated,
        custody,
        mha,
        dol_age,
    ) in itertools.product(
        (False, True),
        (False, True),
        ("known", "suspected", "not_suspected"),
        ("yes", "no", "unclear"),
        (False, True),
        (None, "childminder", "secure_childrens_home"),
        (None, "police_custody"),
        (False, True),
        (None, 15, 16),
    ):
        yield make_facts(
            child_died=died,
            seriously_harmed=harmed,
            abuse_or_neglect=abuse,
            interagency_concern=concern,
            looked_after=looked_after,
            regulated_setting=regulated,
            custody_setting=custody,
            detained_mental_health_act=mha,
            deprivation_of_liberty_order=dol_age is not None,
            child_age=dol_age,
        )


def test_invariants_hold_for_every_combination():
    rows_used = set()
    for facts in _all_valid_facts():
        s = screen(facts)
        assert s.scr_required == (s.recommended == "serious_case_review"), facts
        assert s.scr_required == ("scr_criteria_met" in s.notifiable_grounds), facts
        assert not (s.notifiable and s.recommended == "no_review"), facts
        assert set(s.notifiable_grounds) <= NOTIFIABLE_GROUNDS
        assert set(s.scr_grounds) <= SCR_GROUNDS
        assert s.notifiable == bool(s.notifiable_grounds)
        assert s.options[0] == s.recommended and set(s.options) == ALL_KINDS
        assert all(SOURCE.match(r.source) for r in s.reasons)
        rows_used.update(r.code for r in s.reasons if r.code.startswith("recommended."))
    assert rows_used == {f"recommended.{row.row}" for row in wt2015.RECOMMENDATIONS}


# -- Output shape and registry ---------------------------------------------------------------


def test_as_dict_has_exactly_the_documented_shape_and_is_json():
    d = run(child_died=True, abuse_or_neglect="known").as_dict()
    assert list(d) == [
        "notifiable",
        "notifiable_grounds",
        "scr_required",
        "scr_grounds",
        "recommended",
        "options",
        "rule_pack",
        "suggested_method",
        "reasons",
    ]
    assert d["rule_pack"] == "wt2015"
    assert d["notifiable_grounds"] == ["death_abuse_neglect", "scr_criteria_met"]
    assert all(set(r) == {"code", "text", "source"} for r in d["reasons"])
    assert json.loads(json.dumps(d)) == d


def test_registry_holds_wt2015_and_it_is_the_default():
    assert DEFAULT_RULE_PACK == "wt2015"
    assert RULE_PACKS["wt2015"].id == "wt2015"
    assert screen(make_facts(), "wt2015") == screen(make_facts())


@pytest.mark.parametrize(
    "overrides",
    [
        {"child_died": True, "abuse_or_neglect": "suspected"},
        {"seriously_harmed": True, "abuse_or_neglect": "known", "interagency_concern": "no"},
        {"abuse_or_neglect": "suspected", "interagency_concern": "unclear"},
        {"child_died": True, "abuse_or_neglect": "not_suspected", "looked_after": True},
    ],
)
def test_the_north_west_pack_screens_by_working_together_2015_under_its_own_name(overrides):
    facts = make_facts(**overrides)
    north_west = screen(facts, "wt2015-north-west")
    assert north_west.rule_pack == "wt2015-north-west"
    assert replace(north_west, rule_pack="wt2015") == screen(facts, "wt2015")


def test_every_pack_screening_names_is_one_the_scheduler_keeps_deadlines_for():
    # A case carries its pack's name in its events; the scheduler picks its deadlines by it.
    from services.scheduler.domain.rules import RULE_PACKS as SCHEDULER_PACKS

    assert set(RULE_PACKS) <= set(SCHEDULER_PACKS)


def test_every_pack_recommends_only_kinds_the_chair_may_record():
    # The API's contract lists the Chair's outcomes as the kinds a screening may recommend.
    from services.referral.domain.decision import OUTCOMES

    assert all(set(pack.review_kinds) <= set(OUTCOMES) for pack in RULE_PACKS.values())


def test_unknown_rule_pack_is_refused():
    with pytest.raises(UnknownRulePack) as exc:
        screen(make_facts(), "wt2099")
    assert exc.value.field == "rule_pack"
    assert "wt2099" in exc.value.message


def test_domain_modules_import_no_framework():
    domain = Path(__file__).resolve().parents[3] / "services" / "referral" / "domain"
    forbidden = {"flask", "mongoengine", "kombu", "marshmallow", "wtforms"}
    checked = 0
    for path in domain.rglob("*.py"):
        checked += 1
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {n.split(".")[0] for n in names} & forbidden, (path.name, names)
    assert checked >= 10  # every module of the domain, the screening's included


# -- Facts that cannot co-exist --------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"suspected_suicide": True}, "suspected_suicide"),
        ({"seriously_harmed": True, "suspected_suicide": True}, "suspected_suicide"),
        ({"child_died": True, "deprivation_of_liberty_order": True}, "child_age"),
    ],
)
def test_impossible_combinations_are_refused_naming_the_field(overrides, field):
    with pytest.raises(InvalidFacts) as exc:
        make_facts(**overrides)
    assert exc.value.fields == (field,)
    assert exc.value.errors()[0]["field"] == field


def test_all_problems_are_collected_not_just_the_first():
    with pytest.raises(InvalidFacts) as exc:
        make_facts(
            child_died=True,
            custody_setting="hospital",
            looked_after="yes",
            deprivation_of_liberty_order=True,
        )
    assert set(exc.value.fields) == {"custody_setting", "looked_after", "child_age"}
    assert exc.value.status == 422
    with pytest.raises(InvalidFacts) as exc:
        make_facts(suspected_suicide=True, abuse_or_neglect="maybe")
    assert set(exc.value.fields) == {"suspected_suicide", "abuse_or_neglect"}


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"abuse_or_neglect": "maybe"}, "abuse_or_neglect"),
        ({"interagency_concern": "perhaps"}, "interagency_concern"),
        ({"regulated_setting": "school"}, "regulated_setting"),
        ({"child_died": True, "custody_setting": "hospital"}, "custody_setting"),
        ({"child_age": 18}, "child_age"),
        ({"child_age": -1}, "child_age"),
        ({"child_age": True}, "child_age"),
        ({"child_age": "16"}, "child_age"),
        ({"looked_after": "yes"}, "looked_after"),
    ],
)
def test_values_outside_the_vocabulary_are_refused(overrides, field):
    with pytest.raises(InvalidFacts) as exc:
        make_facts(**overrides)
    assert field in exc.value.fields


def test_facts_are_immutable():
    facts = make_facts()
    with pytest.raises(AttributeError):
        facts.child_died = True  # type: ignore[misc]
