"""What the quality markers and the seeds ask a final report to show, and which section of a
version shows it (002 §2.8; 003 "Publication of reports"; the "Report" marker of the NSPCC/SCIE
list in :mod:`.quality`).

The check is deliberately plain: a point is *addressed* when the section that should carry it has
text (and, where the point names who took part, the text names them); it says nothing of how
well. What a reader alone can judge (plain English; publishable without redaction) is listed as
``for_the_panel``, never as passed. Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from services.reviews.domain.report import SECTIONS, Version

ADDRESSED, MISSING, FOR_THE_PANEL = "addressed", "missing", "for_the_panel"


@dataclass(frozen=True)
class Point:
    code: str
    asks: str
    source: str
    sections: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # each must appear in the sections' text, when given


POINTS: tuple[Point, ...] = (
    Point(
        "circumstances",
        "A summary of the circumstances that led to the review",
        "002 §2.8",
        ("circumstances",),
    ),
    Point("process", "The review process and methodology, briefly", "002 §2.8", ("process_and_methodology",)),
    Point(
        "participation",
        "How practitioners and the family took part and were heard",
        "002 §2.8; 002 §2.5",
        ("participation",),
        ("practitioner", "family"),
    ),
    Point("good_practice", "Good practice recognised, so it is sustained", "002 §2.8", ("good_practice",)),
    Point(
        "improvement",
        "How and where practice can improve, and why: what happened in the case and why",
        "002 §2.8; 003 publication of reports",
        ("improvement",),
    ),
    Point(
        "actions_taken",
        "What agencies have already done in response to the learning",
        "002 §2.8; 003 publication of reports",
        ("actions_taken",),
    ),
    Point(
        "conclusion",
        "A conclusion on how effective local practice was in safeguarding the child",
        "002 §2.8",
        ("conclusion",),
    ),
    Point(
        "recommendations",
        "What needs to happen to reduce the risk of it happening again",
        "003 publication of reports; 002 §2.8",
        ("recommendations",),
    ),
    Point(
        "plain_english",
        "Written in plain English, understood by professionals and the public alike",
        "003 publication of reports",
    ),
    Point(
        "publishable",
        "Publishable without amendment or redaction: nothing that identifies or harms a child"
        " or vulnerable adult",
        "003 publication of reports; DOMAIN.md data protection",
    ),
)


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}", text, re.IGNORECASE) is not None


def check(version: Version, family_names: tuple[str, ...] = ()) -> dict[str, Any]:
    """Each point with its status and the sections that address it; family members' names found
    in the text are named under ``publishable`` (the pseudonymised copy replaces them)."""
    out = []
    for p in POINTS:
        if not p.sections:
            item: dict[str, Any] = {
                "code": p.code,
                "asks": p.asks,
                "source": p.source,
                "status": FOR_THE_PANEL,
                "sections": [],
            }
            if p.code == "publishable":
                text = "\n".join(version.sections.values())
                found = sorted({n for n in family_names if n and _mentions(text, n)})
                item["names_found"] = found
            out.append(item)
            continue
        written = [s for s in p.sections if version.sections.get(s, "").strip()]
        text = "\n".join(version.sections.get(s, "") for s in written)
        unmet = [w for w in p.words if not _mentions(text, w)]
        status = ADDRESSED if written and not unmet else MISSING
        item = {"code": p.code, "asks": p.asks, "source": p.source, "status": status, "sections": written}
        if unmet and written:
            item["not_mentioned"] = unmet
        out.append(item)
    addressed = sum(1 for i in out if i["status"] == ADDRESSED)
    checkable = sum(1 for i in out if i["status"] != FOR_THE_PANEL)
    return {
        "version": version.number,
        "addressed": addressed,
        "of": checkable,
        "points": out,
        "sections": list(SECTIONS),
    }
