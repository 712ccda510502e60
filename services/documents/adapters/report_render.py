"""The final report (002 §2.8) and the board's response sent with it (002 §2.9; 003 "Publication
of reports") as Word documents, from the sections the reviews service wrote.

No template file: the report is the board's own text, in its order, under the section headings;
the board's response sets out the publication timeline, the actions already taken and the
recommendations of the signed-off report.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from docx import Document

# 002 §2.8, in the reviews service's order and words (the event carries the codes).
SECTION_TITLES: dict[str, str] = {
    "circumstances": "Circumstances that led to the review",
    "process_and_methodology": "Review process and methodology",
    "participation": "Participation of practitioners and family",
    "good_practice": "Findings: good practice",
    "improvement": "Findings: where practice must improve",
    "actions_taken": "Actions already taken",
    "conclusion": "Conclusion on the effectiveness of local practice",
    "recommendations": "Recommendations and practice challenges",
    "body": "Report",
}


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _paragraphs(document: object, text: str) -> None:
    for line in text.splitlines() or [""]:
        if line.strip():
            document.add_paragraph(line.strip())  # type: ignore[attr-defined]


def _bytes(document: object) -> bytes:
    buf = io.BytesIO()
    document.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def final_report(reference: str, version: int, sections: Mapping[str, str]) -> bytes:
    document = Document()
    document.add_heading(f"Case review report: {reference}", 0)
    document.add_paragraph(f"Version {version}")
    for code, title in SECTION_TITLES.items():
        if sections.get(code, "").strip():
            document.add_heading(title, 1)
            _paragraphs(document, sections[code])
    return _bytes(document)


def board_response(
    reference: str,
    version: int,
    sections: Mapping[str, str],
    sent_on: date,
    planned_publication_on: date | None,
) -> bytes:
    document = Document()
    document.add_heading(f"The board's response: {reference}", 0)
    document.add_heading("Publication", 1)
    document.add_paragraph(
        f"Version {version} of the report, as the board signed it off, went to Ofsted, the "
        f"Department for Education and the National Panel on {_long(sent_on)}."
    )
    if planned_publication_on is not None:
        document.add_paragraph(f"The board plans to publish it on {_long(planned_publication_on)}.")
    for code, heading in (
        ("actions_taken", "Actions already taken in response to the review"),
        ("recommendations", "What more will be done: the recommendations the board accepted"),
    ):
        document.add_heading(heading, 1)
        _paragraphs(document, sections.get(code, "") or "None recorded in the report.")
    return _bytes(document)
