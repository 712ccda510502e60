"""Web pages of the referral service (GOV.UK Design System).

- ``/referrals``: the referral journey, one question per page. Answers are kept in a
  server-side ``Draft`` owned by the user and board; nothing becomes a case until the final
  submit on "Check your answers", which checks every page again and calls ``submit_referral``.
- ``/cases``: the case list with each case's next deadline; ``/cases/<id>``: the case page;
  ``/cases/<id>/decision``: the Chair's decision.

Views are thin: a form from :mod:`.forms` validates the page, a handler does the work, a
template in ``services/referral/templates/referral/`` shapes the answer. Every read and write
of case data is audited; drafts, which hold the child's details, are audited too.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)

from services.referral.adapters.store import Child, Draft, NextDeadline, now
from services.referral.domain import case as rules
from services.referral.entrypoints import forms
from services.referral.service_layer import handlers
from shared.audit import audited
from shared.auth.access import current_principal, members
from shared.auth.models import User, aware
from shared.errors import DomainError, InvalidInput, NotFound
from shared.framework import ENGLAND

blueprint = Blueprint("pages", __name__, template_folder="../templates")

# The roles of the API (entrypoints/api.py), which imports this module.
AGENCY = ("agency_practitioner", "agency_manager")
REFERRERS = (*AGENCY, "business_unit", "admin")
READERS = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer", *AGENCY)
DECIDERS = ("chair", "admin")

STEP = "/referrals/<draft_id>/<any({}):slug>".format(", ".join(f"'{s}'" for s in forms.SLUGS))


@blueprint.context_processor
def _words():
    return {
        "words": forms.words,
        "sentence": forms.sentence,
        "deadline_label": forms.deadline_label,
        "show_date": forms.show_date,
        "outcome_labels": forms.OUTCOME_LABELS,
        "case_factors": rules.CASE_FACTORS,
        "context_factors": rules.CONTEXT_FACTORS,
        "proportionality_source": rules.PROPORTIONALITY_SOURCE,
        "min_justification": rules.MIN_JUSTIFICATION,
    }


def _when(at) -> str:
    """An instant as the time in England, like "3 March 2025 at 2:05pm"."""
    local = aware(at).astimezone(ENGLAND)
    return f"{local.day} {local.strftime('%B %Y')} at {local.strftime('%I:%M%p').lstrip('0').lower()}"


# -- the referral journey ---------------------------------------------------------------


def _context() -> forms.JourneyContext:
    principal = current_principal()
    user = User.objects(user_id=principal.user_id).first()
    return forms.JourneyContext(
        agencies=handlers.board_agencies(principal.board_id),
        name=principal.name,
        agency=principal.agency,
        email=user.email if user else "",
    )


def _own_draft(draft_id: str) -> Draft:
    principal = current_principal()
    draft = Draft.objects(draft_id=draft_id, board_id=principal.board_id, user_id=principal.user_id).first()
    if draft is None:
        raise NotFound("There is no saved referral of yours with this id", field="draft_id")
    return draft


def _state(draft: Draft | None) -> dict:
    if draft is None:
        return {}
    return {**draft.answers, "child": draft.child.as_dict() if draft.child else {}}


def _step_url(draft: Draft | None, step, change: bool = False) -> str:
    if draft is None:
        return url_for(".new_referral")
    args = {"change": 1} if change else {}
    return url_for(".referral_step", draft_id=draft.draft_id, slug=step.slug, **args)


def _check_url(draft: Draft) -> str:
    return url_for(".check_answers", draft_id=draft.draft_id)


def _resume_url(draft: Draft) -> str:
    missing = forms.first_unanswered(_state(draft))
    return _step_url(draft, missing) if missing else _check_url(draft)


def _render_step(draft: Draft | None, step, form, status: int = 200):
    change = bool(request.args.get("change"))
    previous = forms.previous_step(step.slug, _state(draft))
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


def _show_step(draft: Draft | None, slug: str):
    step = forms.BY_SLUG[slug]
    state = _state(draft)
    if not step.applies(state):
        return redirect(_resume_url(draft))
    ctx = _context()
    form = step(formdata=step.raw(state, ctx), meta={"csrf": False})
    form.setup(ctx)
    saved_before = step.answered(state) if step.keys else bool(state.get("child"))
    if draft is not None and saved_before:
        # Answers saved earlier are checked again: what was valid then may not be now.
        form.validate()
    return _render_step(draft, step, form)


def _nothing_entered() -> bool:
    return not any(v.strip() for k, v in request.form.items(multi=True) if k not in ("csrf_token", "action"))


def _save_step(draft: Draft | None, slug: str):
    step = forms.BY_SLUG[slug]
    if draft is not None and not step.applies(_state(draft)):
        return redirect(_resume_url(draft))
    leaving = request.form.get("action") == "save"
    if leaving and _nothing_entered():
        return redirect(url_for(".referrals"))
    form = step()
    form.setup(_context())
    if not form.validate():
        return _render_step(draft, step, form, 422)
    principal = current_principal()
    if draft is None:
        draft = Draft(board_id=principal.board_id, user_id=principal.user_id)
    g.audit_resource_id = draft.draft_id
    answers = form.answers()
    if "child" in answers:
        child = answers.pop("child")
        draft.child = Child(**child) if any(child.values()) else None
    draft.answers = forms.tidy({**draft.answers, **answers})
    draft.updated_at = now()
    draft.save()
    if leaving:
        flash(
            "Your answers have been saved. You can come back to this referral from this page.",
            "saved",
        )
        return redirect(url_for(".referrals"))
    state = _state(draft)
    if request.args.get("change"):
        missing = forms.first_unanswered(state)
        return redirect(_step_url(draft, missing, change=True) if missing else _check_url(draft))
    following = forms.next_step(slug, state)
    return redirect(_step_url(draft, following) if following else _check_url(draft))


@blueprint.get("/referrals")
@members(*REFERRERS)
@audited("draft.list", "referral_draft")
def referrals():
    principal = current_principal()
    drafts = Draft.objects(board_id=principal.board_id, user_id=principal.user_id).order_by("-updated_at")
    rows = [
        {
            "what": forms.WHAT_HAPPENED.get(d.answers.get("what_happened"), "No answers yet"),
            "started": _when(d.created_at),
            "saved": _when(d.updated_at),
            "url": _resume_url(d),
        }
        for d in drafts
    ]
    return render_template(
        "referral/start.html",
        title="Refer a case for review",
        drafts=rows,
        saved=get_flashed_messages(category_filter=["saved"]),
    )


@blueprint.get("/referrals/new")
@members(*REFERRERS)
def new_referral():
    return _show_step(None, forms.FIRST.slug)


@blueprint.post("/referrals/new")
@members(*REFERRERS)
@audited("draft.write", "referral_draft")
def start_referral():
    return _save_step(None, forms.FIRST.slug)


@blueprint.get(STEP)
@members(*REFERRERS)
@audited("draft.read", "referral_draft", "draft_id")
def referral_step(draft_id: str, slug: str):
    return _show_step(_own_draft(draft_id), slug)


@blueprint.post(STEP)
@members(*REFERRERS)
@audited("draft.write", "referral_draft", "draft_id")
def save_referral_step(draft_id: str, slug: str):
    return _save_step(_own_draft(draft_id), slug)


def _render_check(draft: Draft, form, problems: list[forms.Problem] = (), status: int = 200):
    state, ctx = _state(draft), _context()
    sections = []
    for heading, steps in forms.SECTIONS:
        rows = []
        for step in steps:
            if not step.applies(state):
                continue
            for key, value in step.rows(state, ctx):
                rows.append(
                    {
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
                )
        sections.append({"heading": heading, "rows": rows})
    errors = [
        {
            "text": p.message,
            "href": f"{_step_url(draft, forms.BY_SLUG[p.slug], change=True)}#{p.anchor}",
        }
        if p.slug in forms.BY_SLUG
        else {"text": p.message, "href": "#submit"}
        for p in problems
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
def check_answers(draft_id: str):
    draft = _own_draft(draft_id)
    return _render_check(draft, forms.CsrfOnlyForm())


@blueprint.post("/referrals/<draft_id>/check")
@members(*REFERRERS)
@audited("case.write", "case")
def submit_referral(draft_id: str):
    draft = _own_draft(draft_id)
    form = forms.CsrfOnlyForm()
    state, ctx = _state(draft), _context()
    problems = [
        forms.Problem(s.slug, next(iter(s.anchors.values())), f"Answer the question: {s.title}")
        for s in forms.applicable(state)
        if not s.answered(state)
    ]
    problems = problems or forms.check_all(state, ctx)
    if not problems:
        try:
            case = handlers.submit_referral(forms.referral_command(state), current_principal())
        except InvalidInput as exc:  # InvalidFacts too: each names its field
            problems = [forms.Problem(*forms.locate(e.get("field")), e["message"]) for e in exc.errors()]
    if problems:
        return _render_check(draft, form, problems, 422)
    draft.delete()
    g.audit_resource_id = case.case_id
    return redirect(url_for(".referral_submitted", case_id=case.case_id))


@blueprint.get("/referrals/submitted/<case_id>")
@members(*REFERRERS)
@audited("case.read", "case", "case_id")
def referral_submitted(case_id: str):
    case = handlers.get_case(current_principal(), case_id)
    return render_template(
        "referral/submitted.html",
        title="Referral sent",
        case=case,
        screening=forms.ScreeningView.of(case.screening),
    )


# -- cases ---------------------------------------------------------------------------------


def deadline_tag(deadline: NextDeadline | None, on: date) -> dict:
    """Red when overdue, amber when due soon, green otherwise; the words say it too."""
    if deadline and (deadline.status == "overdue" or (deadline.due and deadline.due < on)):
        return {"text": "Overdue", "classes": "govuk-tag--red"}
    if deadline and deadline.status == "due_soon":
        return {"text": "Due soon", "classes": "govuk-tag--orange"}
    return {"text": "On track", "classes": "govuk-tag--green"}


@blueprint.get("/cases")
@members(*READERS)
@audited("case.list", "case")
def cases():
    status = request.args.get("status") or None
    errors = []
    if status and status not in rules.STATUSES:
        errors = [{"text": "Select a status from the list", "href": "#status"}]
        status = None
    on = handlers.today()
    rows = [
        (case, deadline_tag(case.next_deadline, on))
        for case in handlers.list_cases(current_principal(), status=status)
    ]
    items = [{"value": "", "text": "All statuses", "selected": not status}] + [
        {"value": s, "text": forms.words(s), "selected": s == status} for s in rules.STATUSES
    ]
    return render_template(
        "referral/cases.html",
        title="Cases",
        rows=rows,
        status_items=items,
        status=status,
        errors=errors,
    ), 422 if errors else 200


@blueprint.get("/cases/<case_id>")
@members(*READERS)
@audited("case.read", "case", "case_id")
def case_page(case_id: str):
    principal = current_principal()
    case = handlers.get_case(principal, case_id)
    return render_template(
        "referral/case.html",
        title=f"Case {case.reference}",
        case=case,
        screening=forms.ScreeningView.of(case.screening),
        facts=forms.fact_rows(case.facts),
        agencies=handlers.board_agencies(case.board_id),
        history=[(_when(h.at), h) for h in reversed(case.history)],
        can_decide=principal.has_any(DECIDERS) and case.status == rules.AWAITING_DECISION,
        deadline=case.next_deadline,
        deadline_tag=deadline_tag(case.next_deadline, handlers.today()),
        decided=get_flashed_messages(category_filter=["decision"]),
    )


def _render_decision(case, form, errors=None, status: int = 200):
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
def decision(case_id: str):
    case = handlers.get_case(current_principal(), case_id)
    if case.status != rules.AWAITING_DECISION:
        return redirect(url_for(".case_page", case_id=case_id))
    form = forms.DecisionForm(data={"decided_on": handlers.today()}, formdata=None)
    form.offer(case.screening["recommended"])
    return _render_decision(case, form)


@blueprint.post("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def record_decision(case_id: str):
    principal = current_principal()
    case = handlers.get_case(principal, case_id)
    form = forms.DecisionForm()
    form.offer(case.screening["recommended"])
    if not form.validate():
        return _render_decision(case, form, status=422)
    command = handlers.RecordDecision(
        outcome=form.outcome.data,
        decided_on=form.decided_on.data,
        initiated_on=form.initiated_on.data,
        rationale=(form.rationale.data or "").strip(),
        lead_reviewers=form.reviewers(),
        case_factors=form.case_factors.data or [],
        context_factors=form.context_factors.data or [],
    )
    try:
        handlers.record_decision(principal, case_id, command)
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
