"""The pages around the decision: the safeguarding partners' rapid review before it (wt2018,
wt2023), a challenge to it (a peer challenge may come before it), and keeping it after a
challenge."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from services.referral.adapters.store import Case
from services.referral.entrypoints import current_bus, forms, today
from services.referral.entrypoints.forms.dates import DateParts
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.pages.cases import chairs_for
from services.referral.entrypoints.roles import CHALLENGERS, DECIDERS
from services.referral.service_layer.messages import (
    ConfirmDecision,
    GetCase,
    Message,
    RecordChallenge,
    RecordRapidReview,
)
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError

PAGES = {
    "rapid-review": ("referral/rapid_review.html", "Record the rapid review"),
    "challenge": ("referral/challenge.html", "Record a challenge to the decision"),
    "confirm": ("referral/confirm.html", "Keep the decision after a challenge"),
}


def _render(
    page: str, case: Case, form: Any, errors: list[dict[str, Any]] | None = None, status: int = 200
) -> ResponseReturnValue:
    template, title = PAGES[page]
    screening = forms.ScreeningView.of(case.screening)
    return render_template(
        template,
        title=f"{title}: case {case.reference}",
        heading=title,
        case=case,
        form=form,
        pack=screening.words,
        errors=errors if errors is not None else forms.error_list(form),
    ), status


def _anchor(form: Any, field: str | None) -> str:
    name = (field or "").split(".")[0]
    if name in form and isinstance(form[name], DateParts):
        return f"{name}-{form[name].error_part}"
    return form[name].id if name in form else "main-content"


def refused(form: Any) -> list[dict[str, Any]]:
    """What the page refused, named as the handler names fields: it goes to the handler with the
    rest, so the error summary names every problem at once."""
    return [{"field": f.name, "message": f.errors[0]} for f in form if f.errors]


def value(form: Any, name: str) -> Any:
    """A field's answer, or None when the page refused it (the handler then skips its checks)."""
    return None if name not in form or form[name].errors else form[name].data


def _send(
    page: str, case: Case, form: Any, command: Message[Case], done: str, shown: list[dict[str, Any]]
) -> ResponseReturnValue:
    try:
        current_bus().handle(command)
    except DomainError as exc:
        errors = []
        for e in exc.errors():
            name = (e.get("field") or "").split(".")[0]
            if name in form and e not in shown:
                form[name].errors = [*form[name].errors, e["message"]]
            errors.append({"text": e["message"], "href": f"#{_anchor(form, e.get('field'))}"})
        return _render(page, case, form, errors, exc.status)
    flash(done, "decision")
    return redirect(url_for(".case_page", case_id=case.case_id))


def _case(case_id: str) -> Case:
    return current_bus().handle(GetCase(actor=actor(), case_id=case_id))


# -- the rapid review ---------------------------------------------------------------------------


@blueprint.get("/cases/<case_id>/rapid-review")
@members(*CHALLENGERS)
@audited("case.read", "case", "case_id")
def rapid_review_page(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    if case.rapid_review is not None or case.decision is not None:
        return redirect(url_for(".case_page", case_id=case_id))
    return _render("rapid-review", case, forms.RapidReviewForm(data={"completed_on": today()}, formdata=None))


@blueprint.post("/cases/<case_id>/rapid-review")
@members(*CHALLENGERS)
@audited("case.write", "case", "case_id")
def record_rapid_review(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    form = forms.RapidReviewForm()
    shown = [] if form.validate() else refused(form)
    command = RecordRapidReview(
        actor=actor(),
        case_id=case_id,
        completed_on=value(form, "completed_on"),
        recommends_local_review=value(form, "recommends_local_review") == "yes",
        suggests_national_review=value(form, "suggests_national_review") == "yes",
        summary=value(form, "summary"),
        problems=shown,
    )
    return _send("rapid-review", case, form, command, "Rapid review recorded", shown)


# -- a challenge ---------------------------------------------------------------------------------


def _challenge_form(case: Case, formdata: bool) -> forms.ChallengeForm:
    form = (
        forms.ChallengeForm()
        if formdata
        else forms.ChallengeForm(data={"challenged_on": today()}, formdata=None)
    )
    form.offer(case.decision is not None, forms.ScreeningView.of(case.screening).words.panel)
    return form


@blueprint.get("/cases/<case_id>/challenge")
@members(*CHALLENGERS)
@audited("case.read", "case", "case_id")
def challenge_page(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    return _render("challenge", case, _challenge_form(case, formdata=False))


@blueprint.post("/cases/<case_id>/challenge")
@members(*CHALLENGERS)
@audited("case.write", "case", "case_id")
def record_challenge(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    form = _challenge_form(case, formdata=True)
    if not form.validate():
        return _render("challenge", case, form, status=422)
    command = RecordChallenge(
        actor=actor(),
        case_id=case_id,
        challenged_by=form.challenged_by.data,
        challenged_on=form.challenged_on.entered(),
        summary=(form.summary.data or "").strip(),
    )
    return _send("challenge", case, form, command, "Challenge recorded", [])


# -- keeping the decision --------------------------------------------------------------------------


def _confirm_form(formdata: bool) -> forms.ConfirmForm:
    form = (
        forms.ConfirmForm() if formdata else forms.ConfirmForm(data={"confirmed_on": today()}, formdata=None)
    )
    form.offer(chairs_for(current_bus()))
    return form


@blueprint.get("/cases/<case_id>/decision/confirm")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def confirm_page(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    return _render("confirm", case, _confirm_form(formdata=False))


@blueprint.post("/cases/<case_id>/decision/confirm")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def confirm_decision(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    form = _confirm_form(formdata=True)
    shown = [] if form.validate() else refused(form)
    command = ConfirmDecision(
        actor=actor(),
        case_id=case_id,
        confirmed_on=value(form, "confirmed_on"),
        rationale=value(form, "rationale"),
        chair=value(form, "chair"),
        problems=shown,
    )
    done = "Decision kept: Ofsted, the DfE and the Panel will be told"
    return _send("confirm", case, form, command, done, shown)
