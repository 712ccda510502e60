"""Security headers, encryption at rest and the append-only audit log."""

import pytest
from mongoengine import Document, StringField

from shared import crypto
from shared.audit import AppendOnly, AuditEntry, record
from shared.config import DEV_FIELD_KEY
from tests.factories import bearer, make_token, make_user


@pytest.mark.parametrize("path", ["/sign-in", "/healthz", "/api/v1/tokens"])
def test_security_headers_on_every_response(app, path):
    resp = app.test_client().get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert resp.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in resp.headers  # only over TLS


def test_pages_have_no_inline_script(app):
    html = app.test_client().get("/sign-in").get_data(as_text=True)
    assert "<script>" not in html and "<script " in html
    assert 'src="/static/lscb/js/app.js"' in html


def test_design_system_assets_are_served_and_cacheable(app):
    client = app.test_client()
    css = client.get("/static/govuk/govuk-frontend.min.css")
    assert css.status_code == 200 and b"govuk" in css.data
    assert css.headers.get("Cache-Control") != "no-store"
    assert client.get("/assets/images/favicon.ico").status_code == 200
    assert client.get("/static/govuk/../../package.json").status_code == 404


class ChildRecord(Document):
    meta = {"collection": "test_children"}
    reference = StringField()
    name = crypto.EncryptedStringField()
    nhs_number = crypto.EncryptedStringField()


@pytest.fixture
def keys():
    yield
    crypto.configure(DEV_FIELD_KEY)


def test_identifying_fields_are_encrypted_at_rest(keys):
    ChildRecord(reference="DEMO-1", name="Jane Doe", nhs_number="943 476 5919").save()
    raw = ChildRecord._get_collection().find_one({"reference": "DEMO-1"})
    assert "Jane" not in str(raw) and "943 476" not in str(raw)
    assert raw["name"].startswith("enc:v1:")
    assert ChildRecord.objects(reference="DEMO-1").first().name == "Jane Doe"


def test_audit_entries_cannot_be_changed_or_removed():
    entry = record("case.read", resource=("case", "c1"))
    entry.action = "case.nothing"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects(entry_id=entry.entry_id).update(set__action="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.delete()
    assert AuditEntry.objects(entry_id=entry.entry_id).first().action == "case.read"


def test_admins_filter_and_export_the_audit_log(app, board):
    admin = make_user("admin", board=board)
    token = bearer(make_token(admin))
    record(
        "case.read",
        resource=("case", "c-1"),
        board_id=board.board_id,
        actor_id="u-9",
        detail="=HYPERLINK(evil)",
    )
    record("case.read", resource=("case", "c-2"), board_id="another-board", actor_id="u-9")
    client = app.test_client()
    listed = client.get("/api/v1/audit?action=case.read", headers=token).get_json()["items"]
    assert [e["resource_id"] for e in listed] == ["c-1"]  # not the other board's
    csv = client.get("/admin/audit.csv?resource=c-1", headers=token)
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 2 and "c-1" in lines[1]
    assert "'=HYPERLINK(evil)" in lines[1]  # no formula injection into spreadsheets
    assert AuditEntry.objects(action="audit.export", board_id=board.board_id).count() == 1
    page = client.get("/admin/audit", headers=token)
    assert page.status_code == 200 and "c-1" in page.get_data(as_text=True)


def test_non_admins_are_refused_the_audit_log_and_the_denial_is_logged(app, board):
    chair = make_user("chair", board=board)
    resp = app.test_client().get("/api/v1/audit", headers=bearer(make_token(chair)))
    assert resp.status_code == 403
    denial = AuditEntry.objects(action="access.denied", actor_id=chair.user_id).first()
    assert denial.resource_id == "/api/v1/audit" and "admin" in denial.detail
