"""The message bus of the referral service (cosmicpython ``service_layer/messagebus.py``).

Entrypoints hand it a command or a query; it calls the one handler of that message's type,
with the dependencies :func:`services.referral.bootstrap.messagebus` injected. The events a
handler raises do not pass through here: they leave through the outbox of the case that
raised them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from services.referral.service_layer.messages import Message

R = TypeVar("R")


class MessageBus:
    def __init__(self, handlers: Mapping[type, Callable[[Any], Any]], dependencies: Mapping[str, Any]):
        self.handlers = dict(handlers)
        self.dependencies = dict(dependencies)

    def handle(self, message: Message[R]) -> R:
        try:
            handler = self.handlers[type(message)]
        except KeyError:
            raise LookupError(f"no handler for {type(message).__name__}") from None
        answer: R = handler(message)
        return answer
