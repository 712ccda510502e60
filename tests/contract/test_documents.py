"""schemathesis over the documents service's API: 0 server errors, every answer as declared.

The service knows a case only from the referral service's events, so the case is
told to it as the bus would (referral, screening, decision, reviewer appointed);
the documents those events make, and a family share of one, give the paths real ids.
A case's id travels in a body or a query, where the harness cannot fix it, so the
last two tests aim requests at the known case themselves, with the same checks.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given

from services.documents.adapters.store import StoredDocument
from services.documents.bootstrap import bootstrap
from services.documents.domain.kinds import KINDS
from services.documents.entrypoints import consumer
from shared import openapi
from shared.auth.models import Board
from shared.config import Settings
from tests.contract.harness import CHECKS, assert_contract, load_contract
from tests.factories import bearer, make_user
from tests.unit.documents.events import new_case_id, story

MAX_EXAMPLES = 50  # per operation and pass of the harness
AIMED_EXAMPLES = 100  # generated bodies for the known case: each one may render a document


def _fake_pdf(docx: bytes) -> bytes:
    """LibreOffice is exercised by tests/unit/documents; here only the answer's shape matters."""
    return b"%PDF-1.7\n%converted\n"


class Documents:
    """The documents service told of one case by events, and a family share of one of its documents."""

    def __init__(self, settings: Settings, board: Board, admin_token: str) -> None:
        self.service = bootstrap(settings, to_pdf=_fake_pdf)
        self.app = self.service.app
        (queue,) = consumer.subscriptions(self.app.extensions["lscb_documents"].as_dict())
        self.case_id = new_case_id()
        for event in story(self.case_id, board.board_id):
            queue.handler(event)
        document = StoredDocument.objects(case_id=self.case_id, kind="decision_notification").first()
        self.document_id: str = document.document_id
        self.family_member = make_user("family_viewer", board=board).user_id
        made = self.app.test_client().post(
            f"/api/v1/documents/{self.document_id}/shares",
            json={"user_id": self.family_member},
            headers=bearer(admin_token),
        )
        assert made.status_code == 201, made.get_json()
        self.share_id: str = made.get_json()["id"]


@pytest.fixture
def documents(settings, board, admin_token) -> Documents:
    return Documents(settings, board, admin_token)


def test_every_documents_api_route_has_a_contract(documents):
    assert openapi.undocumented_routes(documents.app) == []


def test_the_documents_api_keeps_its_contract(documents, admin_token):
    report = assert_contract(
        documents.app,
        admin_token,
        max_examples=MAX_EXAMPLES,
        path_parameters={"document_id": documents.document_id, "share_id": documents.share_id},
    )
    assert set(report.operations) == {
        "GET /api/v1/documents",
        "POST /api/v1/documents",
        "GET /api/v1/documents/{document_id}/content",
        "POST /api/v1/documents/{document_id}/shares",
        "DELETE /api/v1/documents/shares/{share_id}",
    }


def _call(schema: schemathesis.BaseSchema, token: str, method: str, path: str, **parts: Any) -> Any:
    """One request made by hand, checked as the harness checks the ones it generates."""
    return schema[path][method].Case(headers=bearer(token), **parts).call_and_validate(checks=list(CHECKS))


def test_answers_about_the_known_case_keep_the_contract(documents, admin_token):
    schema = load_contract(documents.app, admin_token)
    case_id = documents.case_id

    listed = _call(schema, admin_token, "GET", "/api/v1/documents", query={"case_id": case_id})
    assert len(listed.json()["items"]) >= 6  # what the events made

    statuses = {
        kind: _call(
            schema, admin_token, "POST", "/api/v1/documents", body={"case_id": case_id, "kind": kind}
        ).status_code
        for kind in KINDS
    }
    assert set(statuses.values()) == {202, 409}, statuses  # made, or refused naming what is missing
    letter = {"name": "Case group contact", "agency": "Police"}
    for body in (
        {"case_id": case_id, "kind": "case_group_letter", "recipient": letter},
        {"case_id": case_id, "kind": "referral_summary", "publication": True, "glossary": {"Jane": "A"}},
    ):
        assert _call(schema, admin_token, "POST", "/api/v1/documents", body=body).status_code == 202

    document = {"document_id": documents.document_id}
    for fmt in ("docx", "pdf"):
        path = "/api/v1/documents/{document_id}/content"
        got = _call(schema, admin_token, "GET", path, path_parameters=document, query={"format": fmt})
        assert got.status_code == 200
    share = {"user_id": documents.family_member}
    path = "/api/v1/documents/{document_id}/shares"
    assert _call(schema, admin_token, "POST", path, path_parameters=document, body=share).status_code == 201


def test_documents_generated_for_the_known_case_keep_the_contract(documents, admin_token):
    """Generated bodies aimed at the known case: every kind, recipients and glossaries of any text."""
    operation = load_contract(documents.app, admin_token)["/api/v1/documents"]["POST"]
    made = []

    def aimed(case: schemathesis.Case) -> schemathesis.Case:
        if isinstance(case.body, dict):
            case.body["case_id"] = documents.case_id
        return case

    @hypothesis.settings(
        max_examples=AIMED_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy().map(aimed))
    def exercise(case: schemathesis.Case) -> None:
        answer = case.call_and_validate(headers=bearer(admin_token), checks=list(CHECKS))
        made.append(answer.status_code == 202)

    exercise()
    assert any(made)  # some were rendered and stored, not only refused
