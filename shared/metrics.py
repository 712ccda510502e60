"""Prometheus metrics shared by every service.

All services in one process share the default registry, so every metric that
concerns a service carries a ``service`` label. Under gunicorn with several
workers, set ``PROMETHEUS_MULTIPROC_DIR`` (see the README).
"""

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "lscb_http_requests_total", "HTTP requests served", ["service", "method", "endpoint", "status"]
)
HTTP_SECONDS = Histogram(
    "lscb_http_request_seconds", "Time to serve an HTTP request", ["service", "endpoint"]
)
EVENTS_PUBLISHED = Counter("lscb_events_published_total", "Events confirmed by the bus", ["event_type"])
PUBLISH_FAILURES = Counter("lscb_publish_failures_total", "Publishes that ran out of retries")
PUBLISH_SECONDS = Histogram("lscb_publish_seconds", "Time to publish and be confirmed")
EVENTS_HANDLED = Counter(
    "lscb_events_handled_total",
    "Events taken off a queue, by outcome",
    ["consumer", "event_type", "outcome"],
)
HANDLER_SECONDS = Histogram("lscb_handler_seconds", "Time spent in event handlers", ["consumer"])
DEAD_LETTERED = Counter("lscb_dead_lettered_total", "Messages sent to a dead-letter queue", ["queue"])
OUTBOX_PENDING = Gauge(
    "lscb_outbox_pending", "Events waiting in outboxes at the last relay pass", ["service"]
)
UNROUTABLE = Gauge(
    "lscb_unroutable_events", "Events published under a type no queue is bound to, kept for a person to see"
)
ABANDONED_REQUESTS = Counter(
    "lscb_abandoned_requests_total", "Requests not run because their client had gone", ["service"]
)
BACKGROUND_YIELDED = Counter(
    "lscb_background_yielded_seconds",
    "Seconds background work waited for the requests being answered (shared/foreground.py)",
)
BUS_CONNECTED = Gauge("lscb_bus_connected", "1 when the service's consumer is connected", ["service"])
OUTBOX_OLDEST_PENDING = Gauge(
    "lscb_outbox_oldest_pending_seconds",
    "Age of the oldest event waiting in the service's outboxes at the last relay pass (0: none waiting)",
    ["service"],
    multiprocess_mode="livemax",
)
DEAD_LETTER_MESSAGES = Gauge(
    "lscb_dead_letter_messages",
    "Messages waiting in a dead-letter queue at the last relay pass (python -m services.deadletters)",
    ["queue"],
    multiprocess_mode="livemax",
)
DEADLINES_OVERDUE = Gauge(
    "lscb_deadlines_overdue",
    "Statutory deadlines past their due date, neither met nor waived, at the last reminder pass",
    ["service"],
    multiprocess_mode="livemax",
)
