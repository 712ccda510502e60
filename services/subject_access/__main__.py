"""``python -m services.subject_access "<name or email>"``: export what is held about a person.

``python -m services.subject_access erase "<email>" --requested-by "<who asked>"``: record an
erasure request and carry it out where the law allows (:mod:`.erasure`).

Run with the product's settings (the stores and ``FIELD_ENCRYPTION_KEYS``); give ``--uri`` once
for each service's MongoDB database the settings do not name. See :mod:`services.subject_access`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.uri_parser import parse_uri

from services.backup import operator_settings
from services.subject_access import export_for
from services.subject_access.erasure import SCOPES, carry_out
from services.subject_access.export import to_docx, to_json
from shared import crypto, store
from shared.config import ConfigurationError


def databases(uris: list[str] | None) -> dict[str, Any]:
    """The product's stores (as its settings name them) and each ``--uri``, by database name."""
    settings = operator_settings()
    crypto.configure(settings.FIELD_ENCRYPTION_KEYS)
    store.connect(settings)
    found = {
        db.name if alias == store.ALIAS else f"{db.name} (identity)": db
        for alias, db in store.databases().items()
    }
    for uri in uris or ():
        name = parse_uri(uri).get("database") or settings.MONGODB_DB
        found[name] = MongoClient(uri, tz_aware=True, uuidRepresentation="standard")[name]
    return found


def _export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.subject_access", description=__doc__)
    parser.add_argument("person", help="the person's email address, or their name as written")
    parser.add_argument("--out", type=Path, default=Path("subject-access"), help="the folder to write to")
    parser.add_argument("--uri", action="append", help="another service's MongoDB database")
    args = parser.parse_args(argv)
    export = export_for(args.person, databases(args.uri))
    args.out.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9]+", "-", args.person.lower()).strip("-") or "person"
    (args.out / f"{stem}.json").write_text(to_json(export), encoding="utf-8")
    (args.out / f"{stem}.docx").write_bytes(to_docx(export))
    count = sum(len(records) for colls in export["found"].values() for records in colls.values())
    print(f"{count} records name {args.person}: {args.out / stem}.json and .docx")
    return 0


def _erase(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.subject_access erase")
    parser.add_argument("person", help="the person's email address, or their name as written")
    parser.add_argument("--requested-by", required=True, help="who asked, as the request says")
    parser.add_argument("--scope", action="append", choices=SCOPES, help="what to erase (default: all)")
    parser.add_argument("--uri", action="append", help="another service's MongoDB database")
    args = parser.parse_args(argv)
    record = carry_out(
        databases(args.uri), args.person, requested_by=args.requested_by, scope=tuple(args.scope or SCOPES)
    )
    for result in record["results"]:
        reason = f": {result['reason']}" if result["action"] == "refused" else ""
        print(f"{result['collection']} {result['id']}: {result['action']}{reason}")
    print(f"Erasure request {record['_id']} recorded: {record['status']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _erase(argv[1:]) if argv[:1] == ["erase"] else _export(argv)
    except (ConfigurationError, ValueError, OSError) as exc:
        print(f"Subject access failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
