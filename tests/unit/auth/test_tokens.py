"""API bearer tokens: the only credential besides a session that the services accept."""

from datetime import UTC, datetime, timedelta

import time_machine
from joserfc import jwt
from joserfc.jwk import OctKey

from shared import store
from shared.audit import AuditEntry
from tests.factories import bearer, make_token, make_user


def test_missing_malformed_and_unknown_tokens_get_401_json(app):
    client = app.test_client()
    for headers in (
        {},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
        bearer("lscb_not-a-real-token"),
    ):
        resp = client.get("/api/v1/tokens", headers=headers)
        assert resp.status_code == 401, headers
        body = resp.get_json()
        assert body["status"] == 401 and body["errors"][0]["field"] == "Authorization"
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_is_random_stored_hashed_and_works(app, board):
    user = make_user("business_unit", board=board)
    client = app.test_client()
    created = client.post("/api/v1/tokens", json={"name": "script"}, headers=bearer(make_token(user)))
    assert created.status_code == 201
    secret = created.get_json()["token"]
    assert len(secret) >= 43  # 256 random bits, base64url
    raw = list(store.database()["api_tokens"].find())
    assert secret not in str(raw)
    assert client.get("/api/v1/tokens", headers=bearer(secret)).status_code == 200


def test_an_expired_token_is_refused(app, board):
    user = make_user("business_unit", board=board)
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False) as t:
        secret = make_token(user, days=1)
        assert app.test_client().get("/api/v1/tokens", headers=bearer(secret)).status_code == 200
        t.shift(timedelta(days=1, seconds=1))
        assert app.test_client().get("/api/v1/tokens", headers=bearer(secret)).status_code == 401


def test_a_revoked_token_is_refused_at_once(app, board):
    user = make_user("business_unit", board=board)
    client = app.test_client()
    keep = make_token(user)
    created = client.post("/api/v1/tokens", json={"name": "laptop"}, headers=bearer(keep)).get_json()
    revoked = client.delete(f"/api/v1/tokens/{created['id']}", headers=bearer(keep))
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert client.get("/api/v1/tokens", headers=bearer(created["token"])).status_code == 401
    assert AuditEntry.objects(action="token.revoked", resource_id=created["id"]).count() == 1


def test_a_user_cannot_revoke_another_users_token(app, board):
    alice, bob = make_user("business_unit", board=board), make_user("admin", board=board)
    bobs = (
        app.test_client()
        .post("/api/v1/tokens", json={"name": "b"}, headers=bearer(make_token(bob)))
        .get_json()
    )
    resp = app.test_client().delete(f"/api/v1/tokens/{bobs['id']}", headers=bearer(make_token(alice)))
    assert resp.status_code == 404


def test_token_request_errors_name_every_field(app, board):
    user = make_user("business_unit", board=board)
    resp = app.test_client().post(
        "/api/v1/tokens", json={"days": 0, "colour": "red"}, headers=bearer(make_token(user))
    )
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} == {"name", "days", "colour"}


def test_a_token_is_bound_to_its_board(app, board):
    from tests.factories import make_board

    other = make_board()
    user = make_user("admin", board=other)
    secret = make_token(user)
    listed = app.test_client().get("/api/v1/tokens", headers=bearer(secret)).get_json()["items"]
    assert {t["board_id"] for t in listed} == {other.board_id}


# -- what is not a token of the product ------------------------------------------------


def _bus_check(service, headers):
    return service.app.test_client().post("/ops/bus-checks", headers=headers)


def test_a_signed_identity_from_elsewhere_is_not_trusted(other_service):
    # Services do not call each other: no bearer but the product's own API tokens is accepted,
    # however it is signed.
    signed = jwt.encode({"alg": "HS256"}, {"sub": "u1", "roles": ["admin"]}, OctKey.import_key("k" * 40))
    assert _bus_check(other_service, bearer(signed)).status_code == 401


def test_an_unsigned_identity_header_is_not_trusted(other_service):
    resp = _bus_check(other_service, {"X-User-Id": "u1", "X-Roles": "admin"})
    assert resp.status_code == 401
