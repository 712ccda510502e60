"""The safeguarding partners' rapid review (``wt2018``, ``wt2023``).

When the local authority has notified a serious child safeguarding case, the safeguarding
partners promptly undertake a rapid review: they gather the facts, decide on any immediate
action, consider what improvements may be identified and decide the next steps, including
whether to hold a local child safeguarding practice review; they send it to the Panel and say
whether the case may need a national review (WT2018 ch. 4 'The rapid review'; WT2023 ch. 5;
Children Act 2004 s.16B; SI 2018/789 reg 3). A rapid review follows a notification: none is
done for a case that is not a serious child safeguarding case (Child Safeguarding Practice
Review Panel, FAQs). It comes before the decision.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.errors import Conflict

from .referral import summary_problems
from .screening import RulePack

SRC = "WT2018 ch. 4 'The rapid review'; WT2023 ch. 5; Child Safeguarding Practice Review Panel, FAQs"


def check_may_record(pack: RulePack, notifiable_grounds: list[str], already: bool, decided: bool) -> None:
    """:class:`Conflict` (409), saying why, unless a rapid review may be recorded for the case now."""
    if not pack.rapid_review:
        raise Conflict(
            f"A case screened under {pack.title} has no rapid review: that comes with Working"
            " Together 2018 and 2023",
            field="rule_pack",
        )
    if not pack.is_serious_case(notifiable_grounds):
        raise Conflict(
            "A rapid review follows a serious child safeguarding case, and the screening did not"
            " find one in this case",
            field="rapid_review",
        )
    if already:
        raise Conflict("The rapid review of this case is already recorded", field="rapid_review")
    if decided:
        raise Conflict(
            "The rapid review comes before the decision, which is already recorded", field="status"
        )


def check_before_decision(pack: RulePack, notifiable_grounds: list[str], recorded: bool) -> None:
    """Under ``wt2018``/``wt2023`` a serious case is decided only after its rapid review."""
    if pack.rapid_review and pack.is_serious_case(notifiable_grounds) and not recorded:
        raise Conflict(
            "Record the safeguarding partners' rapid review first: the decision whether to hold a"
            " local child safeguarding practice review follows it",
            field="rapid_review",
        )


def rapid_review_problems(
    *, completed_on: date | None, became_aware_on: date, today: date, summary: str | None
) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = []
    if completed_on is not None:
        if completed_on > today:
            problems.append({"field": "completed_on", "message": "The date cannot be in the future"})
        if completed_on < became_aware_on:
            problems.append(
                {
                    "field": "completed_on",
                    "message": "The rapid review cannot be completed before the local authority became"
                    " aware of the incident",
                }
            )
    problems += summary_problems(summary)
    return problems
