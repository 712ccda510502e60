"""Finding what the stores hold about one person.

Every collection of every database given is read, except the bus's own bookkeeping. Each
record is opened first (sealed values decrypted with the field-encryption keys, sealed JSON
read), then searched at any depth for a string equal to one of the person's identifiers,
ignoring case and spacing: their email addresses, their names, and the ids of their accounts.

What a record gives the export:

- a record *about* the person by nature (their account, their sessions and tokens, audit
  entries, notifications and letters addressed to them, directory entries) is given whole,
  less secrets (password and token hashes);
- any other record (a case, a review) gives only the parts that name the person (the
  smallest object holding the match: the referrer, a panel member, a family member) and a few
  fields that say which record it is (its id, reference, board, dates). A case's child, other
  people and the case's narrative stay out: they are about other people (DPA 2018, Schedule 2
  Part 3 paragraph 16, other people's information in a subject access request).

Names are not unique: a record naming someone else of the same name is found too. The
export lists what matched and why, for the board to check before sending it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bson import ObjectId

from shared import crypto

# The bus's own bookkeeping: events in flight (each also applied to a record searched here), the
# ids of events handled, counters and the retention job's runs. No one's data of its own.
SKIPPED = {"bus_journal", "processed_messages", "referral_counters", "retention_runs"}
# Records about the person by nature: given whole (less secrets) when a field of their own names
# the person (the account's email, the notification's address, the entry's actor).
WHOLE = {
    "users",
    "web_sessions",
    "api_tokens",
    "account_links",
    "audit_log",
    "notifications",
    "recipients",
    "account_mail",
    "review_mail",
    "contribution_contacts",
    "referral_drafts",
    "erasure_requests",
}
# What says which record a part came from.
CONTEXT = ("_id", "reference", "case_reference", "case_id", "board_id", "kind", "created_at", "opened_on")
SECRET = re.compile(r"(^|_)(hash|secret|password|token)($|_)|^outbox|^applied_events$|lease_until$")


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Subject:
    """Who is asked about: what was given, and every identifier found for them."""

    asked: str
    emails: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    user_ids: set[str] = field(default_factory=set)

    def terms(self) -> set[str]:
        return {normal(t) for t in self.emails | self.names | self.user_ids if t}


def identify(asked: str, databases: Mapping[str, Any]) -> Subject:
    """The person's identifiers: what was asked, and the accounts with that email or name."""
    subject = Subject(asked.strip())
    if "@" in asked:
        subject.emails.add(asked.strip())
    else:
        subject.names.add(asked.strip())
    pattern = re.compile(f"^\\s*{re.escape(asked.strip())}\\s*$", re.IGNORECASE)
    for db in databases.values():
        if "users" not in db.list_collection_names():
            continue
        for user in db["users"].find({"$or": [{"email": pattern}, {"name": pattern}]}):
            subject.user_ids.add(str(user["_id"]))
            subject.emails.add(user["email"])
            subject.names.add(user["name"])
    return subject


def opened(value: Any) -> Any:
    """``value`` with every sealed string opened (and sealed JSON read), at any depth."""
    if isinstance(value, str) and value.startswith(crypto.PREFIX):
        try:
            text = crypto.decrypt(value)
        except ValueError:
            return "(sealed with a key not given)"
        try:
            return opened(json.loads(text))
        except ValueError:
            return text
    if isinstance(value, Mapping):
        return {k: opened(v) for k, v in value.items()}
    if isinstance(value, list):
        return [opened(v) for v in value]
    return value


def matches(value: Any, terms: set[str], path: str = "") -> Iterator[tuple[str, Mapping[str, Any] | None]]:
    """(path, the object holding the match) for every string in ``value`` equal to a term."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(item, str) and normal(item) in terms:
                yield where, value
            else:
                yield from matches(item, terms, where)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            if isinstance(item, str) and normal(item) in terms:
                yield f"{path}[{n}]", None
            else:
                yield from matches(item, terms, f"{path}[{n}]")


def plain(value: Any) -> Any:
    """A stored value as JSON can carry it, less secrets."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items() if not SECRET.search(str(k))}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, bytes):
        return f"({len(value)} bytes)"
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def found_in(collection: str, doc: Mapping[str, Any], terms: set[str]) -> dict[str, Any] | None:
    """What one record gives the export, or None when it does not name the person."""
    record: dict[str, Any] = opened(doc)
    hits = list(matches(record, terms))
    if not hits:
        return None
    paths = sorted({path for path, _ in hits})
    if collection in WHOLE and any(holder is record for _, holder in hits):
        return {"id": plain(doc["_id"]), "matched": paths, "record": plain(record)}
    given: dict[str, Any] = {k: record[k] for k in CONTEXT if k in record}
    parts = []
    for path, holder in hits:
        if holder is record:
            given[path] = record[path]
        elif holder is not None:
            parts.append({"at": path.rsplit(".", 1)[0], "value": holder})
        else:
            parts.append({"at": path, "value": normal_value(record, path)})
    if parts:
        given["about_them"] = parts
    return {"id": plain(doc["_id"]), "matched": paths, "record": plain(given)}


def normal_value(record: Mapping[str, Any], path: str) -> Any:
    """The value at a list path such as ``panel_emails[0]`` (the matched string itself)."""
    name, _, rest = path.partition("[")
    value: Any = record
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    index = int(rest.split("]")[0]) if rest else None
    return value[index] if isinstance(value, list) and index is not None else value


def search(databases: Mapping[str, Any], subject: Subject) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Database label -> collection -> what each record naming the person gives."""
    terms = subject.terms()
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for label, db in databases.items():
        for collection in sorted(db.list_collection_names()):
            if collection in SKIPPED or collection.startswith("system.") or "." in collection:
                continue
            for doc in db[collection].find({}):
                hit = found_in(collection, doc, terms)
                if hit is not None:
                    out.setdefault(label, {}).setdefault(collection, []).append(hit)
    return out


def files_mentioning(db: Any, terms: set[str], bucket: str = "document_files") -> list[dict[str, Any]]:
    """The documents (Word files) whose text names the person: each with the paragraphs that do."""
    import io

    import docx
    import gridfs

    if "documents" not in db.list_collection_names() or f"{bucket}.files" not in db.list_collection_names():
        return []
    files = gridfs.GridFS(db, collection=bucket)
    found = []
    keep = ("case_reference", "case_id", "board_id", "kind", "version", "filename", "created_at")
    for meta in db["documents"].find({}, {"outbox": 0}):
        try:
            stored = files.get(meta["file_id"]).read()
            content = crypto.open_file(stored) if crypto.is_sealed_file(stored) else stored
            paragraphs = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
            mentions = [p for p in paragraphs if any(t in normal(p) for t in terms)]
        except Exception:  # noqa: BLE001 - a file that cannot be read is named, for a person to check
            mentions = ["(this file could not be read: check it by hand)"]
        if mentions:
            record = {k: meta[k] for k in keep if k in meta}
            record["mentions"] = mentions
            found.append({"id": plain(meta["_id"]), "matched": ["text"], "record": plain(record)})
    return found
