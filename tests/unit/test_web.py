import re
from datetime import UTC, datetime, timedelta

import pytest
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


# -- error pages for people, the JSON contract for programs ---------------------------------

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_browser_gets_a_styled_404_page_with_a_way_back_and_a_contact():
    page = make_app().test_client().get("/cases/missing", headers=BROWSER)
    assert page.status_code == 404 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in body
    assert '<a class="govuk-link" href="/">Go to the home page</a>' in body
    assert "Go back to the previous page" in body
    assert "contact your partnership's business unit" in body
    assert 'href="/static/lscb/css/lscb.min.css"' in body and 'src="/static/lscb/js/app.js"' in body
    assert "OFFICIAL-SENSITIVE" in body and "Skip to main content" in body
    for reserved in ("Crown copyright", "Open Government Licence", "govuk-header__logotype", "GOV.UK"):
        assert reserved not in body


def test_api_clients_and_clients_asking_for_json_keep_the_json_contract():
    client = make_app().test_client()
    for path, headers in (("/api/v1/missing", BROWSER), ("/cases/missing", {"Accept": "application/json"})):
        resp = client.get(path, headers=headers)
        assert resp.status_code == 404 and resp.mimetype == "application/json"
        assert resp.get_json()["status"] == 404 and resp.get_json()["errors"][0]["message"]


def test_a_browser_gets_a_styled_500_page_without_internals():
    app = make_app()

    @app.get("/pages/boom")
    def page_boom():
        raise RuntimeError("secret internals")

    page = app.test_client().get("/pages/boom", headers=BROWSER)
    assert page.status_code == 500 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body and "Go to the home page" in body
    assert "secret" not in body
    api = app.test_client().get("/api/v1/boom", headers=BROWSER)
    assert api.status_code == 500 and api.get_json()["status"] == 500 and "secret" not in api.text


@pytest.fixture
def service(settings):
    from services.referral.bootstrap import bootstrap

    return bootstrap(settings.with_overrides(SESSION_IDLE_MINUTES=20))


def _signed_in(service, *roles, agency=None):
    from tests.factories import make_board, make_user
    from tests.unit.auth.conftest import sign_in

    board = make_board()
    unit = make_user("business_unit", board=board, email="unit@partnership.example.org")
    user = make_user(*roles, board=board, agency=agency, name="Dana Example")
    client = service.app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client, board, unit


def test_a_signed_in_user_sees_the_403_page_in_the_full_layout(service):
    client, board, unit = _signed_in(service, "family_viewer")
    page = client.get("/admin/audit", headers=BROWSER)
    assert page.status_code == 403 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert "You do not have permission to see this page" in body
    assert "You do not have permission to do this." in body
    assert board.name in body  # the partnership's name in the header
    assert f'href="mailto:{unit.email}"' in body  # the business unit to contact
    assert "Dana Example" in body  # the user's own navigation
    api = client.get("/admin/audit", headers={"Accept": "application/json"})
    assert api.status_code == 403 and api.get_json()["errors"][0]["message"]


def test_a_404_of_no_route_still_shows_the_signed_in_users_navigation(service):
    client, board, _ = _signed_in(service, "business_unit")
    body = client.get("/no/such/page", headers=BROWSER).get_data(as_text=True)
    assert "Page not found" in body and board.name in body and 'href="/cases"' in body


# -- the session timeout warning's server side ----------------------------------------------


def _csrf(client) -> str:
    from tests.unit.auth.conftest import csrf_from

    return csrf_from(
        client.get("/account").text.replace('name="lscb-csrf-token" content=', 'name="csrf_token" value=')
    )


def test_pages_of_a_signed_in_user_carry_the_time_left_and_the_sign_in_page_does_not(service):
    anonymous = service.app.test_client().get("/sign-in").text
    assert "data-session-expires-in" not in anonymous and "lscb-csrf-token" not in anonymous
    client, _, _ = _signed_in(service, "business_unit")
    account = client.get("/account").text
    left = int(re.search(r'data-session-expires-in="(\d+)"', account).group(1))
    assert 20 * 60 - 5 <= left <= 20 * 60
    assert 'data-keep-alive-url="/account/keep-alive"' in account


def test_keep_alive_extends_the_session_and_needs_the_csrf_token(service):
    from shared.auth.sessions import WebSession

    client, _, _ = _signed_in(service, "business_unit")
    token = _csrf(client)
    refused = client.post("/account/keep-alive", headers={"Accept": "application/json"})
    assert refused.status_code == 403 and refused.get_json()["errors"][0]["field"] == "csrf_token"

    # A request soon after the last one written is not written again (TOUCH_EVERY): the time
    # left counts from the last one written, and keep-alive writes it whenever it is asked.
    long_ago = datetime.now(UTC) - timedelta(seconds=20)
    WebSession.objects(ended_at=None, user_id__ne=None).update(set__last_seen_at=long_ago)
    page = client.get("/account").text
    assert int(re.search(r'data-session-expires-in="(\d+)"', page).group(1)) <= 20 * 60 - 19
    kept = client.post("/account/keep-alive", headers={"Accept": "application/json", "X-CSRFToken": token})
    assert kept.status_code == 200 and 20 * 60 - 5 <= kept.get_json()["expires_in"] <= 20 * 60
    record = WebSession.objects(ended_at=None, user_id__ne=None).get()
    assert record.last_seen_at.replace(tzinfo=UTC) > long_ago + timedelta(seconds=15)


def test_keep_alive_after_the_session_ended_answers_401(service):
    client = service.app.test_client()
    resp = client.post("/account/keep-alive", headers={"Accept": "application/json"})
    assert resp.status_code == 401 and resp.mimetype == "application/json"


def test_the_stylesheet_is_the_design_systems_without_gds_transport(service):
    css = service.app.test_client().get("/static/lscb/css/lscb.min.css")
    assert css.status_code == 200 and css.headers.get("Cache-Control") != "no-store"
    text = css.get_data(as_text=True)
    assert ".govuk-button" in text and ".lscb-timeout-dialog" in text
    assert "GDS Transport" not in text and "font-family:arial,sans-serif" in text


def test_the_committed_stylesheet_is_built_from_the_current_sources():
    """shared/static/css/lscb.min.css is served as it is (and packed into the images): after a
    change to shared/static/scss/lscb.scss or to govuk-frontend, `make css` rebuilds it."""
    import json
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = json.loads((root / "package.json").read_text())["scripts"]["build:css"]
    command = script.split()
    built = subprocess.run(
        [str(root / "node_modules" / ".bin" / command[0]), *command[1:-1]],  # to stdout, not the file
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (root / command[-1]).read_text()
    assert built.strip() == committed.strip(), "the stylesheet is out of date: run `make css`"
