"""Every event the product waits for is published by someone, and nobody publishes what is not declared.

The listeners are read from each service's consumer entrypoint; who publishes
what is read from the code itself: a service publishes an event type when its
package builds a payload of that type.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from services import NAMES
from shared import buscheck
from shared.events import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
EVENT_CLASSES = {spec.type.__name__: spec for spec in CATALOGUE}


def listeners(service: str):
    return importlib.import_module(f"services.{service}.entrypoints.consumer").listeners


NOT_PUBLISHING = {"handles", "type_name", "isinstance", "spec_for"}


def constructed(package: Path) -> set[str]:
    """Names of catalogue types whose constructor the package calls."""
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in EVENT_CLASSES
            ):
                found.add(node.func.id)
    return found


def built_payloads(package: Path) -> set[str]:
    """Names of catalogue types the package may use to build events.

    A use is any mention of the class outside imports, type annotations and the
    calls that only name a type (``@listeners.handles(...)``, ``type_name(...)``).
    """
    found = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in NOT_PUBLISHING:
                    skip.update(id(n) for arg in node.args for n in ast.walk(arg))
            annotations = []
            if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
                annotations.append(node.annotation)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
                annotations.append(node.returns)
            for annotation in annotations:
                skip.update(id(n) for n in ast.walk(annotation))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in EVENT_CLASSES and id(node) not in skip:
                found.add(node.id)
    return found


def published_by() -> dict[str, set[str]]:
    """Event type -> the services whose code may build it."""
    out: dict[str, set[str]] = {}
    for service in NAMES:
        for name in built_payloads(ROOT / "services" / service):
            out.setdefault(EVENT_CLASSES[name].event_type, set()).add(service)
    return out


@pytest.mark.parametrize("service", NAMES)
def test_every_event_a_service_waits_for_is_published_by_another_service(service):
    publishers = published_by()
    for event_type in sorted(listeners(service).event_types()):
        assert publishers.get(event_type), f"{service} waits for {event_type}, which no service publishes"


@pytest.mark.parametrize("service", NAMES)
def test_a_service_builds_only_the_events_the_catalogue_says_it_produces(service):
    for name in constructed(ROOT / "services" / service):
        spec = EVENT_CLASSES[name]
        assert "*" in spec.producers or service in spec.producers, f"{service} builds {spec.event_type}"


def test_every_declared_producer_publishes_its_events():
    publishers = published_by()
    for spec in CATALOGUE:
        if "*" in spec.producers:
            continue
        for service in spec.producers:
            assert service in publishers.get(spec.event_type, set()), (
                f"{service} never builds {spec.event_type}"
            )


def test_event_names_are_not_repeated_as_literals_in_the_services():
    literals = []
    for service in NAMES:
        for path in (ROOT / "services" / service).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Constant) and node.value in CATALOGUE.event_types():
                    literals.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert literals == []


def test_the_bus_check_is_answered_by_every_service():
    for service in NAMES:
        assert {"bus.check_requested", "bus.check_answered"} == buscheck.listeners(service).event_types()
