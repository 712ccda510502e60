"""Server-side web sessions in the identity store.

The cookie holds only a random id (256 bits); the store keeps a hash of it,
so a copy of the database does not hand out live sessions. A session ends
after 30 minutes without a request (idle) or 12 hours after sign-in
(absolute), and at sign-out, on the server. Signing in gives a new id.

Pages of a signed-in user carry the seconds left (:func:`seconds_left`): the page's
script warns two minutes before the end and may call ``POST /account/keep-alive``
(:data:`keep_alive_blueprint`), which counts as activity and answers the new time left.

Flask's built-in session is a signed cookie that cannot be ended on the
server, and Flask-Session has no absolute timeout and keeps ids in clear;
this small interface does what is needed instead.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, Request, Response, current_app, jsonify, session
from flask.blueprints import BlueprintSetupState
from flask.sessions import SessionInterface, SessionMixin
from mongoengine import DateTimeField, DictField, Document, StringField
from werkzeug.datastructures import CallbackDict

from shared.auth.models import aware, now
from shared.store import IDENTITY

COOKIE = "lscb_session"
# Write last_seen_at at most this often when nothing else changed (more often for short sessions).
TOUCH_EVERY = timedelta(seconds=30)


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class WebSession(Document):  # type: ignore[misc]  # mongoengine is untyped
    meta = {"collection": "web_sessions", "db_alias": IDENTITY, "indexes": ["user_id"]}

    session_hash = StringField(primary_key=True)
    user_id = StringField()
    board_id = StringField()
    data = DictField()
    created_at = DateTimeField(required=True)
    signed_in_at = DateTimeField()
    last_seen_at = DateTimeField(required=True)
    ended_at = DateTimeField()
    ended_reason = StringField()
    ip = StringField()
    user_agent = StringField()


class ServerSession(CallbackDict[str, Any], SessionMixin):
    def __init__(
        self, initial: dict[str, Any] | None = None, sid: str | None = None, record: WebSession | None = None
    ) -> None:
        def on_update(self: ServerSession) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.record = record
        self.modified = False
        self.rotate = False
        self.ended = False
        self.kept_alive = False  # the user asked to stay signed in: count this request as activity
        self.expired_reason: str | None = None  # set when the previous session timed out

    @property
    def user_id(self) -> str | None:
        return self.record.user_id if self.record is not None and self.sid else None

    def sign_in(self, user_id: str, board_id: str | None) -> None:
        """Attach a user; the session gets a new id when the response is sent."""
        self.rotate = True
        self.pending_user = (user_id, board_id)
        self.modified = True

    def end(self) -> None:
        self.ended = True
        self.modified = True

    def keep_alive(self) -> None:
        self.kept_alive = True


class MongoSessionInterface(SessionInterface):
    def __init__(self, idle: timedelta, absolute: timedelta) -> None:
        self.idle = idle
        self.absolute = absolute
        self.touch_every = min(TOUCH_EVERY, idle / 4)

    def ends_at(self, session: ServerSession, at: datetime) -> datetime | None:
        """When this signed-in session will time out if nothing more happens after this request."""
        record = session.record
        if record is None or not session.user_id or session.ended:
            return None
        last_seen = aware(record.last_seen_at)
        if session.kept_alive or last_seen + self.touch_every <= at:
            last_seen = at  # save_session writes it at the end of this request
        started: datetime = aware(record.signed_in_at or record.created_at)
        ends: datetime = min(last_seen + self.idle, started + self.absolute)
        return ends

    def _expiry_reason(self, record: WebSession, at: datetime) -> str | None:
        if record.ended_at is not None:
            return record.ended_reason or "ended"
        if aware(record.last_seen_at) + self.idle <= at:
            return "idle"
        started = aware(record.signed_in_at or record.created_at)
        if started + self.absolute <= at:
            return "absolute"
        return None

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(COOKIE)
        if not sid:
            return ServerSession()
        record = WebSession.objects(session_hash=_hash(sid)).first()
        if record is None:
            return ServerSession()
        at = now()
        reason = self._expiry_reason(record, at)
        if reason is not None:
            if record.ended_at is None:
                WebSession.objects(session_hash=record.session_hash, ended_at=None).update_one(
                    set__ended_at=at, set__ended_reason=f"timeout: {reason}"
                )
            session = ServerSession()
            session.expired_reason = reason if record.user_id else None
            session.modified = True  # clear the stale cookie
            return session
        return ServerSession(dict(record.data), sid=sid, record=record)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        from flask import request

        # Flask hands back the session that open_session made.
        assert isinstance(session, ServerSession)
        cookie_kwargs: dict[str, Any] = dict(
            httponly=True,
            secure=request.is_secure or app.config.get("SESSION_COOKIE_SECURE", False),
            samesite="Lax",
            path="/",
        )
        at = now()
        if session.ended:
            if session.record is not None:
                WebSession.objects(session_hash=session.record.session_hash, ended_at=None).update_one(
                    set__ended_at=at, set__ended_reason="signed out"
                )
            response.delete_cookie(COOKIE, path="/")
            return
        if session.rotate:
            self._rotate(session, at)
        elif session.sid is None:
            if not session.modified or not dict(session):
                if session.expired_reason is not None or session.modified:
                    response.delete_cookie(COOKIE, path="/")
                return
            self._create(session, at, user=None)
        else:
            record = session.record
            assert record is not None  # a session with an id has its record
            changes: dict[str, Any] = {}
            if session.modified:
                changes["set__data"] = dict(session)
            if session.modified or session.kept_alive or aware(record.last_seen_at) + self.touch_every <= at:
                changes["set__last_seen_at"] = at
            if changes:
                WebSession.objects(session_hash=record.session_hash).update_one(**changes)
            return  # the cookie already holds this id
        assert session.sid is not None  # just created
        response.set_cookie(COOKIE, session.sid, **cookie_kwargs)

    def _create(self, session: ServerSession, at: datetime, user: tuple[str, str] | None) -> None:
        from flask import request

        sid = secrets.token_urlsafe(32)
        record = WebSession(
            session_hash=_hash(sid),
            user_id=user[0] if user else None,
            board_id=user[1] if user else None,
            data=dict(session),
            created_at=at,
            signed_in_at=at if user else None,
            last_seen_at=at,
            ip=request.remote_addr,
            user_agent=(request.user_agent.string or "")[:300],
        )
        record.save(force_insert=True)
        session.sid, session.record = sid, record

    def _rotate(self, session: ServerSession, at: datetime) -> None:
        if session.record is not None:
            WebSession.objects(session_hash=session.record.session_hash, ended_at=None).update_one(
                set__ended_at=at, set__ended_reason="replaced at sign-in"
            )
        self._create(session, at, user=getattr(session, "pending_user", None))
        session.rotate = False


def seconds_left(app: Flask) -> int | None:
    """Whole seconds until the current request's signed-in session times out; None if none."""
    interface = app.session_interface
    if not isinstance(interface, MongoSessionInterface) or not isinstance(session, ServerSession):
        return None
    at = now()
    ends = interface.ends_at(session, at)
    return None if ends is None else max(0, int((ends - at).total_seconds()))


keep_alive_blueprint = Blueprint("session", __name__)


@keep_alive_blueprint.record_once
def _declare_keep_alive(state: BlueprintSetupState) -> None:
    from shared.auth.access import Access, declare_endpoint  # access imports this module

    assert isinstance(state.app, Flask)
    declare_endpoint(state.app, "session.keep_alive", Access("members"))


@keep_alive_blueprint.post("/account/keep-alive")
def keep_alive() -> Response:
    """The warning's "Stay signed in": counts as activity and answers the time left.

    The access guard checks the CSRF token (the page's script sends it in X-CSRFToken)."""
    assert isinstance(session, ServerSession), "the product's session interface is installed"
    session.keep_alive()
    return jsonify({"expires_in": seconds_left(current_app)})
