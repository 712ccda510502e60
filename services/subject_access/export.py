"""The export as a person receives it: JSON (everything, as held) and a Word document (to read)."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any

import docx
from docx.shared import Pt

from shared.words import long_date, plain

# Collections in words, for the Word document's headings.
TITLES = {
    "users": "Your account",
    "web_sessions": "Your sign-in sessions",
    "api_tokens": "Your API tokens",
    "account_links": "Links sent to you to set a password",
    "audit_log": "The audit log: what you did, and what was done to your records",
    "cases": "Referrals that name you",
    "referral_drafts": "Referrals you started",
    "reviews": "Reviews that name you (panel, family, contributions)",
    "notifications": "Messages sent to you",
    "recipients": "Where the board's directory lists you",
    "documents": "Documents recorded against your name",
    "documents (content)": "Documents that mention you",
}


def to_json(export: Mapping[str, Any]) -> str:
    return json.dumps(export, indent=2, sort_keys=True, ensure_ascii=False)


def _lines(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, Mapping):
        out: list[str] = []
        for key, item in value.items():
            label = f"{prefix} – {plain(key)}" if prefix else plain(key)
            out.extend(_lines(item, label))
        return out
    if isinstance(value, list):
        return [line for item in value for line in _lines(item, prefix)]
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        value = long_date(value)
    return [f"{prefix}: {value}" if prefix else str(value)]


def to_docx(export: Mapping[str, Any]) -> bytes:
    """A Word document: who asked, when, and each record found, field by field in plain words."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading("Personal data held about you", level=0)
    document.add_paragraph(f"Asked about: {export['subject']['asked']}")
    document.add_paragraph(f"Made on: {long_date(export['generated_at'])}")
    document.add_paragraph(
        "This lists every record the case review service holds that names you, as the law "
        "gives you the right to see (UK GDPR Article 15). Where a record is also about other "
        "people, only the parts about you are shown."
    )
    if not export["found"]:
        document.add_paragraph("No record names you.")
    for label, collections in export["found"].items():
        for collection, records in collections.items():
            document.add_heading(TITLES.get(collection, plain(collection)), level=1)
            document.add_paragraph(f"Kept in: {label}, {collection} ({len(records)} records)")
            for n, record in enumerate(records, start=1):
                document.add_heading(f"Record {n}", level=2)
                for line in _lines(record["record"]):
                    document.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
