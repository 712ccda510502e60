"""The referral journey's pages: one question per page, the draft kept between them, "Check
your answers", and the confirmation.

Which question comes next, which answers are kept and when a draft may be sent are the
domain's and the handlers' (domain/journey.py, service_layer/drafts.py); these views show
the pages, validate what each sends and hand it to the message bus.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.referral.adapters.store import Draft
from services.referral.entrypoints import current_bus, forms
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.roles import REFERRERS
from services.referral.service_layer.drafts import JourneyContext, answers_of
from services.referral.service_layer.messages import (
    DescribeJourney,
    DiscardDraft,
    GetCase,
    GetDraft,
    ListDrafts,
    SaveDraft,
    SubmitDraft,
)
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.pager import page_asked, pager

STEP = "/referrals/<draft_id>/<any({}):slug>".format(", ".join(f"'{s}'" for s in forms.SLUGS))


def _context() -> JourneyContext:
    return current_bus().handle(DescribeJourney(actor=actor()))


def _own_draft(draft_id: str) -> Draft:
    return current_bus().handle(GetDraft(actor=actor(), draft_id=draft_id))


def _step_url(draft: Draft | None, step: type[forms.StepForm], change: bool = False) -> str:
    if draft is None:
        return url_for(".new_referral")
    args: dict[str, Any] = {"change": 1} if change else {}
    return url_for(".referral_step", draft_id=draft.draft_id, slug=step.slug, **args)


def _check_url(draft: Draft) -> str:
    return url_for(".check_answers", draft_id=draft.draft_id)


def _resume_url(draft: Draft) -> str:
    missing = forms.first_unanswered(answers_of(draft))
    return _step_url(draft, missing) if missing else _check_url(draft)


def _render_step(
    draft: Draft | None, step: type[forms.StepForm], form: forms.StepForm, status: int = 200
) -> ResponseReturnValue:
    change = bool(request.args.get("change"))
    previous = forms.previous_step(step.slug, answers_of(draft))
    if change and draft is not None:
        back = _check_url(draft)
    elif previous is not None:
        back = _step_url(draft, previous)
    else:
        back = url_for(".referrals")
    return render_template(
        "referral/step.html",
        title=step.title,
        step=step,
        form=form,
        errors=forms.error_list(form),
        back_url=back,
        action=_step_url(draft, step, change),
    ), status


def _show_step(draft: Draft | None, slug: str) -> ResponseReturnValue:
    step = forms.BY_SLUG[slug]
    state = answers_of(draft)
    if draft is not None and not step.applies(state):
        return redirect(_resume_url(draft))
    ctx = _context()
    form = step(formdata=step.raw(state, ctx), meta={"csrf": False})
    form.setup(ctx, state)
    saved_before = step.answered(state) if step.keys else bool(state.get("child"))
    if draft is not None and saved_before:
        # Answers saved earlier are checked again: what was valid then may not be now.
        form.validate()
    return _render_step(draft, step, form)


def _nothing_entered() -> bool:
    return not any(v.strip() for k, v in request.form.items(multi=True) if k not in ("csrf_token", "action"))


def _save_step(draft: Draft | None, slug: str) -> ResponseReturnValue:
    step = forms.BY_SLUG[slug]
    if draft is not None and not step.applies(answers_of(draft)):
        return redirect(_resume_url(draft))
    leaving = request.form.get("action") == "save"
    if leaving and _nothing_entered():
        return redirect(url_for(".referrals"))
    form = step()
    form.setup(_context(), answers_of(draft))
    if not form.validate():
        return _render_step(draft, step, form, 422)
    draft = current_bus().handle(
        SaveDraft(actor=actor(), draft_id=draft.draft_id if draft else None, answers=form.answers())
    )
    g.audit_resource_id = draft.draft_id
    if leaving:
        flash("Your answers have been saved. You can come back to this referral from this page.", "saved")
        return redirect(url_for(".referrals"))
    state = answers_of(draft)
    if request.args.get("change"):
        missing = forms.first_unanswered(state)
        return redirect(_step_url(draft, missing, change=True) if missing else _check_url(draft))
    following = forms.next_step(slug, state)
    return redirect(_step_url(draft, following) if following else _check_url(draft))


@blueprint.get("/referrals")
@members(*REFERRERS)
@audited("draft.list", "referral_draft")
def referrals() -> ResponseReturnValue:
    drafts = current_bus().handle(ListDrafts(actor=actor(), **page_asked()))
    rows = [
        {
            "what": forms.WHAT_HAPPENED.get(d.answers.get("what_happened"), "No answers yet"),
            "started": forms.show_instant(d.created_at),
            "saved": forms.show_instant(d.updated_at),
            "url": _resume_url(d),
            "delete": url_for(".delete_draft_page", draft_id=d.draft_id),
        }
        for d in drafts.items
    ]
    return render_template(
        "referral/start.html",
        title="Refer a case for review",
        drafts=rows,
        pager=pager(drafts, "saved referrals"),
        saved=get_flashed_messages(category_filter=["saved"]),
    )


@blueprint.get("/referrals/<draft_id>")
@members(*REFERRERS)
@audited("draft.read", "referral_draft", "draft_id")
def resume_referral(draft_id: str) -> ResponseReturnValue:
    """Where a saved referral continues: its first unanswered question, or "Check your answers"."""
    return redirect(_resume_url(_own_draft(draft_id)))


def _render_delete(draft: Draft, form: forms.CsrfOnlyForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "referral/draft_delete.html",
        title="Delete this saved referral?",
        draft=draft,
        what=forms.WHAT_HAPPENED.get(draft.answers.get("what_happened"), "No answers yet"),
        started=forms.show_instant(draft.created_at),
        saved_at=forms.show_instant(draft.updated_at),
        form=form,
        errors=forms.error_list(form),
    ), status


@blueprint.get("/referrals/<draft_id>/delete")
@members(*REFERRERS)
@audited("draft.read", "referral_draft", "draft_id")
def delete_draft_page(draft_id: str) -> ResponseReturnValue:
    return _render_delete(_own_draft(draft_id), forms.CsrfOnlyForm())


@blueprint.post("/referrals/<draft_id>/delete")
@members(*REFERRERS)
@audited("draft.write", "referral_draft", "draft_id")
def delete_draft(draft_id: str) -> ResponseReturnValue:
    """Delete a saved referral for good, once its author confirmed it."""
    draft = _own_draft(draft_id)
    form = forms.CsrfOnlyForm()
    if not form.validate():
        return _render_delete(draft, form, 400)
    current_bus().handle(DiscardDraft(actor=actor(), draft_id=draft_id))
    flash("Your saved referral was deleted", "saved")
    return redirect(url_for(".referrals"))


@blueprint.get("/referrals/new")
@members(*REFERRERS)
def new_referral() -> ResponseReturnValue:
    return _show_step(None, forms.FIRST.slug)


@blueprint.post("/referrals/new")
@members(*REFERRERS)
@audited("draft.write", "referral_draft")
def start_referral() -> ResponseReturnValue:
    return _save_step(None, forms.FIRST.slug)


@blueprint.get(STEP)
@members(*REFERRERS)
@audited("draft.read", "referral_draft", "draft_id")
def referral_step(draft_id: str, slug: str) -> ResponseReturnValue:
    return _show_step(_own_draft(draft_id), slug)


@blueprint.post(STEP)
@members(*REFERRERS)
@audited("draft.write", "referral_draft", "draft_id")
def save_referral_step(draft_id: str, slug: str) -> ResponseReturnValue:
    return _save_step(_own_draft(draft_id), slug)


def _check_row(draft: Draft, step: type[forms.StepForm], key: str, value: str) -> dict[str, Any]:
    return {
        "key": {"text": key},
        "value": {"text": value or "Not answered"},
        "actions": {
            "items": [
                {
                    "href": _step_url(draft, step, change=True),
                    "text": "Change",
                    "visuallyHiddenText": key[:1].lower() + key[1:],
                }
            ]
        },
    }


def _render_check(
    draft: Draft, form: forms.CsrfOnlyForm, problems: list[forms.Problem] | None = None, status: int = 200
) -> ResponseReturnValue:
    state, ctx = answers_of(draft), _context()
    sections = [
        {
            "heading": heading,
            "rows": [
                _check_row(draft, step, key, value)
                for step in steps
                if step.applies(state)
                for key, value in step.rows(state, ctx)
            ],
        }
        for heading, steps in forms.SECTIONS
    ]
    errors = [
        {"text": p.message, "href": f"{_step_url(draft, forms.BY_SLUG[p.slug], change=True)}#{p.anchor}"}
        if p.slug in forms.BY_SLUG
        else {"text": p.message, "href": "#submit"}
        for p in problems or []
    ]
    return render_template(
        "referral/check.html",
        title="Check your answers before sending the referral",
        sections=sections,
        form=form,
        errors=errors,
        draft=draft,
        back_url=_step_url(draft, forms.applicable(state)[-1]),
    ), status


@blueprint.get("/referrals/<draft_id>/check")
@members(*REFERRERS)
@audited("draft.read", "referral_draft", "draft_id")
def check_answers(draft_id: str) -> ResponseReturnValue:
    return _render_check(_own_draft(draft_id), forms.CsrfOnlyForm())


@blueprint.post("/referrals/<draft_id>/check")
@members(*REFERRERS)
@audited("case.write", "case")
def submit_referral(draft_id: str) -> ResponseReturnValue:
    draft = _own_draft(draft_id)
    form = forms.CsrfOnlyForm()
    # Every page is checked again as the page would check it, then the handler checks the rest.
    problems = forms.check_all(answers_of(draft), _context())
    if not problems:
        try:
            case = current_bus().handle(SubmitDraft(actor=actor(), draft_id=draft_id))
        except InvalidInput as exc:  # InvalidFacts too: each names its field
            problems = [forms.Problem(*forms.locate(e.get("field")), e["message"]) for e in exc.errors()]
    if problems:
        return _render_check(draft, form, problems, 422)
    g.audit_resource_id = case.case_id
    return redirect(url_for(".referral_submitted", case_id=case.case_id))


@blueprint.get("/referrals/submitted/<case_id>")
@members(*REFERRERS)
@audited("case.read", "case", "case_id")
def referral_submitted(case_id: str) -> ResponseReturnValue:
    case = current_bus().handle(GetCase(actor=actor(), case_id=case_id))
    return render_template(
        "referral/submitted.html",
        title="Referral sent",
        case=case,
        screening=forms.ScreeningView.of(case.screening),
    )
