"""``python -m services.backup create|verify|restore``: see :mod:`services.backup`.

Run it with the settings of the store to back up (the same environment as the services:
``EMBEDDED_STORE_DIR``, or ``MONGODB_URI`` and ``IDENTITY_MONGODB_URI``) and ``BACKUP_KEY``.
It exits 0 when done, 1 when the backup cannot be made, checked or restored (the reason on
standard error), 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from services.backup import BackupError, create, operator_settings, restore, verify
from shared.config import ConfigurationError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.backup", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="back up the store into one encrypted file")
    make.add_argument("--out", type=Path, help="the file to write (default backups/lscb-<time>.backup)")
    make.add_argument("--uri", action="append", help="a MongoDB database to dump (repeat per database)")
    check = commands.add_parser("verify", help="open a backup and check it against its manifest")
    check.add_argument("file", type=Path)
    put = commands.add_parser("restore", help="restore a backup into an empty store")
    put.add_argument("file", type=Path)
    put.add_argument("--target", type=Path, help="the embedded store's folder (default EMBEDDED_STORE_DIR)")
    put.add_argument("--uri", action="append", help="a MongoDB database to restore to (repeat per database)")
    put.add_argument("--force", action="store_true", help="replace a store that is not empty")
    return parser


def _summary(manifest: dict[str, object]) -> str:
    databases = manifest["databases"]
    assert isinstance(databases, dict)
    documents = sum(entry["documents"] for colls in databases.values() for entry in colls.values())
    collections = sum(len(colls) for colls in databases.values())
    return (
        f"{manifest['store']} store backed up at {manifest['created_at']}: "
        f"{collections} collections, {documents} documents"
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = operator_settings()
        if args.command == "create":
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            out = args.out or Path("backups") / f"lscb-{stamp}.backup"
            manifest = create(settings, out, uris=args.uri)
            print(f"{out}: {_summary(manifest)}")
        elif args.command == "verify":
            print(f"{args.file} is whole. {_summary(verify(args.file, settings))}")
        else:
            manifest = restore(args.file, settings, target=args.target, uris=args.uri, force=args.force)
            print(f"Restored {args.file}. {_summary(manifest)}")
    except (BackupError, ConfigurationError, OSError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
