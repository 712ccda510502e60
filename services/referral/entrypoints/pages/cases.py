"""The case pages: the case list with each case's next deadline, the case page, and the
Chair's decision."""

from __future__ import annotations

from typing import Any

from flask import flash, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.referral.adapters.store import Case
from services.referral.domain import case as rules
from services.referral.entrypoints import current_bus, forms, today
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.roles import DECIDERS, READERS
from services.referral.service_layer.messages import BoardAgencies, GetCase, ListCases, RecordDecision
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.pager import page_asked, pager


@blueprint.get("/cases")
@members(*READERS)
@audited("case.list", "case")
def cases() -> ResponseReturnValue:
    status = request.args.get("status") or None
    errors = []
    if status and status not in rules.STATUSES:
        errors = [{"text": "Select a status from the list", "href": "#status"}]
        status = None
    on = today()
    page = current_bus().handle(ListCases(actor=actor(), status=status, **page_asked()))
    rows = [(case, forms.deadline_tag(case.next_deadline, on)) for case in page.items]
    items = [{"value": "", "text": "All statuses", "selected": not status}] + [
        {"value": s, "text": forms.words(s), "selected": s == status} for s in rules.STATUSES
    ]
    noun = f"cases that are {forms.words(status).lower()}" if status else "cases"
    return render_template(
        "referral/cases.html",
        title="Cases",
        rows=rows,
        pager=pager(page, noun),
        status_items=items,
        status=status,
        errors=errors,
    ), 422 if errors else 200


@blueprint.get("/cases/<case_id>")
@members(*READERS)
@audited("case.read", "case", "case_id")
def case_page(case_id: str) -> ResponseReturnValue:
    principal = actor()
    bus = current_bus()
    case = bus.handle(GetCase(actor=principal, case_id=case_id))
    return render_template(
        "referral/case.html",
        title=f"Case {case.reference}",
        case=case,
        screening=forms.ScreeningView.of(case.screening),
        facts=forms.fact_rows(case.facts),
        agencies=bus.handle(BoardAgencies(actor=principal)),
        history=[(forms.show_instant(h.at), h) for h in reversed(case.history)],
        can_decide=principal.has_any(DECIDERS) and rules.may_become(case.status, rules.DECIDED),
        deadline=case.next_deadline,
        deadline_tag=forms.deadline_tag(case.next_deadline, today()),
        decided=get_flashed_messages(category_filter=["decision"]),
    )


def _render_decision(
    case: Case, form: forms.DecisionForm, errors: list[dict[str, Any]] | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "referral/decision.html",
        title=f"Record the Chair's decision on case {case.reference}",
        case=case,
        form=form,
        screening=forms.ScreeningView.of(case.screening),
        errors=errors if errors is not None else forms.error_list(form),
    ), status


@blueprint.get("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def decision(case_id: str) -> ResponseReturnValue:
    case = current_bus().handle(GetCase(actor=actor(), case_id=case_id))
    if not rules.may_become(case.status, rules.DECIDED):
        return redirect(url_for(".case_page", case_id=case_id))
    form = forms.DecisionForm(data={"decided_on": today()}, formdata=None)
    form.offer(case.screening["recommended"])
    return _render_decision(case, form)


@blueprint.post("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def record_decision(case_id: str) -> ResponseReturnValue:
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    form = forms.DecisionForm()
    form.offer(case.screening["recommended"])
    if not form.validate():
        return _render_decision(case, form, status=422)
    command = RecordDecision(
        actor=actor(),
        case_id=case_id,
        outcome=form.outcome.data,
        decided_on=form.decided_on.entered(),
        initiated_on=form.initiated_on.data,
        rationale=(form.rationale.data or "").strip(),
        lead_reviewers=form.reviewers(),
        case_factors=form.case_factors.data or [],
        context_factors=form.context_factors.data or [],
    )
    try:
        bus.handle(command)
    except DomainError as exc:  # the decision rules, or the case moved on meanwhile
        errors = []
        for e in exc.errors():
            target, anchor = form.anchor(e.get("field"))
            if target is not None:
                target.errors = [*target.errors, e["message"]]
            errors.append({"text": e["message"], "href": f"#{anchor}"})
        return _render_decision(case, form, errors, exc.status)
    flash(f"Decision recorded: {forms.OUTCOME_LABELS[command.outcome]}", "decision")
    return redirect(url_for(".case_page", case_id=case_id))
