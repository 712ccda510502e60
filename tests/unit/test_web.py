from flask import Blueprint
from marshmallow import Schema, fields, validate

from shared.config import load_settings
from shared.errors import Conflict, flatten_messages
from shared.web import create_service_app


class _Referrer(Schema):
    email = fields.Email(required=True)


class _Body(Schema):
    child_age = fields.Integer(required=True, validate=validate.Range(0, 17))
    referrer = fields.Nested(_Referrer, required=True)


def make_app(bus_check=lambda: None):
    app = create_service_app("referral", load_settings(APP_ENV="test"), bus_check=bus_check)
    bp = Blueprint("t", __name__)

    @bp.post("/api/v1/things")
    def things():
        from flask import request

        _Body().load(request.get_json())
        return {"ok": True}

    @bp.post("/api/v1/conflict")
    def conflict():
        raise Conflict("the case is already decided", field="status")

    @bp.get("/api/v1/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.register_blueprint(bp)
    return app


def test_every_invalid_field_is_reported_at_once():
    client = make_app().test_client()
    resp = client.post("/api/v1/things", json={"child_age": 40, "referrer": {"email": "nope"}})
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["status"] == 422
    assert {e["field"] for e in body["errors"]} == {"child_age", "referrer.email"}


def test_domain_errors_map_to_their_status():
    resp = make_app().test_client().post("/api/v1/conflict")
    assert resp.status_code == 409
    assert resp.get_json()["errors"] == [{"field": "status", "message": "the case is already decided"}]


def test_unexpected_errors_are_500_without_internals():
    resp = make_app().test_client().get("/api/v1/boom")
    assert resp.status_code == 500
    assert "secret" not in resp.get_data(as_text=True)


def test_api_404_is_json_and_page_404_is_html():
    client = make_app().test_client()
    api = client.get("/api/v1/missing")
    assert api.status_code == 404 and api.get_json()["status"] == 404
    page = client.get("/cases/missing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_correlation_id_is_echoed_or_created():
    client = make_app().test_client()
    assert (
        client.get("/healthz", headers={"X-Correlation-ID": "abc-123"}).headers["X-Correlation-ID"]
        == "abc-123"
    )
    made = client.get("/healthz", headers={"X-Correlation-ID": "bad id <script>"})
    assert made.headers["X-Correlation-ID"] not in ("", "bad id <script>")


def test_readyz_reports_the_bus_problem():
    client = make_app(bus_check=lambda: "unreachable: connection refused").test_client()
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.get_json()["checks"] == {"store": "ok", "bus": "unreachable: connection refused"}
    assert make_app().test_client().get("/readyz").status_code == 200


def test_metrics_are_exposed():
    client = make_app().test_client()
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert "lscb_http_requests_total" in text


def test_flatten_handles_lists_and_schema_errors():
    flat = flatten_messages({"_schema": ["dates out of order"], "agencies": {0: ["Unknown agency."]}})
    assert flat == [
        {"field": None, "message": "dates out of order"},
        {"field": "agencies.0", "message": "Unknown agency."},
    ]


def test_a_request_whose_client_has_gone_is_recognised_before_it_changes_anything():
    import socket

    from shared.web import client_gone

    ours, theirs = socket.socketpair()
    try:
        assert client_gone({"gunicorn.socket": ours}) is False  # still there, nothing more sent
        theirs.close()
        assert client_gone({"gunicorn.socket": ours}) is True
        assert client_gone({}) is False  # not under gunicorn: nothing to tell
    finally:
        ours.close()
