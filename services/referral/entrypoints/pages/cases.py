"""The case pages: the case list (found and sorted as :mod:`.case_search` reads the address),
with each case's next deadline, and the case page. The decision
(recorded, or changed after a challenge) is in :mod:`.decision`; the rapid review, challenges and
keeping a decision are in :mod:`.reviews`."""

from __future__ import annotations

from flask import get_flashed_messages, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.referral.domain import case as rules
from services.referral.entrypoints import current_bus, forms, today
from services.referral.entrypoints.pages.blueprint import actor, blueprint
from services.referral.entrypoints.pages.case_filters import filter_form
from services.referral.entrypoints.pages.case_search import (
    noun,
    read_search,
    select_items,
    sort_headers,
    status_choices,
)
from services.referral.entrypoints.roles import CHALLENGERS, DECIDERS, READERS
from services.referral.service_layer.messages import (
    BoardAgencies,
    GetCase,
    ListCases,
)
from shared.audit import audited
from shared.auth.access import members
from shared.pager import page_asked, pager
from shared.words import plain


@blueprint.get("/cases")
@members(*READERS)
@audited("case.list", "case")
def cases() -> ResponseReturnValue:
    """The cases the user may see, found by reference, agency, status, kind of review and the
    dates they were referred, sorted on a column, a page at a time."""
    bus = current_bus()
    agencies = bus.handle(BoardAgencies(actor=actor()))
    search = read_search(request.args, agencies)
    query = ListCases(
        actor=actor(),
        status=search.status,
        review_kind=search.review_kind,
        criteria=search.criteria,
        **page_asked(),
    )
    page = bus.handle(query)
    on = today()
    rows = [(case, forms.deadline_tag(case.next_deadline, on)) for case in page.items]
    return render_template(
        "referral/cases.html",
        title="Cases",
        rows=rows,
        pager=pager(page, noun(search)),
        search=search,
        agencies=agencies,
        filters=filter_form(
            search,
            url_for("pages.cases"),
            request.args.get("sort"),
            request.args.get("order", ""),
            agency_items=select_items(agencies, search.values["agency"], "All agencies"),
            status_items=select_items(status_choices(), search.status, "All statuses"),
            kind_items=select_items(forms.OUTCOME_LABELS, search.review_kind, "All kinds of review"),
        ),
        sorting=sort_headers(request.path, request.args, search.criteria),
        errors=search.errors,
    ), 422 if search.errors else 200


def history_detail(detail: str | None) -> str:
    """A line of a case's history in words: each stored code in it (``serious_case_review
    recommended``) spelled out."""
    if not detail:
        return ""
    spelled = " ".join(plain(word) if "_" in word else word for word in detail.split())
    return forms.sentence(spelled)


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
        history=[(forms.show_instant(h.at), h, history_detail(h.detail)) for h in reversed(case.history)],
        can_decide=principal.has_any(DECIDERS) and waiting and not rapid_review_due,
        can_record_rapid_review=principal.has_any(CHALLENGERS) and waiting and rapid_review_due,
        can_challenge=principal.has_any(CHALLENGERS) and (case.decision is not None or waiting),
        can_answer_challenge=principal.has_any(DECIDERS) and case.decision is not None and open_challenge,
        declaration_labels=forms.DECLARATION_LABELS,
        deadline=case.next_deadline,
        deadline_tag=forms.deadline_tag(case.next_deadline, today()),
        decided=get_flashed_messages(category_filter=["decision"]),
    )
