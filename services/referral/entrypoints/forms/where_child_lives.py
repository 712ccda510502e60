"""The page asking where the child normally lives, and which other boards are involved.

The board for the area where the child normally lives decides whether the case is reviewed (003
checklist); a case that crosses borders involves every board concerned (004).
"""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, StringField
from wtforms.validators import Length, StopValidation

from services.referral.domain.journey import HOME_BOARD, LIVES_HERE, OTHER_BOARDS
from services.referral.domain.referral import MAX_BOARD_NAME, MAX_OTHER_BOARDS
from services.referral.entrypoints.forms.steps import State, StepForm
from services.referral.entrypoints.forms.widgets import Chosen, Radios
from services.referral.entrypoints.forms.words import YES_NO
from services.referral.service_layer.drafts import JourneyContext


class WhereTheChildLivesForm(StepForm):
    """The board where the child normally lives decides (003 checklist); other boards are
    involved (004)."""

    slug = "where-the-child-lives"
    title = "Where does the child normally live?"
    anchors = {
        LIVES_HERE: LIVES_HERE,
        HOME_BOARD: HOME_BOARD,
        OTHER_BOARDS: OTHER_BOARDS,
        "other_boards.0": OTHER_BOARDS,
    }
    partial = "where-the-child-lives.html"

    child_lives_in_area = RadioField(
        "Does the child normally live in your board's area?",
        choices=YES_NO,
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select yes if the child normally lives in your board's area")],
    )
    home_board = StringField(
        "If not, which board's area does the child normally live in?",
        widget=GovTextInput(),
        description="That board decides whether the case is reviewed.",
        validators=[Length(max=MAX_BOARD_NAME, message=f"Enter {MAX_BOARD_NAME} characters or fewer")],
    )
    other_boards = StringField(
        "Are other boards involved? (optional)",
        widget=GovTextArea(),
        description=f"Their names, one a line: up to {MAX_OTHER_BOARDS}.",
    )

    def validate_home_board(self, field: Field) -> None:
        if self.child_lives_in_area.data == "no" and not (field.data or "").strip():
            raise StopValidation("Enter the board where the child normally lives")

    def validate_other_boards(self, field: Field) -> None:
        names = self._others()
        if len(names) > MAX_OTHER_BOARDS:
            raise StopValidation(f"Name at most {MAX_OTHER_BOARDS} other boards")
        if any(len(n) > MAX_BOARD_NAME for n in names):
            raise StopValidation(f"Enter each board's name in {MAX_BOARD_NAME} characters or fewer")

    def _others(self) -> list[str]:
        return [n.strip() for n in (self.other_boards.data or "").splitlines() if n.strip()]

    @classmethod
    def raw(cls, state: State, ctx: JourneyContext) -> MultiDict[str, Any]:
        out: MultiDict[str, Any] = MultiDict()
        if LIVES_HERE in state:
            out.add(LIVES_HERE, "yes" if state[LIVES_HERE] else "no")
        if state.get(HOME_BOARD):
            out.add(HOME_BOARD, state[HOME_BOARD])
        if state.get(OTHER_BOARDS):
            out.add(OTHER_BOARDS, "\n".join(state[OTHER_BOARDS]))
        return out

    def answers(self) -> dict[str, Any]:
        here = self.child_lives_in_area.data == "yes"
        given: dict[str, Any] = {LIVES_HERE: here, OTHER_BOARDS: self._others()}
        if not here:
            given[HOME_BOARD] = (self.home_board.data or "").strip()
        return given

    @classmethod
    def rows(cls, state: State, ctx: JourneyContext) -> list[tuple[str, str]]:
        if LIVES_HERE not in state:
            home = ""
        else:
            home = (
                "In your board's area" if state[LIVES_HERE] else f"In the area of {state.get(HOME_BOARD, '')}"
            )
        return [
            ("Where the child normally lives", home),
            ("Other boards involved", ", ".join(state.get(OTHER_BOARDS) or []) or "None"),
        ]
