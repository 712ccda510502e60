"""The proxy (nginx) in front of the services: its route table agrees with the services' URL maps.

- ``deploy/proxy/routes.conf`` (and its copy for the cluster) is what
  ``deploy/proxy/routes.py`` writes from the URL maps today;
- every route of every service, as a concrete path, reaches the service the
  one-process product (``services/embedded.py``) gives it, read from the table
  the way nginx reads it (regular-expression locations in order, first match);
- every mode's nginx configuration passes ``nginx -t`` (Debian's nginx, installed
  by ``make system-packages``).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from werkzeug.routing.converters import AnyConverter, IntegerConverter, PathConverter

from services import NAMES
from services.embedded import EmbeddedApp, bootstrap_all
from services.separate import PROXY_DIR, proxy_config
from shared.config import load_settings

REPO = Path(__file__).resolve().parents[2]
ROUTES = PROXY_DIR / "routes.conf"
K8S_PROXY = REPO / "deploy" / "k8s" / "base" / "proxy"
LOCATION = re.compile(r'^location ~ "(?P<pattern>[^"]+)" \{ proxy_pass http://(?P<service>\w+); \}', re.M)


def load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("proxy_routes", PROXY_DIR / "routes.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def product() -> EmbeddedApp:
    settings = load_settings({}, APP_ENV="test", DEMO_SEED="0")
    return EmbeddedApp(bootstrap_all(settings, NAMES))


def sample_path(rule: Any) -> str:
    values: dict[str, Any] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 7
        elif isinstance(converter, PathConverter):
            values[name] = "a/b.css"
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x-123"
    built = rule.build(values, append_unknown=False)
    assert built is not None, rule.rule
    return built[1]


def nginx_owner(table: str, path: str) -> str | None:
    for match in LOCATION.finditer(table):
        if re.search(match["pattern"], path):
            return match["service"]
    return None


def test_the_written_route_tables_are_what_the_url_maps_give() -> None:
    generator = load_generator()
    assert generator.main(["--check"]) == 0, "run: python deploy/proxy/routes.py"
    assert (K8S_PROXY / "routes.conf").read_text() == ROUTES.read_text()


@pytest.mark.parametrize("name", ["http.conf", "locations.conf"])
def test_the_cluster_proxy_shares_the_snippets_of_compose(name: str) -> None:
    assert (K8S_PROXY / name).read_text() == (PROXY_DIR / name).read_text()


def test_every_route_of_every_service_reaches_its_owner_through_the_proxy(product: EmbeddedApp) -> None:
    table = ROUTES.read_text()
    checked = 0
    for service in product.services:
        for rule in service.app.url_map.iter_rules():
            if rule.rule in ("/", "/healthz", "/readyz", "/metrics"):
                continue
            path = sample_path(rule)
            owner = product.owner(
                {
                    "PATH_INFO": path,
                    "REQUEST_METHOD": "GET",
                    "SERVER_NAME": "x",
                    "SERVER_PORT": "80",
                    "wsgi.url_scheme": "http",
                }
            )
            assert owner is not None, path
            expected = next(s.name for s in product.services if s.app is owner)
            assert nginx_owner(table, path) == expected, (rule.rule, path)
            checked += 1
    assert checked > 100  # every service's pages and API, not a handful


def test_paths_no_service_owns_fall_through_to_the_prefix_routes() -> None:
    table = ROUTES.read_text()
    for path in ("/scheduler/healthz", "/documents/ops/bus-checks", "/nowhere"):
        assert nginx_owner(table, path) is None
    locations = (PROXY_DIR / "locations.conf").read_text()
    for name in NAMES:
        assert f"location /{name}/ {{ proxy_pass http://{name}/; }}" in locations


def test_the_proxy_keeps_metrics_off_the_public_address() -> None:
    locations = (PROXY_DIR / "locations.conf").read_text()
    assert "location = /metrics { return 404; }" in locations
    for name in NAMES:
        assert re.search(r'"\^/\(([a-z|]+)\)/metrics/\?\$"', locations)
        assert name in re.search(r'"\^/\(([a-z|]+)\)/metrics', locations).group(1)  # type: ignore[union-attr]


def test_each_hop_appends_its_forwarded_values_so_trusted_proxies_counts_hops() -> None:
    http = (PROXY_DIR / "http.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in http
    assert '"$http_x_forwarded_proto, $scheme"' in http
    assert '"$http_x_forwarded_host, $http_host"' in http


def test_the_edge_proxy_sends_hsts_and_secure_cookies() -> None:
    for conf in (PROXY_DIR / "nginx.conf", K8S_PROXY / "nginx.conf"):
        text = conf.read_text()
        assert "proxy_cookie_flags ~ secure;" in text, conf
    edge = (PROXY_DIR / "nginx.conf").read_text()
    assert 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;' in edge
    assert "return 308 https://$host$request_uri;" in edge


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def self_signed(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "tls.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "tls.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def nginx_test(folder: Path, conf: str, lscb: Path) -> None:
    assert NGINX, "nginx is not installed: run make system-packages"
    (folder / "lscb").symlink_to(lscb)
    (folder / "nginx.conf").write_text(conf)
    done = subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr


def test_run_services_configuration_passes_nginx_check(tmp_path: Path) -> None:
    ports = {name: 20001 + i for i, name in enumerate(NAMES)}
    conf = proxy_config(20000, ports)
    for name, port in ports.items():
        assert f"upstream {name} {{ server 127.0.0.1:{port};" in conf
    nginx_test(tmp_path, conf, PROXY_DIR)


def container_conf(conf: Path, folder: Path) -> str:
    """A container's nginx.conf made checkable here: its absolute paths moved under ``folder``."""
    text = conf.read_text()
    text = text.replace(" /tmp/", f" {folder}/").replace(" /etc/nginx/tls/", f" {folder}/")
    # Upstream host names resolve only on the container network.
    return re.sub(r"server (\w[\w-]*):8000;", r"server 127.0.0.1:8000;", text)


def test_compose_configuration_passes_nginx_check(tmp_path: Path) -> None:
    self_signed(tmp_path)
    nginx_test(tmp_path, container_conf(PROXY_DIR / "nginx.conf", tmp_path), PROXY_DIR)


def test_cluster_configuration_passes_nginx_check(tmp_path: Path) -> None:
    conf = container_conf(K8S_PROXY / "nginx.conf", tmp_path)
    conf = re.sub(r"server ([\w-]+)\.[\w.-]+:8000;", r"server 127.0.0.1:8000;", conf)
    nginx_test(tmp_path, conf, K8S_PROXY)
