"""The persistent embedded store: mongomock kept in a folder, shared safely by several processes.

``make run`` (and ``make run-services``) keep their data here, in ``./var/`` by
default, so it outlives restarts and SIGKILL; MongoDB stays the production
store. :mod:`shared.embedded_store.layer` says how it works,
:mod:`shared.embedded_store.file` how the folder's SQLite file is used.
"""

from shared.embedded_store.folder import FolderInUse, hold_folder, wipe
from shared.embedded_store.layer import EmbeddedClient, EmbeddedStoreError, engine_for, forget

__all__ = [
    "EmbeddedClient",
    "EmbeddedStoreError",
    "FolderInUse",
    "engine_for",
    "forget",
    "hold_folder",
    "wipe",
]
