"""The notifications service's handlers on fakes: no store, no SMTP, no other service.

Events go in through the listeners the handlers declared (as the bus worker
would hand them over); what comes out is the ledger in a fake unit of work,
the messages a fake channel took, and the events left in the outbox.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.notifications.adapters import messages
from services.notifications.adapters.channels import PermanentDeliveryError, TemporaryDeliveryError
from services.notifications.bootstrap import Dependencies
from services.notifications.entrypoints.consumer import CONSUMERS
from services.notifications.service_layer import ledger
from services.notifications.service_layer.handlers import listeners
from shared import crypto
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.errors import Conflict
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import BOARD, NATIONAL, T0, FakeUnitOfWork


def by_role(uow: FakeUnitOfWork, **match: Any) -> dict[str, Any]:
    return {n.recipient_role: n for n in uow.notifications_stored(**match)}


# -- letters become notifications -----------------------------------------------------------


def test_a_decision_letter_makes_exactly_three_notifications_with_the_letter_attached(uow, handle, decided):
    assert uow.notifications_stored() == []  # the decision alone sends nothing: its letter does
    handle(f.document_generated(decided, "decision_notification", document_id="doc-1"))
    made = by_role(uow)
    assert sorted(made) == ["dfe", "national_panel", "ofsted"]
    for role, n in made.items():
        assert n.template == "decision_notification" and n.address == NATIONAL[role]
        assert n.status == "pending" and n.attachments == ["doc-1"]
        assert n.context["outcome"] == "serious_case_review" and n.context["reference"] == f.REFERENCE
    letter = uow.stored_letters["doc-1"]
    assert f.LETTER not in letter.sealed.encode() and crypto.open_bytes(letter.sealed) == f.LETTER


def test_a_repeat_of_the_letters_event_makes_no_more_notifications(uow, handle, decided):
    event = f.document_generated(decided)
    handle(event)
    handle(event)
    assert len(uow.notifications_stored()) == 3
    assert list(uow.stored_letters) == ["doc-1"]


def test_an_ofsted_incident_form_produces_the_ofsted_email_with_the_form(uow, deps, channel, handle):
    referral = f.referral_submitted(BOARD)
    handle(referral)
    handle(f.document_generated(referral, "ofsted_incident_notification", document_id="form-1", data=f.FORM))
    [n] = uow.notifications_stored()
    assert (n.recipient_role, n.template, n.attachments) == (
        "ofsted",
        "ofsted_incident_notification",
        ["form-1"],
    )
    assert deps.dispatch() == 1
    [message] = channel.sent
    assert message.to == NATIONAL["ofsted"]
    assert message.subject == f"Notification of a serious incident: case {f.REFERENCE}"
    assert "Jane" not in message.subject
    assert "notification form is attached" in message.body_text
    [form] = message.attachments
    assert form.data == f.FORM and form.filename == f"ofsted_incident_notification {f.REFERENCE}.docx"
    [sent] = uow.published()
    assert sent["event_type"] == "notification.sent"
    assert sent["data"]["template"] == "ofsted_incident_notification"  # what the scheduler waits for
    assert sent["data"]["recipient_role"] == "ofsted"


def test_a_changed_decision_tells_the_same_three_the_final_outcome(uow, deps, channel, handle, decided):
    changed = f.decision_changed(BOARD, outcome="serious_case_review", previous_outcome="no_review")
    handle(changed)
    handle(f.document_generated(changed, "decision_notification", document_id="doc-2"))
    made = by_role(uow)
    assert sorted(made) == ["dfe", "national_panel", "ofsted"]
    assert {n.template for n in made.values()} == {"decision_changed_notification"}
    deps.dispatch()
    assert {m.subject for m in channel.sent} == {f"Changed case review decision for {f.REFERENCE}"}
    assert all("Previous decision: No review" in m.body_text for m in channel.sent)
    assert all("made on 1 February 2027" in m.body_text for m in channel.sent)


def test_the_decision_letter_says_what_the_decision_it_came_from_said(uow, deps, channel, handle, decided):
    handle(f.document_generated(decided))
    deps.dispatch()
    assert {m.subject for m in channel.sent} == {f"Case review decision for {f.REFERENCE}"}
    assert all("Dr R Independent (Independent Reviews Ltd)" in m.body_text for m in channel.sent)
    assert all([a.data for a in m.attachments] == [f.LETTER] for m in channel.sent)


@pytest.mark.parametrize(
    "kind", ["decision_notification", "ofsted_incident_notification", "case_group_letter"]
)
def test_a_letter_made_again_by_hand_is_not_sent_on_its_own(uow, handle, decided, kind):
    handle(f.document_generated(None, kind, case_id="c1", board_id=BOARD))
    assert uow.notifications_stored() == [] and uow.stored_letters == {}


def test_documents_that_are_not_letters_to_send_are_ignored(uow, handle, decided):
    handle(f.document_generated(decided, "screening_decision_record", data=None))
    assert uow.notifications_stored() == [] and uow.stored_letters == {}


def test_a_letter_without_its_file_is_refused_for_the_dead_letter_queue(uow, handle, decided):
    with pytest.raises(PermanentError, match="without its file"):
        handle(f.document_generated(decided, data=None))
    assert uow.notifications_stored() == []


def test_a_letter_for_a_decision_never_received_is_refused_and_nothing_is_kept(uow, handle):
    handle(f.referral_submitted(BOARD))
    unknown = f.decision_recorded(BOARD)  # never handed to the service
    with pytest.raises(PermanentError, match="not known"):
        handle(f.document_generated(unknown))
    assert uow.notifications_stored() == [] and uow.stored_letters == {}


def test_events_for_an_unknown_case_are_refused(handle):
    with pytest.raises(PermanentError, match="no case"):
        handle(f.decision_recorded(BOARD, case_id="nobody-knows"))


def test_case_group_letters_go_to_the_case_group_of_that_case_only(uow, handle):
    uow.add_recipient(BOARD, "case_group_member", "member@example.org", case_id="c1")
    uow.add_recipient(BOARD, "case_group_member", "other@example.org", case_id="c2")
    handle(f.referral_submitted(BOARD))
    appointed = f.reviewer_appointed(BOARD)
    handle(f.document_generated(appointed, "case_group_letter", document_id="letter-police"))
    handle(f.document_generated(appointed, "case_group_letter", document_id="letter-health"))
    letters = uow.notifications_stored(template="case_group_letter")
    assert sorted(n.attachments[0] for n in letters) == ["letter-health", "letter-police"]
    assert {n.address for n in letters} == {"member@example.org"}


def test_a_role_with_nobody_in_the_directory_is_recorded_with_its_letter(uow, handle, decided):
    [panel] = [k for k, r in uow.stored_recipients.items() if r["role"] == "national_panel"]
    uow.stored_recipients[panel]["active"] = False
    handle(f.document_generated(decided))
    missing = by_role(uow)["national_panel"]
    assert missing.status == "not_sent" and "no national panel" in missing.status_reason
    assert missing.attachments == ["doc-1"]  # a resend once someone is added still carries the letter


# -- events without a document ----------------------------------------------------------------


def test_reviewers_appointed_with_the_decision_are_not_notified_twice(uow, handle, decided):
    handle(f.reviewer_appointed(BOARD, correlation_id=decided.correlation_id))
    assert uow.notifications_stored(template="reviewer_appointed_notification") == []
    handle(f.reviewer_appointed(BOARD))  # appointed later, on its own
    [n] = uow.notifications_stored(template="reviewer_appointed_notification")
    assert n.recipient_role == "national_panel"
    assert n.context["reviewers"] == [{"name": "New Reviewer", "organisation": "Reviews Ltd", "role": None}]


def test_deadline_reminders_go_to_the_business_unit_and_the_owner(uow, deps, channel, handle):
    handle(f.referral_submitted(BOARD))
    handle(f.deadline(BOARD, overdue=True, concerns="chair"))
    deps.dispatch()
    assert sorted(m.to for m in channel.sent) == ["bu@example.org", "chair@example.org"]
    assert {m.subject for m in channel.sent} == {f"Overdue: Serious case review decision for {f.REFERENCE}"}


# -- sending ----------------------------------------------------------------------------------


def test_each_sent_notification_raises_what_the_scheduler_needs(uow, deps, handle, decided):
    handle(f.document_generated(decided))
    assert deps.dispatch() == 3 and deps.dispatch() == 0
    ofsted = by_role(uow)["ofsted"]
    assert ofsted.status == "sent" and ofsted.attempts == 1
    [sent] = [e for e in uow.published() if e["data"]["recipient_role"] == "ofsted"]
    assert sent["event_type"] == "notification.sent"
    assert sent["data"] == {
        "case_id": "c1",
        "board_id": BOARD,
        "notification_id": ofsted.notification_id,
        "recipient_role": "ofsted",
        "template": "decision_notification",
        "source_event_id": ofsted.source_event_id,
        "sent_on": "2027-01-08",
    }


def test_a_temporary_failure_is_retried_until_the_window_closes(uow, deps, channel, handle, decided):
    handle(f.document_generated(decided))
    channel.failures = [TemporaryDeliveryError("SMTP 451 try later")] * 100
    assert deps.dispatch() == 3
    ofsted = by_role(uow)["ofsted"]
    assert ofsted.status == "pending" and ofsted.next_attempt_at == T0 + timedelta(seconds=30)
    deps.clock.advance(seconds=10)
    assert deps.dispatch() == 0  # not yet time
    while any(n.status == "pending" for n in uow.notifications_stored()):
        deps.clock.advance(minutes=30)
        deps.dispatch()
    ofsted = by_role(uow)["ofsted"]
    assert ofsted.status == "failed" and "retry window" in ofsted.status_reason
    assert deps.clock() - T0 <= timedelta(hours=5)
    assert {e["event_type"] for e in uow.published()} == {"notification.failed"}


def test_a_permanent_failure_stops_at_once_and_can_be_resent(uow, deps, channel, handle, decided):
    handle(f.document_generated(decided))
    channel.failures = [PermanentDeliveryError("SMTP 550 no such user")]
    deps.dispatch()
    failed = [n for n in uow.notifications_stored() if n.status == "failed"]
    assert len(failed) == 1 and failed[0].attempts == 1 and "550" in failed[0].status_reason
    admin = Principal(user_id="u1", name="Admin", board_id=BOARD, roles=frozenset({"admin"}))
    ledger.resend(uow, deps.clock, admin, failed[0].notification_id)
    deps.clock.advance(minutes=1)
    assert deps.dispatch() == 1
    assert {n.status for n in uow.notifications_stored()} == {"sent"}
    with pytest.raises(Conflict):
        ledger.resend(uow, deps.clock, admin, failed[0].notification_id)


def test_without_a_channel_messages_are_kept_and_shown_as_not_sent(uow, deps, handle, decided):
    handle(f.document_generated(decided))
    no_channel = Dependencies(**{**deps.as_dict(), "channel_for": lambda board_id: None})
    no_channel.dispatch()
    assert {n.status for n in uow.notifications_stored()} == {"not_sent"}
    assert all("no channel configured" in n.status_reason for n in uow.notifications_stored())


def test_a_template_error_fails_that_notification_only(uow, deps, channel, handle, decided):
    handle(f.document_generated(decided))

    def render(template: str, context: dict[str, Any]) -> messages.RenderedMessage:
        if context["recipient_role"] == "dfe":
            raise ValueError("template exploded")
        return messages.render(template, context)

    Dependencies(**{**deps.as_dict(), "render": render}).dispatch()
    made = by_role(uow)
    assert made["dfe"].status == "failed" and "template error" in made["dfe"].status_reason
    assert made["ofsted"].status == "sent" and made["national_panel"].status == "sent"


def test_a_letter_that_cannot_be_opened_fails_visibly_instead_of_going_without_it(
    uow, deps, channel, handle, decided
):
    handle(f.document_generated(decided))
    letter = uow.stored_letters["doc-1"]
    uow.stored_letters["doc-1"] = type(letter)(**{**vars(letter), "sealed": crypto.seal_bytes(b"other")})
    deps.dispatch()
    assert channel.sent == []
    assert all(n.status == "failed" and "not the file" in n.status_reason for n in uow.notifications_stored())


def test_notify_receipts_mark_delivery(uow, deps, handle, decided):
    handle(f.document_generated(decided))
    deps.dispatch()
    ofsted = by_role(uow)["ofsted"]
    assert ledger.delivery_callback(uow, deps.clock, ofsted.notification_id, "delivered") is not None
    assert by_role(uow)["ofsted"].status == "delivered"
    assert ledger.delivery_callback(uow, deps.clock, "no-such-notification", "delivered") is None


# -- wiring -----------------------------------------------------------------------------------


def test_every_case_listener_is_on_the_one_rules_queue():
    # Account emails (invitations, password resets) belong to no case: they have a queue of their own.
    assert CONSUMERS == ("notifications.rules", "notifications.accounts", "notifications.reviews")
    assert listeners.queues()["notifications.accounts"] == ("account.link_issued",)
    assert set(listeners.queues()["notifications.rules"]) == {
        "referral.submitted",
        "case.screened",
        "decision.recorded",
        "decision.changed",
        "decision.confirmed",
        "document.generated",
        "reviewer.appointed",
        "deadline.due_soon",
        "deadline.overdue",
        "board.retention_set",  # the board's retention schedule (shared.retention)
        "publication.decided",  # not publishing: test_publication_mail.py
    }
