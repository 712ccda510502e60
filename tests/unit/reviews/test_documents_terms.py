"""The documents service renders the terms of reference the panel agreed, from the event alone."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from services.documents.adapters.render import render_docx
from services.documents.adapters.repository import BoardInfo
from services.documents.bootstrap import dependencies
from services.documents.domain.kinds import check_context
from services.documents.domain.publication import pseudonymise
from services.documents.entrypoints import consumer
from shared.events.reviews import PanelSeat, TermsOfReferenceAgreed
from tests.unit.documents.events import decision_recorded, new_case_id, received, referral_submitted
from tests.unit.documents.fakes import FakeDirectory, FakeRenderer, FakeUnitOfWork

BOARD = "b-north"
AGREED_ON = date(2026, 1, 12)


def agreed(case_id: str, **overrides) -> TermsOfReferenceAgreed:
    given = {
        "case_id": case_id,
        "board_id": BOARD,
        "review_kind": "serious_case_review",
        "agreed_on": AGREED_ON,
        "method": "systems",
        "breadth_and_depth": "How agencies worked together in the year before the incident",
        "focus_questions": ["Was the risk of neglect recognised?", "Was the father's role known?"],
        "period_from": date(2024, 11, 3),
        "period_to": date(2025, 11, 3),
        "agencies": ["police", "health"],
        "parallel_processes": ["criminal_investigation"],
        "proportionality_rationale": "Grave concerns about how agencies worked together",
        "case_factors": ["practice_concern_gravity_complexity"],
        "context_factors": ["public_interest"],
        "reviewer_skills": "Accredited in the systems approach",
        "panel": [
            PanelSeat(name="Dr Lee", role="lead_reviewer", organisation="Independent Reviews Ltd"),
            PanelSeat(name="Pat Panel", role="panel_chair", organisation="Education", agency="police"),
        ],
    }
    given.update(overrides)
    return TermsOfReferenceAgreed(**given)


@pytest.fixture
def setup():
    uow = FakeUnitOfWork(
        FakeDirectory(
            boards={BOARD: BoardInfo(BOARD, "North Partnership", "North Council")},
            agencies={BOARD: {"police": "North Police", "health": "North Health"}},
        )
    )
    render = FakeRenderer()
    deps = dependencies(uow=uow, render_docx=render, pseudonymise=pseudonymise, today=lambda: AGREED_ON)
    (sub,) = consumer.subscriptions(deps.as_dict())
    return uow, render, sub.handler


def test_agreed_terms_produce_the_terms_of_reference_document_once(setup):
    uow, render, deliver = setup
    case_id = new_case_id()
    deliver(received(referral_submitted(case_id, BOARD)))
    deliver(received(decision_recorded(case_id, BOARD)))
    event = received(agreed(case_id))
    deliver(event)
    deliver(event)  # a repeat makes nothing more
    (context,) = render.contexts("terms_of_reference")
    assert check_context("terms_of_reference", context) == []
    assert context["scope"].startswith("How agencies worked together")
    assert context["focus_questions"][1] == "Was the father's role known?"
    assert context["review"]["methodology"] == "Serious Case Review (Systems approach)"
    assert context["review_period"] == {"start": date(2024, 11, 3), "end": date(2025, 11, 3)}
    assert context["agencies"] == [{"name": "North Police"}, {"name": "North Health"}]
    assert context["lead_reviewers"] == [{"name": "Dr Lee", "organisation": "Independent Reviews Ltd"}]
    assert context["review_panel"] == [{"name": "Pat Panel", "role": "Panel chair", "agency": "North Police"}]
    assert context["proportionality"]["context_factors"] == [{"factor": "Public interest in the case"}]
    assert context["parallel_processes"] == ["Criminal investigation"]
    stored = [d for d in uow.documents.stored if d.kind == "terms_of_reference"]
    assert len(stored) == 1 and stored[0].caused_by == event.event_id


def test_the_terms_render_as_a_word_document(setup):
    uow, render, deliver = setup
    case_id = new_case_id()
    deliver(received(referral_submitted(case_id, BOARD)))
    deliver(received(decision_recorded(case_id, BOARD)))
    deliver(received(agreed(case_id)))
    (context,) = render.contexts("terms_of_reference")
    with zipfile.ZipFile(io.BytesIO(render_docx("terms_of_reference", context))) as docx:
        text = docx.read("word/document.xml").decode()
    for words in ("Was the risk of neglect recognised?", "Accredited in the systems approach", "Dr Lee"):
        assert words in text
