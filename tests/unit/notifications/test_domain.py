"""The notifications domain: which letter goes to whom, when to try again, which channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.domain import rules
from services.notifications.domain.delivery import RetryPolicy, choose_channel
from services.notifications.domain.rules import Cause

T0 = datetime(2027, 1, 8, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "cause", "template"),
    [
        ("decision_notification", Cause.DECISION_RECORDED, "decision_notification"),
        ("decision_notification", Cause.DECISION_CHANGED, "decision_changed_notification"),
        ("decision_notification", None, None),  # asked for by hand: not sent on its own
        ("ofsted_incident_notification", None, "ofsted_incident_notification"),
        ("case_group_letter", None, "case_group_letter"),
        ("referral_summary", None, None),
        ("screening_decision_record", Cause.DECISION_RECORDED, None),
    ],
)
def test_which_letters_are_sent_with_which_message(kind, cause, template):
    letter = rules.letter_rule(kind, cause)
    assert (letter.rule.template if letter else None) == template


def test_the_incident_goes_to_ofsted_only_and_decisions_to_the_three_national_bodies():
    assert rules.letter_rule("ofsted_incident_notification", None).rule.recipients == ("ofsted",)
    for cause in Cause:
        assert rules.letter_rule("decision_notification", cause).rule.recipients == rules.NATIONAL_BODIES


@pytest.mark.parametrize(
    ("concerns", "roles"),
    [
        ("chair", ["business_unit", "chair"]),
        ("board", ["business_unit"]),
        ("local_authority", ["business_unit", "local_authority"]),
        ("someone_new", ["business_unit"]),
        (None, ["business_unit"]),
    ],
)
def test_reminders_go_to_the_business_unit_and_whoever_the_deadline_concerns(concerns, roles):
    assert rules.recipient_roles(rules.DEADLINE_OVERDUE, concerns) == roles


def test_retries_back_off_exponentially_and_stop_when_the_window_closes():
    policy = RetryPolicy(window=timedelta(hours=4), base_seconds=30, cap_seconds=3600)
    assert policy.next_attempt(T0, T0, 1) == T0 + timedelta(seconds=30)
    assert policy.next_attempt(T0, T0, 3) == T0 + timedelta(seconds=120)
    assert policy.next_attempt(T0, T0, 20) == T0 + timedelta(hours=1)  # capped
    late = T0 + timedelta(hours=3, minutes=50)
    assert policy.next_attempt(late, T0, 9) == T0 + timedelta(hours=4)  # not past the window
    assert policy.next_attempt(T0 + timedelta(hours=4), T0, 10) is None


@pytest.mark.parametrize(
    ("chosen", "smtp", "notify", "channel"),
    [
        (None, True, True, "smtp"),
        (None, False, True, "notify"),
        ("notify", True, True, "notify"),
        ("notify", True, False, None),  # chose Notify, which is not configured: nothing, visibly
        ("smtp", False, True, None),
        (None, False, False, None),
    ],
)
def test_a_board_gets_the_channel_it_chose_if_it_is_configured(chosen, smtp, notify, channel):
    assert choose_channel(chosen, smtp_configured=smtp, notify_configured=notify) == channel
