"""The collation of learning summaries (001 §7: the region's business managers collate them) as
CSV and as a Word document, with codes in plain English and dates in words."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from docx import Document

from services.reviews.adapters.learning_index import LearningEntry
from shared.words import long_date, plain

COLUMNS = (
    "Reference",
    "Board",
    "Kind of review",
    "Themes",
    "Agencies",
    "Completed",
    "Published",
    "Finished",
    "Summary",
    "What was learnt about the case",
    "What was learnt about the method",
    "Changes and who is making them",
)


def _row(e: LearningEntry) -> list[str]:
    return [
        e.reference or "",
        e.board_id,
        plain(e.review_kind),
        "; ".join(plain(t) for t in e.themes),
        "; ".join(e.agencies),
        long_date(e.completed_on),
        long_date(e.published_on),
        "Yes" if e.finished else "No",
        e.summary,
        e.case_learning,
        e.method_learning,
        e.changes,
    ]


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(entries: Sequence[LearningEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow([_safe(c) for c in _row(e)])
    return out.getvalue()


def to_docx(entries: Sequence[LearningEntry], today: date) -> bytes:
    doc = Document()
    doc.add_heading("Learning summaries: collation", level=1)
    doc.add_paragraph(f"{len(entries)} learning summaries, collated on {long_date(today)} (001 §7).")
    for e in entries:
        doc.add_heading(f"{e.reference or e.case_id}: {plain(e.review_kind)}", level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for name, value in zip(COLUMNS[1:], _row(e)[1:], strict=True):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = name, value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def annual_report_docx(
    year: int, reviews: Sequence[dict[str, Any]], agencies: dict[str, str], today: date
) -> bytes:
    """The board's annual report section: every review of the year with its findings, actions and
    impact (001 §2.1: findings of all reviews summarised in the annual report; 003 'Principles':
    the impact of reviews described there)."""
    doc = Document()
    doc.add_heading(f"Case reviews in {year}: findings, actions and impact", level=1)
    doc.add_paragraph(
        f"{len(reviews)} reviews with learning in {year}. "
        f"Prepared on {long_date(today)} for the board's annual report."
    )
    for r in reviews:
        doc.add_heading(f"{r['reference']}: {plain(r['review_kind'])}", level=2)
        if r["themes"]:
            doc.add_paragraph("Themes: " + ", ".join(plain(t) for t in r["themes"]))
        if r["published_on"]:
            doc.add_paragraph(f"Published on {long_date(r['published_on'])}.")
        doc.add_heading("Findings", level=3)
        doc.add_paragraph(r["summary"])
        doc.add_paragraph(r["findings"])
        doc.add_heading("Actions", level=3)
        if r["actions"]:
            table = doc.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ("Action", "Owner", "Due", "Standing"), strict=True):
                cell.text = text
            for a in r["actions"]:
                cells = table.add_row().cells
                standing = plain(a["status"]) + (
                    f" ({plain(a['rag'])})" if a["rag"] and a["status"] != "closed" else ""
                )
                cells[0].text = a["action"]
                cells[1].text = agencies.get(a["owner_agency"], plain(a["owner_agency"]))
                cells[2].text = long_date(a["due_on"])
                cells[3].text = standing
        else:
            doc.add_paragraph("No actions have been added to the action plan yet.")
        doc.add_heading("Impact", level=3)
        for line in r["impact"] or ["No action has been closed with evidence of its impact yet."]:
            doc.add_paragraph(line, style="List Bullet")
        doc.add_paragraph(f"How the impact is audited: {r['impact_audit']}")
        if r["products"]:
            doc.add_heading("Learning into practice", level=3)
            for p in r["products"]:
                doc.add_paragraph(
                    f"{plain(p['kind'])}: {p['title']}, {long_date(date.fromisoformat(p['date']))}, "
                    f"reached {p['reach']}",
                    style="List Bullet",
                )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
