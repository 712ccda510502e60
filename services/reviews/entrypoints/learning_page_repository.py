"""The board's learning repository: searching the learning summaries of its reviews (and of the
region's boards, when both share), with the CSV and Word exports of a search and the annual
report section; and the business unit's choice to share the board's learning with its region,
confirmed on a check page. The views call the service layer the API calls
(:mod:`..service_layer.learning`), with the API's roles, and are audited as it is. They are put
on the learning pages' blueprint by :mod:`.pages_learning`.

The exports are the API's own routes (``/api/v1/learning/export.csv`` and ``.docx``,
``/api/v1/learning/annual-report.docx``): they take the signed-in browser's session as they take
a token, so the pages link to them with the search's arguments."""

from __future__ import annotations

from typing import Any

from flask import flash, get_flashed_messages, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints.api import _deps, _today, _viewer
from services.reviews.entrypoints.learning_api import DECIDERS, SEARCHERS
from services.reviews.entrypoints.learning_forms import SearchForm, SharingForm
from services.reviews.entrypoints.meeting_forms import ConfirmForm, error_list
from services.reviews.service_layer import learning
from services.reviews.service_layer.access import Viewer
from shared.audit import audited
from shared.auth.access import members
from shared.auth.models import Board
from shared.errors import DomainError
from shared.pager import page_asked, pager
from shared.pagination import Page

DONE = "learning"
DRAFT = "learning_sharing_draft"


def board_names(ids: list[str]) -> dict[str, str]:
    return {str(b.board_id): str(b.name) for b in Board.objects(board_id__in=ids).only("board_id", "name")}


def _openable(viewer: Viewer, items: list[dict[str, Any]]) -> set[str]:
    """The results whose review's learning summary the viewer may open: the board's own, when
    the service layer lets the viewer read that review's learning (the Chair and the business
    unit: every one; panel members and lead reviewers: the reviews whose panel they sit on)."""
    uow, found = _deps().uow, set()
    for item in items:
        if not item["own_board"]:
            continue
        try:
            learning.list_products(uow, viewer, item["case_id"])
        except DomainError:
            continue
        found.add(item["case_id"])
    return found


@members(*SEARCHERS)
@audited("learning.search", "learning")
def search() -> ResponseReturnValue:
    viewer = _viewer()
    form = SearchForm(formdata=request.args)
    form.offer(_deps().uow.directory.agencies(viewer.board_id))
    searched = any(request.args.get(k) for k in ("q", "theme", "kind", "year", "agency"))
    if not form.validate():
        return render_template(
            "learning_repository.html",
            title="Learning from reviews",
            form=form,
            errors=error_list(form),
            found=None,
            searched=searched,
            decides=bool(viewer.roles & set(DECIDERS)),
            this_year=_today().year,
        ), 422
    query = form.query()
    asked = page_asked()
    found = learning.search(viewer, {**query, **asked})
    page: Page[dict[str, Any]] = Page(found["items"], found["total"], found["page"], found["per_page"])
    others = sorted({i["board_id"] for i in found["items"] if not i["own_board"]})
    return render_template(
        "learning_repository.html",
        title="Learning from reviews",
        form=form,
        errors=[],
        found=page,
        pager=pager(page, "learning summaries", label="Pages of learning summaries"),
        openable=_openable(viewer, found["items"]),
        boards=board_names(others) if others else {},
        query=query,
        searched=searched,
        decides=bool(viewer.roles & set(DECIDERS)),
        this_year=_today().year,
    )


# -- sharing with the region's boards (001 §7) -------------------------------------------------


@members(*DECIDERS)
@audited("learning.read", "learning")  # what is chosen is kept until the check page sends it
def sharing() -> ResponseReturnValue:
    viewer = _viewer()
    now = learning.get_sharing(viewer)
    posted = request.method == "POST"
    form = SharingForm() if posted else SharingForm(formdata=None)
    if not posted:
        draft = session.get(DRAFT) if request.args.get("change") else None
        form.region.data = (draft or now)["region"]
        form.share.data = ("yes" if (draft or now)["share"] else "no") if (draft or now)["region"] else None
    elif form.validate():
        session[DRAFT] = {"region": form.region.data.strip(), "share": form.share.data == "yes"}
        return redirect(url_for(".sharing_check"))
    others = [b for b in now["boards"] if b != viewer.board_id]
    return render_template(
        "learning_sharing.html",
        title="Sharing learning with the region",
        form=form,
        errors=error_list(form) if posted else [],
        now=now,
        others=others,
        names=board_names(others) if others else {},
        done=get_flashed_messages(category_filter=[DONE]),
    ), (422 if posted else 200)


def _render_check(
    draft: dict[str, Any], form: ConfirmForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "learning_sharing_check.html",
        title="Check the board's choice before you confirm it",
        draft=draft,
        now=learning.get_sharing(_viewer()),
        form=form,
        errors=errors,
    ), status


@members(*DECIDERS)
@audited("learning.read", "learning")
def sharing_check() -> ResponseReturnValue:
    draft = session.get(DRAFT)
    if not draft:
        return redirect(url_for(".sharing"))
    return _render_check(draft, ConfirmForm(formdata=None), [])


@members(*DECIDERS)
@audited("learning.sharing", "learning")
def share() -> ResponseReturnValue:
    draft = session.get(DRAFT)
    form = ConfirmForm()
    if not draft or not form.validate():
        return redirect(url_for(".sharing"))
    try:
        done = learning.set_sharing(_viewer(), draft["region"], draft["share"])
    except DomainError as exc:
        errors = [{"text": e["message"], "href": "#main-content"} for e in exc.errors()]
        return _render_check(draft, form, errors, exc.status)
    session.pop(DRAFT, None)
    others = len([b for b in done["boards"] if b != done["board_id"]])
    if done["share"]:
        seen = f"it now sees the learning of {others} other board{'s' if others != 1 else ''} of the region"
        flash(f"The board shares its learning summaries with the boards of {done['region']}: {seen}", DONE)
    else:
        flash("The board no longer shares its learning summaries: only its own are in its repository", DONE)
    return redirect(url_for(".sharing"))
