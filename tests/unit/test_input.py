"""Hostile JSON is refused with the product's error contract, never a 500."""

from __future__ import annotations

import json

import pytest
from flask import request

from shared.input import MAX_BODY_BYTES, MAX_DEPTH
from shared.web import create_service_app, register_error_handlers


@pytest.fixture
def client(settings):
    app = create_service_app("probe", settings)

    @app.post("/api/v1/echo")
    def echo():
        return {"got": request.get_json()}

    @app.post("/api/v1/echo-quietly")
    def echo_quietly():
        return {"got": request.get_json(silent=True) or {}}

    register_error_handlers(app)
    return app.test_client()


def post(client, body: str, url: str = "/api/v1/echo"):
    return client.post(url, data=body.encode("utf-8", "surrogatepass"), content_type="application/json")


@pytest.mark.parametrize("url", ["/api/v1/echo", "/api/v1/echo-quietly"])
def test_json_nested_thousands_deep_is_refused_not_a_server_error(client, url):
    resp = post(client, "[" * 5000 + "]" * 5000, url)
    assert resp.status_code == 400
    assert "nested" in resp.get_json()["errors"][0]["message"]


def test_json_just_past_the_depth_limit_is_refused_and_at_it_accepted(client):
    assert post(client, "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)).status_code == 400
    assert post(client, "[" * MAX_DEPTH + "]" * MAX_DEPTH).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/echo", "/api/v1/echo-quietly"])
def test_a_lone_surrogate_is_refused_naming_every_field_that_holds_one(client, url):
    body = '{"summary": "a \\ud800 b", "referrer": {"name": "x\\udfff"}, "ok": "fine"}'
    resp = post(client, body, url)
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} == {"summary", "referrer.name"}


def test_control_characters_are_refused_but_line_breaks_and_tabs_are_text(client):
    resp = post(client, json.dumps({"summary": "bell \u0007", "notes": "line one\nline two\ttab"}))
    assert resp.status_code == 422
    assert [e["field"] for e in resp.get_json()["errors"]] == ["summary"]


def test_text_is_normalised_so_the_same_words_are_stored_the_same_way(client):
    decomposed = "Zoe\u0308"  # e + combining diaeresis
    resp = post(client, json.dumps({"name": decomposed}))
    assert resp.get_json()["got"]["name"] == "Zo\u00eb"


def test_a_body_over_the_limit_is_refused_with_413(client):
    resp = post(client, json.dumps({"summary": "x" * (MAX_BODY_BYTES + 1)}))
    assert resp.status_code == 413
    assert resp.get_json()["status"] == 413
