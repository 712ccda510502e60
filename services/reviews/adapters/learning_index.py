"""The learning repository: every review's learning summary, searchable by words, theme, kind of
review, agency and year, across the boards of a region that chose to share (001 §7).

The word search is a small inverted index in the service's own collections, read with plain
``_id``/``$in`` lookups (which MongoDB, mongomock and the embedded store all answer from an index):

- ``learning_entries``: one document per review, what a search result shows;
- ``learning_postings``: one document per board and term, ``_id`` ``"<board>|<term>"``, listing
  the entries that hold the term as sort keys ``"<date>|<case_id>"`` (newest last when sorted).
  A term is a normalised word of the summary's text, or ``theme:<code>``, ``kind:<code>``,
  ``agency:<code>``, ``year:<yyyy>``; ``*`` lists every entry of the board.

A search intersects the postings of its terms per board it may see, and reads only the page of
entries it answers. The index is a read model: :func:`rebuild` makes it again from the entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from mongoengine import BooleanField, DateTimeField, Document, StringField

EVERYTHING = "*"
STOP_WORDS = frozenset(
    "a an and are as at be but by for from had has have he her his in into is it its of on or our "
    "she that the their them they this to was were what when which who will with would you".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The index's words of a text: lower case, accents dropped, stop words out, plurals singular."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = []
    for word in _WORD.findall(plain):
        if word in STOP_WORDS or len(word) < 2:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


@dataclass
class LearningEntry:
    case_id: str
    board_id: str
    reference: str | None
    review_kind: str
    themes: list[str]
    agencies: list[str]
    summary: str
    case_learning: str
    method_learning: str
    changes: str
    completed_on: date
    published_on: date | None = None
    finished: bool = False
    region: str | None = None
    extra_text: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return (self.published_on or self.completed_on).year

    @property
    def sort_key(self) -> str:
        return f"{(self.published_on or self.completed_on).isoformat()}|{self.case_id}"

    def terms(self) -> set[str]:
        text = " ".join(
            [
                self.reference or "",
                self.summary,
                self.case_learning,
                self.method_learning,
                self.changes,
                *self.extra_text,
            ]
        )
        found = {EVERYTHING, f"kind:{self.review_kind}", f"year:{self.year}"}
        found.update(words(text))
        found.update(f"theme:{t}" for t in self.themes)
        found.update(words(" ".join(t.replace("_", " ") for t in self.themes)))
        found.update(f"agency:{a}" for a in self.agencies)
        return found

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("extra_text")
        out["completed_on"] = self.completed_on.isoformat()
        out["published_on"] = self.published_on.isoformat() if self.published_on else None
        out["year"] = self.year
        return out

    def to_mongo(self) -> dict[str, Any]:
        out = asdict(self)
        out["_id"] = out.pop("case_id")
        out["completed_on"] = self.completed_on.isoformat()
        out["published_on"] = self.published_on.isoformat() if self.published_on else None
        out["sort_key"] = self.sort_key
        out["terms"] = sorted(self.terms())
        return out

    @classmethod
    def from_mongo(cls, data: dict[str, Any]) -> LearningEntry:
        given = {k: v for k, v in data.items() if k not in ("_id", "sort_key", "terms")}
        given["case_id"] = data["_id"]
        given["completed_on"] = date.fromisoformat(data["completed_on"])
        given["published_on"] = date.fromisoformat(data["published_on"]) if data.get("published_on") else None
        return cls(**given)


class LearningEntryDocument(Document):
    """Declared so that the store knows the collection; read and written as plain documents."""

    meta: dict[str, Any] = {"collection": "learning_entries", "strict": False, "indexes": ["board_id"]}
    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)


class LearningPostingDocument(Document):
    meta: dict[str, Any] = {"collection": "learning_postings", "strict": False}
    key = StringField(primary_key=True)


class LearningSharingDocument(Document):
    """A board's choice to share its learning with the other boards of its region (001 §7)."""

    meta: dict[str, Any] = {"collection": "learning_sharing", "indexes": ["region"]}
    board_id = StringField(primary_key=True)
    region = StringField(required=True)
    share = BooleanField(default=False)
    changed_at = DateTimeField()


def _key(board_id: str, term: str) -> str:
    return f"{board_id}|{term}"


def _entries() -> Any:
    return LearningEntryDocument._get_collection()


def _postings() -> Any:
    return LearningPostingDocument._get_collection()


def get(case_id: str) -> LearningEntry | None:
    found = _entries().find_one({"_id": case_id})
    return LearningEntry.from_mongo(found) if found else None


def put(entry: LearningEntry) -> None:
    """Store an entry and index it, in place of what it was."""
    old = _entries().find_one({"_id": entry.case_id})
    if old is not None:
        for term in old.get("terms", []):
            _postings().update_one(
                {"_id": _key(old["board_id"], term)}, {"$pull": {"entries": old["sort_key"]}}
            )
    doc = entry.to_mongo()
    _entries().replace_one({"_id": entry.case_id}, doc, upsert=True)
    for term in doc["terms"]:
        _postings().update_one(
            {"_id": _key(entry.board_id, term)}, {"$addToSet": {"entries": doc["sort_key"]}}, upsert=True
        )


def rebuild(entries: Iterable[LearningEntry]) -> int:
    """Store these entries and make the whole index again from every stored entry; how many."""
    docs = [entry.to_mongo() for entry in entries]
    if docs:
        _entries().delete_many({"_id": {"$in": [d["_id"] for d in docs]}})
        _entries().insert_many(docs)
    postings: dict[str, list[str]] = {}
    count = 0
    for doc in _entries().find({}, {"board_id": 1, "terms": 1, "sort_key": 1}):
        count += 1
        for term in doc["terms"]:
            postings.setdefault(_key(doc["board_id"], term), []).append(doc["sort_key"])
    _postings().delete_many({})
    if postings:
        _postings().insert_many([{"_id": k, "entries": v} for k, v in postings.items()])
    return count


class LearningFinishedDocument(Document):
    """A finished review (published, or not to be published), kept even before its summary is."""

    meta: dict[str, Any] = {"collection": "learning_finished"}
    case_id = StringField(primary_key=True)
    published_on = StringField()


def finished(case_id: str) -> tuple[bool, date | None]:
    """Whether the review is finished, and when it was published if it was."""
    found = LearningFinishedDocument._get_collection().find_one({"_id": case_id})
    if found is None:
        return False, None
    return True, date.fromisoformat(found["published_on"]) if found.get("published_on") else None


def mark_finished(case_id: str, published_on: date | None) -> LearningEntry | None:
    """The review is finished (published, or not to be published): say so, with the date."""
    LearningFinishedDocument._get_collection().update_one(
        {"_id": case_id},
        {"$set": {"published_on": published_on.isoformat() if published_on else None}},
        upsert=True,
    )
    entry = get(case_id)
    if entry is None:
        return None
    entry.finished = True
    entry.published_on = published_on or entry.published_on
    put(entry)
    return entry


def search(
    boards: Sequence[str],
    *,
    q: str = "",
    theme: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[LearningEntry], int]:
    """A page of the entries of these boards that hold every word and match every filter,
    newest first, and how many there are in all."""
    terms = set(words(q))
    if theme:
        terms.add(f"theme:{theme}")
    if kind:
        terms.add(f"kind:{kind}")
    if year:
        terms.add(f"year:{year}")
    if agency:
        terms.add(f"agency:{agency}")
    terms = terms or {EVERYTHING}
    keys = [_key(b, t) for b in boards for t in terms]
    found: dict[str, list[str]] = {d["_id"]: d["entries"] for d in _postings().find({"_id": {"$in": keys}})}
    matched: set[str] = set()
    for board in boards:
        lists = [found.get(_key(board, t)) or [] for t in terms]
        if any(not entries for entries in lists):
            continue
        lists.sort(key=len)
        hits = set(lists[0])
        for entries in lists[1:]:
            hits.intersection_update(entries)
        matched |= hits
    ordered = sorted(matched, reverse=True)
    start = (page - 1) * per_page
    wanted = [k.split("|", 1)[1] for k in ordered[start : start + per_page]]
    docs = {d["_id"]: d for d in _entries().find({"_id": {"$in": wanted}})}
    return [LearningEntry.from_mongo(docs[c]) for c in wanted if c in docs], len(ordered)


def visible_boards(board_id: str) -> list[str]:
    """The boards whose learning this board sees: its own, and if it shares, every board of its
    region that shares too."""
    mine = LearningSharingDocument.objects(board_id=board_id).first()
    if mine is None or not mine.share:
        return [board_id]
    others = LearningSharingDocument.objects(region=mine.region, share=True).only("board_id")
    return sorted({board_id, *(o.board_id for o in others)})


def set_sharing(board_id: str, region: str, share: bool) -> dict[str, Any]:
    LearningSharingDocument(
        board_id=board_id, region=region, share=share, changed_at=datetime.now(UTC)
    ).save()
    return {"board_id": board_id, "region": region, "share": share, "boards": visible_boards(board_id)}
