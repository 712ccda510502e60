"""The pages around the decision: the safeguarding partners' rapid review before it (wt2018,
wt2023), a challenge to it (a peer challenge may come before it), and keeping it after a
challenge.

The rapid review goes to the Panel and a decision kept is told to the regulators, so both are
checked against the rules first (nothing recorded), shown on a "Check your answers" page with
Change links, and recorded only when confirmed there, through the handlers the API calls.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from services.referral.adapters.store import Case
from services.referral.entrypoints import current_bus, forms, today
from services.referral.entrypoints.forms.dates import DateParts
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.pages.decision import chairs_for, told
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
from shared.words import long_date

PAGES = {
    "rapid-review": ("referral/rapid_review.html", "Record the rapid review"),
    "challenge": ("referral/challenge.html", "Record a challenge to the decision"),
    "confirm": ("referral/confirm.html", "Keep the decision after a challenge"),
}
PENDING = "review_answers"


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
        told=told(screening.words),
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


def _failed(
    page: str, case: Case, form: Any, exc: DomainError, shown: list[dict[str, Any]]
) -> ResponseReturnValue:
    errors = []
    for e in exc.errors():
        name = (e.get("field") or "").split(".")[0]
        if name in form and e not in shown:
            form[name].errors = [*form[name].errors, e["message"]]
        errors.append({"text": e["message"], "href": f"#{_anchor(form, e.get('field'))}"})
    return _render(page, case, form, errors, exc.status)


def _send(
    page: str, case: Case, form: Any, command: Message[Case], done: str, shown: list[dict[str, Any]]
) -> ResponseReturnValue:
    try:
        current_bus().handle(command)
    except DomainError as exc:
        return _failed(page, case, form, exc, shown)
    flash(done, "decision")
    return redirect(url_for(".case_page", case_id=case.case_id))


def _case(case_id: str) -> Case:
    return current_bus().handle(GetCase(actor=actor(), case_id=case_id))


# -- answers kept for "Check your answers" ------------------------------------------------------


def _key(page: str, case_id: str) -> str:
    return f"{PENDING}:{page}:{case_id}"


def _keep(page: str, case_id: str) -> None:
    answers = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"]
    kept: dict[str, list[str]] = {}
    for k, v in answers:
        kept.setdefault(k, []).append(v)
    session[_key(page, case_id)] = kept


def _kept(page: str, case_id: str) -> MultiDict[str, str] | None:
    stored = session.get(_key(page, case_id))
    return MultiDict([(k, v) for k, values in stored.items() for v in values]) if stored else None


def _checked(
    page: str, case: Case, form: Any, command: Message[Case], shown: list[dict[str, Any]]
) -> ResponseReturnValue:
    """The answers checked against the rules (nothing recorded), kept, then shown to check."""
    try:
        current_bus().handle(command)
    except DomainError as exc:
        return _failed(page, case, form, exc, shown)
    _keep(page, case.case_id)
    return redirect(url_for(CHECKS[page], case_id=case.case_id))


def _row(key: str, text: str, href: str, hidden: str) -> dict[str, Any]:
    link = {"href": href, "text": "Change", "visuallyHiddenText": hidden}
    return {"key": {"text": key}, "value": {"text": text}, "actions": {"items": [link]}}


def _yes_no(answer: Any) -> str:
    return "Yes" if answer == "yes" else "No"


# -- the rapid review ---------------------------------------------------------------------------


def _rapid_review(
    case_id: str, form: forms.RapidReviewForm, check_only: bool
) -> tuple[RecordRapidReview, list[Any]]:
    shown = [] if form.validate() else refused(form)
    command = RecordRapidReview(
        actor=actor(),
        case_id=case_id,
        completed_on=value(form, "completed_on"),
        recommends_local_review=value(form, "recommends_local_review") == "yes",
        suggests_national_review=value(form, "suggests_national_review") == "yes",
        summary=value(form, "summary"),
        problems=shown,
        check_only=check_only,
    )
    return command, shown


@blueprint.get("/cases/<case_id>/rapid-review")
@members(*CHALLENGERS)
@audited("case.read", "case", "case_id")
def rapid_review_page(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    if case.rapid_review is not None or case.decision is not None:
        return redirect(url_for(".case_page", case_id=case_id))
    kept = _kept("rapid-review", case_id)
    form = (
        forms.RapidReviewForm(formdata=kept)
        if kept
        else forms.RapidReviewForm(data={"completed_on": today()}, formdata=None)
    )
    return _render("rapid-review", case, form)


@blueprint.post("/cases/<case_id>/rapid-review")
@members(*CHALLENGERS)
@audited("case.read", "case", "case_id")
def record_rapid_review(case_id: str) -> ResponseReturnValue:
    case, form = _case(case_id), forms.RapidReviewForm()
    command, shown = _rapid_review(case_id, form, check_only=True)
    return _checked("rapid-review", case, form, command, shown)


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


def _confirm_form(formdata: MultiDict[str, str] | None, check: bool = False) -> forms.ConfirmForm:
    if formdata is None:
        form = forms.ConfirmForm(data={"confirmed_on": today()}, formdata=None)
    else:
        form = forms.ConfirmForm(formdata=formdata, meta={"csrf": False} if check else {})
    form.offer(chairs_for(current_bus()))
    return form


def _confirmation(
    case_id: str, form: forms.ConfirmForm, check_only: bool
) -> tuple[ConfirmDecision, list[Any]]:
    shown = [] if form.validate() else refused(form)
    command = ConfirmDecision(
        actor=actor(),
        case_id=case_id,
        confirmed_on=value(form, "confirmed_on"),
        rationale=value(form, "rationale"),
        chair=value(form, "chair"),
        problems=shown,
        check_only=check_only,
    )
    return command, shown


@blueprint.get("/cases/<case_id>/decision/confirm")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def confirm_page(case_id: str) -> ResponseReturnValue:
    case = _case(case_id)
    return _render("confirm", case, _confirm_form(_kept("confirm", case_id)))


@blueprint.post("/cases/<case_id>/decision/confirm")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def confirm_decision(case_id: str) -> ResponseReturnValue:
    case, form = _case(case_id), _confirm_form(request.form)
    command, shown = _confirmation(case_id, form, check_only=True)
    return _checked("confirm", case, form, command, shown)


# -- check your answers, then record ----------------------------------------------------------------


def _check_rows(page: str, case: Case, form: Any) -> list[dict[str, Any]]:
    if page == "rapid-review":
        url = url_for(".rapid_review_page", case_id=case.case_id)
        return [
            _row("Completed on", long_date(form.completed_on.data), f"{url}#completed_on-day", "the date"),
            _row(
                "Recommends a local review",
                _yes_no(form.recommends_local_review.data),
                f"{url}#recommends_local_review",
                "whether it recommends a local review",
            ),
            _row(
                "Suggests a national review",
                _yes_no(form.suggests_national_review.data),
                f"{url}#suggests_national_review",
                "whether it suggests a national review",
            ),
            _row("What it found", (form.summary.data or "").strip(), f"{url}#summary", "what it found"),
        ]
    url = url_for(".confirm_page", case_id=case.case_id)
    rows = []
    if "chair" in form:
        rows.append(
            _row(
                "Chair", dict(form.chair.choices or {}).get(form.chair.data, ""), f"{url}#chair", "the Chair"
            )
        )
    rows.append(_row("Kept on", long_date(form.confirmed_on.data), f"{url}#confirmed_on-day", "the date"))
    rows.append(_row("Why it stands", (form.rationale.data or "").strip(), f"{url}#rationale", "the reasons"))
    return rows


def _stored_form(page: str, kept: MultiDict[str, str]) -> Any:
    if page == "rapid-review":
        return forms.RapidReviewForm(formdata=kept, meta={"csrf": False})
    return _confirm_form(kept, check=True)


CHECKS = {"rapid-review": ".rapid_review_check", "confirm": ".confirm_check"}
FORMS = {"rapid-review": ".rapid_review_page", "confirm": ".confirm_page"}


def _check_page(page: str, case_id: str) -> ResponseReturnValue:
    case, kept = _case(case_id), _kept(page, case_id)
    if kept is None:
        return redirect(url_for(FORMS[page], case_id=case_id))
    form = _stored_form(page, kept)
    form.validate()
    screening = forms.ScreeningView.of(case.screening)
    return render_template(
        "referral/review_check.html",
        title=f"Check your answers: case {case.reference}",
        case=case,
        page=page,
        rows=_check_rows(page, case, form),
        pack=screening.words,
        told=told(screening.words),
        outcome=forms.OUTCOME_LABELS.get(case.decision.outcome, "") if case.decision else "",
        action=url_for(CHECKS[page], case_id=case_id),
        form=forms.CsrfOnlyForm(),
    )


def _record(page: str, case_id: str) -> ResponseReturnValue:
    """Confirmed on "Check your answers": recorded with the answers kept."""
    case, kept = _case(case_id), _kept(page, case_id)
    if kept is None:
        return redirect(url_for(FORMS[page], case_id=case_id))
    if not forms.CsrfOnlyForm().validate():
        return redirect(url_for(CHECKS[page], case_id=case_id))
    form = _stored_form(page, kept)
    command: Message[Case]
    if page == "rapid-review":
        command, shown = _rapid_review(case_id, form, check_only=False)
        done = "Rapid review recorded"
    else:
        command, shown = _confirmation(case_id, form, check_only=False)
        done = "Decision kept: " + told(forms.ScreeningView.of(case.screening).words) + " will be told"
    try:
        current_bus().handle(command)
    except DomainError as exc:  # the case moved on since the check
        return _failed(page, case, form, exc, shown)
    session.pop(_key(page, case_id), None)
    flash(done, "decision")
    return redirect(url_for(".case_page", case_id=case_id))


@blueprint.get("/cases/<case_id>/rapid-review/check")
@members(*CHALLENGERS)
@audited("case.read", "case", "case_id")
def rapid_review_check(case_id: str) -> ResponseReturnValue:
    return _check_page("rapid-review", case_id)


@blueprint.post("/cases/<case_id>/rapid-review/check")
@members(*CHALLENGERS)
@audited("case.write", "case", "case_id")
def rapid_review_record(case_id: str) -> ResponseReturnValue:
    return _record("rapid-review", case_id)


@blueprint.get("/cases/<case_id>/decision/confirm/check")
@members(*DECIDERS)
@audited("case.read", "case", "case_id")
def confirm_check(case_id: str) -> ResponseReturnValue:
    return _check_page("confirm", case_id)


@blueprint.post("/cases/<case_id>/decision/confirm/check")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def confirm_kept(case_id: str) -> ResponseReturnValue:
    return _record("confirm", case_id)
