"""A small GOV.UK Notify on loopback, for testing the Notify channel through the real client.

It answers the endpoint the channel uses, ``POST /v2/notifications/email``,
checks the JWT the client signs with the API key's secret (HS256, iss =
service id, iat within 30 seconds, as Notify does), records every request,
and can be told to fail the next N requests with a status Notify uses (400,
403, 429, 500) and Notify's error body, or to take the next N requests and
answer them only after a delay (``answer_late``): the email is created, and
a client that gave up waiting cannot know it.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from werkzeug.serving import make_server

from tests.support import free_port

IAT_LEEWAY = 30  # seconds either side, as Notify allows

# Error bodies in Notify's shape: {"status_code": ..., "errors": [{"error": ..., "message": ...}]}
ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    json: dict | None
    claims: dict | None  # the verified JWT claims, None when the token was refused
    status: int = 0  # what the fake answered


@dataclass
class _Failure:
    status: int
    remaining: int


@dataclass
class FakeNotify:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    requests: list[RecordedRequest] = field(default_factory=list)
    notifications: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._failure: _Failure | None = None
        self._late: tuple[float, int] = (0.0, 0)  # seconds, how many requests
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", self.port, self._app(), threaded=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- what tests use ---------------------------------------------------------

    def api_key(self, key_name: str = "lscb_test") -> str:
        """A key as Notify issues them: ``{key_name}-{service_id}-{secret}``."""
        return f"{key_name}-{self.service_id}-{self.secret}"

    def start(self) -> FakeNotify:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, count: int, status: int) -> None:
        """Answer the next ``count`` requests with ``status`` and Notify's error body for it."""
        with self._lock:
            self._failure = _Failure(status, count)

    def answer_late(self, count: int, seconds: float) -> None:
        """Take the next ``count`` requests as usual, but answer each only after ``seconds``."""
        with self._lock:
            self._late = (seconds, count)

    def emails(self) -> list[RecordedRequest]:
        """The email requests that were accepted."""
        return [
            r
            for r in self.requests
            if r.method == "POST" and r.path == "/v2/notifications/email" and r.status == 201
        ]

    # --- the server -------------------------------------------------------------

    def _verify(self, authorization: str) -> dict | None:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return None
        try:
            decoded = jwt.decode(token, OctKey.import_key(self.secret), algorithms=["HS256"])
        except (JoseError, ValueError):
            return None
        claims = decoded.claims
        if decoded.header.get("alg") != "HS256" or claims.get("iss") != self.service_id:
            return None
        iat = claims.get("iat")
        if not isinstance(iat, int) or abs(time.time() - iat) > IAT_LEEWAY:
            return None
        return claims

    def _take_failure(self) -> int | None:
        with self._lock:
            if self._failure is None or self._failure.remaining <= 0:
                return None
            self._failure.remaining -= 1
            return self._failure.status

    @staticmethod
    def _error(status: int, message: str | None = None):
        name, default = ERRORS.get(status, ("Exception", "Error"))
        body = {"status_code": status, "errors": [{"error": name, "message": message or default}]}
        return jsonify(body), status

    def _app(self) -> Flask:
        app = Flask("fake-notify")

        @app.before_request
        def record_and_check():
            claims = self._verify(request.headers.get("Authorization", ""))
            recorded = RecordedRequest(
                method=request.method,
                path=request.path,
                headers=dict(request.headers),
                json=request.get_json(silent=True),
                claims=claims,
            )
            self.requests.append(recorded)
            request.environ["fake_notify.recorded"] = recorded
            if claims is None:
                return self._error(403, "Invalid token: signature, api token not found")
            failure = self._take_failure()
            if failure is not None:
                return self._error(failure)
            return None

        @app.after_request
        def remember_status(response):
            recorded = request.environ.get("fake_notify.recorded")
            if recorded is not None:
                recorded.status = response.status_code
            with self._lock:
                seconds, count = self._late
                if count:
                    self._late = (seconds, count - 1)
            if count:
                time.sleep(seconds)
            return response

        @app.post("/v2/notifications/email")
        def send_email():
            body = request.get_json(silent=True) or {}
            missing = [k for k in ("email_address", "template_id") if not body.get(k)]
            if missing:
                return self._error(400, f"{missing[0]} is a required property")
            personalisation = body.get("personalisation") or {}
            for placeholder in ("subject", "body"):
                if personalisation.get(placeholder) is None:
                    return self._error(400, f"Missing personalisation: {placeholder}")
            notification_id = str(uuid.uuid4())
            self.notifications[notification_id] = {
                "id": notification_id,
                "reference": body.get("reference"),
                "email_address": body["email_address"],
                "type": "email",
                "status": "created",
                "template": {"id": body["template_id"], "version": 1, "uri": ""},
                "subject": personalisation["subject"],
                "body": personalisation["body"],
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
            }
            return jsonify(
                id=notification_id,
                reference=body.get("reference"),
                content={
                    "subject": personalisation["subject"],
                    "body": personalisation["body"],
                    "from_email": "lscb@notifications.service.gov.uk",
                },
                uri=f"{self.base_url}/v2/notifications/{notification_id}",
                template={"id": body["template_id"], "version": 1, "uri": ""},
            ), 201

        return app
