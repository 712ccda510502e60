"""The board's settings: its name and rule pack, which an admin or the business unit changes
(API and pages), and the "Board settings" page that links to the rest: users, calendar
closures (the scheduler's), the recipients directory (notifications').

The rule pack decides a new case's screening, deadlines, documents, recipients and
notifications; a case keeps the pack it was screened under for life. Every change is in the
audit log, with the value before and after.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from marshmallow import Schema, fields
from wtforms import RadioField, StringField, SubmitField

from services.referral.entrypoints import current_bus
from services.referral.entrypoints.api_referrals import json_body
from services.referral.entrypoints.forms.widgets import Chosen, Radios, error_list
from services.referral.entrypoints.roles import READERS
from services.referral.entrypoints.schemas import RulePackSchema
from services.referral.service_layer import board_name, retention
from services.referral.service_layer.messages import BoardSettings, ChangeRulePack, GetBoardSettings
from shared import audit
from shared import retention as retention_rules
from shared.audit import audited
from shared.auth.access import current_principal, members
from shared.errors import InvalidInput
from shared.openapi import documented

blueprint = Blueprint("board", __name__)
# Who keeps the board's settings: its administrators and its business unit, which runs the
# board's process (DOMAIN.md "Who uses it").
KEEPERS = ("admin", "business_unit")


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
@members(*KEEPERS)
@documented(
    summary="Change your board's rule pack (admins and the business unit)",
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
@members(*KEEPERS)
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
        changed=request.args.get("changed"),
        outbox=current_app.config["SETTINGS"].mail_outbox,
    ), status


class NameForm(FlaskForm):
    name = StringField(
        "What is the board called?",
        widget=GovTextInput(),
        description="As letters, emails and the page header name it, like"
        " “Wirral Safeguarding Children Partnership”.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


@blueprint.route("/admin/board/name", methods=["GET", "POST"])
@members(*KEEPERS)
def name_page() -> ResponseReturnValue:
    principal = current_principal()
    assert principal is not None
    current = current_bus().handle(GetBoardSettings(actor=principal))
    form = NameForm()
    errors = None
    if not form.is_submitted():
        form.name.data = current.name
    elif form.validate():
        problem = board_name.problem(form.name.data or "")
        if problem is None:
            before = board_name.rename(principal.board_id, form.name.data or "")
            audit.record(
                "board.renamed",
                resource=("board", principal.board_id),
                detail=f"name {before!r} -> {form.name.data.strip()!r}",
            )
            return redirect(url_for("board.settings_page", changed="name"))
        form.name.errors = [problem]
        errors = [{"text": problem, "href": "#name"}]
    status = 422 if errors or form.errors else 200
    return render_template(
        "board_name.html", title="Change the board's name", form=form, errors=errors
    ), status


# -- the retention schedule (shared.retention) ---------------------------------------------------


class RetentionScheduleSchema(Schema):
    months = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Record type -> months kept (0: kept until the board sets a period)"},
    )


class RetentionAnswerSchema(RetentionScheduleSchema):
    board_id = fields.String(required=True)
    record_types = fields.List(
        fields.Dict(), required=True, metadata={"description": "Each type: code, title, limits, reason"}
    )


def _retention_json(board_id: str) -> dict[str, Any]:
    kinds = [
        {
            "code": t.code,
            "title": t.title,
            "default_months": t.default_months,
            "minimum_months": t.minimum_months,
            "what_happens": t.what_happens,
            "basis": t.basis,
        }
        for t in retention_rules.RECORD_TYPES
    ]
    months = retention_rules.schedule_for(retention.NAME, board_id)
    return {"board_id": board_id, "months": months, "record_types": kinds}


def _retention_set(board_id: str, months: dict[str, int]) -> None:
    before = retention_rules.schedule_for(retention.NAME, board_id)
    retention.set_schedule(board_id, months, g.principal.user_id)
    changes = ", ".join(f"{k} {before[k]} -> {v}" for k, v in months.items() if before.get(k) != v)
    audit.record("board.retention_changed", resource=("board", board_id), detail=changes or "no change")


@blueprint.get("/api/v1/board/retention")
@members(*KEEPERS)
@documented(
    summary="Read how long your board keeps each type of record",
    description="Months per record type; 0 means kept until the board sets a period.",
    responses={200: RetentionAnswerSchema},
)
def read_retention() -> ResponseReturnValue:
    return jsonify(_retention_json(g.principal.board_id))


@blueprint.put("/api/v1/board/retention")
@members(*KEEPERS)
@documented(
    summary="Set how long your board keeps each type of record (admins and the business unit)",
    description="Every service applies the schedule to its own records once a day. A type left out "
    "keeps its default. Recorded in the audit log.",
    body=RetentionScheduleSchema,
    responses={200: RetentionAnswerSchema},
)
@audited("board.write", "board")
def set_retention() -> ResponseReturnValue:
    months, errors = retention_rules.check(json_body())
    if errors:
        raise InvalidInput(errors)
    g.audit_resource_id = g.principal.board_id
    _retention_set(g.principal.board_id, months)
    return jsonify(_retention_json(g.principal.board_id))


def _retention_form(values: dict[str, int]) -> FlaskForm:
    class RetentionForm(FlaskForm):
        submit = SubmitField("Save", widget=GovSubmitInput())

    for kind in retention_rules.RECORD_TYPES:
        setattr(
            RetentionForm,
            kind.code,
            StringField(
                kind.title,
                widget=GovTextInput(),
                description=f"{kind.what_happens} Default: {kind.basis}.",
            ),
        )
    form = RetentionForm()
    if not form.is_submitted():
        for code, months in values.items():
            getattr(form, code).data = str(months)
    return form


@blueprint.route("/admin/board/retention", methods=["GET", "POST"])
@members(*KEEPERS)
def retention_page() -> ResponseReturnValue:
    principal = current_principal()
    assert principal is not None
    form = _retention_form(retention_rules.schedule_for(retention.NAME, principal.board_id))
    errors: list[dict[str, str]] = []
    if form.validate_on_submit():
        given: dict[str, object] = {}
        for kind in retention_rules.RECORD_TYPES:
            text = (getattr(form, kind.code).data or "").strip()
            given[kind.code] = int(text) if text.isdigit() else text
        months, problems = retention_rules.check({"months": given})
        for problem in problems:
            code = problem["field"].split(".", 1)[1]
            getattr(form, code).errors = [problem["message"]]
            errors.append({"text": problem["message"], "href": f"#{code}"})
        if not problems:
            _retention_set(principal.board_id, months)
            return redirect(url_for("board.settings_page", changed="retention"))
    status = 422 if errors or form.errors else 200
    return render_template(
        "board_retention.html",
        title="How long records are kept",
        form=form,
        errors=errors or error_list(form),
        kinds=retention_rules.RECORD_TYPES,
    ), status
