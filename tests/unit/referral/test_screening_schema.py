"""The screening request schema: every problem reported at once, each naming its field."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from services.referral.domain.screening import Facts, screen
from services.referral.entrypoints.screening_schema import ScreeningRequestSchema
from shared.errors import flatten_messages


def load(data: dict) -> Facts:
    return ScreeningRequestSchema().load(data)


def errors_of(data: dict) -> dict:
    with pytest.raises(ValidationError) as exc:
        load(data)
    return exc.value.messages


def test_minimal_request_loads_into_facts_with_the_defaults():
    facts = load({"abuse_or_neglect": "suspected"})
    assert facts == Facts(
        abuse_or_neglect="suspected",
        child_died=False,
        seriously_harmed=False,
        suspected_suicide=False,
        looked_after=False,
        regulated_setting=None,
        custody_setting=None,
        detained_mental_health_act=False,
        deprivation_of_liberty_order=False,
        child_age=None,
        interagency_concern="unclear",
    )


def test_full_request_loads_and_screens():
    facts = load(
        {
            "child_died": True,
            "seriously_harmed": False,
            "abuse_or_neglect": "not_suspected",
            "suspected_suicide": False,
            "looked_after": True,
            "regulated_setting": "childrens_home",
            "custody_setting": None,
            "detained_mental_health_act": False,
            "deprivation_of_liberty_order": True,
            "child_age": 16,
            "interagency_concern": "no",
        }
    )
    result = screen(facts).as_dict()
    assert result["scr_grounds"] == ["death_deprivation_of_liberty"]
    assert result["notifiable_grounds"] == [
        "looked_after_child_death",
        "regulated_setting_death",
        "scr_criteria_met",
    ]


def test_unknown_field_is_named():
    messages = errors_of({"abuse_or_neglect": "known", "childs_name": "A"})
    assert list(messages) == ["childs_name"]


def test_missing_abuse_or_neglect_is_named():
    messages = errors_of({"child_died": True})
    assert list(messages) == ["abuse_or_neglect"]
    assert "known, suspected or not suspected" in messages["abuse_or_neglect"][0]


@pytest.mark.parametrize(
    "field, value",
    [
        ("abuse_or_neglect", "probably"),
        ("interagency_concern", "maybe"),
        ("regulated_setting", "school"),
        ("custody_setting", "hospital"),
    ],
)
def test_value_outside_the_list_is_named(field, value):
    data = {"abuse_or_neglect": "known", "child_died": True, field: value}
    messages = errors_of(data)
    assert list(messages) == [field]
    assert messages[field][0].startswith("Must be one of:")


@pytest.mark.parametrize("value", [18, -1, "16", 16.5, True])
def test_child_age_must_be_a_whole_number_from_0_to_17(value):
    messages = errors_of({"abuse_or_neglect": "known", "child_age": value})
    assert list(messages) == ["child_age"]


@pytest.mark.parametrize("age", [0, 17])
def test_child_age_bounds_are_accepted(age):
    assert load({"abuse_or_neglect": "known", "child_age": age}).child_age == age


@pytest.mark.parametrize("value", [1, "true", "yes", None])
def test_booleans_are_strict(value):
    messages = errors_of({"abuse_or_neglect": "known", "looked_after": value})
    assert list(messages) == ["looked_after"]


@pytest.mark.parametrize("age", [None, "omitted"])
def test_child_age_is_required_with_a_deprivation_of_liberty_order(age):
    data = {"abuse_or_neglect": "known", "child_died": True, "deprivation_of_liberty_order": True}
    if age != "omitted":
        data["child_age"] = age
    messages = errors_of(data)
    assert list(messages) == ["child_age"]
    assert "deprivation of liberty" in messages["child_age"][0]


def test_child_age_is_optional_without_an_order():
    assert load({"abuse_or_neglect": "known", "child_died": True}).child_age is None


def test_a_suspected_suicide_is_refused_when_the_child_did_not_die():
    messages = errors_of({"abuse_or_neglect": "known", "suspected_suicide": True})
    assert list(messages) == ["suspected_suicide"]
    assert "child_died" in messages["suspected_suicide"][0]


@pytest.mark.parametrize(
    "field, value",
    [
        ("custody_setting", "police_custody"),
        ("detained_mental_health_act", True),
        ("deprivation_of_liberty_order", True),
    ],
)
def test_where_a_harmed_child_was_held_is_accepted_003_para_20_speaks_of_deaths(field, value):
    """Correction 1: 003 ¶20 makes a *death* in custody, under the Mental Health Act or a
    deprivation of liberty order decisive; a seriously harmed child there is screened on the
    other criteria, so the facts are accepted."""
    facts = load({"abuse_or_neglect": "known", "seriously_harmed": True, field: value})
    assert getattr(facts, field) == value


def test_all_errors_are_reported_at_once():
    messages = errors_of(
        {
            "unexpected": 1,
            "regulated_setting": "school",
            "child_died": True,
            "custody_setting": "hospital",
            "looked_after": "yes",
            "deprivation_of_liberty_order": True,
        }
    )
    assert set(messages) == {
        "unexpected",
        "abuse_or_neglect",
        "regulated_setting",
        "custody_setting",
        "looked_after",
        "child_age",
    }
    fields = {e["field"] for e in flatten_messages(messages)}
    assert fields == set(messages)


def test_a_field_that_failed_its_own_check_is_not_reported_twice():
    messages = errors_of(
        {
            "abuse_or_neglect": "known",
            "child_died": True,
            "deprivation_of_liberty_order": True,
            "child_age": 30,
        }
    )
    assert messages == {"child_age": ["Must be a whole number from 0 to 17."]}
