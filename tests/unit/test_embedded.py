"""The one-process product: routing between services and the aggregate health."""

import pytest
from flask import Blueprint

from services.embedded import EmbeddedApp, bootstrap_all
from shared.auth.access import members
from tests.factories import bearer, make_board, make_token, make_user
from tests.support import wait_for


@pytest.fixture
def product(settings):
    services = bootstrap_all(settings)
    bp = Blueprint("probe", __name__)

    @bp.get("/api/v1/deadlines/probe")
    @members()
    def probe():
        return {"served_by": "scheduler"}

    services[1].app.register_blueprint(bp)
    app = EmbeddedApp(services)
    yield app, services
    for s in services:
        s.stop()


def test_healthz_is_503_until_every_service_runs_then_200(product):
    app, services = product
    client = app.host.test_client()
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert set(resp.get_json()["services"]) == {
        "referral",
        "scheduler",
        "documents",
        "notifications",
        "reviews",
    }
    for s in services:
        s.start()
    resp = client.get("/healthz")
    assert resp.status_code == 200, resp.get_json()


def test_paths_reach_the_service_that_owns_them(product):
    app, _ = product
    from werkzeug.test import Client

    client = Client(app)
    token = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.get("/api/v1/deadlines/probe", headers=token).json == {"served_by": "scheduler"}
    assert client.get("/documents/healthz").json == {"status": "ok", "service": "documents"}
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json["status"] == 404


def test_an_event_from_one_service_reaches_the_others_in_process(product):
    app, services = product
    for s in services:
        s.start()
    from werkzeug.test import Client

    client = Client(app)
    token = bearer(make_token(make_user("admin", board=make_board())))
    assert client.post("/notifications/ops/bus-checks").status_code == 401
    created = client.post("/notifications/ops/bus-checks", headers=token)
    assert created.status_code == 202
    url = created.json["url"]
    assert url.startswith("/notifications/ops/bus-checks/")
    done = wait_for(lambda: (r := client.get(url, headers=token).json)["complete"] and r)
    assert done["answered_by"] == ["documents", "referral", "reviews", "scheduler"]
