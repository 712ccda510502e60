"""Exactly once to the recipient, as far as SMTP allows: the dispatcher's states, on fakes.

One identity per notification on every attempt; ``sending`` saved before the
channel is called; an answer that never came (``uncertain``) is not sent
again on its own; a dispatcher that died mid-attempt leaves ``sending``,
which the next one, or the end of the lease, makes ``uncertain``; a person
resends (same identity) or confirms delivery (the duty met on the day it went).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.notifications.adapters.channels import (
    Message,
    PermanentDeliveryError,
    Receipt,
    TemporaryDeliveryError,
    UncertainDeliveryError,
)
from services.notifications.adapters.repository import ConcurrentChange
from services.notifications.bootstrap import Dependencies
from services.notifications.domain import delivery
from services.notifications.service_layer import dispatch, ledger
from shared.auth.principal import Principal
from shared.errors import Conflict
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import BOARD, NATIONAL, T0, FakeChannel, FakeUnitOfWork

ADMIN = Principal(user_id="u1", name="Ada Admin", board_id=BOARD, roles=frozenset({"admin"}))
OFSTED = NATIONAL["ofsted"]


def dropped() -> UncertainDeliveryError:
    return UncertainDeliveryError("the connection failed after the message went: it may have been delivered")


class Crash(BaseException):
    """The process ending where it stands (SIGKILL, power cut): nothing after it runs."""


@pytest.fixture
def letter(handle, decided) -> None:
    handle(f.document_generated(decided))


def ofsted(uow: FakeUnitOfWork) -> Any:
    [n] = uow.notifications_stored(recipient_role="ofsted")
    return n


def sent_events(uow: FakeUnitOfWork, role: str = "ofsted") -> list[dict[str, Any]]:
    return [
        e
        for e in uow.published()
        if e["event_type"] == "notification.sent" and e["data"]["recipient_role"] == role
    ]


def on(deps: Dependencies, channel: FakeChannel) -> Dependencies:
    """The same service, sending through another channel (a process of its own, for a dispatcher)."""
    return Dependencies(**{**deps.as_dict(), "channel_for": lambda board_id: channel})


def test_every_attempt_and_resend_carries_the_identity_derived_from_the_ledger_key(
    uow, deps, channel, letter
):
    channel.failures_to[OFSTED] = [
        TemporaryDeliveryError("SMTP 451 later"),
        PermanentDeliveryError("SMTP 550"),
    ]
    deps.dispatch()
    deps.clock.advance(minutes=1)
    deps.dispatch()  # the second attempt is refused for good
    ledger.resend(uow, deps.clock, ADMIN, ofsted(uow).notification_id)
    deps.dispatch()

    n = ofsted(uow)
    assert n.notification_id == delivery.notification_id(n.idempotency_key)
    assert n.message_id == f"<{n.notification_id}@fake.example>"
    assert [m.message_id for m in channel.tried if m.to == OFSTED] == [n.message_id] * 3
    assert n.status == "sent" and n.attempts == 3
    assert len({m.message_id for m in channel.tried}) == 3  # one identity per notification


def test_the_attempt_is_saved_as_sending_before_the_channel_is_called(uow, deps, letter):
    seen: list[tuple[str, int, str | None]] = []

    class Watching(FakeChannel):
        def send(self, message: Message) -> Receipt:
            stored = uow.stored_notifications[message.reference]
            seen.append((stored["status"], stored["attempts"], stored.get("message_id")))
            return super().send(message)

    watching = Watching()
    on(deps, watching).dispatch()
    assert seen == [("sending", 1, m.message_id) for m in watching.sent]
    assert {n.status for n in uow.notifications_stored()} == {"sent"}


def test_an_uncertain_attempt_is_never_sent_again_on_its_own(uow, deps, channel, letter, alerts):
    channel.failures_to[OFSTED] = [dropped()]
    deps.dispatch()
    n = ofsted(uow)
    assert n.status == "uncertain" and "may have been delivered" in n.status_reason
    for _ in range(30):
        deps.clock.advance(hours=1)
        assert deps.dispatch() == 0
    assert [m.to for m in channel.tried].count(OFSTED) == 1
    assert sent_events(uow) == []  # a message that may not have arrived meets no duty
    assert alerts[-1] == {"uncertain": 1, "failed": 0}


def test_a_crash_between_the_answer_and_its_save_ends_uncertain_at_the_next_start(uow, deps, letter):
    class AnsweredThenCrash(FakeChannel):
        def send(self, message: Message) -> Receipt:
            super().send(message)  # the server took it ...
            raise Crash()  # ... and the process died before saving that

    with pytest.raises(Crash):
        on(deps, AnsweredThenCrash()).dispatch()
    [left] = uow.notifications_stored(status="sending")
    assert left.attempts == 1 and left.message_id

    restarted = FakeChannel()
    on(deps, restarted).dispatch(starting=True)  # a new process's dispatcher, on its first run

    n = uow.notifications_stored(notification_id=left.notification_id)[0]
    assert n.status == "uncertain" and "restarted" in n.status_reason
    assert left.notification_id not in {m.reference for m in restarted.tried}  # not sent again
    assert len(restarted.tried) == 2  # the two never tried go as usual
    deps.clock.advance(hours=6)
    on(deps, restarted).dispatch()
    assert uow.notifications_stored(notification_id=left.notification_id)[0].status == "uncertain"
    assert len(restarted.tried) == 2


def test_an_attempt_whose_lease_ran_out_is_uncertain_and_a_running_one_is_left_alone(uow, deps, letter):
    class Crashing(FakeChannel):
        def send(self, message: Message) -> Receipt:
            raise Crash()

    with pytest.raises(Crash):
        on(deps, Crashing()).dispatch(limit=1)
    [left] = uow.notifications_stored(status="sending")
    deps.clock.advance(seconds=dispatch.LEASE.total_seconds() - 60)
    deps.dispatch()  # another dispatcher, running: the attempt may still be under way
    assert uow.notifications_stored(notification_id=left.notification_id)[0].status == "sending"
    deps.clock.advance(minutes=2)
    deps.dispatch()
    n = uow.notifications_stored(notification_id=left.notification_id)[0]
    assert n.status == "uncertain" and "lease" in n.status_reason
    assert left.notification_id not in {m.reference for m in deps.channel_for(BOARD).tried}


def test_the_answer_of_a_slow_attempt_counts_even_after_it_was_made_uncertain(uow, deps, letter):
    class Slow(FakeChannel):
        def send(self, message: Message) -> Receipt:
            dispatch.abandoned(uow.another(), deps.clock, all_of_them=True)  # a dispatcher started meanwhile
            return super().send(message)

    on(deps, Slow()).dispatch()
    assert {n.status for n in uow.notifications_stored()} == {"sent"}
    uncertain = [e for e in uow.published() if e["event_type"] == "notification.uncertain"]
    assert len(sent_events(uow)) == 1 and len(uow.published()) - len(uncertain) == 3


def test_a_person_confirms_an_uncertain_one_and_the_duty_is_met_on_the_day_it_went(
    uow, deps, channel, letter
):
    channel.failures_to[OFSTED] = [dropped()]
    deps.dispatch()
    deps.clock.advance(days=3)
    [dfe] = uow.notifications_stored(recipient_role="dfe")
    with pytest.raises(Conflict):
        ledger.confirm_delivered(uow, deps.clock, ADMIN, dfe.notification_id)  # sent: nothing to confirm

    n = ledger.confirm_delivered(uow, deps.clock, ADMIN, ofsted(uow).notification_id)

    assert n.status == "delivered" and n.delivered_at == T0 + timedelta(days=3)
    [sent] = sent_events(uow)
    assert sent["data"]["sent_on"] == T0.date().isoformat()  # the attempt's day, not the check's
    assert "Ada Admin confirmed" in n.history[-1]["text"]
    with pytest.raises(Conflict):
        ledger.confirm_delivered(uow, deps.clock, ADMIN, n.notification_id)
    assert deps.dispatch() == 0 and [m.to for m in channel.tried].count(OFSTED) == 1


def test_a_person_resends_an_uncertain_one_with_the_same_message_id(uow, deps, channel, letter):
    channel.failures_to[OFSTED] = [dropped()]
    deps.dispatch()
    ledger.resend(uow, deps.clock, ADMIN, ofsted(uow).notification_id)
    deps.clock.advance(minutes=1)
    deps.dispatch()
    first, second = [m for m in channel.tried if m.to == OFSTED]
    assert first.message_id == second.message_id == ofsted(uow).message_id
    assert ofsted(uow).status == "sent" and len(sent_events(uow)) == 1
    with pytest.raises(Conflict):
        ledger.resend(uow, deps.clock, ADMIN, ofsted(uow).notification_id)


def test_notifys_receipt_before_the_dispatcher_saved_its_answer_raises_sent_once(uow, deps, letter):
    class Quick(FakeChannel):
        def send(self, message: Message) -> Receipt:
            receipt = super().send(message)
            ledger.delivery_callback(uow.another(), deps.clock, message.reference, "delivered")
            return receipt

    on(deps, Quick(name="notify")).dispatch()
    assert {n.status for n in uow.notifications_stored()} == {"delivered"}
    assert len(sent_events(uow)) == 1 and len(uow.published()) == 3


def test_notifys_receipt_for_an_uncertain_one_settles_it(uow, deps, channel, letter):
    channel.failures_to[OFSTED] = [dropped()]
    deps.dispatch()
    deps.clock.advance(hours=1)
    ledger.delivery_callback(uow, deps.clock, ofsted(uow).notification_id, "delivered")
    assert ofsted(uow).status == "delivered"
    [sent] = sent_events(uow)
    assert sent["data"]["sent_on"] == T0.date().isoformat()


def test_two_writers_never_overwrite_each_other(uow, deps, channel, letter):
    channel.failures_to[OFSTED] = [PermanentDeliveryError("SMTP 550")]
    deps.dispatch()
    notification_id = ofsted(uow).notification_id
    with uow:
        stale = uow.notifications.get(notification_id)
        ledger.resend(uow.another(), deps.clock, ADMIN, notification_id)  # someone else, meanwhile
        stale.failed(deps.clock(), "written over the resend")
        with pytest.raises(ConcurrentChange):
            uow.commit()
    assert ofsted(uow).status == "pending"


def test_the_operations_list_puts_uncertain_ones_first(uow, deps, channel, letter):
    channel.failures_to[OFSTED] = [dropped()]
    channel.failures_to[NATIONAL["dfe"]] = [PermanentDeliveryError("SMTP 550")]
    deps.dispatch()
    page = ledger.needing_attention(uow, ADMIN)
    assert [n.status for n in page.items] == ["uncertain", "failed"] and page.total == 2
    second = ledger.needing_attention(uow, ADMIN, page=2, per_page=1)
    assert [n.status for n in second.items] == ["failed"] and second.pages == 2
