"""The pages asking what happened: the facts the screening reads (domain/screening/facts.py)."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField

from services.referral.domain.screening import MAX_CHILD_AGE, MIN_CHILD_AGE
from services.referral.entrypoints.forms.steps import State, StepForm, radio_step, whole_number
from services.referral.entrypoints.forms.words import (
    ABUSE_LABELS,
    CONCERN_LABELS,
    CUSTODY_LABELS,
    NONE,
    REGULATED_LABELS,
    WHAT_HAPPENED,
    YES_NO,
)
from services.referral.service_layer.drafts import JourneyContext

# What serious harm includes, in the words of the board's guidance: 003 "Serious Case Reviews"
# (2015); WT2018 ch. 4 "Responsibilities for reviews" and WT2023 ch. 5 (2018 dropped the
# "potentially life-threatening injury" of 2015).
SERIOUS_HARM_2015 = (
    "Serious harm includes a potentially life-threatening injury, and serious or likely "
    "long-term impairment of the child's health or development, even if the child recovered."
)
SERIOUS_HARM_2018 = (
    "Serious harm includes serious or long-term impairment of the child's mental health or "
    "intellectual, emotional, social or behavioural development, and impairment of physical "
    "health, even if the child recovered."
)

_WhatHappened = radio_step(
    "what-happened",
    "What happened to the child?",
    WHAT_HAPPENED,
    "Select what happened to the child",
    short="What happened",
    hint=SERIOUS_HARM_2015,
    anchors=("child_died", "seriously_harmed"),
)


class WhatHappenedForm(_WhatHappened):  # type: ignore[misc,valid-type]
    def prepare(self, ctx: JourneyContext) -> None:
        self.what_happened.description = SERIOUS_HARM_2018 if ctx.partners else SERIOUS_HARM_2015


SuspectedSuicideForm = radio_step(
    "suspected-suicide",
    "Is the child's death a suspected suicide?",
    YES_NO,
    "Select yes if the death is a suspected suicide",
    short="Suspected suicide",
    boolean=True,
)
CustodyForm = radio_step(
    "custody",
    "Was the child in custody when it happened?",
    {**CUSTODY_LABELS, NONE: "No, the child was not in custody"},
    "Select where the child was in custody, or that the child was not in custody",
    short="In custody",
)
MentalHealthActForm = radio_step(
    "mental-health-act",
    "Was the child detained under the Mental Health Act 1983 when it happened?",
    YES_NO,
    "Select yes if the child was detained under the Mental Health Act 1983",
    short="Detained under the Mental Health Act",
    boolean=True,
)
DeprivationOfLibertyForm = radio_step(
    "deprivation-of-liberty",
    "Was the child subject to a deprivation of liberty order when it happened?",
    YES_NO,
    "Select yes if the child was subject to a deprivation of liberty order",
    short="Deprivation of liberty order",
    hint="An order under the Mental Capacity Act 2005.",
    boolean=True,
)
LookedAfterForm = radio_step(
    "looked-after",
    "Was the child looked after by a local authority?",
    YES_NO,
    "Select yes if the child was looked after by a local authority",
    short="Looked-after child",
    hint="For example, in foster care, in a children's home, or placed for adoption.",
    boolean=True,
)
RegulatedSettingForm = radio_step(
    "regulated-setting",
    "Did it happen in a regulated setting or service?",
    {**REGULATED_LABELS, NONE: "No, not in a regulated setting or service"},
    "Select the regulated setting or service, or that it was not in one",
    short="Regulated setting or service",
)
AbuseOrNeglectForm = radio_step(
    "abuse-or-neglect",
    "Is abuse or neglect known or suspected?",
    ABUSE_LABELS,
    "Select whether abuse or neglect is known, suspected or not suspected",
    short="Abuse or neglect",
)
WorkingTogetherForm = radio_step(
    "working-together",
    "Is there concern about how the agencies worked together to safeguard the child?",
    CONCERN_LABELS,
    "Select whether there is concern about how the agencies worked together",
    short="Concern about how agencies worked together",
    hint="This includes the local authority, the board's partners and other bodies.",
)


class ChildAgeForm(StepForm):
    slug = "child-age"
    title = "How old was the child when they died?"
    anchors = {"child_age": "child_age"}
    partial = "child-age.html"

    child_age = StringField(
        "How old was the child when they died?",
        widget=GovTextInput(),
        description="In whole years. A Serious Case Review is always required when a child aged 16 "
        "or 17 dies under a deprivation of liberty order.",
        validators=[
            whole_number(
                MIN_CHILD_AGE,
                MAX_CHILD_AGE,
                "Enter the child's age",
                f"The child's age must be a whole number from {MIN_CHILD_AGE} to {MAX_CHILD_AGE}",
            )
        ],
    )

    def answers(self) -> dict[str, Any]:
        return {"child_age": int(self.child_age.data.strip())}

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        age = state.get("child_age")
        return [("Child's age", "" if age is None else str(age))]
