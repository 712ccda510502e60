"""Server-side web sessions in the identity store.

The cookie holds only a random id (256 bits); the store keeps a hash of it,
so a copy of the database does not hand out live sessions. A session ends
after 30 minutes without a request (idle) or 12 hours after sign-in
(absolute), and at sign-out, on the server. Signing in gives a new id.

Flask's built-in session is a signed cookie that cannot be ended on the
server, and Flask-Session has no absolute timeout and keeps ids in clear;
this small interface does what is needed instead.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from mongoengine import DateTimeField, DictField, Document, StringField
from werkzeug.datastructures import CallbackDict

from shared.auth.models import aware, now
from shared.store import IDENTITY

COOKIE = "lscb_session"
# Write last_seen_at at most this often when nothing else changed.
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


class MongoSessionInterface(SessionInterface):
    def __init__(self, idle: timedelta, absolute: timedelta) -> None:
        self.idle = idle
        self.absolute = absolute

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
            if session.modified or aware(record.last_seen_at) + TOUCH_EVERY <= at:
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
