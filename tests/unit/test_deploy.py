"""The deploy/ folder, checked by parsing: Docker is not needed to run these tests.

- each ``deploy/Dockerfile.<service>``: python:3.11-slim, the project installed
  with pip, a non-root user, a health check on /healthz, ``python -m services.<service>``;
- ``deploy/compose.yaml``: the proxy, the broker, the store and the five services, each
  service with an environment that ``shared.config.load_settings`` accepts in production,
  reached only through the proxy;
- ``deploy/rabbitmq/``: the vhost, user, exchanges and dead-letter policy agree
  with ``shared.bus.topology.Topology`` and with the password in compose.yaml.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
import yaml
from pymongo.uri_parser import parse_uri

from shared.bus.topology import Topology
from shared.config import ConfigurationError, Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
DEFINITIONS_FILE = DEPLOY / "rabbitmq" / "definitions.json"
RABBITMQ_CONF = DEPLOY / "rabbitmq" / "rabbitmq.conf"

SERVICES = ("referral", "scheduler", "documents", "notifications", "reviews")
BASE_IMAGE = "python:3.11-slim"
CONTAINER_PORT = 8000
# compose.yaml has no defaults for these: whoever starts the stack supplies them.
SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS")


def secrets_environ(**more: str) -> dict[str, str]:
    """A shell environment that supplies the secrets, as deploy/README.md describes."""
    return {
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),  # a Fernet key
        **more,
    }


# -- a small Dockerfile parser -----------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, RUN, USER, ...
    args: str  # the rest of the logical line, continuations joined
    line: int  # where the instruction starts (1-based)

    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form instruction, or None for the shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        value = json.loads(text)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), self
        return value


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions in order. Handles comments, blank lines and ``\\`` continuations.

    As in Docker, a comment is a line whose first non-blank character is ``#``,
    also inside a continued instruction. Parser directives are comments too.
    """
    instructions: list[Instruction] = []
    parts: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not parts:
            start = number
        continued = stripped.endswith("\\")
        parts.append(stripped[:-1].strip() if continued else stripped)
        if not continued:
            keyword, _, args = " ".join(p for p in parts if p).partition(" ")
            instructions.append(Instruction(keyword.upper(), args.strip(), start))
            parts = []
    assert not parts, "the Dockerfile ends inside a line continuation"
    return instructions


def stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    """The build stages, each starting with its FROM."""
    result: list[list[Instruction]] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            result.append([])
        assert result, f"line {ins.line}: {ins.keyword} before the first FROM"
        result[-1].append(ins)
    return result


def from_image(ins: Instruction) -> str:
    words = [w for w in ins.args.split() if not w.startswith("--")]
    return words[0]


def env_values(instructions: list[Instruction]) -> dict[str, str]:
    """The environment set by the ENV instructions, later ones winning."""
    env: dict[str, str] = {}
    for ins in instructions:
        if ins.keyword != "ENV":
            continue
        words = shlex.split(ins.args)
        if words and "=" not in words[0]:  # legacy form: ENV KEY value with spaces
            env[words[0]] = " ".join(words[1:])
            continue
        for word in words:
            key, sep, value = word.partition("=")
            assert sep, f"line {ins.line}: cannot read ENV {ins.args!r}"
            env[key] = value
    return env


def healthcheck_command(ins: Instruction) -> list[str]:
    """The command of ``HEALTHCHECK [--option=value ...] CMD ...`` as an argv list."""
    words = ins.args.split(None, 1)
    rest = ins.args
    while words and words[0].startswith("--"):
        rest = words[1] if len(words) > 1 else ""
        words = rest.split(None, 1)
    assert words and words[0].upper() == "CMD", f"line {ins.line}: HEALTHCHECK without CMD"
    command = Instruction("CMD", rest.split(None, 1)[1], ins.line)
    return command.exec_form() or ["/bin/sh", "-c", command.args]


def dockerfile(service: str) -> Path:
    return DEPLOY / f"Dockerfile.{service}"


def final_stage(service: str) -> list[Instruction]:
    return stages(parse_dockerfile(dockerfile(service).read_text()))[-1]


def only(instructions: list[Instruction], keyword: str) -> list[Instruction]:
    return [i for i in instructions if i.keyword == keyword]


def test_the_parser_joins_continuations_and_skips_comments():
    text = (
        "# syntax=docker/dockerfile:1\n"
        "FROM python:3.11-slim AS build\n"
        "RUN apt-get update \\\n"
        "    # a comment inside the continuation\n"
        "    && true\n"
        "\n"
        'cmd ["python", "-m", "x"]\n'
    )
    got = parse_dockerfile(text)
    assert [(i.keyword, i.args, i.line) for i in got] == [
        ("FROM", "python:3.11-slim AS build", 2),
        ("RUN", "apt-get update && true", 3),
        ("CMD", '["python", "-m", "x"]', 7),
    ]
    assert got[2].exec_form() == ["python", "-m", "x"]
    assert env_values(parse_dockerfile('FROM a\nENV A=1 B="two words"\nENV C 3 4')) == {
        "A": "1",
        "B": "two words",
        "C": "3 4",
    }
    assert healthcheck_command(Instruction("HEALTHCHECK", '--interval=5s --retries=2 CMD ["a", "b"]', 1)) == [
        "a",
        "b",
    ]


# -- Dockerfiles -------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_builds_on_python_slim(service):
    all_stages = stages(parse_dockerfile(dockerfile(service).read_text()))
    images = [from_image(stage[0]) for stage in all_stages]
    assert images, f"{dockerfile(service)} has no FROM"
    assert images[-1] == BASE_IMAGE
    # Python stages share the base; the one asset stage runs npm on Node's slim image.
    assert set(images) == {BASE_IMAGE, "node:20-slim"}, images


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_installs_the_project_with_pip_from_the_sources_only(service):
    instructions = parse_dockerfile(dockerfile(service).read_text())
    copied = set()
    for ins in only(instructions, "COPY"):
        words = ins.args.split()
        if any(w.startswith("--from") for w in words):
            continue  # from an earlier stage, not from the build context
        copied.update(w.rstrip("/") for w in words[:-1] if not w.startswith("--"))
    assert copied == {"pyproject.toml", "shared", "services", "package.json", "package-lock.json"}
    for name in copied:
        assert (REPO / name).exists(), f"COPY {name}: not in the repository root (the context)"
    runs = [" ".join(i.args.split()) for i in only(instructions, "RUN")]
    assert any(re.search(r"\bpip install --no-cache-dir \.(\s|$)", r) for r in runs), runs


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_runs_as_a_numeric_non_root_user_before_cmd(service):
    stage = final_stage(service)
    keywords = [i.keyword for i in stage]
    assert "USER" in keywords and "CMD" in keywords
    last_user = max(n for n, k in enumerate(keywords) if k == "USER")
    assert last_user < keywords.index("CMD"), "USER must come before CMD"
    user = stage[last_user].args.split(":")[0]
    assert user.isdigit(), f"USER should be a numeric uid (Kubernetes runAsNonRoot), got {user!r}"
    assert int(user) != 0
    created = " ".join(i.args for i in only(stage[:last_user], "RUN"))
    assert re.search(rf"useradd\b.*--uid {user}\b", created), "the user is not created"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_sets_production_and_port(service):
    stage = final_stage(service)
    env = env_values(stage)
    assert env.get("APP_ENV") == "production"
    assert env.get("PORT") == str(CONTAINER_PORT)
    exposed = [p.split("/")[0] for i in only(stage, "EXPOSE") for p in i.args.split()]
    assert exposed == [str(CONTAINER_PORT)]


class _Health(BaseHTTPRequestHandler):
    status_for_healthz = 200

    def do_GET(self):  # noqa: N802 (http.server's naming)
        status = self.status_for_healthz if self.path == "/healthz" else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def _run_healthcheck(argv: list[str], port: int) -> int:
    assert argv[0] == "python", f"the health check should run python (slim has no curl): {argv}"
    env = {"PORT": str(port), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, *argv[1:]], env=env, timeout=30).returncode


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_healthcheck_calls_healthz_with_urllib(service):
    stage = final_stage(service)
    checks = only(stage, "HEALTHCHECK")
    assert len(checks) == 1
    argv = healthcheck_command(checks[0])
    code = " ".join(argv)
    assert "urllib" in code and "127.0.0.1" in code and "/healthz" in code

    # It passes when /healthz answers 200 and fails when it answers 503 or nothing listens.
    for status, ok in ((200, True), (503, False)):
        handler = type("Handler", (_Health,), {"status_for_healthz": status})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            assert (_run_healthcheck(argv, server.server_address[1]) == 0) is ok, status
        finally:
            server.shutdown()
            server.server_close()
    port = server.server_address[1]  # closed now
    assert _run_healthcheck(argv, port) != 0


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_cmd_runs_the_service_module(service):
    stage = final_stage(service)
    cmds = only(stage, "CMD")
    assert len(cmds) == 1
    assert cmds[0].exec_form() == ["python", "-m", f"services.{service}"]
    assert not only(stage, "ENTRYPOINT"), "an ENTRYPOINT would change what CMD runs"
    assert importlib.util.find_spec(f"services.{service}") is not None
    assert importlib.util.find_spec(f"services.{service}.__main__") is not None


# -- compose.yaml ------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?])?(?P<arg>[^}]*)\}")


def interpolate(value: str, environ: Mapping[str, str]) -> str:
    """Compose's variable substitution: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?msg}."""

    def sub(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op"), match.group("arg")
        value = environ.get(name)
        if op in (":-", ":?") and not value:
            value = None
        if value is not None:
            return value
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise AssertionError(f"compose.yaml requires {name}: {arg}")
        return ""

    return _VARIABLE.sub(sub, value)


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def raw_environment(name: str) -> dict[str, str]:
    raw = compose()["services"][name].get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {k: "" if v is None else str(v) for k, v in raw.items()}


def service_environment(name: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A service's environment as its container sees it, started from the shell ``environ``.

    The default shell supplies only the secrets; everything else takes its default.
    """
    shell = secrets_environ() if environ is None else environ
    return {k: interpolate(v, shell) for k, v in raw_environment(name).items()}


def definitions() -> dict[str, Any]:
    return json.loads(DEFINITIONS_FILE.read_text())


def test_compose_has_the_broker_the_store_and_every_service():
    services = compose()["services"]
    assert set(services) == {"proxy", "rabbitmq", "mongodb", *SERVICES}


@pytest.mark.parametrize("service", SERVICES)
def test_compose_builds_each_service_from_its_dockerfile_in_the_repo_root(service):
    build = compose()["services"][service]["build"]
    context = (COMPOSE_FILE.parent / build["context"]).resolve()
    assert context == REPO
    assert (context / build["dockerfile"]).resolve() == dockerfile(service).resolve()
    assert dockerfile(service).is_file()


@pytest.mark.parametrize("service", SERVICES)
def test_compose_environment_is_production_on_rabbitmq_and_mongodb(service):
    env = service_environment(service)
    assert env["APP_ENV"] == "production"
    assert env["BUS_URL"].startswith("amqp://")
    assert urlparse(env["BUS_URL"]).hostname == "rabbitmq"
    assert env["BUS_QUEUE_TYPE"] == "quorum"
    mongo = parse_uri(env["MONGODB_URI"])
    assert mongo["nodelist"] == [("mongodb", 27017)]
    assert mongo["database"], "each service names its own database in MONGODB_URI"


def test_compose_gives_each_service_its_own_database():
    databases = {s: parse_uri(service_environment(s)["MONGODB_URI"])["database"] for s in SERVICES}
    assert len(set(databases.values())) == len(SERVICES), databases


def test_compose_sets_only_variables_the_product_reads():
    known = {f.name for f in dataclasses.fields(Settings)}
    for service in SERVICES:
        unknown = set(service_environment(service)) - known
        assert not unknown, f"{service}: not a field of shared.config.Settings: {sorted(unknown)}"


def test_compose_shares_the_identity_database_and_the_secrets_between_services():
    shell = secrets_environ()
    envs = {s: service_environment(s, shell) for s in SERVICES}
    identity = {env["IDENTITY_MONGODB_URI"] for env in envs.values()}
    assert len(identity) == 1
    identity_db = parse_uri(identity.pop())["database"]
    assert identity_db
    assert identity_db not in {parse_uri(env["MONGODB_URI"])["database"] for env in envs.values()}
    for name in SECRETS:
        assert {env[name] for env in envs.values()} == {shell[name]}, name


@pytest.mark.parametrize("missing", SECRETS)
def test_compose_has_no_default_for_the_secrets(missing):
    """Compose stops with a message instead of starting with a made-up or shared secret."""
    shell = secrets_environ()
    del shell[missing]
    for service in SERVICES:
        assert re.search(rf"\$\{{{missing}:\?", raw_environment(service)[missing])
        with pytest.raises(AssertionError, match=f"requires {missing}"):
            service_environment(service, shell)


def test_compose_passes_smtp_settings_to_notifications():
    env = compose()["services"]["notifications"]["environment"]
    assert {"SMTP_HOST", "SMTP_PORT"} <= set(env)
    passed = service_environment("notifications", secrets_environ(SMTP_HOST="mail.example", SMTP_PORT="2525"))
    assert passed["SMTP_HOST"] == "mail.example" and passed["SMTP_PORT"] == "2525"


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    "environ",
    [{}, {"LSCB_BUS_PASSWORD": "s3cret", "SMTP_HOST": "mail.example", "SMTP_PORT": "587"}],
    ids=["defaults", "overridden"],
)
def test_load_settings_accepts_each_compose_environment(service, environ):
    env = service_environment(service, secrets_environ(**environ))
    settings = load_settings(env)  # production refuses memory:// and an unset MONGODB_URI
    assert type(settings).__name__ == "ProductionSettings"
    assert not settings.embedded_bus and not settings.embedded_store
    assert settings.HOST == "0.0.0.0"  # reachable through the published port
    assert settings.PORT == CONTAINER_PORT
    if "LSCB_BUS_PASSWORD" in environ:
        assert urlparse(settings.BUS_URL).password == environ["LSCB_BUS_PASSWORD"]
    # The same environment without the broker or the store is refused: the check is live.
    for name, value in (("BUS_URL", "memory://"), ("MONGODB_URI", "")):
        with pytest.raises(ConfigurationError, match=name):
            load_settings({**env, name: value})


@pytest.mark.parametrize("service", SERVICES)
def test_compose_waits_for_a_healthy_broker_and_store(service):
    spec = compose()["services"]
    depends_on = spec[service]["depends_on"]
    assert isinstance(depends_on, dict), "the long form is needed for conditions"
    for dependency in ("rabbitmq", "mongodb"):
        assert depends_on[dependency]["condition"] == "service_healthy"
        test = spec[dependency]["healthcheck"]["test"]  # service_healthy needs one
        assert test and not spec[dependency]["healthcheck"].get("disable")


@pytest.mark.parametrize("service", SERVICES)
def test_compose_reaches_each_service_through_the_proxy_only(service):
    spec = compose()["services"][service]
    assert "ports" not in spec, "the proxy is the one published address"
    assert spec["restart"] == "unless-stopped"
    proxy = compose()["services"]["proxy"]
    assert proxy["depends_on"][service]["condition"] == "service_healthy"
    settings = load_settings(service_environment(service))
    assert settings.TRUSTED_PROXIES == 1  # the proxy's forwarded headers, one hop


def test_compose_proxy_publishes_http_and_https_with_the_shared_route_table():
    proxy = compose()["services"]["proxy"]
    assert proxy["image"].startswith("nginxinc/nginx-unprivileged:")
    assert proxy["ports"] == ["80:8080", "443:8443"]
    mounts = {dst: src for src, dst, _mode in (v.rsplit(":", 2) for v in proxy["volumes"])}
    assert (
        COMPOSE_FILE.parent / mounts["/etc/nginx/nginx.conf"]
    ).resolve() == DEPLOY / "proxy" / "nginx.conf"
    assert (COMPOSE_FILE.parent / mounts["/etc/nginx/lscb"]).resolve() == DEPLOY / "proxy"
    assert (DEPLOY / "proxy" / "routes.conf").is_file()
    assert interpolate(mounts["/etc/nginx/tls"], {}) == "./tls"
    nginx_conf = (DEPLOY / "proxy" / "nginx.conf").read_text()
    assert "listen 8443 ssl" in nginx_conf and "listen 8080;" in nginx_conf
    for service in SERVICES:
        assert f"upstream {service} {{ server {service}:{CONTAINER_PORT};" in nginx_conf


def test_compose_rabbitmq_has_management_and_loads_the_definitions():
    spec = compose()["services"]["rabbitmq"]
    assert "management" in spec["image"]
    assert spec["image"].startswith("rabbitmq:4")
    published = {str(p).split(":")[-1] for p in spec["ports"]}
    assert {"5672", "15672"} <= published
    mounts = {}
    for volume in spec["volumes"]:
        source, target = volume.split(":")[:2]
        mounts[target] = source
    for target, path in (
        ("/etc/rabbitmq/definitions.json", DEFINITIONS_FILE),
        ("/etc/rabbitmq/rabbitmq.conf", RABBITMQ_CONF),
    ):
        assert (COMPOSE_FILE.parent / mounts[target]).resolve() == path.resolve()
        assert path.is_file()
    conf = dict(
        (k.strip(), v.strip())
        for k, _, v in (
            line.partition("=")
            for line in RABBITMQ_CONF.read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        )
    )
    assert conf["load_definitions"] == "/etc/rabbitmq/definitions.json"
    assert "loopback_users.guest" not in conf


def test_compose_mongodb_keeps_its_data_in_a_named_volume_and_pings():
    spec = compose()
    mongodb = spec["services"]["mongodb"]
    assert mongodb["image"] == "mongo:7"
    named = {v.split(":")[0] for v in mongodb["volumes"] if ":" in v}
    assert named & set(spec.get("volumes") or {}), "no named volume for /data/db"
    assert any(v.split(":")[1] == "/data/db" for v in mongodb["volumes"])
    test = " ".join(mongodb["healthcheck"]["test"])
    assert "mongosh" in test and "ping" in test


# -- RabbitMQ definitions --------------------------------------------------------------


def _bus_url(service: str = "referral", environ: Mapping[str, str] | None = None):
    return urlparse(service_environment(service, environ)["BUS_URL"])


def test_definitions_vhost_defaults_to_quorum_queues():
    vhost = unquote(_bus_url().path.lstrip("/"))
    vhosts = {v["name"]: v for v in definitions()["vhosts"]}
    assert vhost in vhosts, f"BUS_URL's vhost {vhost!r} is not defined"
    assert vhosts[vhost]["metadata"]["default_queue_type"] == "quorum"


def test_definitions_user_matches_the_default_password_in_compose():
    url = _bus_url()
    users = {u["name"]: u for u in definitions()["users"]}
    user = users[url.username]
    assert user["hashing_algorithm"] == "rabbit_password_hashing_sha256"
    raw = base64.b64decode(user["password_hash"])
    salt, digest = raw[:4], raw[4:]
    assert hashlib.sha256(salt + url.password.encode()).digest() == digest, (
        "definitions.json's password_hash is not the hash of compose.yaml's default password"
    )
    vhost = unquote(url.path.lstrip("/"))
    granted = [p for p in definitions()["permissions"] if (p["user"], p["vhost"]) == (user["name"], vhost)]
    assert len(granted) == 1
    assert all(granted[0][k] == ".*" for k in ("configure", "write", "read"))


def _dead_letter_policy() -> dict[str, Any]:
    vhost = unquote(_bus_url().path.lstrip("/"))
    policies = [p for p in definitions()["policies"] if p["name"] == "dead-letter" and p["vhost"] == vhost]
    assert len(policies) == 1
    return policies[0]


def test_dead_letter_policy_matches_the_queues_the_services_declare():
    namespace = service_environment("scheduler")["BUS_NAMESPACE"]
    topology = Topology(namespace)
    policy = _dead_letter_policy()
    assert policy["apply-to"] == "queues"
    pattern = re.compile(policy["pattern"])
    queue = topology.queue_name("scheduler.deadlines")
    assert pattern.search(queue)
    assert pattern.search(topology.dead_letter_queue_name(queue))
    # Test runs use namespaces of their own; the policy must leave them alone.
    assert not pattern.search(Topology("t0a1b2c3d").queue_name("scheduler.deadlines"))
    assert not pattern.search(f"x{queue}")


def test_dead_letter_policy_names_the_topology_exchange():
    namespace = service_environment("scheduler")["BUS_NAMESPACE"]
    definition = _dead_letter_policy()["definition"]
    assert definition["dead-letter-exchange"] == Topology(namespace).dead_letter_exchange.name
    assert isinstance(definition["delivery-limit"], int) and definition["delivery-limit"] > 0


def test_definitions_exchanges_agree_with_the_topology():
    namespace = service_environment("scheduler")["BUS_NAMESPACE"]
    topology = Topology(namespace)
    exchanges = {e["name"]: e for e in definitions()["exchanges"]}
    for expected in (topology.exchange, topology.dead_letter_exchange):
        declared = exchanges[expected.name]
        # The services declare them too; any difference would make that declaration fail.
        assert declared["type"] == expected.type
        assert declared["durable"] is True and declared["auto_delete"] is False
        assert declared["internal"] is False and not declared["arguments"]


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_ships_the_design_system_assets_where_the_service_looks(service):
    text = (DEPLOY / f"Dockerfile.{service}").read_text()
    assert "COPY package.json package-lock.json" in text and "npm ci" in text
    assert "COPY --from=assets /src/node_modules/govuk-frontend/dist/govuk /opt/govuk-frontend" in text
    assert "GOVUK_FRONTEND_DIR=/opt/govuk-frontend" in text
    assert "GOVUK_FRONTEND_DIR" in {f.name for f in dataclasses.fields(Settings)}
