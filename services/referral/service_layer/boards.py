"""Handlers of the board's settings: its rule pack, which an admin changes, and its Chairs.

The rule pack decides a new case's screening, deadlines, documents, recipients and
notifications together; a case keeps the pack it was screened under for life, so changing the
board's pack changes nothing for the cases it already has.
"""

from __future__ import annotations

from services.referral.domain.screening import RULE_PACKS, rule_pack
from services.referral.service_layer.messages import (
    BoardChairs,
    BoardSettings,
    ChangeRulePack,
    GetBoardSettings,
)
from services.referral.service_layer.referrals import rule_pack_of
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.errors import NotFound


def _settings(uow: ReferralUnitOfWork, board_id: str, previous: str | None = None) -> BoardSettings:
    name = uow.boards.name(board_id)
    if name is None:
        raise NotFound("There is no such board", field="board_id")
    return BoardSettings(
        board_id=board_id,
        name=name,
        rule_pack=rule_pack_of(uow, board_id),
        rule_packs={p.id: p.title for p in RULE_PACKS.values()},
        previous_rule_pack=previous,
    )


def board_settings(query: GetBoardSettings, uow: ReferralUnitOfWork) -> BoardSettings:
    return _settings(uow, query.actor.board_id)


def change_rule_pack(cmd: ChangeRulePack, uow: ReferralUnitOfWork) -> BoardSettings:
    pack = rule_pack(cmd.rule_pack)  # UnknownRulePack (422, naming rule_pack) if there is none
    previous = uow.boards.set_rule_pack(cmd.actor.board_id, pack.id)
    if previous is None:
        raise NotFound("There is no such board", field="board_id")
    return _settings(uow, cmd.actor.board_id, previous)


def board_chairs(query: BoardChairs, uow: ReferralUnitOfWork) -> dict[str, str]:
    return uow.boards.chairs(query.actor.board_id)
