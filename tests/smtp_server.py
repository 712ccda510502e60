"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests."""

from __future__ import annotations

import email
from email import policy

from aiosmtpd.controller import Controller

from tests.support import free_port


class RecordingHandler:
    """Accepts mail and keeps it; answers chosen recipients or DATA with a chosen reply."""

    def __init__(self, rcpt_replies=None, data_reply=None):
        self.rcpt_replies = rcpt_replies or {}
        self.data_reply = data_reply
        self.received = []  # (envelope, tls used)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.received.append((envelope, session.ssl is not None))
        return "250 Message accepted for delivery"

    def parsed(self, index=0):
        envelope, _ = self.received[index]
        return email.message_from_bytes(envelope.original_content, policy=policy.default)


class SmtpServers:
    """Starts aiosmtpd servers on loopback ports and stops whatever is still running."""

    def __init__(self):
        self._running: list[Controller] = []

    def start(self, handler, port=None, **smtp_parameters) -> Controller:
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=port or free_port(),
            server_hostname="mail.test",
            **smtp_parameters,
        )
        controller.start()
        self._running.append(controller)
        return controller

    def stop(self, controller: Controller) -> None:
        self._running.remove(controller)
        controller.stop()

    def stop_all(self) -> None:
        while self._running:
            self.stop(self._running[-1])
