"""Calendar feeds in the browser: a secret link to a case's (or the board's) open deadlines, for
Outlook and other calendars, shown once when it is made; and stopping a link working. The
handlers are the API's (:mod:`.calendar_feeds`)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from services.scheduler.entrypoints import web
from services.scheduler.entrypoints.pages import blueprint
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.messages import CreateCalendarFeed, RevokeCalendarFeed
from shared import audit
from shared.auth.access import members


class FeedForm(FlaskForm):
    """A button: only its CSRF token is checked."""


def _back(case_id: str | None) -> str:
    return url_for(".case_schedule", case_id=case_id) if case_id else url_for(".board_schedule")


@blueprint.post("/schedule/calendar")
@members(*STAFF)
def create_board_feed() -> ResponseReturnValue:
    return create_case_feed(None)


@blueprint.post("/schedule/cases/<case_id>/calendar")
@members(*STAFF)
def create_case_feed(case_id: str | None) -> ResponseReturnValue:
    if not FeedForm().validate():
        return redirect(_back(case_id))
    feed = web.handle(CreateCalendarFeed(g.principal.board_id, g.principal.user_id, case_id))
    audit.record("calendar_feed.created", resource=("calendar_feed", feed.feed_id))
    return render_template(
        "calendar_feed.html",
        title="Your calendar link",
        case_id=case_id,
        back=_back(case_id),
        feed_id=feed.feed_id,
        url=url_for("calendar_feeds.feed", token=feed.token, _external=True),
        form=FeedForm(),
    )


@blueprint.post("/schedule/calendar-feeds/<feed_id>/revoke")
@members(*STAFF)
def revoke_board_feed(feed_id: str) -> ResponseReturnValue:
    return revoke_case_feed(None, feed_id)


@blueprint.post("/schedule/cases/<case_id>/calendar-feeds/<feed_id>/revoke")
@members(*STAFF)
def revoke_case_feed(case_id: str | None, feed_id: str) -> ResponseReturnValue:
    form = FeedForm()
    if form.validate():
        web.handle(RevokeCalendarFeed(g.principal.board_id, feed_id))
        audit.record("calendar_feed.revoked", resource=("calendar_feed", feed_id))
        flash("The calendar link no longer works", "schedule")
    return redirect(_back(case_id))
