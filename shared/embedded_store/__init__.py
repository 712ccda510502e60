"""The persistent embedded store: mongomock kept in a folder, shared safely by several processes.

``make run`` (and ``make run-services``) keep their data here, in ``./var/`` by
default, so it outlives restarts and SIGKILL; MongoDB stays the production
store.

Each process keeps the whole of every collection it uses in memory, in
mongomock's own structures, so queries run exactly as they do on mongomock.
What the package adds, part by part:

- :mod:`shared.embedded_store.client`: the client, database and collection
  that mongoengine uses, every operation wrapped as a write or a read;
- :mod:`shared.embedded_store.engine`: one write at a time across threads and
  processes, and reads that see other processes' writes;
- :mod:`shared.embedded_store.stores`: mongomock's stores, backed by the file,
  with hash maps of the indexed fields for equality lookups;
- :mod:`shared.embedded_store.codec`: how documents, keys and index specs are
  encoded in the file;
- :mod:`shared.embedded_store.file`: how the folder's SQLite file is used;
- :mod:`shared.embedded_store.folder`: one product at a time per folder.
"""

from shared.embedded_store.client import EmbeddedClient, engine_for, forget
from shared.embedded_store.errors import EmbeddedStoreError
from shared.embedded_store.folder import FolderInUse, hold_folder, wipe

__all__ = [
    "EmbeddedClient",
    "EmbeddedStoreError",
    "FolderInUse",
    "engine_for",
    "forget",
    "hold_folder",
    "wipe",
]
