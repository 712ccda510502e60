"""An absurd date in a case's record never breaks a document, nor sends its event to the dead letters.

The referral API refuses dates before 1900 or more than a year ahead, but the
documents service's record of a case is built from events, and old events may hold
year 1 or 9999. A document that would print such a date is refused with a 409 naming
the field; a date computed from one (the period under review, the date returns are
due) never overflows; a date the renderer cannot print is shown as given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.documents.adapters import render
from services.documents.adapters.render import render_docx
from services.documents.adapters.store import StoredDocument
from services.documents.domain.errors import UnprintableDates
from services.documents.domain.kinds import require_context

from .events import (
    case_screened,
    decision_recorded,
    new_case_id,
    received,
    referral_submitted,
    reviewer_appointed,
)
from .factories import make_case_context, set_path
from .support import docx_text

YEAR_ONE, LAST_DAY = date(1, 1, 1), date(9999, 12, 31)


def made(case_id: str) -> list[str]:
    return sorted(d.kind for d in StoredDocument.objects(case_id=case_id))


@pytest.mark.parametrize(
    ("referral", "decision", "refused"),
    [
        ({"incident_on": YEAR_ONE}, {}, "incident.date"),
        ({"board_notified_on": YEAR_ONE}, {}, "board_notified_on"),
        ({"child": {"name": "Jane Doe", "date_of_birth": "0001-01-01"}}, {}, "child.date_of_birth"),
        ({}, {"decided_on": LAST_DAY}, "decision.decided_on"),
        ({}, {"initiated_on": YEAR_ONE}, "decision.initiated_on"),
    ],
)
def test_events_with_an_absurd_date_are_handled_and_the_documents_printing_it_refused(
    world, referral, decision, refused
):
    case_id, board_id = new_case_id(), world.board.board_id
    world.deliver(  # returns: the events are acknowledged, not dead-lettered
        received(referral_submitted(case_id, board_id, **referral)),
        received(case_screened(case_id, board_id)),
        received(decision_recorded(case_id, board_id, **decision)),
        received(reviewer_appointed(case_id, board_id)),
    )
    assert len(made(case_id)) < 6  # what prints the date was not made
    kinds = ("referral_summary", "ofsted_incident_notification", "screening_decision_record")
    answers = [world.generate(case_id, kind) for kind in kinds]
    assert {a.status_code for a in answers} <= {202, 409}
    named = {e["field"] for a in answers if a.status_code == 409 for e in a.get_json()["errors"]}
    assert refused in named


def test_the_refusal_names_the_field_and_says_what_to_do_without_the_value(world):
    case_id = world.new_case(child={"name": "Jane Doe", "date_of_birth": "0001-01-01"})
    answer = world.generate(case_id, "referral_summary")
    assert answer.status_code == 409
    (error,) = answer.get_json()["errors"]
    assert error["field"] == "child.date_of_birth"
    assert "before 1900 or after 2100" in error["message"] and "correct it" in error["message"]
    assert "0001" not in str(answer.get_json())


def test_dates_computed_from_an_absurd_one_stop_at_the_calendars_ends(world):
    """Year 1 less twelve months, 9999 plus four weeks: named, not an overflow."""
    case_id, board_id = new_case_id(), world.board.board_id
    world.deliver(
        received(referral_submitted(case_id, board_id, incident_on=YEAR_ONE)),
        received(case_screened(case_id, board_id)),
        received(decision_recorded(case_id, board_id, decided_on=LAST_DAY, initiated_on=None)),
    )
    for kind, field in (("final_report_skeleton", "review_period.start"), ("case_group_letter", "return_by")):
        answer = world.generate(case_id, kind, recipient={"name": "A", "agency": "Police"})
        assert answer.status_code == 409
        assert field in {e["field"] for e in answer.get_json()["errors"]}


def test_dates_within_the_range_print_as_before():
    context = make_case_context()
    set_path(context, "incident.date", date(1900, 1, 1))
    set_path(context, "decision.decided_on", date(2100, 12, 31))
    assert "31 December 2100" in docx_text(render_docx("decision_notification", context))
    set_path(context, "decision.decided_on", date(2101, 1, 1))
    with pytest.raises(UnprintableDates) as caught:
        require_context("decision_notification", context)
    assert caught.value.fields == ["decision.decided_on"] and caught.value.status == 409


def test_a_date_the_renderer_cannot_print_is_shown_as_given():
    instant = datetime(1, 1, 1, tzinfo=UTC)  # no London time exists for it
    assert render.printed_date(instant) == instant.isoformat()
    assert render.printed_date(date(2025, 3, 14)) == "14 March 2025"
    assert render.printed_date(date(2025, 3, 14), month=True) == "March 2025"
    context = make_case_context(unused_instant=instant)  # a date no field declares
    assert docx_text(render_docx("referral_summary", context))
