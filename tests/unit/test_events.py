import copy
from datetime import date

import pytest

from shared.events import CATALOGUE, InvalidEvent, new_envelope, parse_envelope


def make_envelope(**overrides):
    data = {"check_id": "c1", "requested_by": "referral"}
    data.update(overrides)
    return new_envelope("bus.check_requested", data, producer="referral")


def test_envelope_has_every_field_and_round_trips():
    env = make_envelope()
    assert set(env) == {
        "event_id",
        "event_type",
        "event_version",
        "occurred_at",
        "producer",
        "correlation_id",
        "causation_id",
        "data",
    }
    assert env["occurred_at"].endswith("+00:00")
    event = parse_envelope(env)
    assert event.event_type == "bus.check_requested"
    assert event.data == {"check_id": "c1", "requested_by": "referral"}
    assert event.correlation_id == env["event_id"]  # a new chain starts at its first event


def test_correlation_and_causation_are_carried():
    env = new_envelope(
        "bus.check_requested",
        {"check_id": "c", "requested_by": "x"},
        producer="scheduler",
        correlation_id="corr-1",
        causation_id="evt-0",
    )
    assert (env["correlation_id"], env["causation_id"]) == ("corr-1", "evt-0")


def test_publish_refuses_a_payload_missing_fields_and_names_them():
    with pytest.raises(InvalidEvent) as err:
        new_envelope("document.generated", {"case_id": "c"}, producer="documents")
    assert set(err.value.errors["data"]) == {"board_id", "document_id", "kind", "version"}


def test_publish_refuses_unknown_payload_fields():
    with pytest.raises(InvalidEvent) as err:
        make_envelope(child_name="Jane")
    assert "child_name" in err.value.errors["data"]


def test_receipt_tolerates_fields_added_by_a_newer_producer():
    env = make_envelope()
    env["data"]["added_later"] = 1
    assert "added_later" not in parse_envelope(env).data


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda e: e.pop("event_id"), "envelope is invalid"),
        (lambda e: e.update(event_version=7), "unknown event_version 7"),
        (lambda e: e.update(event_type="nothing.happened"), "unknown event type"),
        (lambda e: e.update(occurred_at="2026-01-01T10:00:00"), "envelope is invalid"),
        (lambda e: e.update(extra=1), "envelope is invalid"),
        (lambda e: e["data"].pop("check_id"), "payload is invalid"),
    ],
)
def test_receipt_refuses_bad_envelopes(mutate, reason):
    env = copy.deepcopy(make_envelope())
    mutate(env)
    with pytest.raises(InvalidEvent, match=reason):
        parse_envelope(env)


def test_receipt_refuses_a_non_object():
    with pytest.raises(InvalidEvent, match="not a JSON object"):
        parse_envelope(["a", "list"])


def test_dates_travel_as_iso_strings_and_arrive_as_dates():
    data = {
        "case_id": "c1",
        "board_id": "b1",
        "reference": "DEMO-1",
        "rule_pack": "wt2015",
        "incident_on": date(2026, 2, 27),
        "became_aware_on": date(2026, 3, 2),
        "board_notified_on": date(2026, 3, 3),
        "notifiable": True,
        "scr_required": True,
        "recommended": "serious_case_review",
        "agencies_involved": ["police"],
    }
    env = new_envelope("referral.submitted", data, producer="referral")
    assert env["data"]["incident_on"] == "2026-02-27"
    assert parse_envelope(env).data["incident_on"] == date(2026, 2, 27)


def test_catalogue_has_the_pipeline_events():
    for event_type in [
        "referral.submitted",
        "case.screened",
        "decision.recorded",
        "decision.challenged",
        "decision.changed",
        "reviewer.appointed",
        "deadline.due_soon",
        "deadline.overdue",
        "document.generated",
        "notification.sent",
        "notification.failed",
    ]:
        assert CATALOGUE.versions(event_type) == [1], event_type
