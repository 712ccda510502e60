"""The case pages: the case list with each case's next deadline, the case page, and the
decision (recorded, or changed after a challenge). The rapid review, challenges and keeping a
decision are in :mod:`.reviews`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import flash, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.referral.adapters.store import Case
from services.referral.domain import case as rules
from services.referral.domain.screening import rule_pack
from services.referral.entrypoints import current_bus, forms, today
from services.referral.entrypoints.forms.dates import DateParts
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.roles import CHALLENGERS, DECIDERS, READERS
from services.referral.service_layer.messages import (
    BoardAgencies,
    BoardChairs,
    ChangeDecision,
    GetCase,
    ListCases,
    RecordDecision,
)
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
    screening = forms.ScreeningView.of(case.screening)
    rapid_review_due = screening.serious_case and screening.words.rapid_review and not case.rapid_review
    waiting = rules.may_become(case.status, rules.DECIDED)
    open_challenge = any(not c.before_decision and not c.outcome for c in case.challenges)
    return render_template(
        "referral/case.html",
        title=f"Case {case.reference}",
        case=case,
        screening=screening,
        pack=screening.words,
        facts=forms.fact_rows(case.facts),
        agencies=bus.handle(BoardAgencies(actor=principal)),
        history=[(forms.show_instant(h.at), h) for h in reversed(case.history)],
        can_decide=principal.has_any(DECIDERS) and waiting and not rapid_review_due,
        can_record_rapid_review=principal.has_any(CHALLENGERS) and waiting and rapid_review_due,
        can_challenge=principal.has_any(CHALLENGERS) and (case.decision is not None or waiting),
        can_answer_challenge=principal.has_any(DECIDERS) and case.decision is not None and open_challenge,
        declaration_labels=forms.DECLARATION_LABELS,
        deadline=case.next_deadline,
        deadline_tag=forms.deadline_tag(case.next_deadline, today()),
        decided=get_flashed_messages(category_filter=["decision"]),
    )


def chairs_for(bus: Any) -> dict[str, str] | None:
    """The board's Chairs, for someone recording a decision for one; None for a Chair."""
    principal = actor()
    return None if principal.has_any({"chair"}) else bus.handle(BoardChairs(actor=principal))


def _form(bus: Any, case: Case, formdata: bool) -> forms.DecisionForm:
    form = (
        forms.DecisionForm() if formdata else forms.DecisionForm(data={"decided_on": today()}, formdata=None)
    )
    form.offer(
        case.screening["recommended"],
        list(rule_pack(case.rule_pack).review_kinds),
        bus.handle(BoardAgencies(actor=actor())),
        chairs_for(bus),
    )
    return form


def _render_decision(
    case: Case,
    form: forms.DecisionForm,
    change: bool,
    errors: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    screening = forms.ScreeningView.of(case.screening)
    verb = "Change" if change else "Record"
    return render_template(
        "referral/decision.html",
        title=f"{verb} {screening.words.deciders_possessive} decision on case {case.reference}",
        verb=verb,
        action=url_for(".change_decision" if change else ".record_decision", case_id=case.case_id),
        case=case,
        form=form,
        screening=screening,
        pack=screening.words,
        errors=errors if errors is not None else forms.error_list(form),
    ), status


def _open(case: Case, change: bool) -> bool:
    if change:
        return case.decision is not None and any(
            not c.before_decision and not c.outcome for c in case.challenges
        )
    return rules.may_become(case.status, rules.DECIDED)


def _show(case_id: str, change: bool) -> ResponseReturnValue:
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    if not _open(case, change):
        return redirect(url_for(".case_page", case_id=case_id))
    screening = forms.ScreeningView.of(case.screening)
    if screening.serious_case and screening.words.rapid_review and not case.rapid_review:
        return redirect(url_for(".rapid_review_page", case_id=case_id))  # it comes first
    return _render_decision(case, _form(bus, case, formdata=False), change)


def _record(case_id: str, change: bool) -> ResponseReturnValue:
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    form = _form(bus, case, formdata=True)
    # What the page refused goes to the handler with the rest, so the error summary names every
    # problem at once: the page's own and the decision rules', cross-field ones included.
    refused = [] if form.validate() else form.problems()
    kind = ChangeDecision if change else RecordDecision
    command = kind(
        actor=actor(),
        case_id=case_id,
        outcome=form.value("outcome"),
        decided_on=form.value("decided_on"),
        initiated_on=form.value("initiated_on"),
        rationale=None if form.rationale.errors else (form.rationale.data or "").strip(),
        lead_reviewers=form.reviewers(),
        case_factors=form.value("case_factors") or [],
        context_factors=form.value("context_factors") or [],
        method=form.value("method") or None,
        chair=form.value("chair"),
        problems=refused,
    )
    try:
        bus.handle(command)
    except DomainError as exc:  # the decision rules, or the case moved on meanwhile
        return _render_decision(case, form, change, errors_on(form, exc, refused), exc.status)
    verb = "changed" if change else "recorded"
    flash(f"Decision {verb}: {forms.OUTCOME_LABELS[form.outcome.data]}", "decision")
    return redirect(url_for(".case_page", case_id=case_id))


def errors_on(form: Any, exc: DomainError, shown: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """The handler's problems shown against the fields they name, and in the error summary;
    those in ``shown`` (the page's own) are on their fields already."""
    errors = []
    for e in exc.errors():
        target, anchor = form.anchor(e.get("field"))
        if target is not None and e not in shown:
            target.errors = [*target.errors, e["message"]]
        if isinstance(target, DateParts):
            anchor = f"{target.name}-{target.error_part}"
        errors.append({"text": e["message"], "href": f"#{anchor}"})
    return errors


@blueprint.get("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def decision(case_id: str) -> ResponseReturnValue:
    return _show(case_id, change=False)


@blueprint.post("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def record_decision(case_id: str) -> ResponseReturnValue:
    return _record(case_id, change=False)


@blueprint.get("/cases/<case_id>/decision/change")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def change_decision_page(case_id: str) -> ResponseReturnValue:
    return _show(case_id, change=True)


@blueprint.post("/cases/<case_id>/decision/change")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def change_decision(case_id: str) -> ResponseReturnValue:
    return _record(case_id, change=True)
