"""Handler of the safeguarding partners' rapid review (``wt2018``, ``wt2023``).

Recorded once, before the decision, for a serious child safeguarding case; its outcome goes to
the Child Safeguarding Practice Review Panel (``rapid_review.recorded``), and it meets the
scheduler's ``rapid_review`` deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.referral.adapters.store import Case, RapidReview, now
from services.referral.domain import rapid_review
from services.referral.domain.screening import rule_pack
from services.referral.service_layer import events
from services.referral.service_layer.cases import load_case, note
from services.referral.service_layer.messages import RecordRapidReview
from services.referral.service_layer.problems import merged
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.errors import InvalidInput

Clock = Callable[[], date]


def record_rapid_review(cmd: RecordRapidReview, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        rapid_review.check_may_record(
            rule_pack(case.rule_pack),
            case.screening["notifiable_grounds"],
            already=case.rapid_review is not None,
            decided=case.decision is not None,
        )
        problems = merged(
            cmd.problems,
            rapid_review.rapid_review_problems(
                completed_on=cmd.completed_on,
                became_aware_on=case.became_aware_on,
                today=clock(),
                summary=cmd.summary,
            ),
        )
        if problems:
            raise InvalidInput(problems)
        if cmd.check_only:
            return case  # leaving the unit of work uncommitted writes nothing
        assert cmd.completed_on is not None and cmd.summary is not None
        case.rapid_review = RapidReview(
            completed_on=cmd.completed_on,
            recommends_local_review=bool(cmd.recommends_local_review),
            suggests_national_review=bool(cmd.suggests_national_review),
            summary=cmd.summary.strip(),
            recorded_by=cmd.actor.user_id,
            recorded_by_name=cmd.actor.name,
            recorded_at=now(),
        )
        recommends = "recommends" if case.rapid_review.recommends_local_review else "does not recommend"
        note(
            case,
            cmd.actor,
            "rapid review recorded",
            detail=f"it {recommends} a local child safeguarding practice review",
        )
        case.raise_event(events.rapid_review_recorded(case), producer=events.PRODUCER)
        uow.commit()
    return case
