"""Moving a case on: its next status (``/cases/<id>/status``), and letting another agency of the
board see it (``/cases/<id>/agencies``). Which status may follow which is the domain's
(:data:`services.referral.domain.case.TRANSITIONS`); the handlers are the API's."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from services.referral.adapters.store import Case
from services.referral.domain import case as rules
from services.referral.entrypoints import current_bus, forms
from services.referral.entrypoints.forms.progress_forms import STATUS_HINTS, AgencyForm, StatusForm
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.roles import CASE_MANAGERS
from services.referral.service_layer.messages import BoardAgencies, ChangeStatus, GetCase, ShareCase
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.words import plain


def next_statuses(case: Case) -> dict[str, str]:
    """The statuses the case may move on to from a page: a decision is recorded, not chosen."""
    allowed = rules.TRANSITIONS.get(case.status, frozenset()) - {rules.DECIDED}
    return {s: plain(s) for s in rules.STATUSES if s in allowed}


def _case(case_id: str) -> Case:
    return current_bus().handle(GetCase(actor=actor(), case_id=case_id))


def _failed(form: Any, exc: DomainError) -> list[dict[str, str]]:
    """The handler's problems, on the fields they name and in the error summary."""
    errors = []
    for e in exc.errors():
        name = (e.get("field") or "").split(".")[0]
        field = form[name] if name in form else None
        if field is not None:
            field.errors = [*field.errors, e["message"]]
        errors.append({"text": e["message"], "href": f"#{field.id if field is not None else 'main-content'}"})
    return errors


def _render_status(
    case: Case, form: StatusForm, errors: list[dict[str, str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "referral/status.html",
        title=f"Move case {case.reference} on",
        case=case,
        form=form,
        hints=[{"hint": {"text": STATUS_HINTS.get(s, "")}} for s in (form.status.choices or {})],
        awaiting_decision=rules.may_become(case.status, rules.DECIDED),
        errors=errors if errors is not None else forms.error_list(form),
    ), status


@blueprint.get("/cases/<case_id>/status")
@members(*CASE_MANAGERS)
@audited("case.read", "case", "case_id")
def status_page(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    form = StatusForm(formdata=None)
    form.offer(next_statuses(case))
    return _render_status(case, form)


@blueprint.post("/cases/<case_id>/status")
@members(*CASE_MANAGERS)
@audited("case.write", "case", "case_id")
def change_status(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    form = StatusForm()
    form.offer(next_statuses(case))
    if not form.validate():
        return _render_status(case, form, status=422)
    reason = (form.reason.data or "").strip() or None
    try:
        current_bus().handle(
            ChangeStatus(actor=actor(), case_id=case_id, status=form.status.data, reason=reason)
        )
    except DomainError as exc:  # the case moved on meanwhile
        return _render_status(case, form, _failed(form, exc), exc.status)
    flash(f"The case is now: {plain(form.status.data).lower()}", "decision")
    return redirect(url_for(".case_page", case_id=case_id))


def _render_agencies(
    case: Case, form: AgencyForm, errors: list[dict[str, str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "referral/agencies.html",
        title=f"Let another agency see case {case.reference}",
        case=case,
        form=form,
        errors=errors if errors is not None else forms.error_list(form),
    ), status


def _agency_form(case: Case, formdata: bool) -> AgencyForm:
    agencies = current_bus().handle(BoardAgencies(actor=actor()))
    seen = {case.referring_agency, *(case.shared_with or [])}
    form = AgencyForm() if formdata else AgencyForm(formdata=None)
    form.offer({code: name for code, name in agencies.items() if code not in seen})
    return form


@blueprint.get("/cases/<case_id>/agencies")
@members(*CASE_MANAGERS)
@audited("case.read", "case", "case_id")
def agencies_page(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    return _render_agencies(case, _agency_form(case, formdata=False))


@blueprint.post("/cases/<case_id>/agencies")
@members(*CASE_MANAGERS)
@audited("case.write", "case", "case_id")
def share_with_agency(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    form = _agency_form(case, formdata=True)
    if not form.validate():
        return _render_agencies(case, form, status=422)
    try:
        current_bus().handle(ShareCase(actor=actor(), case_id=case_id, agency=form.agency.data))
    except DomainError as exc:
        return _render_agencies(case, form, _failed(form, exc), exc.status)
    chosen = dict(form.agency.choices or {})[form.agency.data]
    flash(f"{chosen} can now see the case", "decision")
    return redirect(url_for(".case_page", case_id=case_id))
