"""One product at a time per store folder, and starting afresh.

Several processes of one product may share a folder (``make run-services``
runs four); two products may not: ``make run`` keeps its bus in memory and
trusts that a claim older than itself in the ledger was left by a process that
died. The product's start command holds ``run.lock`` in the folder for as long
as it runs (the operating system drops the lock when the process ends, however
it ends).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from shared.embedded_store.file import FILENAME

LOCK = "run.lock"


class FolderInUse(RuntimeError):
    """Another product holds the store folder."""


def hold_folder(folder: Path) -> IO[str]:
    """Take the folder for this process and its children; keep the returned file open while running."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK, "a+")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise FolderInUse(
            f"the store folder {folder} is in use by {holder}; stop it, or set EMBEDDED_STORE_DIR"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


def wipe(folder: Path) -> bool:
    """Remove the store's file (call while holding the folder); whether there was one."""
    found = False
    for suffix in ("", "-wal", "-shm"):
        path = folder / (FILENAME + suffix)
        if path.exists():
            path.unlink()
            found = True
    return found
