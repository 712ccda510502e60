"""Run a Flask app's OpenAPI contract with schemathesis, in process, through the app's own WSGI callable.

For each documented operation, Hypothesis generates a bounded number of requests,
valid ones and (where the operation takes input) invalid ones, sends them with
the caller's Bearer token, and checks every answer: no 5xx, a status the contract
declares, the declared content type, and a body that matches the declared schema.

    report = assert_contract(service.app, token)   # fails listing every failure found

Random identifiers in a path mostly find nothing, so the success answers of
``/things/{thing_id}`` are only checked when a caller names a record that
exists: ``assert_contract(app, token, path_parameters={"thing_id": thing.id})``
adds a pass of valid requests with that identifier fixed.

The document is read from the app's own ``/api/v1/openapi.json``: what is
checked is what clients are told.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    CheckFunction,
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from shared.openapi.contract import BEARER

DOCUMENT = "/api/v1/openapi.json"
CHECKS: tuple[CheckFunction, ...] = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
MAX_EXAMPLES = 25  # per operation and pass: the shared routes take about a second, a service tens


@dataclass
class ContractReport:
    operations: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.operations)} operations, {self.requests} requests in {self.seconds:.1f}s, "
            f"{len(self.failures)} failing"
        )


def load_contract(app: Flask, token: str) -> schemathesis.BaseSchema:
    config = SchemathesisConfig.from_dict({"auth": {"openapi": {BEARER: {"bearer": token}}}})
    return schemathesis.openapi.from_wsgi(DOCUMENT, app, config=config, headers=_auth(token))


def run_contract(
    app: Flask,
    token: str,
    *,
    max_examples: int = MAX_EXAMPLES,
    modes: Sequence[GenerationMode] = MODES,
    checks: Iterable[CheckFunction] = CHECKS,
    path_parameters: Mapping[str, str] | None = None,
    derandomize: bool = True,
) -> ContractReport:
    """Exercise every documented operation; collect every failure instead of stopping at the first.

    ``max_examples`` bounds the requests per operation and pass (Hypothesis sends fewer when the
    inputs are few). ``derandomize`` makes a run repeatable, so a red build stays red until fixed.
    """
    schema = load_contract(app, token)
    checks = list(checks)
    report = ContractReport()
    started = time.perf_counter()
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            report.failures.append(f"the document itself: {result.err()}")
            continue
        operation = result.ok()
        report.operations.append(operation.label)
        fixed = {k: v for k, v in (path_parameters or {}).items() if k in _path_names(operation.path)}
        passes: list[tuple[GenerationMode, dict[str, str] | None]] = [
            (mode, None)
            for mode in modes
            if mode is not GenerationMode.NEGATIVE or _takes_input(operation)  # else nothing to spoil
        ]
        if fixed:
            passes.append((GenerationMode.POSITIVE, fixed))
        for mode, known in passes:

            @settings(
                max_examples=max_examples,
                deadline=None,
                database=None,
                derandomize=derandomize,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            )
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=known))
            def exercise(case: schemathesis.Case) -> None:
                report.requests += 1
                case.call_and_validate(checks=checks)

            try:
                exercise()
            except (Exception, BaseExceptionGroup) as exc:  # every failure is reported, with its reproduction
                where = f", with {', '.join(f'{k}={v}' for k, v in known.items())}" if known else ""
                report.failures.append(f"{operation.label} ({mode.value} data{where}):\n{exc}")
    report.seconds = time.perf_counter() - started
    return report


def assert_contract(app: Flask, token: str, **options: Any) -> ContractReport:
    """:func:`run_contract`, failing the test with every failure found."""
    report = run_contract(app, token, **options)
    assert report.operations, f"{DOCUMENT} documents no operation"
    assert not report.failures, report.summary() + "\n\n" + "\n\n".join(report.failures)
    return report


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _path_names(path: str) -> set[str]:
    return set(re.findall(r"{([^}]+)}", path))


def _takes_input(operation: schemathesis.APIOperation) -> bool:
    return any(True for _ in operation.iter_parameters()) or bool(operation.body)
