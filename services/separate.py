"""`make run-services`: each service in its own process, events crossing through RabbitMQ.

Service ``i`` (referral, scheduler, documents, notifications) listens on
``--base-port + i``. Every process gets this process's environment, so
``BUS_URL`` and ``MONGODB_URI`` apply to all of them. Without ``MONGODB_URI``
the four share the embedded store in ``EMBEDDED_STORE_DIR`` (``./var``), which
several processes may use at once; this supervisor holds the folder while they
run (``FRESH=1`` empties it first). If any service stops, the others are
stopped too and the exit status says which one failed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time

from services import NAMES
from shared import store
from shared.config import ConfigurationError, load_settings
from shared.embedded_store import FolderInUse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("PORT", 8000)))
    args = parser.parse_args(argv)
    bus = os.environ.get("BUS_URL", "memory://")
    if bus.startswith("memory://"):
        print("BUS_URL must point at RabbitMQ: the in-process bus cannot cross processes.", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        folder_lock = store.hold(settings, fresh=os.environ.get("FRESH", "") not in ("", "0"))
    except (ConfigurationError, FolderInUse) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    if settings.in_memory_store:
        print(
            "MONGODB_URI and EMBEDDED_STORE_DIR are unset: each service keeps its records in its own "
            "in-memory store.",
            file=sys.stderr,
        )
    elif settings.embedded_store:
        print(f"The services share the embedded store: {store.describe(settings)}", file=sys.stderr)
    shared_env = dict(os.environ)
    shared_env.pop("FRESH", None)  # emptied once, here
    # Whichever service creates the demo board prints its passwords; give every user the same.
    shared_env.setdefault("DEMO_PASSWORD", secrets.token_urlsafe(9))
    for i, name in enumerate(NAMES):
        shared_env.setdefault(f"{name.upper()}_URL", f"http://127.0.0.1:{args.base_port + i}")
    children: dict[str, subprocess.Popen] = {}
    for i, name in enumerate(NAMES):
        env = dict(shared_env, PORT=str(args.base_port + i))
        # Each service in a session of its own: Ctrl-C reaches this supervisor only,
        # which then asks every service to stop, once, with SIGTERM.
        children[name] = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"], env=env, start_new_session=True
        )
        print(f"{name}: http://127.0.0.1:{args.base_port + i} (pid {children[name].pid})", file=sys.stderr)

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    failed = None
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                failed = name
                stopping = True
                break
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children.values():
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
    if folder_lock is not None:
        folder_lock.close()
    if failed:
        print(f"{failed} stopped with status {children[failed].returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
