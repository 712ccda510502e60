"""schemathesis over the routes every service shares: 0 server errors, every answer as declared."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, jsonify, request
from marshmallow import Schema, fields

from shared.auth import tokens
from shared.auth.access import members
from shared.auth.models import ApiToken
from shared.openapi import documented, undocumented_routes
from tests.contract.harness import assert_contract, run_contract
from tests.factories import bearer, make_token, make_user


def test_the_shared_api_is_all_documented(app):
    assert undocumented_routes(app) == []


def test_the_shared_api_keeps_its_contract_for_an_admin(app, board, admin_token):
    spare = make_token(make_user("panel_member", board=board))  # one to revoke, not the one in use
    spare_id = ApiToken.objects(token_hash=tokens.token_hash(spare)).first().token_id

    report = assert_contract(app, admin_token, path_parameters={"token_id": spare_id})

    assert (
        ApiToken.objects(token_id=spare_id).first().revoked_at is not None
    )  # the success answer was checked
    assert set(report.operations) == {
        "GET /api/v1/audit",
        "GET /api/v1/tokens",
        "POST /api/v1/tokens",
        "DELETE /api/v1/tokens/{token_id}",
    }


def test_the_shared_api_keeps_its_contract_for_a_member_without_admin(app, member_token):
    assert_contract(app, member_token, max_examples=10)


class _Query(Schema):
    limit = fields.Integer()


class _Count(Schema):
    n = fields.Integer(required=True)


def test_the_harness_reports_server_errors_and_answers_that_break_the_contract(app: Flask, admin_token):
    # It fails on a query it does not check ("limit=S"), and on every request that sends one: which
    # values schemathesis tries depends on more than this test, so any `limit` brings the fault.
    @app.get("/api/v1/crashes")
    @members()
    @documented(summary="Reads its query without validating it", query=_Query, responses={200: _Count})
    def crashes():
        if "limit" in request.args:
            raise ValueError(f"limit={request.args['limit']} was read without being checked")
        return jsonify({"n": 5})

    @app.get("/api/v1/lies")
    @members()
    @documented(summary="Answers a shape it did not declare", responses={200: _Count})
    def lies():
        return jsonify({"n": "five"})

    report = run_contract(app, admin_token)

    failures = "\n".join(report.failures)
    assert "GET /api/v1/crashes" in failures and "Server error" in failures
    assert "GET /api/v1/lies" in failures and "Response violates schema" in failures
    assert not any("/api/v1/tokens" in f or "/api/v1/audit" in f for f in report.failures)


def test_the_audit_api_refuses_what_it_used_to_crash_on(app, admin_token):
    """Found by the contract run: a limit that is not a number, an instant off the calendar in UTC."""
    from tests.factories import bearer

    client = app.test_client()
    edges = ("since=9999-12-31T23:59:00-23:00", "until=0001-01-01T00:00:00+05:00")
    for query in ("limit=ten", "limit=0", *edges):
        resp = client.get(f"/api/v1/audit?{query}", headers=bearer(admin_token))
        assert resp.status_code == 422, (query, resp.get_json())
        assert resp.get_json()["errors"][0]["field"] in ("limit", "since", "until")


def test_audit_entries_carry_their_offset(app, admin_token):
    client = app.test_client()
    client.post("/api/v1/tokens", json={"name": "laptop"}, headers=bearer(admin_token))
    items = client.get("/api/v1/audit", headers=bearer(admin_token)).get_json()["items"]
    assert items and all(datetime.fromisoformat(item["at"]).utcoffset() is not None for item in items)
