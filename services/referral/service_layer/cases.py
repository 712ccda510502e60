"""Handlers of cases: reading them, moving them through their statuses, sharing them.

A case the actor may not see is reported as not found, so its existence does not leak.
"""

from __future__ import annotations

from services.referral.adapters.repository import CaseSummary
from services.referral.adapters.store import Case, HistoryEntry, now
from services.referral.domain import case as rules
from services.referral.service_layer.messages import (
    BoardAgencies,
    ChangeStatus,
    GetCase,
    ListCases,
    ShareCase,
)
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.auth.principal import Principal
from shared.errors import Conflict, InvalidInput, NotFound
from shared.pagination import Page


def visible_to(actor: Principal) -> str | None:
    """The agency whose cases alone the actor may see; None when the actor sees the board's."""
    return actor.agency if actor.agency_only else None


def load_case(uow: ReferralUnitOfWork, actor: Principal, case_id: str) -> Case:
    case = uow.cases.get(actor.board_id, case_id, agency=visible_to(actor))
    if case is None:
        raise NotFound("There is no case with this id", field="case_id")
    return case


def note(
    case: Case,
    actor: Principal | None,
    action: str,
    *,
    to_status: str | None = None,
    detail: str | None = None,
) -> None:
    """Add a line to the case's history; with ``to_status``, the case moves there."""
    case.history.append(
        HistoryEntry(
            at=now(),
            actor=actor.name if actor else "system",
            action=action,
            from_status=case.status if to_status else None,
            to_status=to_status,
            detail=detail,
        )
    )
    if to_status:
        case.status = to_status


def get_case(query: GetCase, uow: ReferralUnitOfWork) -> Case:
    with uow:
        return load_case(uow, query.actor, query.case_id)


def list_cases(query: ListCases, uow: ReferralUnitOfWork) -> Page[CaseSummary]:
    with uow:
        return uow.cases.list(
            query.actor.board_id,
            agency=visible_to(query.actor),
            status=query.status,
            review_kind=query.review_kind,
            overdue=query.overdue,
            criteria=query.criteria,
            page=query.page,
            per_page=query.per_page,
        )


def board_agencies(query: BoardAgencies, uow: ReferralUnitOfWork) -> dict[str, str]:
    return uow.boards.agencies(query.actor.board_id)


def change_status(cmd: ChangeStatus, uow: ReferralUnitOfWork) -> Case:
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        if cmd.status == rules.DECIDED:
            raise Conflict("Record the Chair's decision to decide a case", field="status")
        rules.check_transition(case.status, cmd.status)
        note(case, cmd.actor, "status changed", to_status=cmd.status, detail=cmd.reason)
        uow.commit()
    return case


def share_case(cmd: ShareCase, uow: ReferralUnitOfWork) -> Case:
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        if cmd.agency not in uow.boards.agencies(case.board_id):
            raise InvalidInput(
                [{"field": "agency", "message": f"{cmd.agency!r} is not an agency of this board"}]
            )
        uow.cases.share(case.case_id, cmd.agency)
        return load_case(uow, cmd.actor, cmd.case_id)
