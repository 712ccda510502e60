"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests.

Its behaviour can be switched while it runs (``SmtpServers.behave``), to play
the faults a relay shows in production:

- ``ACCEPT``: takes every message (250 after DATA);
- ``REFUSE``: nothing listens on its port any more (connection refused);
- ``BUSY``: answers 421 to MAIL FROM and closes, before any body is sent;
- ``DROP_AFTER_DATA``: receives the whole message, keeps it, and drops the
  connection without answering the end of DATA (the client cannot know);
- ``SLOW``: keeps the message, then waits ``delay`` seconds before its 250.
"""

from __future__ import annotations

import asyncio
import email
from email import policy

from aiosmtpd.controller import Controller

from tests.support import free_port

ACCEPT = "accept"
REFUSE = "refuse"
BUSY = "421"
DROP_AFTER_DATA = "drop_after_data"
SLOW = "slow"
BEHAVIOURS = (ACCEPT, REFUSE, BUSY, DROP_AFTER_DATA, SLOW)


class RecordingHandler:
    """Accepts mail and keeps it; answers chosen recipients or DATA with a chosen reply.

    ``received`` holds every message the server took, including those it then
    dropped the connection on or answered too slowly: a relay that has the
    whole message may well deliver it.
    """

    def __init__(self, rcpt_replies=None, data_reply=None, behaviour=ACCEPT, delay=0.0):
        self.rcpt_replies = rcpt_replies or {}
        self.data_reply = data_reply
        self.behaviour = behaviour
        self.delay = delay
        self.received = []  # (envelope, tls used)
        self.dropped = 0  # connections dropped after a message was received

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.behaviour == BUSY:
            asyncio.get_running_loop().call_later(0.01, server.transport.close)  # once it has answered
            return "421 4.3.2 Service not available, closing transmission channel"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.received.append((envelope, session.ssl is not None))
        if self.behaviour == DROP_AFTER_DATA:
            self.dropped += 1
            server.transport.abort()  # no answer to the end of DATA: the client cannot tell
            return "250 never heard"
        if self.behaviour == SLOW:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def parsed(self, index=0):
        envelope, _ = self.received[index]
        return email.message_from_bytes(envelope.original_content, policy=policy.default)

    def message_ids(self) -> list[str]:
        """The Message-ID of every message received, in order."""
        return [self.parsed(i)["Message-ID"] for i in range(len(self.received))]


class SmtpServers:
    """Starts aiosmtpd servers on loopback ports and stops whatever is still running."""

    def __init__(self):
        self._running: list[Controller] = []
        self._refusing: dict[int, tuple[RecordingHandler, dict]] = {}  # port -> what to restart

    def start(self, handler, port=None, **smtp_parameters) -> Controller:
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=port or free_port(),
            server_hostname="mail.test",
            **smtp_parameters,
        )
        controller.start()
        controller.smtp_parameters = smtp_parameters
        self._running.append(controller)
        return controller

    def stop(self, controller: Controller) -> None:
        self._running.remove(controller)
        controller.stop()

    def behave(self, port: int, behaviour: str, delay: float | None = None) -> None:
        """Switch the server on ``port`` to one of ``BEHAVIOURS`` (``delay``: the wait of ``SLOW``)."""
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"behaviour is one of {BEHAVIOURS}, not {behaviour!r}")
        running = next((c for c in self._running if c.port == port), None)
        if behaviour == REFUSE:
            if running is not None:
                self._refusing[port] = (running.handler, running.smtp_parameters)
                self.stop(running)
            return
        if running is None:
            handler, parameters = self._refusing.pop(port)
            running = self.start(handler, port=port, **parameters)
        running.handler.behaviour = behaviour
        if delay is not None:
            running.handler.delay = delay

    def stop_all(self) -> None:
        while self._running:
            self.stop(self._running[-1])
