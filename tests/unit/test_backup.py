"""Backups: a restore drill on the embedded store, and backups that are refused when not whole.

The drill fills a store through the product (all services in one process, as ``make run``):
a referral, the Chair's decision to hold a review, the documents that follow. It backs the
store up while the product runs, restores into an empty folder, and compares every
collection document by document, and every stored file byte for byte.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import gridfs
import pytest
from cryptography.fernet import Fernet
from werkzeug.test import Client

from services import NAMES
from services.backup import BackupError, create, restore, verify
from services.backup.__main__ import main
from services.backup.mongo import require
from services.embedded import EmbeddedApp, bootstrap_all
from shared import store
from shared.config import DEV_BACKUP_KEY, load_settings
from shared.crypto import file_buckets
from shared.embedded_store import EmbeddedClient, forget
from tests.factories import DEMO_AGENCIES, bearer, make_board, make_token, make_user
from tests.support import wait_for
from tests.unit.referral.test_api import decision_body, make_referral

KEY = Fernet.generate_key().decode()


@pytest.fixture
def folder_settings(tmp_path):
    store.disconnect()
    settings = load_settings(
        APP_ENV="test",
        EMBEDDED_STORE_DIR=str(tmp_path / "var"),
        BUS_NAMESPACE=f"t{uuid.uuid4().hex[:8]}",
        BACKUP_KEY=KEY,
    )
    yield settings
    store.disconnect()
    for folder in (tmp_path / "var", tmp_path / "restored"):
        forget(folder)
    store.connect(load_settings(APP_ENV="test", MONGODB_URI=""))


def fill_through_the_product(settings) -> None:
    services = bootstrap_all(settings)
    for service in services:
        service.start()
    try:
        client = Client(EmbeddedApp(services))
        board = make_board(agencies=DEMO_AGENCIES)
        referrer = bearer(make_token(make_user("agency_practitioner", board=board, agency="police")))
        chair = bearer(make_token(make_user("chair", board=board, name="Chair Person")))
        made = client.post("/api/v1/referrals", json=make_referral(), headers=referrer)
        assert made.status_code == 201, made.json
        case_id = made.json["id"]
        decided = client.post(f"/api/v1/cases/{case_id}/decision", json=decision_body(), headers=chair)
        assert decided.status_code in (200, 201), decided.json
        db = store.database()
        wait_for(lambda: any(db[f"{b}.files"].count_documents({}) for b in file_buckets(db)), timeout=60)
        wait_for(lambda: db["reviews"].count_documents({}) if "reviews" in db.list_collection_names() else 1)
    finally:
        for service in services:
            service.stop()


def everything(folder: Path) -> dict[str, dict[str, list]]:
    """Every document of every collection of every database in the store at ``folder``, by id."""
    client = EmbeddedClient(store_folder=str(folder), tz_aware=True)
    out = {}
    for db_name in client.list_database_names():
        db = client[db_name]
        for name in db.list_collection_names():
            docs = sorted(db[name].find({}), key=lambda d: repr(d["_id"]))
            out[f"{db_name}.{name}"] = docs
    return out


def stored_files(folder: Path) -> dict[str, bytes]:
    client = EmbeddedClient(store_folder=str(folder), tz_aware=True)
    out = {}
    for db_name in client.list_database_names():
        db = client[db_name]
        for bucket in file_buckets(db):
            fs = gridfs.GridFS(db, collection=bucket)
            for meta in db[f"{bucket}.files"].find({}):
                out[f"{db_name}.{bucket}/{meta['_id']}"] = fs.get(meta["_id"]).read()
    return out


def test_restore_drill_gives_back_every_document_and_file(folder_settings, tmp_path):
    fill_through_the_product(folder_settings)
    backup = tmp_path / "drill.backup"
    manifest = create(folder_settings, backup)
    assert manifest["store"] == "embedded"
    counts = manifest["databases"]["lscb"]
    assert counts["cases"]["documents"] == 1
    assert all(len(entry["sha256"]) == 64 for entry in counts.values())
    assert KEY not in backup.read_bytes().decode("latin-1")
    assert b"Priya" not in backup.read_bytes()  # the referrer's name is sealed too

    restored = tmp_path / "restored"
    restore(backup, folder_settings, target=restored)
    original = everything(Path(folder_settings.EMBEDDED_STORE_DIR))
    copy = everything(restored)
    assert sorted(copy) == sorted(original)
    for name, docs in original.items():
        assert copy[name] == docs, name
    files = stored_files(Path(folder_settings.EMBEDDED_STORE_DIR))
    assert files, "the decision made no document"
    assert stored_files(restored) == files


def test_restore_refuses_a_store_that_is_not_empty_unless_forced(folder_settings, tmp_path):
    fill_through_the_product(folder_settings)
    backup = tmp_path / "b.backup"
    create(folder_settings, backup)
    restore(backup, folder_settings, target=tmp_path / "restored")
    with pytest.raises(BackupError, match="not empty"):
        restore(backup, folder_settings, target=tmp_path / "restored")
    restore(backup, folder_settings, target=tmp_path / "restored", force=True)


def test_a_wrong_key_fails_cleanly(folder_settings, tmp_path, capsys, monkeypatch):
    fill_through_the_product(folder_settings)
    backup = tmp_path / "b.backup"
    create(folder_settings, backup)
    other = folder_settings.with_overrides(BACKUP_KEY=Fernet.generate_key().decode())
    with pytest.raises(BackupError, match="BACKUP_KEY holds no key"):
        verify(backup, other)
    # A new key first, the old one after it: the old backup still opens (rotation).
    assert verify(backup, other.with_overrides(BACKUP_KEY=f"{other.BACKUP_KEY},{KEY}"))
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("BACKUP_KEY", other.BACKUP_KEY)
    assert main(["verify", str(backup)]) == 1
    assert "verify failed" in capsys.readouterr().err


def test_a_truncated_or_changed_file_fails_verify(folder_settings, tmp_path):
    fill_through_the_product(folder_settings)
    backup = tmp_path / "b.backup"
    create(folder_settings, backup)
    whole = backup.read_bytes()
    assert verify(backup, folder_settings)["store"] == "embedded"
    for broken in (whole[: len(whole) // 2], whole[:-10], whole + b"x", whole[:-40] + b"A" * 40):
        backup.write_bytes(broken)
        with pytest.raises(BackupError):
            verify(backup, folder_settings)


def test_production_refuses_a_missing_or_development_key_only_when_backing_up(tmp_path):
    from services.backup.sealed import cipher

    production = dict(
        BUS_URL="amqp://x",
        MONGODB_URI="mongodb://x/lscb",
        SECRET_KEY="s" * 40,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )
    settings = load_settings({}, APP_ENV="production", **production)  # starts without BACKUP_KEY
    assert settings.BACKUP_KEY == DEV_BACKUP_KEY
    with pytest.raises(BackupError, match="key of its own"):
        cipher(settings)
    with pytest.raises(BackupError, match="key of its own"):
        cipher(settings.with_overrides(BACKUP_KEY=""))
    with pytest.raises(BackupError, match="not a Fernet key"):
        cipher(settings.with_overrides(BACKUP_KEY="too-short"))
    assert cipher(settings.with_overrides(BACKUP_KEY=KEY))


def test_mongodb_backups_need_mongodump_and_say_so(monkeypatch, tmp_path):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(BackupError, match="mongodump is not installed"):
        require("mongodump")
    settings = load_settings({}, APP_ENV="test", MONGODB_URI="mongodb://nowhere.invalid/lscb", BACKUP_KEY=KEY)
    with pytest.raises(BackupError, match="mongodump is not installed"):
        create(settings, tmp_path / "m.backup")
    assert not (tmp_path / "m.backup").exists()


def test_the_command_runs_with_only_the_store_and_the_key_even_in_production(
    folder_settings, tmp_path, monkeypatch, capsys
):
    fill_through_the_product(folder_settings)
    monkeypatch.setenv("APP_ENV", "production")  # no BUS_URL, SECRET_KEY...: a backup needs none
    monkeypatch.setenv("EMBEDDED_STORE_DIR", folder_settings.EMBEDDED_STORE_DIR)
    monkeypatch.delenv("BACKUP_KEY", raising=False)
    out = tmp_path / "night.backup"
    assert main(["create", "--out", str(out)]) == 1
    assert "BACKUP_KEY must be set to a key of its own" in capsys.readouterr().err
    monkeypatch.setenv("BACKUP_KEY", KEY)
    assert main(["create", "--out", str(out)]) == 0
    assert main(["verify", str(out)]) == 0
    assert "is whole" in capsys.readouterr().out
    assert main(["restore", str(out), "--target", str(tmp_path / "restored")]) == 0
    assert main(["restore", str(out), "--target", str(tmp_path / "restored")]) == 1
    assert "restore with --force" in capsys.readouterr().err


def test_the_cluster_s_backup_cronjob_is_valid_and_backs_up_every_database():
    import kubernetes_validate
    import yaml

    base = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "base"
    docs = list(yaml.safe_load_all((base / "backup.yaml").read_text()))
    for doc in docs:
        kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)
    assert "backup.yaml" in yaml.safe_load((base / "kustomization.yaml").read_text())["resources"]
    job = next(d for d in docs if d["kind"] == "CronJob")
    pod = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert pod["securityContext"]["runAsNonRoot"] and container["resources"]["limits"]
    assert container["args"][:4] == ["python", "-m", "services.backup", "create"]
    args = container["args"]
    uris = [args[i + 1] for i, arg in enumerate(args) if arg == "--uri"]
    databases = {uri.split("/")[3].split("?")[0] for uri in uris}
    assert databases == {f"lscb_{name}" for name in (*NAMES, "identity")}
    keys = {e["name"]: e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e}
    secrets = [d for d in yaml.safe_load_all((base / "secrets.yaml").read_text()) if d["kind"] == "Secret"]
    assert keys["BACKUP_KEY"] in {s["metadata"]["name"] for s in secrets}
