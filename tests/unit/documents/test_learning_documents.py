"""The learning summary and the board's response and action plan, made from the reviews service's
events: what the documents service keeps, the documents it makes, and the Word files opening in
LibreOffice with what the board wrote."""

from __future__ import annotations

from datetime import date

import pytest

from services.documents.adapters.learning_record import LearningRecord
from services.documents.adapters.pdf import to_pdf
from services.documents.adapters.render import render_docx
from services.documents.adapters.repository import BoardInfo
from services.documents.bootstrap import dependencies
from services.documents.domain.kinds import check_context
from services.documents.domain.publication import pseudonymise
from services.documents.entrypoints import consumer
from services.documents.service_layer import learning
from shared.crypto import PREFIX
from shared.events.report import ActionPlanResponseRecorded, PublicationPlanned
from shared.events.reviews import ActionAdded, ActionClosed, ActionProgressReported, LearningSummaryCompleted

from .events import decision_recorded, new_case_id, received, referral_submitted
from .factories import make_case_context
from .fakes import FakeDirectory, FakeRenderer, FakeUnitOfWork
from .support import flat, need_soffice, pdf_text

BOARD = "b-north"
AGENCIES = {"police": "North Police", "health": "North Health"}


class Setup:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork(
            FakeDirectory(
                boards={BOARD: BoardInfo(BOARD, "North Partnership", "North Council")},
                agencies={BOARD: AGENCIES},
            )
        )
        self.render = FakeRenderer()
        deps = dependencies(
            uow=self.uow, render_docx=self.render, pseudonymise=pseudonymise, today=lambda: date(2026, 3, 10)
        )
        (sub,) = consumer.subscriptions(deps.as_dict())
        self.handler = sub.handler
        self.case_id = new_case_id()
        self.deliver(referral_submitted(self.case_id, BOARD), decision_recorded(self.case_id, BOARD))

    def deliver(self, *payloads: object) -> list:
        events = [received(p) for p in payloads]
        for event in events:
            self.handler(event)
        return events


@pytest.fixture
def s() -> Setup:
    return Setup()


def summary(case_id: str, **overrides) -> LearningSummaryCompleted:
    given = {
        "case_id": case_id,
        "board_id": BOARD,
        "reference": "NP-2026-001",
        "review_kind": "serious_case_review",
        "board_area": "North",
        "completed_on": date(2026, 3, 9),
        "review_type": "Systems approach, independent chair",
        "incident_month": "2025-11",
        "summary": "Missed appointments and unseen neglect",
        "case_learning": "Missed appointments were not followed up",
        "method_learning": "The learning event worked well",
        "single_agency_recommendations": "1. Follow up two missed appointments\n2. Ask about drinking",
        "multi_agency_recommendations": "- Share neglect concerns early",
        "changes": "Health lead revises the policy",
        "impact_audit": "Case-file audit of 40 families",
        "other_comments": "",
        "themes": ["neglect"],
    }
    return LearningSummaryCompleted(**{**given, **overrides})


def action(case_id: str, cls=ActionAdded, **more):
    given = {
        "case_id": case_id,
        "board_id": BOARD,
        "reference": "NP-2026-001",
        "action_id": "a1",
        "recommendation": "Share concerns about neglect early",
        "action": "Neglect screening at the first health visit",
        "owner_agency": "health",
        "owner_email": "lead.nurse@example.org",
        "due_on": date(2026, 6, 30),
        "success_measure": "Nine in ten first visits screened",
    }
    return cls(**{**given, **more})


def response(case_id: str) -> ActionPlanResponseRecorded:
    return ActionPlanResponseRecorded(
        case_id=case_id,
        board_id=BOARD,
        review_kind="serious_case_review",
        recorded_on=date(2026, 3, 10),
        feedback_practitioners="A briefing for the case group in April",
        feedback_family="The chair meets the mother before publication",
        dissemination=["Seven-minute briefing", "Newsletter"],
    )


def test_the_learning_summary_is_made_from_its_event_with_every_field(s: Setup) -> None:
    s.deliver(summary(s.case_id))
    (context,) = s.render.contexts("learning_summary")
    assert check_context("learning_summary", context) == []
    assert context["incident_month"] == date(2025, 11, 1)
    assert context["recommendations_single_agency"] == [
        "Follow up two missed appointments",
        "Ask about drinking",
    ]
    assert context["recommendations_multi_agency"] == ["Share neglect concerns early"]
    assert context["review"]["methodology"] == "Systems approach, independent chair"
    kept = LearningRecord.find(s.case_id)
    assert kept.summary_sealed.startswith(PREFIX) and "drinking" not in kept.summary_sealed  # sealed
    s.deliver(summary(s.case_id, case_learning="Changed"))
    assert [c["case_learning"] for c in s.render.contexts("learning_summary")] == [
        "Missed appointments were not followed up",
        "Changed",
    ]


def test_a_repeated_event_makes_no_second_version(s: Setup) -> None:
    (event,) = s.deliver(summary(s.case_id))
    s.handler(event)
    assert len(s.render.contexts("learning_summary")) == 1


def test_the_action_plan_waits_for_the_boards_response_then_follows_every_change(s: Setup) -> None:
    s.deliver(action(s.case_id, added_on=date(2026, 3, 2), plan_agreed_on=date(2026, 3, 2)))
    assert s.render.contexts("board_response_action_plan") == []  # no feedback nor dissemination yet
    assert learning.unavailable("board_response_action_plan", s.case_id)
    s.deliver(
        response(s.case_id),
        PublicationPlanned(case_id=s.case_id, board_id=BOARD, planned_publication_on=date(2026, 6, 1)),
    )
    progress = action(
        s.case_id, ActionProgressReported, reported_on=date(2026, 4, 1), rag="amber", note="Half trained"
    )
    s.deliver(progress)
    s.deliver(
        action(s.case_id, ActionClosed, closed_on=date(2026, 5, 1), evidence_of_impact="37 of 40 screened")
    )
    contexts = s.render.contexts("board_response_action_plan")
    # The response alone lacks the planned publication date the plan must give: then 3 versions.
    assert len(contexts) == 3  # the publication date, the progress, the closing
    last = contexts[-1]
    assert check_context("board_response_action_plan", last) == []
    assert last["publication"]["planned_on"] == date(2026, 6, 1)
    (row,) = last["actions"]
    assert row["owner"] == "North Health (lead.nurse@example.org)" and row["due_by"] == date(2026, 6, 30)
    assert row["status"] == "Closed on 1 May 2026: 37 of 40 screened"
    assert contexts[1]["actions"][0]["status"] == "Amber on 1 April 2026: Half trained"
    assert last["actions_taken"] == ["Neglect screening at the first health visit: 37 of 40 screened"]
    assert learning.unavailable("board_response_action_plan", s.case_id) is None


def test_the_word_files_open_in_libreoffice_with_what_the_board_wrote(s: Setup) -> None:
    need_soffice()
    s.deliver(
        summary(s.case_id), action(s.case_id, added_on=date(2026, 3, 2), plan_agreed_on=date(2026, 3, 2))
    )
    s.deliver(response(s.case_id))
    s.deliver(PublicationPlanned(case_id=s.case_id, board_id=BOARD, planned_publication_on=date(2026, 6, 1)))
    made = {}
    for kind in ("learning_summary", "board_response_action_plan"):
        context = make_case_context(**s.render.contexts(kind)[-1])
        made[kind] = flat(pdf_text(to_pdf(render_docx(kind, context))))
    assert "Missed appointments were not followed up" in made["learning_summary"]
    assert "Case-file audit of 40 families" in made["learning_summary"]
    assert "Neglect screening at the first health visit" in made["board_response_action_plan"]
    assert "The chair meets the mother before publication" in made["board_response_action_plan"]
