import copy
from dataclasses import replace
from datetime import date

import pytest

from shared.events import CATALOGUE, InvalidEvent, new_envelope, parse_envelope
from shared.events.documents import DocumentGenerated
from shared.events.ops import BusCheckRequested
from shared.events.referral import ReferralSubmitted, Referrer


def make_envelope(**overrides):
    payload = BusCheckRequested(check_id="c1", requested_by="referral")
    return new_envelope(replace(payload, **overrides), producer="referral")


def make_referral(**overrides) -> ReferralSubmitted:
    fields = {
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
        "summary": "A child was seriously injured at home.",
        "referrer": Referrer(name="A Officer", agency="police", email="a@police.example"),
        "child_sealed": None,
    }
    fields.update(overrides)
    return ReferralSubmitted(**fields)


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
    assert event.data == BusCheckRequested(check_id="c1", requested_by="referral")
    assert event.correlation_id == env["event_id"]  # a new chain starts at its first event


def test_correlation_and_causation_are_carried():
    env = new_envelope(
        BusCheckRequested(check_id="c", requested_by="x"),
        producer="scheduler",
        correlation_id="corr-1",
        causation_id="evt-0",
    )
    assert (env["correlation_id"], env["causation_id"]) == ("corr-1", "evt-0")


def test_publish_refuses_a_payload_breaking_its_schema_and_names_the_fields():
    bad = DocumentGenerated(
        case_id="",
        board_id="b",
        document_id="d",
        kind="referral_summary",
        version=0,
        filename="f.docx",
        content_type="application/x",
        content_hash="h",
    )
    with pytest.raises(InvalidEvent) as err:
        new_envelope(bad, producer="documents")
    assert set(err.value.errors["data"]) == {"case_id", "version"}


def test_an_event_type_cannot_be_built_without_its_required_fields():
    with pytest.raises(TypeError, match="document_id"):
        DocumentGenerated(case_id="c", board_id="b")  # type: ignore[call-arg]


def test_only_the_producers_the_catalogue_names_may_publish():
    with pytest.raises(InvalidEvent, match="scheduler is not a producer of referral.submitted"):
        new_envelope(make_referral(), producer="scheduler")


def test_what_is_not_a_catalogue_type_is_refused():
    with pytest.raises(InvalidEvent, match="not an event type"):
        new_envelope({"case_id": "c"}, producer="referral")


def test_receipt_tolerates_fields_added_by_a_newer_producer():
    env = make_envelope()
    env["data"]["added_later"] = 1
    assert parse_envelope(env).data == BusCheckRequested(check_id="c1", requested_by="referral")


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


def test_dates_travel_as_iso_strings_and_arrive_as_dates_in_typed_payloads():
    env = new_envelope(make_referral(), producer="referral")
    assert env["data"]["incident_on"] == "2026-02-27"
    received = parse_envelope(env).data
    assert isinstance(received, ReferralSubmitted)
    assert received.incident_on == date(2026, 2, 27)
    assert received.referrer == Referrer(name="A Officer", agency="police", email="a@police.example")


def test_each_event_type_is_declared_once_with_its_type_and_producers():
    types = [spec.type for spec in CATALOGUE]
    assert len(types) == len(set(types))
    for spec in CATALOGUE:
        assert spec.producers, spec.event_type
        assert spec.description, spec.event_type
        assert CATALOGUE.spec_for(spec.type) is spec
    assert {s.event_type for s in CATALOGUE} >= {
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
    }
