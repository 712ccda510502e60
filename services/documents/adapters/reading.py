"""A document as read-only web pages: headings, paragraphs and tables, nothing to download.

Used for family members, who may read the report before publication but not
keep it (002 §2.5). The text is taken from the stored Word file and shown as
escaped HTML by the page template, a screenful at a time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document as WordDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

BLOCKS_PER_PAGE = 25


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "table"
    text: str = ""
    level: int = 2
    rows: list[list[str]] = field(default_factory=list)


def blocks(docx: bytes) -> list[Block]:
    doc = WordDocument(io.BytesIO(docx))
    out: list[Block] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, doc)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            if style.startswith("Heading") or style == "Title":
                digits = "".join(ch for ch in style if ch.isdigit())
                out.append(Block("heading", text, level=min(int(digits or 1) + 1, 4)))
            else:
                out.append(Block("paragraph", text))
        elif tag == "tbl":
            table = Table(child, doc)
            rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
            if any(any(c for c in r) for r in rows):
                out.append(Block("table", rows=rows))
    return out


def pages(docx: bytes, per_page: int = BLOCKS_PER_PAGE) -> list[list[Block]]:
    items = blocks(docx)
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
