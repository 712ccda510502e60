"""The decision pages: the form, then "Check your answers", then the decision recorded.

``/cases/<id>/decision`` (and ``/decision/change`` after a challenge) takes the answers and checks
them against the decision rules without recording anything; the answers wait in the user's
session while ``/check`` shows them with Change links and says plainly who is emailed when the
decision is confirmed. Only the confirmation records it, through the same handler as the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from services.referral.adapters.store import Case
from services.referral.domain import case as rules
from services.referral.domain.screening import rule_pack
from services.referral.entrypoints import current_bus, forms, today
from services.referral.entrypoints.forms.dates import DateParts
from services.referral.entrypoints.forms.words import PackWords
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.roles import DECIDERS
from services.referral.service_layer.messages import (
    BoardAgencies,
    BoardChairs,
    ChangeDecision,
    GetCase,
    RecordDecision,
)
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS
from shared.words import long_date

PENDING = "decision_answers"
NATIONAL_BODIES = "Ofsted, the Department for Education and the National Panel of Independent Experts"


def chairs_for(bus: Any) -> dict[str, str] | None:
    """The board's Chairs, for someone recording a decision for one; None for a Chair."""
    principal = actor()
    return None if principal.has_any({"chair"}) else bus.handle(BoardChairs(actor=principal))


def told(pack: PackWords) -> str:
    """Who is emailed the decision under the case's rule pack (003 checklist; WT2018 ch. 4)."""
    return pack.panel if pack.rapid_review else NATIONAL_BODIES


def _key(case_id: str, change: bool) -> str:
    return f"{PENDING}:{'change' if change else 'record'}:{case_id}"


def _form(
    bus: Any, case: Case, formdata: MultiDict[str, str] | None, check: bool = False
) -> forms.DecisionForm:
    """The decision form: empty but for today's date, or filled in from ``formdata`` (the answers
    kept for "Check your answers", which carry no CSRF token of their own: ``check``)."""
    if formdata is None:
        form = forms.DecisionForm(data={"decided_on": today()}, formdata=None)
    elif check:
        form = forms.DecisionForm(formdata=formdata, meta={"csrf": False})
    else:
        form = forms.DecisionForm(formdata=formdata)
    form.offer(
        case.screening["recommended"],
        list(rule_pack(case.rule_pack).review_kinds),
        bus.handle(BoardAgencies(actor=actor())),
        chairs_for(bus),
    )
    return form


def _form_url(case_id: str, change: bool) -> str:
    return url_for(".change_decision_page" if change else ".decision", case_id=case_id)


def _render_form(
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
        told=told(screening.words),
        errors=errors if errors is not None else forms.error_list(form),
    ), status


def _open(case: Case, change: bool) -> bool:
    if change:
        return case.decision is not None and any(
            not c.before_decision and not c.outcome for c in case.challenges
        )
    return rules.may_become(case.status, rules.DECIDED)


def _command(case_id: str, form: forms.DecisionForm, change: bool, check_only: bool) -> Any:
    # What the page refused goes to the handler with the rest, so the error summary names every
    # problem at once: the page's own and the decision rules', cross-field ones included.
    refused = [] if form.validate() else form.problems()
    kind = ChangeDecision if change else RecordDecision
    return kind(
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
        check_only=check_only,
    )


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


def _answers() -> MultiDict[str, str]:
    return MultiDict([(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"])


def _kept(case_id: str, change: bool) -> MultiDict[str, str] | None:
    stored = session.get(_key(case_id, change))
    return MultiDict([(k, v) for k, values in stored.items() for v in values]) if stored else None


def _show(case_id: str, change: bool) -> ResponseReturnValue:
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    if not _open(case, change):
        return redirect(url_for(".case_page", case_id=case_id))
    screening = forms.ScreeningView.of(case.screening)
    if screening.serious_case and screening.words.rapid_review and not case.rapid_review:
        return redirect(url_for(".rapid_review_page", case_id=case_id))  # it comes first
    # Back from "Check your answers" by a Change link: the answers as given.
    return _render_form(case, _form(bus, case, _kept(case_id, change)), change)


def _check(case_id: str, change: bool) -> ResponseReturnValue:
    """The answers checked against the decision rules, nothing recorded; then check your answers."""
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    form = _form(bus, case, request.form)
    command = _command(case_id, form, change, check_only=True)
    try:
        bus.handle(command)
    except DomainError as exc:
        return _render_form(case, form, change, errors_on(form, exc, command.problems), exc.status)
    answers = _answers()
    session[_key(case_id, change)] = {k: answers.getlist(k) for k in answers}
    return redirect(url_for(".check_change" if change else ".check_decision", case_id=case_id))


def _summary_rows(case: Case, form: forms.DecisionForm, change: bool, agencies: dict[str, str]) -> list[Any]:
    page = _form_url(case.case_id, change)

    def row(key: str, value: str | Markup, anchor: str, hidden: str) -> dict[str, Any]:
        shown = {"html": value} if isinstance(value, Markup) else {"text": value}
        link = {"href": f"{page}#{anchor}", "text": "Change", "visuallyHiddenText": hidden}
        return {"key": {"text": key}, "value": shown, "actions": {"items": [link]}}

    def listed(items: Sequence[str], empty: str) -> str | Markup:
        if not items:
            return empty
        return Markup('<ul class="govuk-list">{}</ul>').format(
            Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
        )

    pack = forms.ScreeningView.of(case.screening).words
    rows = []
    if "chair" in form:
        chairs = dict(form.chair.choices or {})
        rows.append(row("Chair", chairs.get(form.chair.data, ""), "chair", "the Chair"))
    rows.append(row("Decision", forms.OUTCOME_LABELS[form.outcome.data], "outcome", "the decision"))
    if pack.has_scr and form.method.data:
        rows.append(
            row("Method", forms.METHOD_LABELS.get(form.method.data, ""), "method", "the review's method")
        )
    rows.append(row("Date of the decision", long_date(form.decided_on.data), "decided_on-day", "the date"))
    starts = form.initiated_on.data
    start_text = long_date(starts) if starts else "The day of the decision"
    if form.outcome.data == "no_review":
        start_text = "There will be no review"
    rows.append(row("The review starts", start_text, "initiated_on-day", "when the review starts"))
    rows.append(row("Reasons", (form.rationale.data or "").strip(), "rationale", "the reasons"))
    given = [i for i, entry in enumerate(form.lead_reviewers) if not entry.form.blank()]
    for n, (row_index, reviewer) in enumerate(zip(given, form.reviewers(), strict=True), start=1):
        details = [f"{reviewer['name']}, {reviewer['organisation']}"]
        if reviewer["email"]:
            details.append(reviewer["email"])
        details.append(
            f"From {agencies[reviewer['agency']]}"
            if reviewer["agency"] in agencies
            else "Not from one of the board's agencies"
        )
        if reviewer["qualifications"]:
            details.append(reviewer["qualifications"])
        ticked = [forms.DECLARATION_LABELS[k] for k, v in reviewer["declarations"].items() if v]
        if reviewer["declarations"]:
            details.extend(ticked or ["None of the declarations of independence applies"])
        anchor = f"lead_reviewers-{row_index}-name"
        rows.append(row(f"Lead reviewer {n}", listed(details, ""), anchor, f"lead reviewer {n}"))
    if not given:
        rows.append(row("Lead reviewers", "None named", "lead_reviewers-0-name", "the lead reviewers"))
    case_factors, context_factors = dict(CASE_FACTORS), dict(CONTEXT_FACTORS)
    rows.append(
        row(
            "Case factors",
            listed([case_factors[f] for f in form.case_factors.data or []], "None selected"),
            "case_factors",
            "the case factors",
        )
    )
    rows.append(
        row(
            "Context factors",
            listed([context_factors[f] for f in form.context_factors.data or []], "None selected"),
            "context_factors",
            "the context factors",
        )
    )
    return rows


def _check_page(case_id: str, change: bool) -> ResponseReturnValue:
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    kept = _kept(case_id, change)
    if kept is None or not _open(case, change):
        return redirect(_form_url(case_id, change))
    form = _form(bus, case, kept, check=True)
    form.validate()
    screening = forms.ScreeningView.of(case.screening)
    verb = "change" if change else "record"
    return render_template(
        "referral/decision_check.html",
        title=f"Check the decision before you {verb} it: case {case.reference}",
        case=case,
        change=change,
        rows=_summary_rows(case, form, change, bus.handle(BoardAgencies(actor=actor()))),
        pack=screening.words,
        told=told(screening.words),
        outcome=forms.OUTCOME_LABELS[form.outcome.data],
        back_url=_form_url(case_id, change),
        action=url_for(".confirm_change" if change else ".confirm_record", case_id=case_id),
        form=forms.CsrfOnlyForm(),
    )


def _record(case_id: str, change: bool) -> ResponseReturnValue:
    """Confirmed on "Check your answers": the decision recorded with the answers kept."""
    bus = current_bus()
    case = bus.handle(GetCase(actor=actor(), case_id=case_id))
    kept = _kept(case_id, change)
    if kept is None:
        return redirect(_form_url(case_id, change))
    if not forms.CsrfOnlyForm().validate():
        return redirect(url_for(".check_change" if change else ".check_decision", case_id=case_id))
    form = _form(bus, case, kept, check=True)
    command = _command(case_id, form, change, check_only=False)
    try:
        bus.handle(command)
    except DomainError as exc:  # the case moved on, or the rules changed, since the check
        return _render_form(case, form, change, errors_on(form, exc, command.problems), exc.status)
    session.pop(_key(case_id, change), None)
    verb = "changed" if change else "recorded"
    flash(f"Decision {verb}: {forms.OUTCOME_LABELS[form.outcome.data]}", "decision")
    return redirect(url_for(".case_page", case_id=case_id))


@blueprint.get("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def decision(case_id: str) -> ResponseReturnValue:
    return _show(case_id, change=False)


@blueprint.post("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def record_decision(case_id: str) -> ResponseReturnValue:
    return _check(case_id, change=False)


@blueprint.get("/cases/<case_id>/decision/check")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def check_decision(case_id: str) -> ResponseReturnValue:
    return _check_page(case_id, change=False)


@blueprint.post("/cases/<case_id>/decision/check")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def confirm_record(case_id: str) -> ResponseReturnValue:
    return _record(case_id, change=False)


@blueprint.get("/cases/<case_id>/decision/change")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def change_decision_page(case_id: str) -> ResponseReturnValue:
    return _show(case_id, change=True)


@blueprint.post("/cases/<case_id>/decision/change")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def change_decision(case_id: str) -> ResponseReturnValue:
    return _check(case_id, change=True)


@blueprint.get("/cases/<case_id>/decision/change/check")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def check_change(case_id: str) -> ResponseReturnValue:
    return _check_page(case_id, change=True)


@blueprint.post("/cases/<case_id>/decision/change/check")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def confirm_change(case_id: str) -> ResponseReturnValue:
    return _record(case_id, change=True)
