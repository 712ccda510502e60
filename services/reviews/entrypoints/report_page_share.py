"""Showing a version of the final report to a family member (the business unit chooses the version
and the family member by name, checks, then shows it: 002 §2.5) and the Chair's sign-off for the
board (the version and the date, a check page, then the sign-off: 002 §2.9). What has been chosen
is kept in the session until the check page sends it. The views are put on the report's
blueprint by :mod:`.pages_report`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints.api import _today, _viewer
from services.reviews.entrypoints.meeting_forms import ConfirmForm, error_list
from services.reviews.entrypoints.meeting_views import audited_form
from services.reviews.entrypoints.report_api import uow
from services.reviews.entrypoints.report_forms import ShareForm, SignOffForm
from services.reviews.entrypoints.report_page_support import (
    CHAIR,
    DONE,
    DRAFT,
    MANAGERS,
    family_members,
    numbers,
    render,
    report_or_none,
)
from services.reviews.service_layer import report
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError

SHARE, SIGN_OFF = "share", "sign_off"


def _draft(case_id: str, kind: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = session.get(DRAFT)
    if found and found.get("case_id") == case_id and found.get("kind") == kind:
        return found
    return None


def _versions(case_id: str) -> tuple[dict[str, Any] | None, list[int]]:
    found = report_or_none(case_id)
    return found, numbers(found)


def _saved_on(found: dict[str, Any], number: int) -> str:
    return next((v["saved_on"] for v in found["versions"] if v["version"] == number), "")


# Where, on the page that chose it, each thing the service layer may refuse is changed.
ANCHORS = {
    "version": "version",
    "signed_off_on": "signed_off_on-day",
    "user_id": "user_id",
    "email": "user_id",
}


def _summary(problems: list[dict[str, Any]], page: str) -> list[dict[str, str]]:
    """The service's problems, each linking to where the choice can be changed."""
    out = []
    for p in problems:
        anchor = ANCHORS.get(p.get("field") or "")
        out.append({"text": p["message"], "href": f"{page}#{anchor}" if anchor else "#main-content"})
    return out


# -- showing a version to a family member --------------------------------------------------------


@members(*MANAGERS)
@audited("review.read", "report", "case_id")  # a choice kept in the session: nothing is written
def share(case_id: str) -> ResponseReturnValue:
    found, versions = _versions(case_id)
    if found is None:
        return redirect(url_for(".report_page", case_id=case_id))
    family = family_members(_viewer().board_id)
    posted = request.method == "POST"
    form = ShareForm() if posted else ShareForm(formdata=None)
    form.offer(versions, family)
    if posted and form.validate():
        session[DRAFT] = {
            "case_id": case_id,
            "kind": SHARE,
            "version": int(form.version.data),
            "user_id": form.user_id.data,
        }
        return redirect(url_for(".share_check", case_id=case_id))
    if not posted:
        draft = _draft(case_id, SHARE)
        asked = request.args.get("version", "")
        form.version.data = (
            str(draft["version"]) if draft else asked if asked.isdigit() else str(versions[-1])
        )
        form.user_id.data = draft["user_id"] if draft else None
    errors = error_list(form) if posted else []
    return render(
        "report_share.html",
        case_id,
        422 if errors else 200,
        title="Show a version to a family member",
        form=form,
        errors=errors,
        family=family,
    )


@members(*MANAGERS)
@audited_form("report_share", "case_id")
def share_check(case_id: str) -> ResponseReturnValue:
    draft = _draft(case_id, SHARE)
    found, _ = _versions(case_id)
    if draft is None or found is None:
        return redirect(url_for(".share", case_id=case_id))
    name = family_members(_viewer().board_id).get(draft["user_id"], "")
    form = ConfirmForm()
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST" and form.validate():
        try:
            report.share(uow(), _viewer(), case_id, draft["version"], draft["user_id"], None, _today())
        except DomainError as exc:
            if exc.status in (403, 404) and exc.field != "version":
                raise
            errors, status = _summary(exc.errors(), url_for(".share", case_id=case_id)), exc.status
        else:
            session.pop(DRAFT, None)
            flash(f"Version {draft['version']} shown to {name}: they can read it when they sign in", DONE)
            return redirect(url_for(".report_page", case_id=case_id))
    return render(
        "report_share_check.html",
        case_id,
        status,
        title="Check before you show the version",
        form=form,
        errors=errors,
        draft=draft,
        name=name or "A family member who no longer has access",
        saved_on=_saved_on(found, draft["version"]),
    )


# -- the Chair's sign-off -------------------------------------------------------------------------


@members(*CHAIR)
@audited("review.read", "report", "case_id")  # a choice kept in the session: nothing is written
def sign_off(case_id: str) -> ResponseReturnValue:
    found, versions = _versions(case_id)
    if found is None:
        return redirect(url_for(".report_page", case_id=case_id))
    posted = request.method == "POST"
    form = SignOffForm() if posted else SignOffForm(formdata=None)
    form.offer(versions)
    if posted and form.validate():
        session[DRAFT] = {
            "case_id": case_id,
            "kind": SIGN_OFF,
            "version": int(form.version.data),
            "signed_off_on": form.signed_off_on.entered().isoformat(),
        }
        return redirect(url_for(".sign_off_check", case_id=case_id))
    if not posted:
        draft = _draft(case_id, SIGN_OFF)
        form.version.data = str(draft["version"]) if draft else str(versions[-1])
        if draft:
            form.signed_off_on.data = date.fromisoformat(draft["signed_off_on"])
    errors = error_list(form) if posted else []
    return render(
        "report_sign_off.html",
        case_id,
        422 if errors else 200,
        title="Sign off the final report for the board",
        form=form,
        errors=errors,
    )


@members(*CHAIR)
@audited_form("report", "case_id")
def sign_off_check(case_id: str) -> ResponseReturnValue:
    draft = _draft(case_id, SIGN_OFF)
    found, _ = _versions(case_id)
    if draft is None or found is None:
        return redirect(url_for(".sign_off", case_id=case_id))
    form = ConfirmForm()
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST" and form.validate():
        on = date.fromisoformat(draft["signed_off_on"])
        try:
            report.sign_off(uow(), _viewer(), case_id, draft["version"], on, _today())
        except DomainError as exc:
            if exc.status in (403, 404) and exc.field != "version":
                raise
            errors, status = _summary(exc.errors(), url_for(".sign_off", case_id=case_id)), exc.status
        else:
            session.pop(DRAFT, None)
            flash(f"Version {draft['version']} signed off for the board", DONE)
            return redirect(url_for(".report_page", case_id=case_id))
    return render(
        "report_sign_off_check.html",
        case_id,
        status,
        title=f"You are signing off version {draft['version']} for the board",
        form=form,
        errors=errors,
        draft=draft,
        saved_on=_saved_on(found, draft["version"]),
    )
