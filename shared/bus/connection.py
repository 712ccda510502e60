"""kombu connections configured the same way for both transports."""

from __future__ import annotations

from kombu.connection import Connection

from shared.config import Settings


def make_connection(settings: Settings, *, heartbeat: int = 0) -> Connection:
    """A lazily-opened kombu connection to ``BUS_URL``.

    On AMQP, publisher confirms are switched on for every channel. On the
    in-process ``memory://`` transport the poll interval is kept short so an
    event crosses between services within a few milliseconds.
    """
    if settings.embedded_bus:
        options = {"polling_interval": settings.BUS_POLL_INTERVAL}
        url = "memory://localhost//" if settings.BUS_URL == "memory://" else settings.BUS_URL
        return Connection(url, transport_options=options)  # type: ignore[no-untyped-call]
    return Connection(  # type: ignore[no-untyped-call]
        settings.BUS_URL,
        heartbeat=heartbeat,
        connect_timeout=5,
        transport_options={"confirm_publish": True},
    )
