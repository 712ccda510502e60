"""What the referral service asks of the identity store about a board and its members.

The board's name, rule pack and agencies; the members who hold the Chair role (the one who made
a decision is named in letters, never an admin recording it for them); a member's email. The
rule pack is the one thing written here: an admin changes it (``service_layer/boards.py``).
"""

from __future__ import annotations

import abc

from shared.auth.models import Agency, Board, User


class BoardRepository(abc.ABC):
    @abc.abstractmethod
    def rule_pack(self, board_id: str) -> str | None:
        """The board's rule pack, or None when there is no such board."""

    @abc.abstractmethod
    def set_rule_pack(self, board_id: str, pack: str) -> str | None:
        """Give the board a new rule pack; the one it had, or None when there is no such board."""

    @abc.abstractmethod
    def name(self, board_id: str) -> str | None: ...

    @abc.abstractmethod
    def agencies(self, board_id: str) -> dict[str, str]:
        """The board's agencies: code -> name."""

    @abc.abstractmethod
    def chairs(self, board_id: str) -> dict[str, str]:
        """The board's active members with the Chair role: user id -> name."""

    @abc.abstractmethod
    def email_of(self, user_id: str) -> str | None: ...

    def find_chair(self, board_id: str, ref: str) -> tuple[str, str] | None:
        """The Chair of the board that ``ref`` names (a user id or an email address): (id, name)."""
        chairs = self.chairs(board_id)
        if ref in chairs:
            return ref, chairs[ref]
        wanted = ref.strip().lower()
        for user_id, name in chairs.items():
            if (self.email_of(user_id) or "").lower() == wanted:
                return user_id, name
        return None


class MongoBoardRepository(BoardRepository):
    def rule_pack(self, board_id: str) -> str | None:
        board = Board.objects(board_id=board_id).only("rule_pack").first()
        return board.rule_pack if board else None

    def set_rule_pack(self, board_id: str, pack: str) -> str | None:
        board = Board.objects(board_id=board_id).first()
        if board is None:
            return None
        before: str = board.rule_pack
        Board.objects(board_id=board_id).update_one(set__rule_pack=pack)
        return before

    def name(self, board_id: str) -> str | None:
        board = Board.objects(board_id=board_id).only("name").first()
        return board.name if board else None

    def agencies(self, board_id: str) -> dict[str, str]:
        return {a.code: a.name for a in Agency.objects(board_id=board_id)}

    def chairs(self, board_id: str) -> dict[str, str]:
        members = User.objects(active=True, memberships__match={"board_id": board_id, "roles": "chair"})
        return {u.user_id: u.name for u in members.only("user_id", "name")}

    def email_of(self, user_id: str) -> str | None:
        user = User.objects(user_id=user_id).only("email").first()
        return user.email if user else None
