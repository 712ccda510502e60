"""The meetings pages of a review: the list (upcoming and past), scheduling a meeting or learning
event (when and where, the attendees one by one, then a check page), changing it, cancelling it
after a confirmation, and recording its notes and actions. The views call the service layer the
API calls (:mod:`..service_layer.conduct`), with the API's roles, and are audited as it is.

While a meeting is being scheduled or changed, what has been entered is kept in the session
(``meeting_draft``) until the check page sends it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from services.reviews.domain.meetings import MEETING_KINDS, TITLES
from services.reviews.entrypoints.api import _deps, _today, _viewer
from services.reviews.entrypoints.meeting_forms import (
    ActionForm,
    AttendeeForm,
    ConfirmForm,
    MeetingForm,
    NotesForm,
    add_errors,
    error_list,
    read_time,
)
from services.reviews.entrypoints.meeting_views import audited_form, clock, reference, shown
from services.reviews.service_layer import conduct
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.words import long_date

blueprint = Blueprint("review_meeting_pages", __name__, template_folder="../templates")

READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")  # as the API
PANEL_OR_MANAGERS = ("business_unit", "admin", "panel_member", "lead_reviewer")
MANAGERS = ("business_unit", "admin")
NEW = "new"
DRAFT = "meeting_draft"


def _render(template: str, case_id: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template(template, case_id=case_id, reference=reference(case_id), **context), status


# -- the list and one meeting -------------------------------------------------------------------


@blueprint.get("/reviews/<case_id>/meetings")
@members(*READERS)
@audited("review.read", "meeting", "case_id")
def meetings(case_id: str) -> ResponseReturnValue:
    items = [shown(m) for m in conduct.list_meetings(_deps().uow, _viewer(), case_id)["items"]]
    kind = request.args.get("kind")
    if kind in MEETING_KINDS:
        items = [m for m in items if m["kind"] == kind]
    now = datetime.now(items[0]["starts"].tzinfo) if items else None
    upcoming = [m for m in items if m["status"] == "scheduled" and now and m["starts"] >= now]
    past = [m for m in reversed(items) if m not in upcoming]
    return _render(
        "meeting_list.html",
        case_id,
        title="Meetings and learning events",
        upcoming=upcoming,
        past=past,
        kind=kind if kind in MEETING_KINDS else None,
        can_schedule=_viewer().manages,
        done=get_flashed_messages(category_filter=["meetings"]),
    )


@blueprint.get("/reviews/<case_id>/meetings/<meeting_id>")
@members(*READERS)
@audited("review.read", "meeting", "meeting_id")
def meeting(case_id: str, meeting_id: str) -> ResponseReturnValue:
    found = shown(conduct.get_meeting(_deps().uow, _viewer(), case_id, meeting_id))
    viewer = _viewer()
    return _render(
        "meeting_view.html",
        case_id,
        title=found["title"],
        meeting=found,
        manages=viewer.manages,
        records=viewer.manages or bool(viewer.roles & {"panel_member", "lead_reviewer"}),
        done=get_flashed_messages(category_filter=["meetings"]),
    )


# -- scheduling and changing: details, attendees, check ---------------------------------------


def _draft(case_id: str, key: str) -> dict[str, Any] | None:
    draft: dict[str, Any] | None = session.get(DRAFT)
    if draft and draft.get("case_id") == case_id and draft.get("key") == key:
        return draft
    return None


def _keep(draft: dict[str, Any]) -> None:
    session[DRAFT] = dict(draft)


def _from_meeting(case_id: str, found: dict[str, Any]) -> dict[str, Any]:
    starts, ends = datetime.fromisoformat(found["starts_at"]), datetime.fromisoformat(found["ends_at"])
    return {
        "case_id": case_id,
        "key": found["id"],
        "kind": found["kind"],
        "held_on": starts.date().isoformat(),
        "start_time": starts.strftime("%H:%M"),
        "end_time": ends.strftime("%H:%M"),
        "place": found["place"] or "",
        "link": found["link"] or "",
        "agenda": list(found["agenda"]),
        "attendees": list(found["attendees"]),
    }


def _details_form(draft: dict[str, Any] | None, key: str, posted: bool) -> MeetingForm:
    form = MeetingForm() if posted else MeetingForm(formdata=None)
    form.kind.choices = list(TITLES.items())
    if key != NEW:
        del form.kind
    if draft and not posted:
        if key == NEW:
            form.kind.data = draft["kind"]
        form.held_on.data = date.fromisoformat(draft["held_on"])
        form.start_time.data, form.end_time.data = draft["start_time"], draft["end_time"]
        form.place.data, form.link.data = draft["place"], draft["link"]
        form.agenda.data = "\n".join(draft["agenda"])
    return form


def _details(case_id: str, key: str, existing: dict[str, Any] | None) -> ResponseReturnValue:
    draft = _draft(case_id, key) or existing
    posted = request.method == "POST"
    form = _details_form(draft, key, posted)
    if posted and form.validate():
        kept = draft or {"case_id": case_id, "key": key, "attendees": [], "meeting_id": uuid.uuid4().hex}
        kept.update(
            kind=form.kind.data if key == NEW else kept["kind"],
            held_on=form.held_on.data.isoformat() if form.held_on.data else "",
            start_time=form.start_time.data.strip(),
            end_time=form.end_time.data.strip(),
            place=(form.place.data or "").strip(),
            link=(form.link.data or "").strip(),
            agenda=form.agenda_items(),
        )
        _keep(kept)
        return redirect(url_for(".attendees", case_id=case_id, key=key))
    return _render(
        "meeting_details.html",
        case_id,
        422 if posted else 200,
        title="Schedule a meeting" if key == NEW else "Change the meeting",
        form=form,
        key=key,
        errors=error_list(form),
    )


@blueprint.route("/reviews/<case_id>/meetings/new", methods=["GET", "POST"])
@members(*MANAGERS)
@audited("review.read", "meeting", "case_id")  # a draft: nothing is written
def schedule(case_id: str) -> ResponseReturnValue:
    conduct.list_meetings(_deps().uow, _viewer(), case_id)  # another board's case: 404
    if request.method == "GET" and request.args.get("start"):
        session.pop(DRAFT, None)
    return _details(case_id, NEW, None)


@blueprint.route("/reviews/<case_id>/meetings/<meeting_id>/change", methods=["GET", "POST"])
@members(*MANAGERS)
@audited("review.read", "meeting", "meeting_id")  # a draft: nothing is written
def change(case_id: str, meeting_id: str) -> ResponseReturnValue:
    found = conduct.get_meeting(_deps().uow, _viewer(), case_id, meeting_id)
    if request.method == "GET" and request.args.get("start"):
        session.pop(DRAFT, None)
    return _details(case_id, meeting_id, _from_meeting(case_id, found))


def _back_to_details(case_id: str, key: str) -> ResponseReturnValue:
    if key == NEW:
        return redirect(url_for(".schedule", case_id=case_id))
    return redirect(url_for(".change", case_id=case_id, meeting_id=key))


@blueprint.route("/reviews/<case_id>/meetings/<key>/attendees", methods=["GET", "POST"])
@members(*MANAGERS)
@audited("review.read", "meeting", "case_id")  # a draft: nothing is written
def attendees(case_id: str, key: str) -> ResponseReturnValue:
    draft = _draft(case_id, key)
    if draft is None:
        return _back_to_details(case_id, key)
    viewer = _viewer()
    agencies = _deps().uow.directory.agencies(viewer.board_id)
    posted = request.method == "POST"
    if posted and "remove" in request.form:  # the CSRF token is checked for every form sent
        index = request.form.get("remove", "")
        if index.isdigit() and int(index) < len(draft["attendees"]):
            del draft["attendees"][int(index)]
            _keep(draft)
        return redirect(url_for(".attendees", case_id=case_id, key=key))
    form = AttendeeForm() if posted else AttendeeForm(formdata=None)
    form.offer(agencies)
    errors = error_list(form) if posted and not form.validate() else []
    email = (form.email.data or "").strip()
    if posted and not errors and any(a["email"].lower() == email.lower() for a in draft["attendees"]):
        errors = add_errors(form, [{"field": "email", "message": "This person is invited already"}])
    if posted and not errors:
        draft["attendees"].append(
            {
                "name": form.name.data.strip(),
                "email": email,
                "agency": form.agency.data or None,
                "role": (form.role.data or "").strip() or None,
            }
        )
        _keep(draft)
        flash(f"{form.name.data.strip()} added", "attendees")
        return redirect(url_for(".attendees", case_id=case_id, key=key))
    return _render(
        "meeting_attendees.html",
        case_id,
        422 if errors else 200,
        title="Who is invited?",
        form=form,
        key=key,
        draft=draft,
        agencies=agencies,
        errors=errors,
        done=get_flashed_messages(category_filter=["attendees"]),
        remove_form=ConfirmForm(formdata=None),
    )


def _given(draft: dict[str, Any]) -> dict[str, Any]:
    """What the service layer takes, from the draft."""
    day = date.fromisoformat(draft["held_on"])
    starts, ends = read_time(draft["start_time"]), read_time(draft["end_time"])
    assert starts is not None and ends is not None  # the form checked them
    return {
        "starts_at": datetime.combine(day, starts),
        "ends_at": datetime.combine(day, ends),
        "place": draft["place"] or None,
        "link": draft["link"] or None,
        "agenda": list(draft["agenda"]),
        "attendees": [dict(a) for a in draft["attendees"]],
    }


@blueprint.route("/reviews/<case_id>/meetings/<key>/check", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("meeting", "case_id")
def check(case_id: str, key: str) -> ResponseReturnValue:
    draft = _draft(case_id, key)
    if draft is None:
        return _back_to_details(case_id, key)
    form = ConfirmForm()
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST" and form.validate():
        given, uow, viewer = _given(draft), _deps().uow, _viewer()
        try:
            if key == NEW:
                done = conduct.schedule_meeting(
                    uow, viewer, case_id, {**given, "kind": draft["kind"]}, draft["meeting_id"]
                )
                flash(f"{done['title']} scheduled: every attendee has been sent an invitation", "meetings")
            else:
                done = conduct.change_meeting(uow, viewer, case_id, key, given)
                flash(
                    f"{done['title']} changed: every attendee has been sent the updated invitation",
                    "meetings",
                )
        except DomainError as exc:
            errors = [{"text": e["message"], "href": "#main-content"} for e in exc.errors()]
            status = exc.status
        else:
            session.pop(DRAFT, None)
            return redirect(url_for(".meeting", case_id=case_id, meeting_id=done["id"]))
    starts = _given(draft)["starts_at"]
    return _render(
        "meeting_check.html",
        case_id,
        status,
        title="Check the meeting before sending the invitations",
        draft=draft,
        key=key,
        form=form,
        errors=errors,
        meeting_title=TITLES.get(draft["kind"], ""),
        when=f"{long_date(starts.date())}, {clock(starts)} to {clock(_given(draft)['ends_at'])}",
    )


# -- cancelling, notes and actions -------------------------------------------------------------


@blueprint.route("/reviews/<case_id>/meetings/<meeting_id>/cancel", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("meeting", "meeting_id")
def cancel(case_id: str, meeting_id: str) -> ResponseReturnValue:
    uow, viewer = _deps().uow, _viewer()
    found = shown(conduct.get_meeting(uow, viewer, case_id, meeting_id))
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        done = conduct.cancel_meeting(uow, viewer, case_id, meeting_id)
        flash(f"{done['title']} cancelled: every attendee has been told", "meetings")
        return redirect(url_for(".meeting", case_id=case_id, meeting_id=meeting_id))
    return _render("meeting_cancel.html", case_id, title="Cancel the meeting", meeting=found, form=form)


@blueprint.route("/reviews/<case_id>/meetings/<meeting_id>/notes", methods=["GET", "POST"])
@members(*PANEL_OR_MANAGERS)
@audited_form("meeting", "meeting_id")
def notes(case_id: str, meeting_id: str) -> ResponseReturnValue:
    uow, viewer = _deps().uow, _viewer()
    found = shown(conduct.get_meeting(uow, viewer, case_id, meeting_id))
    posted = request.method == "POST"
    form = NotesForm() if posted else NotesForm(formdata=None, data={"notes": found["notes"]})
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        try:
            conduct.change_meeting(uow, viewer, case_id, meeting_id, {"notes": form.notes.data or ""})
        except DomainError as exc:
            errors = add_errors(form, exc.errors())
        else:
            flash("Notes saved", "meetings")
            return redirect(url_for(".meeting", case_id=case_id, meeting_id=meeting_id))
    errors = errors or error_list(form)
    return _render(
        "meeting_notes.html",
        case_id,
        422 if errors else 200,
        title="Notes of the meeting",
        meeting=found,
        form=form,
        errors=errors,
    )


@blueprint.route("/reviews/<case_id>/meetings/<meeting_id>/actions", methods=["GET", "POST"])
@members(*PANEL_OR_MANAGERS)
@audited_form("meeting", "meeting_id")
def action(case_id: str, meeting_id: str) -> ResponseReturnValue:
    uow, viewer = _deps().uow, _viewer()
    found = shown(conduct.get_meeting(uow, viewer, case_id, meeting_id))
    posted = request.method == "POST"
    form = ActionForm() if posted else ActionForm(formdata=None)
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        actions = [
            *found["actions"],
            {"what": form.what.data.strip(), "owner": form.owner.data.strip(), "due_on": form.due_on.data},
        ]
        for kept in actions[:-1]:
            kept["due_on"] = date.fromisoformat(kept["due_on"]) if kept["due_on"] else None
        try:
            conduct.change_meeting(uow, viewer, case_id, meeting_id, {"actions": actions})
        except DomainError as exc:
            errors = add_errors(form, exc.errors())
        else:
            flash("Action added", "meetings")
            return redirect(url_for(".meeting", case_id=case_id, meeting_id=meeting_id))
    errors = errors or error_list(form)
    return _render(
        "meeting_action.html",
        case_id,
        422 if errors else 200,
        title="Add an action",
        meeting=found,
        form=form,
        errors=errors,
        today=_today(),
    )
