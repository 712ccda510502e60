"""Alerts, dashboard and the gauges behind them (deploy/observability/).

- every alert rule and dashboard query parses as PromQL (promql-parser) and names
  only metrics the product exports (its Prometheus registry), or the one metric
  taken from outside, the blackbox exporter's certificate expiry;
- the gauges the alerts read are set where the product knows the figure: the
  outbox relay (oldest waiting event, dead letters) and the scheduler's reminder
  pass (overdue deadlines).
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml
from mongoengine import StringField
from prometheus_client import REGISTRY

import services.notifications.adapters.metrics  # noqa: F401 - registers its gauge
import shared.bus.consumer  # noqa: F401 - registers its metrics
from shared.bus import BusRuntime, OutboxRelay, PermanentError, Subscription
from shared.bus.outbox import OutboxDocument
from shared.config import load_settings
from shared.events import Event, parse_envelope
from shared.events.ops import BusCheckRequested

OBSERVABILITY = Path(__file__).resolve().parents[2] / "deploy" / "observability"
# Metrics read from outside the product, and where they come from.
EXTERNAL = {"probe_ssl_earliest_cert_expiry": "the blackbox exporter probing the public address"}
ALERTS = {
    "LscbDeadLetters",
    "LscbOutboxStuck",
    "LscbNotificationsNeedAttention",
    "LscbStatutoryDeadlineOverdue",
    "LscbConsumerAbsent",
    "LscbCertificateExpiresSoon",
}


def exported() -> set[str]:
    return set(REGISTRY._names_to_collectors)  # every sample name, suffixes (_total, _bucket) included


def metric_names(expr: str) -> set[str]:
    names: set[str] = set()

    def visit(node: Any) -> bool:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.add(node.name)
        return True

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load((OBSERVABILITY / "alerts.yaml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_queries() -> list[str]:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    return [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]


def test_every_alert_the_runbook_describes_is_there_with_a_runbook_link() -> None:
    rules = alert_rules()
    assert {r["alert"] for r in rules} == ALERTS
    runbook = (OBSERVABILITY.parent / "RUNBOOK.md").read_text()
    for rule in rules:
        anchor = rule["annotations"]["runbook_url"].split("#", 1)[1]
        headings = {
            "#" + "-".join("".join(c for c in line.lower() if c.isalnum() or c in " -").split())
            for line in runbook.splitlines()
            if line.startswith("#")
        }
        assert f"#{anchor}" in headings, anchor
        assert rule["labels"]["severity"] in ("warning", "critical")


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda r: r["alert"])
def test_each_alert_names_only_metrics_the_product_exports(rule: dict[str, Any]) -> None:
    names = metric_names(rule["expr"])
    assert names, "an alert on no metric"
    assert names - exported() - set(EXTERNAL) == set()


@pytest.mark.parametrize("expr", dashboard_queries())
def test_each_dashboard_query_names_only_metrics_the_product_exports(expr: str) -> None:
    names = metric_names(expr)
    assert names and names - exported() - set(EXTERNAL) == set()


def test_the_checks_above_catch_a_misspelt_metric() -> None:
    with pytest.raises(ValueError):
        promql_parser.parse("max by (queue) (lscb_dead_letter_messages > 0")
    assert metric_names("max(lscb_dead_leter_messages) > 0") - exported() == {"lscb_dead_leter_messages"}


def test_the_workers_autoscaler_metric_is_the_one_prometheus_adapter_serves() -> None:
    adapter = yaml.safe_load((OBSERVABILITY / "prometheus-adapter.yaml").read_text())
    (rule,) = adapter["external"]
    assert rule["name"]["as"] == "lscb_queue_messages_ready"
    promql_parser.parse(rule["metricsQuery"])
    hpa = (OBSERVABILITY.parent / "k8s" / "base" / "services.yaml").read_text()
    assert "name: lscb_queue_messages_ready" in hpa


# -- the gauges ----------------------------------------------------------------------


def value(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


class Parcel(OutboxDocument):
    meta = {"collection": "test_observability_parcels"}
    name = StringField(required=True)


class CountingPublisher:
    """Publishes nothing; reports how many dead letters each queue holds."""

    def __init__(self, dead: dict[str, int]):
        self.dead = dead

    def publish(self, envelope: dict[str, Any], validate: bool = True) -> None:
        parse_envelope(envelope)

    def unroutable_count(self) -> int:
        return 0

    def dead_letter_count(self, queue: str) -> int:
        return self.dead[queue]


def test_the_relay_reports_the_age_of_the_oldest_waiting_event_and_the_dead_letters() -> None:
    parcel = Parcel(name="p1")
    parcel.raise_event(BusCheckRequested(check_id="c1", requested_by="referral"), producer="referral")
    parcel.outbox[0].created_at = datetime.now(UTC) - timedelta(minutes=7)
    # Leased by another relay that has not finished: it stays waiting.
    parcel.outbox_lease_until = datetime.now(UTC) + timedelta(minutes=1)
    parcel.save()
    name = f"obs{uuid.uuid4().hex[:6]}"
    queue = f"lscb.{name}.things"
    relay = OutboxRelay(
        CountingPublisher({queue: 3}),  # type: ignore[arg-type]
        [Parcel],
        name=name,
        dead_letter_queues=[queue],
    )
    try:
        relay.run_once(full=True)
        age = value("lscb_outbox_oldest_pending_seconds", service=name)
        assert age is not None and 7 * 60 <= age < 8 * 60
        assert value("lscb_dead_letter_messages", queue=queue) == 3
        Parcel.objects(id=parcel.id).update_one(set__outbox=[])
        relay.run_once(full=True)
        assert value("lscb_outbox_oldest_pending_seconds", service=name) == 0
    finally:
        Parcel.drop_collection()


def test_a_refused_event_shows_in_the_dead_letter_gauge_of_its_queue() -> None:
    settings = load_settings({}, APP_ENV="test", DEMO_SEED="0")
    consumer = f"obs{uuid.uuid4().hex[:6]}.refuses"
    refused = threading.Event()

    def handler(event: Event[Any]) -> None:
        refused.set()
        raise PermanentError("not for this consumer")

    runtime = BusRuntime(
        settings, consumer.split(".")[0], [Subscription(consumer, ("bus.check_requested",), handler)]
    )
    runtime.start()
    try:
        assert runtime.worker is not None and runtime.worker.wait_until_consuming(timeout=10)
        from shared.events import new_envelope

        runtime.publisher.publish(
            new_envelope(BusCheckRequested(check_id="c2", requested_by="x"), producer="referral")
        )
        assert refused.wait(10)
        queue = runtime.publisher.topology.queue_name(consumer)
        for _ in range(100):
            runtime.relay.run_once(full=True)
            if value("lscb_dead_letter_messages", queue=queue) == 1:
                break
            threading.Event().wait(0.05)
        assert value("lscb_dead_letter_messages", queue=queue) == 1
    finally:
        runtime.stop()


def test_the_reminder_pass_counts_the_overdue_deadlines() -> None:
    from services.scheduler.service_layer import messages as m
    from tests.unit.scheduler.events import referral_submitted
    from tests.unit.scheduler.fakes import Scheduler

    scheduler = Scheduler()
    scheduler.handle(referral_submitted("b1"))
    scheduler.handle(m.SendReminders(on=date(2026, 12, 29)))
    assert value("lscb_deadlines_overdue", service="scheduler") == 0
    scheduler.handle(m.SendReminders(on=date(2026, 12, 31)))  # the incident notification (30 Dec)
    assert value("lscb_deadlines_overdue", service="scheduler") == 1
    # The next pass counts again: announced once, still overdue until met or waived.
    scheduler.handle(m.SendReminders(on=date(2027, 1, 4)))
    assert value("lscb_deadlines_overdue", service="scheduler") == 1


# -- traces across HTTP and the bus ----------------------------------------------------


@pytest.fixture(scope="module")
def spans() -> Any:
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from shared import tracing

    exporter = InMemorySpanExporter()
    tracing.provider().add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_a_requests_trace_reaches_the_consumer_of_the_event_it_raised(spans: Any) -> None:
    from flask import Flask

    from shared import tracing
    from shared.events import new_envelope

    spans.clear()
    settings = load_settings({}, APP_ENV="test", DEMO_SEED="0")
    consumer = f"trace{uuid.uuid4().hex[:6]}.checks"
    handled = threading.Event()
    seen: list[str | None] = []

    def handler(event: Event[Any]) -> None:
        seen.append(event.raw.get("traceparent"))
        handled.set()

    runtime = BusRuntime(
        settings, consumer.split(".")[0], [Subscription(consumer, ("bus.check_requested",), handler)]
    )
    app = Flask("traced")
    tracing.init_app(app, "referral")

    @app.post("/checks")
    def raise_event() -> tuple[str, int]:
        runtime.publisher.publish(
            new_envelope(BusCheckRequested(check_id="t1", requested_by="x"), producer="referral")
        )
        return "", 202

    runtime.start()
    try:
        assert runtime.worker is not None and runtime.worker.wait_until_consuming(timeout=10)
        assert app.test_client().post("/checks", headers={"traceparent": INCOMING}).status_code == 202
        assert handled.wait(10)
    finally:
        runtime.stop()
    trace_id = int(INCOMING.split("-")[1], 16)
    server = next(s for s in spans.get_finished_spans() if s.name == "POST /checks")
    consumed = next(s for s in spans.get_finished_spans() if s.name == f"{consumer} bus.check_requested")
    assert server.context.trace_id == trace_id  # the caller's trace, continued
    assert server.attributes["http.response.status_code"] == 202
    assert consumed.context.trace_id == trace_id  # across the bus
    assert consumed.parent is not None and consumed.parent.span_id == server.context.span_id
    assert seen[0] is not None and seen[0].split("-")[1] == INCOMING.split("-")[1]


def test_every_service_app_opens_a_span_per_request_on_the_callers_trace(spans: Any) -> None:
    from services.documents.bootstrap import bootstrap

    spans.clear()
    service = bootstrap(load_settings({}, APP_ENV="test", DEMO_SEED="0"))
    service.app.test_client().get("/healthz", headers={"traceparent": INCOMING})
    (span,) = [s for s in spans.get_finished_spans() if s.name == "GET /healthz"]
    assert span.context.trace_id == int(INCOMING.split("-")[1], 16)


def test_an_event_raised_outside_any_span_has_no_traceparent_and_a_bad_one_is_refused() -> None:
    from shared.events import InvalidEvent, new_envelope

    envelope = new_envelope(BusCheckRequested(check_id="t2", requested_by="x"), producer="referral")
    assert "traceparent" not in envelope
    assert parse_envelope(envelope).raw.get("traceparent") is None
    with pytest.raises(InvalidEvent, match="envelope is invalid"):
        parse_envelope({**envelope, "traceparent": "not-a-trace"})


@pytest.mark.parametrize("endpoint", ["", "http://127.0.0.1:4318"])
def test_spans_are_exported_only_where_an_otlp_endpoint_is_set(endpoint: str) -> None:
    import os
    import subprocess
    import sys

    probe = (
        "from shared import tracing; p = tracing.provider(); "
        "print([type(s.span_exporter).__name__ for s in p._active_span_processor._span_processors])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    if endpoint:
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("['OTLPSpanExporter']" if endpoint else "[]")
