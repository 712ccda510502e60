"""The facts a screening reads: their vocabulary, and the refusal of impossible ones.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from shared.errors import InvalidInput

# -- The vocabulary of facts -------------------------------------------------------------

ABUSE_OR_NEGLECT = ("known", "suspected", "not_suspected")
ABUSE_KNOWN_OR_SUSPECTED = ("known", "suspected")
INTERAGENCY_CONCERN = ("yes", "no", "unclear")

# Regulated settings and services: 003 "Notifiable Incidents", note 52.
REGULATED_SETTINGS = (
    "childcare_domestic",
    "childcare_non_domestic",
    "home_childcarer",
    "childminder",
    "childrens_home",
    "secure_childrens_home",
    "adoption_support_agency",
    "voluntary_adoption_agency",
    "independent_fostering_agency",
    "residential_family_centre",
    "holiday_scheme_disabled_children",
)

# Places of custody where a death always calls for an SCR: 003 ¶20.
CUSTODY_SETTINGS = (
    "custody",
    "police_custody",
    "remand",
    "following_sentence",
    "young_offender_institution",
    "secure_training_centre",
    "secure_childrens_home",
)

# A secure children's home is both a regulated children's home (003 note 52) and a
# place of custody (003 ¶20); a death there counts under both rules whichever field names it.
SECURE_CHILDRENS_HOME = "secure_childrens_home"

# Facts that only make sense when the child died: a suspected suicide is a death (003
# "Serious Case Reviews": reg 5(2)(b)(i) includes suspected suicide).
DEATH_ONLY_FIELDS = ("suspected_suicide",)

# Where the child was held. 003 ¶20 says that a *death* in these settings always calls for an SCR;
# it says nothing about a child harmed there, who is screened on the other criteria like any
# child. So these facts may be given whatever happened, and only a death makes them decisive.
SETTING_FIELDS = (
    "custody_setting",
    "detained_mental_health_act",
    "deprivation_of_liberty_order",
)

MIN_CHILD_AGE = 0
MAX_CHILD_AGE = 17

# -- Errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the facts, and the field it belongs to."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InvalidFacts(InvalidInput):
    """The facts are refused; every problem found is listed, each naming its field."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__(p.as_dict() for p in self.problems)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.field for p in self.problems))


# -- Facts -------------------------------------------------------------------------------


def _is_set(value: Any) -> bool:
    return value is not None and value is not False


def combination_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Facts that cannot be true together.

    ``values`` maps fact names to values. A check is skipped when one of its inputs is
    absent from ``values`` (an input layer leaves out fields it has already rejected), so
    this serves both :class:`Facts` and the request schema without saying anything twice.
    """
    problems: list[Problem] = []
    if "child_died" in values:
        died = values["child_died"] is True
        for name in DEATH_ONLY_FIELDS:
            if name in values and _is_set(values[name]) and not died:
                problems.append(
                    Problem(
                        name,
                        f"{name} can only be given when the child died: set child_died "
                        f"to true or leave {name} out.",
                    )
                )
    # The age decides 003 ¶20 only for a death under a deprivation of liberty order.
    if (
        values.get("child_died") is True
        and values.get("deprivation_of_liberty_order") is True
        and "child_age" in values
        and values["child_age"] is None
    ):
        problems.append(
            Problem(
                "child_age",
                "Give the child's age when there was a deprivation of liberty order: "
                "whether a review is required depends on it.",
            )
        )
    return problems


def _value_problems(facts: Facts) -> list[Problem]:
    problems: list[Problem] = []
    for name in (
        "child_died",
        "seriously_harmed",
        "suspected_suicide",
        "looked_after",
        "detained_mental_health_act",
        "deprivation_of_liberty_order",
    ):
        if not isinstance(getattr(facts, name), bool):
            problems.append(Problem(name, f"{name} must be true or false."))
    for name, allowed, optional in (
        ("abuse_or_neglect", ABUSE_OR_NEGLECT, False),
        ("interagency_concern", INTERAGENCY_CONCERN, False),
        ("regulated_setting", REGULATED_SETTINGS, True),
        ("custody_setting", CUSTODY_SETTINGS, True),
    ):
        value = getattr(facts, name)
        if optional and value is None:
            continue
        if value not in allowed:
            problems.append(Problem(name, f"{name} must be one of: {', '.join(allowed)}."))
    age = facts.child_age
    if age is not None and (
        isinstance(age, bool) or not isinstance(age, int) or not MIN_CHILD_AGE <= age <= MAX_CHILD_AGE
    ):
        problems.append(
            Problem(
                "child_age",
                f"child_age must be a whole number from {MIN_CHILD_AGE} to {MAX_CHILD_AGE}.",
            )
        )
    return problems


@dataclass(frozen=True)
class Facts:
    """What the referral says happened, as the screening rules need it.

    Construction refuses impossible facts with :class:`InvalidFacts`, listing every problem.
    """

    abuse_or_neglect: str
    child_died: bool = False
    seriously_harmed: bool = False
    suspected_suicide: bool = False
    looked_after: bool = False
    regulated_setting: str | None = None
    custody_setting: str | None = None
    detained_mental_health_act: bool = False
    deprivation_of_liberty_order: bool = False
    child_age: int | None = None
    interagency_concern: str = "unclear"

    def __post_init__(self) -> None:
        problems = _value_problems(self) + combination_problems(self.as_dict())
        if problems:
            raise InvalidFacts(problems)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    # Derived views the rules read; each is a plain reading of the facts, not a rule.

    @property
    def abuse_known_or_suspected(self) -> bool:
        return self.abuse_or_neglect in ABUSE_KNOWN_OR_SUSPECTED

    @property
    def in_regulated_setting(self) -> bool:
        return self.regulated_setting is not None or self.custody_setting == SECURE_CHILDRENS_HOME

    @property
    def in_custody(self) -> bool:
        return self.custody_setting is not None or self.regulated_setting == SECURE_CHILDRENS_HOME

    @property
    def outcome(self) -> str:
        """``died``, ``seriously_harmed`` or ``neither`` (death outranks serious harm)."""
        if self.child_died:
            return "died"
        if self.seriously_harmed:
            return "seriously_harmed"
        return "neither"
