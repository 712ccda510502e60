"""Backups of the product's stores: ``python -m services.backup create|verify|restore``.

- **create** copies the store this process's settings name, with a manifest, into one
  file sealed with ``BACKUP_KEY`` (:mod:`.sealed`): the embedded store's SQLite file copied
  with SQLite's online backup API while the product may keep running (:mod:`.embedded`), or
  each MongoDB database (``MONGODB_URI``, ``IDENTITY_MONGODB_URI``, or ``--uri`` given
  once per service's database) dumped by ``mongodump`` (:mod:`.mongo`).
- **verify** opens the file with the key and checks the manifest against what is inside:
  each file's SHA-256, and for the embedded store every collection's document count and
  digest, counted again from the copy.
- **restore** verifies first, then puts the copy in place. It refuses a target that holds
  any document unless ``--force`` is given, and an embedded folder a running product holds.

The manifest (``manifest.json`` inside the file) records when the backup was made, the kind
of store, and every collection's document count and digest.

Backups hold personal data (UK GDPR Art. 5(1)(f), security; Art. 32): they are encrypted
with a key of their own, kept apart from the field-encryption keys, so that a copy of the
backups alone reveals nothing. Records erased or past the retention schedule
(:mod:`shared.retention`) stay in the backups until these expire. The ICO's guidance on the
right to erasure (UK GDPR, a reproduction at https://sites.google.com/view/article-17-gdpr/home)
says an erasure may be done at once in live systems while the data stays in backups for a set
time, if people are told so; and where deletion is not possible, data is to be put "beyond
use" (ICO, law enforcement guide, the right to erasure and restriction,
https://ico.org.uk/for-organisations/guide-to-law-enforcement-processing-part-3-of-the-dp-act-2018/individual-rights/the-right-to-erasure-and-the-right-to-restriction/).
Here a backup is sealed and restored only by an operator, who then applies the schedule and
the erasure requests recorded since (``erasure_requests``) again.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.backup import embedded, mongo
from services.backup.sealed import BackupError, cipher, seal, unseal_to
from shared.config import Settings, load_settings
from shared.embedded_store import FolderInUse, hold_folder

FORMAT = 1
MANIFEST = "manifest.json"
EMBEDDED, MONGODB = "embedded", "mongodb"

__all__ = ["BackupError", "create", "operator_settings", "opened", "restore", "verify"]


def operator_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings of an operator's command (a backup, a subject access export).

    Read as the services read them, but without the start checks of production (the broker's
    address, the session secret): such a command needs only the stores and its own key, which
    it checks itself. ``APP_ENV`` stays what it is, so production's rules on keys still apply.
    """
    env = dict(os.environ if environ is None else environ)
    app_env = env.get("APP_ENV", "development")
    settings = load_settings({**env, "APP_ENV": "development"})
    return settings.with_overrides(APP_ENV=app_env)


def _sha256(path: Path) -> str:
    return mongo.sha256_of(path)


def _uris(settings: Settings, given: list[str] | None) -> list[str]:
    if given:
        return given
    uris = [settings.MONGODB_URI]
    if settings.IDENTITY_MONGODB_URI and settings.IDENTITY_MONGODB_URI != settings.MONGODB_URI:
        uris.append(settings.IDENTITY_MONGODB_URI)
    return uris


def create(settings: Settings, out: Path, *, uris: list[str] | None = None) -> dict[str, Any]:
    """Back up the store ``settings`` name into ``out``; returns the manifest."""
    key = cipher(settings)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "store": EMBEDDED if settings.embedded_store and not uris else MONGODB,
        "files": {},
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="lscb-backup-") as work:
        folder = Path(work)
        if manifest["store"] == EMBEDDED:
            if not settings.EMBEDDED_STORE_DIR:
                raise BackupError("the store is in this process's memory only: there is nothing to back up")
            copy = folder / embedded.STORE_FILE
            embedded.snapshot(Path(settings.EMBEDDED_STORE_DIR).resolve(), copy)
            manifest["databases"] = embedded.describe(copy)
            manifest["files"][copy.name] = {"sha256": _sha256(copy), "bytes": copy.stat().st_size}
        else:
            mongo.require("mongodump")
            for uri in _uris(settings, uris):
                db_name = mongo.database_of(uri, settings.MONGODB_DB)
                manifest["databases"][db_name] = mongo.counts(uri, db_name)
                archive = folder / f"{db_name}.archive.gz"
                digest = mongo.dump(uri, db_name, archive)
                manifest["files"][archive.name] = {
                    "sha256": digest,
                    "bytes": archive.stat().st_size,
                    "database": db_name,
                }
        bundle = folder / "bundle.tar"
        with tarfile.open(bundle, "w") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name in manifest["files"]:
                tar.add(folder / name, arcname=name)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with bundle.open("rb") as source, partial.open("wb") as target:
            seal(source, target, key)
        partial.replace(out)
    return manifest


@contextmanager
def opened(path: Path, settings: Settings) -> Iterator[tuple[dict[str, Any], Path]]:
    """The backup's manifest and a folder holding its files, each checked against the manifest."""
    key = cipher(settings)
    with tempfile.TemporaryDirectory(prefix="lscb-restore-") as work:
        folder = Path(work)
        bundle = folder / "bundle.tar"
        unseal_to(path, bundle, key)
        try:
            with tarfile.open(bundle, "r") as tar:
                manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
                for name in manifest["files"]:
                    if "/" in name or name.startswith("."):
                        raise BackupError(f"the backup names a file outside itself: {name!r}")
                    tar.extract(name, folder, filter="data")
        except (tarfile.TarError, KeyError, ValueError, AttributeError) as exc:
            raise BackupError(f"{path} opened but its contents are not a backup: {exc}") from None
        bundle.unlink()
        _check(manifest, folder)
        yield manifest, folder


def _check(manifest: dict[str, Any], folder: Path) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError(f"the backup's format {manifest.get('format')!r} is not one this code reads")
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected["sha256"]:
            raise BackupError(f"{name} in the backup does not match its manifest")
    if manifest["store"] == EMBEDDED:
        found = embedded.describe(folder / embedded.STORE_FILE)
        if found != manifest["databases"]:
            wrong = sorted(
                f"{db}.{coll}"
                for db in set(found) | set(manifest["databases"])
                for coll in set(found.get(db, {})) | set(manifest["databases"].get(db, {}))
                if found.get(db, {}).get(coll) != manifest["databases"].get(db, {}).get(coll)
            )
            raise BackupError(f"collections differ from the manifest: {', '.join(wrong)}")


def verify(path: Path, settings: Settings) -> dict[str, Any]:
    """Open and check a backup; returns its manifest, or raises BackupError saying what is wrong."""
    with opened(path, settings) as (manifest, _):
        return manifest


def restore(
    path: Path,
    settings: Settings,
    *,
    target: Path | None = None,
    uris: list[str] | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Put a backup in place of the target store (empty, unless ``force``); returns its manifest."""
    with opened(path, settings) as (manifest, folder):
        if manifest["store"] == EMBEDDED:
            _restore_embedded(folder, target or Path(settings.EMBEDDED_STORE_DIR or "var"), force)
        else:
            given = _uris(settings, uris) if settings.MONGODB_URI or uris else []
            _restore_mongo(manifest, folder, given, force)
        return manifest


def _restore_embedded(files: Path, target: Path, force: bool) -> None:
    target = target.resolve()
    try:
        lock = hold_folder(target)
    except FolderInUse as exc:
        raise BackupError(f"cannot restore while the product runs: {exc}") from None
    try:
        if embedded.holds_documents(target) and not force:
            raise BackupError(f"the store in {target} is not empty: restore with --force to replace it")
        staged = target / (embedded.STORE_FILE + ".restoring")
        shutil.copyfile(files / embedded.STORE_FILE, staged)  # beside the store: the rename is atomic
        embedded.put_in_place(staged, target)
    finally:
        lock.close()


def _restore_mongo(manifest: dict[str, Any], files: Path, uris: list[str], force: bool) -> None:
    if not uris:
        raise BackupError("this is a MongoDB backup: set MONGODB_URI, or give --uri for each database")
    mongo.require("mongorestore")
    targets = {mongo.database_of(uri, ""): uri for uri in uris}
    archives = {entry["database"]: name for name, entry in manifest["files"].items()}
    missing = sorted(set(archives) - set(targets))
    if missing:
        raise BackupError(f"no --uri names the database(s) {', '.join(missing)} to restore into")
    busy = [db for db in archives if mongo.holds_documents(targets[db], db)]
    if busy and not force:
        raise BackupError(f"not empty: {', '.join(sorted(busy))}; restore with --force to replace them")
    for db, name in archives.items():
        mongo.restore(targets[db], db, files / name, drop=force)
