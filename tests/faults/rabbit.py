"""A RabbitMQ node of the suite's own, on free ports, that the suite stops and starts at will.

Never the shared broker on 5672: the node has its own name, ports, data and
logs in a temporary folder, and goes when the suite ends. As root (CI),
Debian's ``rabbitmq-server`` drops privileges to the ``rabbitmq`` user, so
the folder is given to that user; as anyone else the node runs as the caller.
``rabbitmq-server -detached`` does not start reliably here, so the server runs
as a child process in a session of its own, and ``rabbitmqctl`` stops it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support import free_port

LIB = Path("/usr/lib/rabbitmq/bin")  # Debian's scripts, for a caller who is neither root nor rabbitmq


class BrokerUnavailable(RuntimeError):
    """RabbitMQ is not installed, or the node did not start."""


def _free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class RabbitNode:
    """One RabbitMQ node: ``start``, ``stop_app``/``start_app`` (the broker goes and comes back), ``stop``."""

    def __init__(self) -> None:
        if shutil.which("rabbitmq-server") is None:
            raise BrokerUnavailable("rabbitmq-server is not installed (apt-get install rabbitmq-server)")
        # A folder of its own directly in the system's temporary folder: as root, the `rabbitmq`
        # user must reach it, which it could not inside another private temporary folder.
        self.folder = Path(tempfile.mkdtemp(prefix="lscb-faults-rabbitmq-"))
        self.port, self.dist_port = _free_ports(2)
        self.node = f"faults{os.getpid()}@localhost"
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}//"
        self._server: subprocess.Popen | None = None
        self._as_root = os.geteuid() == 0

    # -- the node's life -------------------------------------------------------------------------

    def start(self, timeout: float = 90) -> RabbitNode:
        self._prepare_folder()
        env = {
            **os.environ,
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq"),  # rabbitmq.conf, below
        }
        server = "rabbitmq-server" if self._as_root else str(LIB / "rabbitmq-server")
        with open(self.folder / "server.out", "w") as out:
            self._server = subprocess.Popen(
                [server],
                env=env,
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        # await_startup answers at once, with an error, until the node has registered with epmd.
        while not self._ctl("await_startup", "--timeout", "10", check=False):
            if self._server.poll() is not None or time.monotonic() > deadline:
                raise BrokerUnavailable(f"the RabbitMQ node did not start:\n{self.log_tail()}")
            time.sleep(0.5)
        self._wait_port(open_=True, timeout=30)
        return self

    def stop_app(self) -> None:
        """Stop the broker inside the node: every connection is cut and the port closes."""
        self._ctl("stop_app")
        self._wait_port(open_=False, timeout=30)

    def start_app(self) -> None:
        self._ctl("start_app")
        self._ctl("await_startup", "--timeout", "60")
        self._wait_port(open_=True, timeout=30)

    def stop(self) -> None:
        if self._server is None:
            return
        if self._server.poll() is None:
            self._ctl("stop", check=False)
            try:
                self._server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self._server.pid, signal.SIGKILL)  # the session this suite started, only
                self._server.wait()
        self._server = None
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------------

    def _prepare_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "enabled_plugins").write_text("[].\n")
        # Loopback only, whatever the machine's own /etc/rabbitmq says.
        (self.folder / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users.guest = true\n"
        )
        if self._as_root:
            user = pwd.getpwnam("rabbitmq")
            for path in [self.folder, *self.folder.iterdir()]:
                os.chown(path, user.pw_uid, user.pw_gid)

    def _ctl(self, *args: str, check: bool = True) -> bool:
        ctl = "rabbitmqctl" if self._as_root else str(LIB / "rabbitmqctl")
        done = subprocess.run(
            [ctl, "-n", self.node, *args], capture_output=True, text=True, timeout=120, check=False
        )
        if check and done.returncode != 0:
            raise BrokerUnavailable(f"rabbitmqctl {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.returncode == 0

    def _wait_port(self, *, open_: bool, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while _port_open(self.port) != open_:
            if time.monotonic() > deadline:
                state = "open" if open_ else "close"
                raise BrokerUnavailable(f"port {self.port} did not {state} within {timeout}s")
            time.sleep(0.1)

    def log_tail(self, chars: int = 3000) -> str:
        texts = []
        for path in [self.folder / "server.out", *sorted((self.folder / "log").glob("*.log"))]:
            if path.exists():
                texts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-chars:]}")
        return "\n".join(texts)
