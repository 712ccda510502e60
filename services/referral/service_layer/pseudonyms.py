"""The child's pseudonym on a case: the name a published report gives the child ("Child A").

The business unit sets it when the board names the child for its reports; the case list finds
cases by it. It is chosen so that nobody can tell who the child is, so it is not personal data:
the store keeps it in clear, and indexes it. Each change is a line of the case's history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.referral.adapters.store import Case
from services.referral.service_layer.cases import load_case, note
from services.referral.service_layer.messages import Message
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.auth.principal import Principal
from shared.errors import InvalidInput

MAX_PSEUDONYM = 40
# Letters, digits, spaces and the punctuation of names such as "Child A" or "Baby O'B-2".
ALLOWED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 '\-.]*$")


@dataclass(frozen=True, kw_only=True)
class SetPseudonym(Message[Case]):
    actor: Principal
    case_id: str
    pseudonym: str | None


def problems(pseudonym: str | None) -> list[dict[str, str]]:
    """What is wrong with a pseudonym as typed: nothing, or one problem naming the field."""
    value = (pseudonym or "").strip()
    if not value:
        message = "Enter the child's pseudonym, like Child A"
    elif len(value) > MAX_PSEUDONYM:
        message = f"The child's pseudonym must be {MAX_PSEUDONYM} characters or fewer"
    elif not ALLOWED.match(value):
        message = "The child's pseudonym must only include letters, numbers, spaces, hyphens and apostrophes"
    else:
        return []
    return [{"field": "pseudonym", "message": message}]


def set_pseudonym(cmd: SetPseudonym, uow: ReferralUnitOfWork) -> Case:
    refused = problems(cmd.pseudonym)
    if refused:
        raise InvalidInput(refused)
    value = " ".join((cmd.pseudonym or "").split())
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        if case.pseudonym != value:
            before = case.pseudonym
            case.pseudonym = value
            detail = f"{before} became {value}" if before else value
            note(case, cmd.actor, "pseudonym set", detail=detail)
            uow.commit()
    return case
