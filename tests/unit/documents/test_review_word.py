"""The review documents as Word files: the merged chronology is a landscape table in date and time
order, and it and one agency's report and answers open in LibreOffice."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from services.documents.adapters.pdf import to_pdf
from services.documents.adapters.render import render_docx
from services.documents.domain import contributions as co
from services.documents.domain.review_content import terms_of_reference_context

from .factories import make_case_context
from .review_events import ANSWERS, SAAR_SECTIONS, entry, terms_agreed
from .support import flat, need_soffice, pdf_text

AGENCIES = {"police": "North Police", "health": "North Health", "education": "North Schools"}


def _chronology(agency: str, *entries) -> co.AgencyContribution:
    return co.AgencyContribution(
        contribution_id=f"{agency}-c",
        agency=agency,
        kind=co.CHRONOLOGY,
        status=co.ACCEPTED if agency == "police" else co.SUBMITTED,
        submitted_on=date(2026, 3, 2),
        accepted_on=date(2026, 3, 9) if agency == "police" else None,
        entries=list(entries),
    )


MERGED = [
    _chronology(
        "police",
        entry(date(2025, 6, 3), "Officers attend a call at 22:10", "22:10"),
        entry(date(2025, 1, 5), "Officers note shouting"),
    ),
    _chronology("health", entry(date(2025, 6, 3), "Health visitor calls", "09:30", learning_point=True)),
    _chronology("education", entry(date(2025, 3, 1), "School records a bruise", statutory_event=False)),
]
IN_ORDER = [
    "Officers note shouting",
    "School records a bruise",
    "Health visitor calls",
    "Officers attend a call",
]


def _chronology_docx() -> bytes:
    context = make_case_context(**co.chronology_context(MERGED, AGENCIES, None))
    return render_docx("multi_agency_chronology", context)


def test_the_merged_chronology_is_a_landscape_table_in_date_and_time_order():
    document = Document(io.BytesIO(_chronology_docx()))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    table = document.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Date", "Time", "Agency", "What happened", "Source", "Significance"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[3] for r in rows] == [
        "Officers note shouting",
        "School records a bruise",
        "Health visitor calls",
        "Officers attend a call at 22:10",
    ]
    assert rows[0][:3] == ["5 January 2025", "", "North Police"]
    assert rows[2][1:3] == ["09:30", "North Health"] and rows[2][5] == "Learning point"
    contributors = [[c.text for c in r.cells] for r in document.tables[-2].rows[1:]]
    assert [r[0] for r in contributors] == ["North Health", "North Police", "North Schools"]
    assert contributors[1][2] == "Accepted by the panel on 9 March 2026"
    title = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert ["Case reference", "SCR-2025-014"] in title
    period = dict((r[0], r[1]) for r in title)["Period"]
    assert period.startswith("5 January 2025 to 3 June 2025")


def test_the_agreed_period_heads_the_chronology():
    terms = terms_agreed("c1", "b1", ["police"])
    context = co.chronology_context(MERGED, AGENCIES, (terms.period_from, terms.period_to))
    assert context["review_period"] == {"start": date(2024, 11, 3), "end": date(2025, 11, 3)}
    assert terms_of_reference_context(terms, AGENCIES)["agencies"] == [{"name": "North Police"}]


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    need_soffice()
    saar = co.AgencyContribution(
        "e", "education", co.SAAR, co.SUBMITTED, date(2026, 3, 2), sections=SAAR_SECTIONS
    )
    answers = co.AgencyContribution(
        "h",
        "health",
        co.SINGLE_AGENCY_REVIEW,
        co.ACCEPTED,
        date(2026, 3, 2),
        date(2026, 3, 9),
        answers=ANSWERS,
    )
    made = {
        "multi_agency_chronology": _chronology_docx(),
        "single_agency_analysis_report": render_docx(
            "single_agency_analysis_report", make_case_context(**co.saar_context(saar, "North Schools"))
        ),
        "single_agency_review_questionnaire": render_docx(
            "single_agency_review_questionnaire",
            make_case_context(**co.questionnaire_context(answers, "North Health")),
        ),
    }
    return {kind: to_pdf(docx) for kind, docx in made.items()}


def test_the_chronology_opens_in_libreoffice_with_its_entries_in_order(pdfs):
    words = flat(pdf_text(pdfs["multi_agency_chronology"]))
    places = [words.index(text) for text in IN_ORDER]
    assert places == sorted(places)


def test_one_agencys_report_and_answers_open_in_libreoffice(pdfs):
    report = flat(pdf_text(pdfs["single_agency_analysis_report"]))
    for text in ("North Schools", "One safeguarding lead held all the knowledge", "Appoint a deputy lead"):
        assert text in report
    assert "Submitted on 2 March 2026; not yet accepted by the panel" in report
    answers = flat(pdf_text(pdfs["single_agency_review_questionnaire"]))
    assert "Our policy was silent on escalation." in answers
    assert "Accepted by the panel on 9 March 2026" in answers
