"""Every /api/v1 route of every service has a contract.

Each service's contract is exercised with schemathesis, against records that
exist, in its own file (``test_<service>.py``); this file makes sure no route
escapes the document.
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest

from services import NAMES
from shared import openapi


@pytest.mark.parametrize("name", NAMES)
def test_every_api_route_has_a_contract(name, settings):
    service = importlib.import_module(f"services.{name}.bootstrap").bootstrap(settings)
    assert openapi.undocumented_routes(service.app) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_service_has_its_contract_run(name):
    assert importlib.util.find_spec(f"tests.contract.test_{name}") is not None
