"""Trace context across HTTP requests and bus messages (OpenTelemetry, W3C trace context).

Every request a service serves gets a server span, continuing the trace of an
incoming ``traceparent`` header (the proxy passes it on). An event raised while
handling it carries the span's ``traceparent`` in its envelope; the consumer that
handles the event opens its span as a child of it, and the events it raises carry
that on. So one trace id follows a change from the request that made it through
every service that reacts to it.

Spans are exported only where ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (OTLP over
HTTP, with the SDK's other ``OTEL_*`` variables); elsewhere they are made, so the
context still travels, and dropped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, g, request
from opentelemetry import context, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
_lock = threading.Lock()
_provider: TracerProvider | None = None


def provider() -> TracerProvider:
    """This process's tracer provider, made on first use (with an exporter where one is configured)."""
    global _provider
    with _lock:
        if _provider is None:
            _provider = TracerProvider(resource=Resource.create({"service.namespace": "lscb"}))
            if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
                from opentelemetry.sdk.trace.export import BatchSpanProcessor

                _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        return _provider


def tracer(name: str) -> trace.Tracer:
    return provider().get_tracer(f"lscb.{name}")


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the span in progress, or None outside any span."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def consuming(traceparent: str | None, service: str, name: str) -> Iterator[trace.Span]:
    """A consumer span for a bus message, the child of the span that raised it (if it says)."""
    parent = _PROPAGATOR.extract({"traceparent": traceparent}) if traceparent else context.Context()
    with tracer(service).start_as_current_span(name, context=parent, kind=trace.SpanKind.CONSUMER) as span:
        yield span


def init_app(app: Flask, service: str) -> None:
    """A server span around every request, continuing the caller's trace."""
    spans = tracer(service)

    @app.before_request
    def _start_span() -> None:
        parent = _PROPAGATOR.extract({k.lower(): v for k, v in request.headers.items()})
        span = spans.start_span(
            f"{request.method} {request.url_rule.rule if request.url_rule else request.path}",
            context=parent,
            kind=trace.SpanKind.SERVER,
            attributes={"http.request.method": request.method, "url.path": request.path},
        )
        g.otel_span = span
        g.otel_token = context.attach(trace.set_span_in_context(span, parent))

    @app.after_request
    def _status(response: Response) -> Response:
        span = g.get("otel_span")
        if span is not None:
            span.set_attribute("http.response.status_code", response.status_code)
        return response

    @app.teardown_request
    def _end_span(exc: BaseException | None) -> None:
        span = g.pop("otel_span", None)
        token = g.pop("otel_token", None)
        if span is None:
            return
        if exc is not None:
            span.record_exception(exc)
            span.set_status(trace.StatusCode.ERROR)
        span.end()
        if token is not None:
            context.detach(token)
