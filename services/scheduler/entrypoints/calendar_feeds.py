"""iCalendar feeds of deadlines, per case or per board, subscribable from Outlook.

A feed's URL carries a random token (only its hash is stored); anyone holding
the URL can read the feed, so it shows case references and deadline names
only, never a child's details, and it can be revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, g, jsonify, request, url_for
from icalendar import Calendar
from icalendar import Event as IcsEvent
from marshmallow import RAISE, Schema, fields

from services.scheduler.adapters.store import CalendarFeed, Schedule
from shared import audit
from shared.auth.access import capability_route, members
from shared.errors import NotFound

blueprint = Blueprint("calendar_feeds", __name__)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedSchema(Schema):
    class Meta:
        unknown = RAISE

    case_id = fields.String(load_default=None)


@blueprint.post("/api/v1/calendar-feeds")
@members("business_unit", "chair", "admin", "panel_member", "lead_reviewer")
def create_feed():
    body = FeedSchema().load(request.get_json(silent=True) or {})
    if (
        body["case_id"]
        and not Schedule.objects(case_id=body["case_id"], board_id=g.principal.board_id).first()
    ):
        raise NotFound("There is no schedule for this case", field="case_id")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(
        token_hash=_hash(token),
        board_id=g.principal.board_id,
        case_id=body["case_id"],
        user_id=g.principal.user_id,
    )
    feed.save(force_insert=True)
    audit.record("calendar_feed.created", resource=("calendar_feed", feed.feed_id))
    return jsonify(
        {"id": feed.feed_id, "case_id": feed.case_id, "url": url_for(".feed", token=token, _external=True)}
    ), 201


@blueprint.delete("/api/v1/calendar-feeds/<feed_id>")
@members("business_unit", "chair", "admin", "panel_member", "lead_reviewer")
def revoke_feed(feed_id: str):
    feed = CalendarFeed.objects(feed_id=feed_id, board_id=g.principal.board_id).first()
    if feed is None:
        raise NotFound("There is no such calendar feed", field="feed_id")
    CalendarFeed.objects(feed_id=feed_id).update_one(set__revoked_at=datetime.now(UTC))
    audit.record("calendar_feed.revoked", resource=("calendar_feed", feed_id))
    return jsonify({"id": feed_id, "revoked": True})


def build_calendar(schedules, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//LSCB case reviews//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for schedule in schedules:
        for d in schedule.deadlines:
            if d.met_on or d.waived_at:
                continue
            ev = IcsEvent()
            ev.add("uid", f"{d.deadline_id}@lscb")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", d.due)
            ev.add("summary", f"{schedule.reference or schedule.case_id}: {d.code.replace('_', ' ')}")
            ev.add("description", f"{d.rule}\nSource: {d.source}")
            ev.add("transp", "TRANSPARENT")
            cal.add_component(ev)
    return cal.to_ical()


@blueprint.get("/calendar/<token>.ics")
@capability_route
def feed(token: str):
    found = CalendarFeed.objects(token_hash=_hash(token), revoked_at=None).first()
    if found is None:
        abort(404)
    if found.case_id:
        schedules = Schedule.objects(case_id=found.case_id, board_id=found.board_id)
        name = f"Case {schedules.first().reference if schedules.first() else found.case_id} deadlines"
    else:
        schedules = Schedule.objects(board_id=found.board_id)
        name = "Board deadlines"
    audit.record(
        "calendar_feed.read",
        resource=("calendar_feed", found.feed_id),
        board_id=found.board_id,
        actor_id=found.user_id,
    )
    return Response(
        build_calendar(schedules, name),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="deadlines.ics"'},
    )
