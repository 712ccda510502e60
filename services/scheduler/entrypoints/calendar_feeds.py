"""iCalendar feeds of open deadlines, per case or per board, subscribable from Outlook.

What a feed shows, and who may create or revoke one, is decided in the service layer
(:mod:`services.scheduler.service_layer.feeds`); these views shape the iCalendar file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from icalendar import Calendar
from icalendar import Event as IcsEvent
from marshmallow import RAISE, Schema, fields, validate

from services.scheduler.entrypoints import web
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.feeds import FeedContents
from services.scheduler.service_layer.messages import CreateCalendarFeed, ReadCalendarFeed, RevokeCalendarFeed
from shared import audit
from shared.auth.access import capability_route, members
from shared.openapi import documented

blueprint = Blueprint("calendar_feeds", __name__)


class FeedSchema(Schema):
    class Meta:
        unknown = RAISE

    case_id = fields.String(
        load_default=None,
        validate=validate.Length(min=1),
        metadata={"description": "The case whose deadlines to show; none: the whole board's"},
    )


class NewFeedSchema(Schema):
    id = fields.String(required=True)
    case_id = fields.String(required=True, allow_none=True)
    url = fields.Url(
        required=True, metadata={"description": "The feed's secret address, to subscribe to; shown once"}
    )


class RevokedFeedSchema(Schema):
    id = fields.String(required=True)
    revoked = fields.Boolean(required=True)


@blueprint.post("/api/v1/calendar-feeds")
@members(*STAFF)
@documented(
    summary="Create a calendar feed of a case's or the board's open deadlines",
    body=FeedSchema,
    responses={201: NewFeedSchema, 404: None},
)
def create_feed() -> ResponseReturnValue:
    body = FeedSchema().load(request.get_json(silent=True) or {})
    feed = web.handle(CreateCalendarFeed(g.principal.board_id, g.principal.user_id, body["case_id"]))
    audit.record("calendar_feed.created", resource=("calendar_feed", feed.feed_id))
    url = url_for(".feed", token=feed.token, _external=True)
    return jsonify({"id": feed.feed_id, "case_id": feed.case_id, "url": url}), 201


@blueprint.delete("/api/v1/calendar-feeds/<feed_id>")
@members(*STAFF)
@documented(summary="Revoke a calendar feed", responses={200: RevokedFeedSchema, 404: None})
def revoke_feed(feed_id: str) -> ResponseReturnValue:
    web.handle(RevokeCalendarFeed(g.principal.board_id, feed_id))
    audit.record("calendar_feed.revoked", resource=("calendar_feed", feed_id))
    return jsonify({"id": feed_id, "revoked": True})


def to_ical(contents: FeedContents) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//LSCB case reviews//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", contents.name)
    stamp = datetime.now(UTC)
    for entry in contents.entries:
        ev = IcsEvent()
        ev.add("uid", f"{entry.deadline_id}@lscb")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", entry.due)
        ev.add("summary", f"{entry.reference}: {entry.code.replace('_', ' ')}")
        ev.add("description", f"{entry.rule}\nSource: {entry.source}")
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()


@blueprint.get("/calendar/<token>.ics")
@capability_route
def feed(token: str) -> ResponseReturnValue:
    contents: FeedContents | None = web.handle(ReadCalendarFeed(token))
    if contents is None:
        abort(404)
    audit.record(
        "calendar_feed.read",
        resource=("calendar_feed", contents.feed_id),
        board_id=contents.board_id,
        actor_id=contents.user_id,
    )
    return Response(
        to_ical(contents),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="deadlines.ics"'},
    )
