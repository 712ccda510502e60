"""The reviews service's events on fakes: what the documents service keeps and the documents it makes."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from services.documents.adapters.repository import BoardInfo
from services.documents.bootstrap import dependencies
from services.documents.domain.kinds import check_context
from services.documents.domain.publication import pseudonymise
from services.documents.entrypoints import consumer
from shared.crypto import is_sealed_file

from .events import decision_recorded, new_case_id, received, referral_submitted
from .fakes import FakeDirectory, FakeRenderer, FakeUnitOfWork
from .review_events import (
    ANSWERS,
    SAAR_SECTIONS,
    accepted,
    entry,
    returned,
    submitted,
    terms_agreed,
)

BOARD = "b-north"
AGENCIES = {"police": "North Police", "health": "North Health", "education": "North Schools"}
CHRONOLOGY = "multi_agency_chronology"


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

    def deliver(self, *payloads: object) -> None:
        for payload in payloads:
            self.handler(received(payload))

    def versions(self, kind: str, agency: str | None = None) -> list[int]:
        return sorted(
            d.version for d in self.uow.documents.of_kind(kind) if agency is None or d.addressed_to == agency
        )


@pytest.fixture
def s() -> Setup:
    return Setup()


POLICE = [
    entry(date(2025, 6, 3), "Police called to the home", "22:10", pattern=True),
    entry(date(2025, 1, 5), "Police note a report of shouting"),
]
HEALTH = [
    entry(date(2025, 6, 3), "Health visitor sees the baby", "09:30", learning_point=True),
    entry(date(2025, 6, 3), "Health visitor phones the GP"),  # no time: first on its day
]


def test_a_submitted_chronology_makes_the_merged_chronology_in_date_and_time_order(s: Setup) -> None:
    s.deliver(submitted(s.case_id, BOARD, "police", entries=POLICE))
    s.deliver(submitted(s.case_id, BOARD, "health", entries=HEALTH))
    first, second = s.render.contexts(CHRONOLOGY)
    assert [e["event"] for e in first["entries"]] == [
        "Police note a report of shouting",
        "Police called to the home",
    ]
    rows = second["entries"]
    assert [(r["date"], r["time"], r["agency"]) for r in rows] == [
        (date(2025, 1, 5), "", "North Police"),
        (date(2025, 6, 3), "", "North Health"),
        (date(2025, 6, 3), "09:30", "North Health"),
        (date(2025, 6, 3), "22:10", "North Police"),
    ]
    assert rows[2]["significance"] == "Learning point" and rows[3]["significance"] == "Part of a pattern"
    assert rows[0]["source"] == "Record of 2025-01-05"
    assert second["contributors"][0] == {
        "agency": "North Health",
        "count": "2",
        "standing": "Submitted on 2 March 2026; not yet accepted by the panel",
    }
    assert second["provisional"] is True
    # Without agreed terms, the period is the one the entries cover.
    assert second["review_period"] == {"start": date(2025, 1, 5), "end": date(2025, 6, 3)}
    assert check_context(CHRONOLOGY, second) == []
    assert s.versions(CHRONOLOGY) == [1, 2]


def test_a_new_version_only_when_what_the_chronology_says_changes(s: Setup) -> None:
    s.deliver(submitted(s.case_id, BOARD, "police", entries=POLICE))
    event = received(accepted(s.case_id, BOARD, "police", entries=POLICE))
    s.handler(event)
    s.handler(event)  # a repeat: nothing changed, nothing more made
    assert s.versions(CHRONOLOGY) == [1, 2]
    latest = s.render.contexts(CHRONOLOGY)[-1]
    assert latest["provisional"] is False
    assert latest["contributors"][0]["standing"] == "Accepted by the panel on 9 March 2026"
    # An acceptance the record already holds (redelivered as a new event) changes nothing either.
    s.deliver(accepted(s.case_id, BOARD, "police", entries=POLICE))
    assert s.versions(CHRONOLOGY) == [1, 2]


def test_a_returned_chronology_leaves_the_merged_one(s: Setup) -> None:
    s.deliver(submitted(s.case_id, BOARD, "police", entries=POLICE))
    s.deliver(submitted(s.case_id, BOARD, "health", entries=HEALTH))
    s.deliver(returned(s.case_id, BOARD, "health"))
    latest = s.render.contexts(CHRONOLOGY)[-1]
    assert {r["agency"] for r in latest["entries"]} == {"North Police"}
    assert s.versions(CHRONOLOGY) == [1, 2, 3]
    s.deliver(returned(s.case_id, BOARD, "police"))  # nothing left to merge: no empty document
    assert s.versions(CHRONOLOGY) == [1, 2, 3]


def test_an_older_event_arriving_late_does_not_undo_a_newer_one(s: Setup) -> None:
    newer = received(accepted(s.case_id, BOARD, "police", entries=POLICE))
    older = dataclasses.replace(
        received(submitted(s.case_id, BOARD, "police", entries=POLICE[:1])),
        occurred_at=newer.occurred_at - timedelta(minutes=5),
    )
    s.handler(newer)
    s.handler(older)
    (record,) = s.uow.cases.stored.values()
    (kept,) = record.review.opened()
    assert kept.status == "accepted" and len(kept.entries) == 2
    assert s.versions(CHRONOLOGY) == [1]


def test_a_submitted_and_an_accepted_report_each_make_a_version_for_their_agency(s: Setup) -> None:
    sections = {**SAAR_SECTIONS}
    s.deliver(submitted(s.case_id, BOARD, "education", "single_agency_analysis_report", sections=sections))
    s.deliver(accepted(s.case_id, BOARD, "education", "single_agency_analysis_report", sections=sections))
    first, second = s.render.contexts("single_agency_analysis_report")
    assert first["agency"] == "North Schools"
    assert first["version"] == "Submitted on 2 March 2026; not yet accepted by the panel"
    assert second["version"] == "Accepted by the panel on 9 March 2026"
    assert first["facts"].startswith("An unexplained bruise")
    assert first["recommendations"] == [
        {"recommendation": "Every member of staff completes escalation training"},
        {"recommendation": "Appoint a deputy lead"},
    ]
    assert [a["action"] for a in first["action_plan"]] == [
        "Escalation training for all staff",
        "Weekly safeguarding meetings",
    ]
    assert check_context("single_agency_analysis_report", first) == []
    docs = [d for d in s.uow.documents.stored if d.kind == "single_agency_analysis_report"]
    assert [d.addressed_to for d in docs] == ["education", "education"]
    # The file name says the case and the agency, never the child.
    assert docs[0].filename.endswith("-education.docx") and "Jane" not in docs[0].filename
    assert s.render.contexts(CHRONOLOGY) == []  # a report is not a chronology


def test_answers_to_the_six_questions_make_the_questionnaire(s: Setup) -> None:
    s.deliver(submitted(s.case_id, BOARD, "health", "single_agency_review", answers=ANSWERS))
    (context,) = s.render.contexts("single_agency_review_questionnaire")
    assert context["agency"] == "North Health"
    assert context["answers"]["policy_support"] == "Our policy was silent on escalation."
    assert set(context["answers"]) == {
        "went_well",
        "learned",
        "barriers",
        "more_effective",
        "policy_support",
        "do_differently",
    }
    assert check_context("single_agency_review_questionnaire", context) == []


def test_what_the_review_says_is_kept_sealed_and_files_are_stored_sealed(s: Setup) -> None:
    s.deliver(submitted(s.case_id, BOARD, "police", entries=[entry(date(2025, 2, 1), "Zebedee visits")]))
    s.deliver(terms_agreed(s.case_id, BOARD, ["police"]))
    (record,) = s.uow.cases.stored.values()
    (kept,) = record.review.contributions
    assert "Zebedee" not in kept.content_sealed and kept.content_sealed.startswith("enc:")
    assert "neglect" not in record.review.terms_sealed
    assert record.review.opened()[0].entries[0].event == "Zebedee visits"
    assert s.uow.files.files and all(is_sealed_file(data) for data, _, _ in s.uow.files.files.values())


def test_agreed_terms_are_kept_and_set_the_chronology_period(s: Setup) -> None:
    s.deliver(terms_agreed(s.case_id, BOARD, ["police"]))
    s.deliver(submitted(s.case_id, BOARD, "police", entries=POLICE))
    (terms,) = s.render.contexts("terms_of_reference")
    assert terms["scope"].startswith("How agencies worked together")
    (chronology,) = s.render.contexts(CHRONOLOGY)
    assert chronology["review_period"] == {"start": date(2024, 11, 3), "end": date(2025, 11, 3)}
    assert chronology["period_basis"] == "As agreed in the terms of reference"


def test_an_agency_the_board_does_not_have_makes_no_report_and_no_dead_letter(s: Setup) -> None:
    s.deliver(submitted(s.case_id, BOARD, "fire", "single_agency_analysis_report", sections=SAAR_SECTIONS))
    assert s.render.contexts("single_agency_analysis_report") == []
