"""JSON structured logs, one line per event, carrying the correlation id.

structlog renders both its own log calls and the standard library's (Flask,
kombu, gunicorn) as JSON on stderr. Context such as ``correlation_id``,
``service`` and ``event_id`` is bound with :func:`bind` in context variables, so
every line written while a request or a message is handled carries it.

Never log a child's or a family member's identifying details; log identifiers.
"""

from __future__ import annotations

import logging
import logging.config
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog
from structlog.contextvars import bind_contextvars, get_contextvars, reset_contextvars
from structlog.typing import Processor

_configured = False

_PRE_CHAIN: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def dict_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` that renders every record as one JSON line.

    Also given to gunicorn (``logconfig_dict``) so its own lines match.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": _PRE_CHAIN,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    structlog.processors.JSONRenderer(),
                ],
            }
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "gunicorn.error": {"handlers": [], "propagate": True},
            "gunicorn.access": {"handlers": [], "propagate": True, "level": "WARNING"},
            "werkzeug": {"level": "WARNING"},
        },
    }


def configure(level: str = "INFO") -> None:
    """Configure structlog and the standard library to write JSON lines to stderr."""
    global _configured
    if not structlog.is_configured():
        structlog.configure(
            processors=[
                structlog.stdlib.filter_by_level,
                *_PRE_CHAIN,
                structlog.processors.StackInfoRenderer(),
                structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
            ],
            logger_factory=structlog.stdlib.LoggerFactory(),
            wrapper_class=structlog.stdlib.BoundLogger,
            cache_logger_on_first_use=True,
        )
    if not _configured:
        logging.config.dictConfig(dict_config(level))
        _configured = True
    logging.getLogger().setLevel(level.upper())


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def bind(**values: Any) -> None:
    bind_contextvars(**values)


@contextmanager
def bound(**values: Any) -> Iterator[None]:
    """Bind context for the duration of a block, then restore what was there."""
    tokens = bind_contextvars(**values)
    try:
        yield
    finally:
        reset_contextvars(**tokens)


def current(name: str, default: Any = None) -> Any:
    return get_contextvars().get(name, default)
