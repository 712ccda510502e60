from datetime import date

import pytest

from shared.bus import Listeners
from shared.events import Event, new_envelope, parse_envelope
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.ops import BusCheckRequested


def deadline_event(cls=DeadlineDueSoon) -> Event:
    payload = cls(
        case_id="c1",
        board_id="b1",
        deadline_id="d1",
        code="scr_decision",
        due=date(2026, 12, 1),
        concerns="chair",
    )
    return parse_envelope(new_envelope(payload, producer="scheduler"))


def test_handlers_declared_at_the_handler_become_one_queue_per_name():
    listeners = Listeners("referral")
    seen = []

    @listeners.handles(DeadlineDueSoon, DeadlineOverdue, queue="deadlines")
    def on_deadline(event, uow):
        seen.append((type(event.data).__name__, uow))

    @listeners.handles(BusCheckRequested, queue="checks")
    def on_check(event):
        seen.append("check")

    assert listeners.queues() == {
        "referral.deadlines": ("deadline.due_soon", "deadline.overdue"),
        "referral.checks": ("bus.check_requested",),
    }
    subs = {s.consumer: s for s in listeners.subscriptions({"uow": "the unit of work"})}
    subs["referral.deadlines"].handler(deadline_event(DeadlineOverdue))
    assert seen == [("DeadlineOverdue", "the unit of work")]


def test_a_dependency_bootstrap_forgot_is_named_when_the_service_is_wired():
    listeners = Listeners("scheduler")

    @listeners.handles(DeadlineDueSoon, queue="deadlines")
    def handler(event, uow, clock):
        pass

    with pytest.raises(TypeError, match="needs clock"):
        listeners.subscriptions({"uow": object()})


def test_several_handlers_of_one_event_run_in_the_order_declared():
    listeners = Listeners("notifications")
    order = []
    listeners.handles(DeadlineDueSoon, queue="rules")(lambda event: order.append("first"))
    listeners.handles(DeadlineDueSoon, queue="rules")(lambda event: order.append("second"))
    (sub,) = listeners.subscriptions({})
    sub.handler(deadline_event())
    assert order == ["first", "second"]
