"""The child's pseudonym on a case (``/cases/<id>/pseudonym``): the name published reports give
the child, set by the business unit; and ``PUT /api/v1/cases/<id>/pseudonym``, the same through
the API. Both hand :class:`~...service_layer.pseudonyms.SetPseudonym` to its handler, which
checks the name and notes the change in the case's history; both are audited."""

from __future__ import annotations

from flask import Blueprint, flash, g, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from marshmallow import RAISE, Schema, fields
from wtforms import StringField

from services.referral.adapters.store import Case
from services.referral.entrypoints import current_bus, forms
from services.referral.entrypoints.api_referrals import load_partially
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.representations import CaseSchema, case_json
from services.referral.entrypoints.roles import CASE_MANAGERS
from services.referral.service_layer.messages import GetCase
from services.referral.service_layer.pseudonyms import MAX_PSEUDONYM, SetPseudonym, problems
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.openapi import documented

api = Blueprint("pseudonym_api", __name__, url_prefix="/api/v1/cases")


class PseudonymForm(FlaskForm):
    pseudonym = StringField(
        "Child's pseudonym",
        widget=GovTextInput(),
        description="The name the board's published reports give the child, like Child A. "
        "Never the child's real name or initials.",
    )


class PseudonymSchema(Schema):
    class Meta:
        unknown = RAISE

    pseudonym = fields.String(
        required=True,
        metadata={
            "description": f"Like 'Child A': letters, numbers, spaces, hyphens; {MAX_PSEUDONYM} at most"
        },
    )


def _render(
    case: Case, form: PseudonymForm, errors: list[dict[str, str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "referral/pseudonym.html",
        title=f"The child's pseudonym on case {case.reference}",
        case=case,
        form=form,
        errors=errors if errors is not None else forms.error_list(form),
    ), status


@blueprint.get("/cases/<case_id>/pseudonym")
@members(*CASE_MANAGERS)
@audited("case.read", "case", "case_id")
def pseudonym_page(case_id: str) -> ResponseReturnValue:
    case = current_bus().handle(GetCase(actor=actor(), case_id=case_id))
    return _render(case, PseudonymForm(formdata=None, data={"pseudonym": case.pseudonym or ""}))


@blueprint.post("/cases/<case_id>/pseudonym")
@members(*CASE_MANAGERS)
@audited("case.write", "case", "case_id")
def set_pseudonym(case_id: str) -> ResponseReturnValue:
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    form = PseudonymForm()
    if not form.validate():  # the CSRF token
        return _render(case, form, status=400)
    try:
        bus.handle(SetPseudonym(actor=actor(), case_id=case_id, pseudonym=form.pseudonym.data))
    except InvalidInput as exc:
        form.pseudonym.errors = [e["message"] for e in exc.errors()]
        return _render(case, form, status=exc.status)
    flash(f"The child's pseudonym is now {' '.join((form.pseudonym.data or '').split())}", "decision")
    return redirect(url_for(".case_page", case_id=case_id))


@api.put("/<case_id>/pseudonym")
@members(*CASE_MANAGERS)
@documented(
    summary="Set the child's pseudonym on a case",
    description="The name the board's published reports give the child (like 'Child A'): not "
    "personal data, shown with the case and searchable in the case list. 422 names the problem.",
    body=PseudonymSchema,
    responses={200: CaseSchema, 404: None, 422: None},
)
@audited("case.write", "case", "case_id")
def put_pseudonym(case_id: str) -> ResponseReturnValue:
    body, refused = load_partially(PseudonymSchema())
    if refused:  # every problem at once: the schema's and the pseudonym's own
        named = {e.get("field") for e in refused}
        raise InvalidInput(refused + [p for p in problems(body.get("pseudonym")) if p["field"] not in named])
    case = current_bus().handle(
        SetPseudonym(actor=g.principal, case_id=case_id, pseudonym=body.get("pseudonym"))
    )
    return jsonify(case_json(case))
