"""Event handlers declared at the handler, keyed by event type (nameko's ``@event_handler``).

A service keeps one :class:`Listeners` in its service layer and declares each
handler where it is written::

    listeners = Listeners("scheduler")

    @listeners.handles(DecisionRecorded, DecisionChanged, queue="deadlines")
    def on_decision(event: Event[DecisionRecorded], uow: UnitOfWork) -> None: ...

The service's ``bootstrap()`` turns them into bus subscriptions, one queue per
``queue`` name, injecting each handler's dependencies by parameter name
(cosmicpython's ``inject_dependencies``). A queue's events are handled one
after another in the order they came, so a handler may rely on the events a
producer raised earlier on the same queue having been applied.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from shared.bus.consumer import Subscription
from shared.events import Event
from shared.events.catalogue import CATALOGUE


@dataclass(frozen=True)
class Listener:
    queue: str
    event_type: str
    handler: Callable[..., None]


class Listeners:
    def __init__(self, service: str):
        self.service = service
        self._listeners: list[Listener] = []

    def handles(
        self, *event_classes: type, queue: str
    ) -> Callable[[Callable[..., None]], Callable[..., None]]:
        types = [CATALOGUE.spec_for(cls).event_type for cls in event_classes]

        def decorate(fn: Callable[..., None]) -> Callable[..., None]:
            for event_type in types:
                self._listeners.append(Listener(queue, event_type, fn))
            return fn

        return decorate

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._listeners)

    def queues(self) -> dict[str, tuple[str, ...]]:
        """Each queue's name (``<service>.<queue>``) and the event types bound to it."""
        out: dict[str, list[str]] = {}
        for listener in self._listeners:
            types = out.setdefault(f"{self.service}.{listener.queue}", [])
            if listener.event_type not in types:
                types.append(listener.event_type)
        return {name: tuple(types) for name, types in out.items()}

    def event_types(self) -> set[str]:
        return {listener.event_type for listener in self._listeners}

    def subscriptions(self, dependencies: Mapping[str, Any]) -> list[Subscription]:
        subs = []
        for consumer, event_types in self.queues().items():
            queue = consumer.split(".", 1)[1]
            routes: dict[str, list[Callable[[Event[Any]], None]]] = {}
            for listener in self._listeners:
                if listener.queue == queue:
                    routes.setdefault(listener.event_type, []).append(inject(listener.handler, dependencies))
            subs.append(Subscription(consumer, event_types, partial(_dispatch, routes)))
        return subs


def _dispatch(routes: Mapping[str, list[Callable[[Event[Any]], None]]], event: Event[Any]) -> None:
    for handler in routes[event.event_type]:
        handler(event)


def inject(handler: Callable[..., None], dependencies: Mapping[str, Any]) -> Callable[[Event[Any]], None]:
    """The handler with every parameter after the event filled from ``dependencies`` by name."""
    names = list(inspect.signature(handler).parameters)[1:]
    missing = [n for n in names if n not in dependencies]
    if missing:
        raise TypeError(f"{handler.__qualname__} needs {', '.join(missing)}, which bootstrap() did not give")
    return partial(handler, **{n: dependencies[n] for n in names})
