"""Each service's contract: every /api/v1 route documented, and schemathesis finding nothing against it.

A service joins once its views carry ``@documented``: add its name to ANNOTATED.
"""

from __future__ import annotations

import importlib

import pytest

from shared import openapi
from tests.contract.harness import assert_contract
from tests.factories import make_token, make_user

ANNOTATED: tuple[str, ...] = ()  # e.g. ("referral", "scheduler", "documents", "notifications")


@pytest.fixture
def service(request, settings):
    bootstrap = importlib.import_module(f"services.{request.param}.bootstrap").bootstrap
    service = bootstrap(settings)
    openapi.init_app(service.app)  # a no-op once build_service does it
    return service


@pytest.mark.parametrize("service", ANNOTATED, indirect=True)
def test_every_api_route_has_a_contract(service):
    assert openapi.undocumented_routes(service.app) == []


@pytest.mark.parametrize("service", ANNOTATED, indirect=True)
def test_the_service_keeps_its_contract(service, board):
    token = make_token(make_user("admin", board=board))
    assert_contract(service.app, token)
