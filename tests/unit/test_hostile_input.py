"""Every POST endpoint of every service, fed hostile bodies: never a server error.

Nested thousands deep, lone surrogates and control characters in text, bodies
over the size limit, every JSON type where an object is expected, and dates of
year 1 and year 9999 in every date-looking field of a valid referral.
"""

from __future__ import annotations

import importlib
import json
import re

import pytest

from services import NAMES
from shared.auth.models import AGENCY_ROLES, ROLES
from shared.input import MAX_BODY_BYTES
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.referral.test_api import make_referral

HOSTILE_BODIES: dict[str, bytes] = {
    "nested": ("[" * 5000 + "]" * 5000).encode(),
    "nested-object": ('{"a":' * 3000 + "1" + "}" * 3000).encode(),
    "surrogate": b'{"summary": "\\ud800", "name": "\\udfff", "reason": "\\ud83d"}',
    "control": json.dumps({"summary": "a\u0000b", "name": "\u001b[31m"}).encode(),
    "huge": b'{"summary": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}',
    "array": b"[]",
    "number": b"1e400",
    "string": b'"text"',
    "null": b"null",
    "not-json": b"{not json",
    "wrong-types": json.dumps(
        {"facts": [], "incident_on": 5, "agencies_involved": "police", "referrer": "x", "page": -1}
    ).encode(),
    "extreme-dates-low": json.dumps(
        make_referral(incident_on="0001-01-01", became_aware_on="0001-01-02", board_notified_on="0001-01-03")
    ).encode(),
    "extreme-dates-high": json.dumps(
        make_referral(incident_on="9999-12-31", became_aware_on="9999-12-31", board_notified_on="9999-12-31")
    ).encode(),
    "child-born-in-year-one": json.dumps(
        make_referral(child={"name": "Jane Doe", "date_of_birth": "0001-01-01"})
    ).encode(),
}


def post_routes(app) -> list[str]:
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()) and rule.rule.startswith("/api/"):
            routes.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", "does-not-exist", rule.rule))
    return sorted(set(routes))


@pytest.fixture(scope="module", params=NAMES)
def service(request):
    from shared.config import load_settings

    settings = load_settings(APP_ENV="test", BUS_NAMESPACE=f"hostile-{request.param}")
    return importlib.import_module(f"services.{request.param}.bootstrap").bootstrap(settings)


@pytest.mark.parametrize("body", sorted(HOSTILE_BODIES))
def test_no_post_endpoint_answers_a_hostile_body_with_a_server_error(service, body):
    # Every staff role at once (agency roles would narrow what is visible), so no route stops at 403.
    staff = [r for r in ROLES if r not in AGENCY_ROLES and r != "family_member"]
    headers = bearer(make_token(make_user(*staff, board=make_board())))
    client = service.app.test_client()
    answers = {}
    for path in post_routes(service.app):
        resp = client.post(path, data=HOSTILE_BODIES[body], content_type="application/json", headers=headers)
        answers[path] = resp.status_code
        assert resp.status_code not in (401, 403), f"{path} did not get as far as reading the body"
        if resp.status_code < 500:
            assert resp.is_json, f"{path} answered {resp.status_code} without the error contract"
    assert answers, "the service has POST endpoints"
    assert {p: s for p, s in answers.items() if s >= 500} == {}


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31"])
def test_a_referral_dated_in_year_one_or_9999_is_refused_naming_every_date(on):
    """Such dates used to be accepted, and the case's documents then failed to be made."""
    from services.referral.bootstrap import bootstrap
    from shared.config import load_settings

    app = bootstrap(load_settings(APP_ENV="test", BUS_NAMESPACE="hostile-dates")).app
    headers = bearer(make_token(make_user("business_unit", board=make_board(agencies=("police", "health")))))
    body = make_referral(
        incident_on=on,
        became_aware_on=on,
        board_notified_on=on,
        child={"name": "Jane Doe", "date_of_birth": on},
    )
    resp = app.test_client().post("/api/v1/referrals", json=body, headers=headers)
    assert resp.status_code == 422, resp.get_json()
    assert {e["field"] for e in resp.get_json()["errors"]} == {
        "incident_on",
        "became_aware_on",
        "board_notified_on",
        "child.date_of_birth",
    }
