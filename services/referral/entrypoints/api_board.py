"""The board's settings: its rule pack, which an admin changes (API and page).

The rule pack decides a new case's screening, deadlines, documents, recipients and
notifications; a case keeps the pack it was screened under for life. Every change is in the
audit log, with the pack before and after.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from marshmallow import Schema, fields
from wtforms import RadioField

from services.referral.entrypoints import current_bus
from services.referral.entrypoints.api_referrals import json_body
from services.referral.entrypoints.forms.widgets import Chosen, Radios, error_list
from services.referral.entrypoints.roles import READERS
from services.referral.entrypoints.schemas import RulePackSchema
from services.referral.service_layer.messages import BoardSettings, ChangeRulePack, GetBoardSettings
from shared import audit
from shared.audit import audited
from shared.auth.access import current_principal, members
from shared.openapi import documented

blueprint = Blueprint("board", __name__)


class BoardSettingsSchema(Schema):
    board_id = fields.String(required=True)
    name = fields.String(required=True)
    rule_pack = fields.String(required=True, metadata={"description": "New cases are screened under it"})
    rule_packs = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True, metadata={"description": "id -> title"}
    )


def settings_json(s: BoardSettings) -> dict[str, Any]:
    return {"board_id": s.board_id, "name": s.name, "rule_pack": s.rule_pack, "rule_packs": s.rule_packs}


def _changed(s: BoardSettings) -> None:
    audit.record(
        "board.rule_pack_changed",
        resource=("board", s.board_id),
        detail=f"rule_pack {s.previous_rule_pack} -> {s.rule_pack}",
    )


@blueprint.get("/api/v1/board")
@members(*READERS)
@documented(summary="Read your board's settings: its rule pack", responses={200: BoardSettingsSchema})
def read_settings() -> ResponseReturnValue:
    return jsonify(settings_json(current_bus().handle(GetBoardSettings(actor=g.principal))))


@blueprint.patch("/api/v1/board")
@members("admin")
@documented(
    summary="Change your board's rule pack (admins)",
    description="Cases already made keep the pack they were screened under. Recorded in the audit log.",
    body=RulePackSchema,
    responses={200: BoardSettingsSchema},
)
@audited("board.write", "board")
def change_settings() -> ResponseReturnValue:
    body = RulePackSchema().load(json_body())
    g.audit_resource_id = g.principal.board_id
    changed = current_bus().handle(ChangeRulePack(actor=g.principal, rule_pack=body["rule_pack"]))
    _changed(changed)
    return jsonify(settings_json(changed))


# -- the page ------------------------------------------------------------------------------------


class RulePackForm(FlaskForm):
    rule_pack = RadioField(
        "Which statutory guidance does the board work under?",
        widget=Radios(),
        validate_choice=False,
        validators=[Chosen("Select the guidance the board works under")],
        description="New referrals are screened, and their deadlines, documents and notifications"
        " made, under it. Cases already referred keep the guidance they were screened under.",
    )


@blueprint.route("/admin/board", methods=["GET", "POST"])
@members("admin")
@audited("board.settings", "board")
def settings_page() -> ResponseReturnValue:
    principal = current_principal()
    assert principal is not None
    bus = current_bus()
    current = bus.handle(GetBoardSettings(actor=principal))
    form = RulePackForm() if request.method == "POST" else RulePackForm(formdata=None)
    form.rule_pack.choices = dict(current.rule_packs)
    if request.method == "GET":
        form.rule_pack.data = current.rule_pack
    elif form.validate():
        changed = bus.handle(ChangeRulePack(actor=principal, rule_pack=form.rule_pack.data))
        _changed(changed)
        return redirect(url_for("board.settings_page", changed=1))
    status = 422 if form.errors else 200
    return render_template(
        "board.html",
        title="Board settings",
        form=form,
        settings=current,
        errors=error_list(form),
        changed=bool(request.args.get("changed")),
    ), status
