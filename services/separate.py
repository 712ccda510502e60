"""`make run-services`: each service in its own process, events crossing through RabbitMQ.

nginx listens on ``--base-port`` and sends each path to the service that owns it,
with the route table the Compose file and the cluster use (``deploy/proxy/``), so
links between the services' pages work on that one address. Service ``i``
(referral, scheduler, documents, notifications, reviews) listens on
``--base-port + 1 + i`` (its ``/metrics`` is read there). Without nginx on the
``PATH`` (``make system-packages`` installs Debian's), the services still start on
their own ports and a message says so. Every process gets this process's environment, so
``BUS_URL`` and ``MONGODB_URI`` apply to all of them. Without ``MONGODB_URI``
the services share the embedded store in ``EMBEDDED_STORE_DIR`` (``./var``), which
several processes may use at once; this supervisor holds the folder while they
run (``FRESH=1`` empties it first). If any service stops, the others are
stopped too and the exit status says which one failed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from services import NAMES
from shared import store
from shared.config import ConfigurationError, load_settings
from shared.embedded_store import FolderInUse

PROXY_DIR = Path(__file__).resolve().parents[1] / "deploy" / "proxy"


def proxy_config(port: int, service_ports: dict[str, int]) -> str:
    """nginx's configuration for one address on this machine: plain HTTP, the shared route table."""
    upstreams = "\n".join(
        f"    upstream {name} {{ server 127.0.0.1:{p}; keepalive 8; }}" for name, p in service_ports.items()
    )
    return f"""# Written by services/separate.py for `make run-services`.
worker_processes 1;
pid nginx.pid;
error_log stderr warn;
daemon off;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path client_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;
    include lscb/http.conf;
{upstreams}
    server {{
        listen 127.0.0.1:{port};
        include lscb/locations.conf;
    }}
}}
"""


def start_proxy(port: int, service_ports: dict[str, int]) -> tuple[subprocess.Popen | None, str | None]:
    """nginx in front of the services on ``port``, or None when nginx is not installed."""
    nginx = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if nginx is None:
        return None, None
    folder = tempfile.mkdtemp(prefix="lscb-proxy-")
    os.chmod(folder, 0o755)
    os.symlink(PROXY_DIR, Path(folder) / "lscb")
    conf = Path(folder) / "nginx.conf"
    conf.write_text(proxy_config(port, service_ports))
    proc = subprocess.Popen([nginx, "-p", folder, "-c", str(conf)], start_new_session=True)
    return proc, folder


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
    # One proxy in front: the services read the client's address and the page's host from it.
    shared_env.setdefault("TRUSTED_PROXIES", "1")
    ports = {name: args.base_port + 1 + i for i, name in enumerate(NAMES)}
    children: dict[str, subprocess.Popen] = {}
    for name, port in ports.items():
        env = dict(shared_env, PORT=str(port))
        # Each service in a session of its own: Ctrl-C reaches this supervisor only,
        # which then asks every service to stop, once, with SIGTERM.
        children[name] = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"], env=env, start_new_session=True
        )
        print(f"{name}: http://127.0.0.1:{port} (pid {children[name].pid})", file=sys.stderr)
    proxy, proxy_folder = start_proxy(args.base_port, ports)
    if proxy is None:
        print(
            "nginx is not installed (make system-packages installs it): no single address; "
            "each service answers on its own port only.",
            file=sys.stderr,
        )
    else:
        children["proxy"] = proxy
        print(f"The product: http://127.0.0.1:{args.base_port} (nginx, pid {proxy.pid})", file=sys.stderr)

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
    if proxy_folder is not None:
        shutil.rmtree(proxy_folder, ignore_errors=True)
    if folder_lock is not None:
        folder_lock.close()
    if failed:
        print(f"{failed} stopped with status {children[failed].returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
