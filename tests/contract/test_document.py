"""The OpenAPI document: what a view declares with @documented, and what is worked out for it."""

from __future__ import annotations

import re

import pytest
import schemathesis
from flask import Flask, jsonify
from marshmallow import Schema, fields, validate

from shared.audit import audited
from shared.auth.access import members
from shared.openapi import Raw, build_document, documented, undocumented_routes
from tests.factories import bearer


class Thing(Schema):
    id = fields.String(required=True)
    size = fields.Integer(required=True, allow_none=True)


class NewThing(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=10))


class ThingQuery(Schema):
    colour = fields.String(validate=validate.OneOf(["red", "blue"]))
    limit = fields.Integer(load_default=10)


def _add_routes(app: Flask) -> None:
    @app.post("/api/v1/boxes/<int:box>/things")
    @members("business_unit", "admin")
    @documented(
        summary="Put a thing in a box", body=NewThing, query=ThingQuery, responses={201: Thing, 404: None}
    )
    def put_thing(box: int):
        return jsonify({"id": "t1", "size": None}), 201

    @app.route("/api/v1/things/<thing_id>", methods=["GET", "DELETE"])
    @members()
    @documented(method="GET", summary="Read a thing", responses={200: Thing, 404: None})
    @documented(method="DELETE", summary="Throw a thing away", responses={204: None, 404: None})
    def thing(thing_id: str):
        return jsonify({"id": thing_id, "size": 1})

    @app.get("/api/v1/things/<thing_id>/picture")
    @members()
    @documented(summary="A picture of a thing", responses={200: Raw("image/png", "image/jpeg")})
    @audited("thing.read", "thing", "thing_id")
    def picture(thing_id: str):
        return b"", 200, {"Content-Type": "image/png"}


@pytest.fixture
def doc(app):
    _add_routes(app)
    return build_document(app)


def _resolve(doc, ref):
    return doc["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def test_a_documented_route_appears_with_its_request_and_response_schemas(doc):
    op = doc["paths"]["/api/v1/boxes/{box}/things"]["post"]
    assert doc["openapi"] == "3.1.0"
    assert op["summary"] == "Put a thing in a box"
    body = _resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])
    assert body["properties"]["name"] == {"type": "string", "minLength": 1, "maxLength": 10}
    assert body["required"] == ["name"] and body["additionalProperties"] is False
    created = _resolve(doc, op["responses"]["201"]["content"]["application/json"]["schema"])
    assert created["properties"]["size"]["type"] == ["integer", "null"]  # 3.1 nullable
    params = {p["name"]: p for p in op["parameters"]}
    assert params["box"] == {
        "name": "box",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
    assert params["colour"]["in"] == "query" and params["colour"]["schema"]["enum"] == ["red", "blue"]
    assert params["limit"]["required"] is False


def test_access_security_and_the_error_contract_are_worked_out(doc):
    op = doc["paths"]["/api/v1/boxes/{box}/things"]["post"]
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearer"]["description"],
    }
    assert op["security"] == [{"bearer": []}]
    assert "business_unit" in op["description"] and "admin" in op["description"]
    # 404 declared; 401 and 403 from the access rule; 422 because a body and a query are validated;
    # 409 and 422 also because a POST takes an Idempotency-Key
    assert sorted(op["responses"]) == ["201", "401", "403", "404", "409", "422"]
    assert {"in": "header", "name": "Idempotency-Key"}.items() <= op["parameters"][-1].items()
    for status in ("401", "403", "404", "409", "422"):
        assert op["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    error = doc["components"]["schemas"]["Error"]
    assert sorted(error["required"]) == ["errors", "status"]
    field_error = _resolve(doc, error["properties"]["errors"]["items"])
    assert field_error["properties"]["field"]["type"] == ["string", "null"]


def test_each_method_of_a_route_has_its_own_contract(doc):
    item = doc["paths"]["/api/v1/things/{thing_id}"]
    assert item["get"]["summary"] == "Read a thing" and "200" in item["get"]["responses"]
    assert item["delete"]["summary"] == "Throw a thing away"
    assert "content" not in item["delete"]["responses"]["204"]
    assert item["get"]["operationId"] != item["delete"]["operationId"]
    pattern = item["get"]["parameters"][0]["schema"]["pattern"]
    assert re.fullmatch(pattern, "abc") and not re.fullmatch(pattern, "a/b") and not re.fullmatch(pattern, "")


def test_a_body_that_is_not_json_and_a_decorator_under_audited(doc):
    answer = doc["paths"]["/api/v1/things/{thing_id}/picture"]["get"]["responses"]["200"]
    assert answer["content"] == {"image/png": {}, "image/jpeg": {}}


def test_the_document_loads_as_openapi_in_schemathesis(doc):
    schema = schemathesis.openapi.from_dict(doc)
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert "POST /api/v1/boxes/{box}/things" in labels and "DELETE /api/v1/things/{thing_id}" in labels


def test_an_undocumented_api_route_is_reported_and_left_out_of_the_document(app):
    @app.get("/api/v1/forgotten/<item>")
    @members()
    def forgotten(item: str):
        return jsonify({})

    @app.get("/not-the-api")
    @members()
    def page():
        return "page"

    assert undocumented_routes(app) == ["GET /api/v1/forgotten/<item>"]
    doc = build_document(app)
    assert "/api/v1/forgotten/{item}" not in doc["paths"]
    assert doc["x-undocumented"] == ["GET /api/v1/forgotten/<item>"]


def test_a_contract_needs_a_success_answer():
    with pytest.raises(ValueError, match="2xx"):
        documented(summary="only errors", responses={404: None})


def test_the_document_and_its_page_are_for_members_only(app, admin_token):
    _add_routes(app)
    client = app.test_client()
    for path in ("/api/v1/openapi.json", "/api/v1/docs"):
        assert client.get(path).status_code == 401

    resp = client.get("/api/v1/openapi.json", headers=bearer(admin_token))
    assert resp.status_code == 200 and resp.is_json
    assert "/api/v1/boxes/{box}/things" in resp.get_json()["paths"]

    page = client.get("/api/v1/docs", headers=bearer(admin_token))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Put a thing in a box" in html and 'id="schema-Thing"' in html
    assert 'href="#schema-NewThing"' in html  # the request body links to its schema
    assert "/api/v1/openapi.json" in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []  # no inline script (the CSP forbids it)
    resources = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"', html)
    assert resources and not [r for r in resources if "//" in r]  # no CDN: every asset from this site
