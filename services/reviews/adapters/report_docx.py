"""An uploaded final report (.docx) read into the report's sections by its headings.

A heading (a paragraph in a Heading or Title style) that names a section of 002 §2.8 starts that
section; the paragraphs after it are its text. A document whose headings name none of the
sections is kept whole as one ``body`` (with its tables' text).
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError

from services.reviews.domain.report import BODY, SECTIONS
from shared.errors import InvalidInput

# Heading words -> section: the section titles, their codes, and the short names reports use.
ALIASES: dict[str, str] = {
    **{title.lower(): code for code, title in SECTIONS.items()},
    **{code.replace("_", " "): code for code in SECTIONS},
    "circumstances": "circumstances",
    "circumstances of the review": "circumstances",
    "background": "circumstances",
    "process": "process_and_methodology",
    "methodology": "process_and_methodology",
    "review process": "process_and_methodology",
    "participation": "participation",
    "family and practitioner participation": "participation",
    "good practice": "good_practice",
    "findings good practice": "good_practice",
    "improvement": "improvement",
    "areas for improvement": "improvement",
    "what must improve": "improvement",
    "findings where practice must improve": "improvement",
    "actions already taken": "actions_taken",
    "actions taken": "actions_taken",
    "conclusion": "conclusion",
    "conclusions": "conclusion",
    "recommendations": "recommendations",
    "practice challenges": "recommendations",
}


def _key(heading: str) -> str:
    words = re.sub(r"[^a-z ]+", " ", heading.lower())
    words = re.sub(r"^\s*(section|part)?\s*", "", words)
    return " ".join(words.split())


def section_of(heading: str) -> str | None:
    return ALIASES.get(_key(heading))


def read_sections(data: bytes) -> dict[str, str]:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvalidInput([{"field": "file", "message": "Choose a Word document (.docx)"}]) from exc
    sections: dict[str, list[str]] = {}
    whole: list[str] = []
    current: str | None = None
    for para in document.paragraphs:
        text = para.text.strip()
        style = (para.style.name if para.style is not None else "") or ""
        if not text:
            continue
        whole.append(text)
        if style.startswith(("Heading", "Title")):
            found = section_of(text)
            if found is not None:
                current = found
                sections.setdefault(found, [])
                continue
        if current is not None:
            sections[current].append(text)
    for table in document.tables:
        for row in table.rows:
            whole.append(" | ".join(c.text.strip() for c in row.cells))
    if not whole:
        raise InvalidInput([{"field": "file", "message": "The document has no text"}])
    if not sections:
        return {BODY: "\n".join(whole)}
    return {k: "\n".join(v) for k, v in sections.items()}
