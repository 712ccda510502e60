"""Write deploy/k8s/base/services.yaml: the five services' web and worker workloads.

``python deploy/k8s/generate.py`` rewrites the file; ``--check`` fails when it is out
of date (tests/unit/test_k8s.py runs the check). Every service gets the same shape,
so the shape is written once, here:

- ``<service>-web``: gunicorn without consumers (``python -m services.<service> web``),
  behind the Service of the same name that the proxy sends requests to;
- ``<service>-worker``: the bus consumers, the outbox relay and the periodic jobs
  (``python -m services.<service> worker``), answering only ``/healthz``, ``/readyz``
  and ``/metrics`` (``shared/probes.py``);
- for each: probes, requests and limits, a non-root read-only container, a
  PodDisruptionBudget and a HorizontalPodAutoscaler (CPU for web; the depth of the
  service's queues, an external metric, for the worker).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "base" / "services.yaml"
SERVICES = ("referral", "scheduler", "documents", "notifications", "reviews")
PORT = 8000
USER = 10001  # the Dockerfiles' user
MONGODB_HOSTS = ",".join(f"lscb-mongodb-{i}.lscb-mongodb-svc:27017" for i in range(3))
# Settings that are secrets, from the Secret lscb-app: every service reads them.
APP_SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "OIDC_CLIENT_SECRET")
# Secrets only the notifications service reads: SMTP and GOV.UK Notify credentials.
NOTIFY_SECRETS = ("SMTP_USERNAME", "SMTP_PASSWORD", "NOTIFY_API_KEY", "NOTIFY_CALLBACK_TOKEN")


def labels(service: str, role: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": service,
        "app.kubernetes.io/component": role,
        "app.kubernetes.io/part-of": "lscb",
    }


def secret_env(name: str, secret: str, key: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def environment(service: str) -> list[dict[str, Any]]:
    """Secrets by reference; the URLs are assembled from them by Kubernetes' $(VAR) expansion."""
    env = [
        secret_env("BUS_USERNAME", "lscb-bus", "username"),
        secret_env("BUS_PASSWORD", "lscb-bus", "password"),
        {"name": "BUS_URL", "value": "amqp://$(BUS_USERNAME):$(BUS_PASSWORD)@lscb-rabbitmq:5672/lscb"},
        secret_env("MONGODB_PASSWORD", "lscb-mongodb-passwords", service),
        {
            "name": "MONGODB_URI",
            "value": f"mongodb://lscb-{service}:$(MONGODB_PASSWORD)@{MONGODB_HOSTS}/lscb_{service}"
            "?replicaSet=lscb-mongodb&authSource=admin&w=majority",
        },
        {
            "name": "IDENTITY_MONGODB_URI",
            "value": f"mongodb://lscb-{service}:$(MONGODB_PASSWORD)@{MONGODB_HOSTS}/lscb_identity"
            "?replicaSet=lscb-mongodb&authSource=admin&w=majority",
        },
        *(secret_env(name, "lscb-app", name) for name in APP_SECRETS),
    ]
    if service == "notifications":
        env += [secret_env(name, "lscb-notify", name) for name in NOTIFY_SECRETS]
    return env


def container(service: str, role: str) -> dict[str, Any]:
    probe = {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10, "failureThreshold": 3}
    return {
        "name": role,
        "image": f"lscb/{service}",
        "args": ["python", "-m", f"services.{service}", role],
        "ports": [{"name": "http", "containerPort": PORT}],
        "envFrom": [{"configMapRef": {"name": "lscb-config"}}],
        "env": environment(service),
        "startupProbe": {**probe, "failureThreshold": 30, "periodSeconds": 2},
        "livenessProbe": probe,
        "readinessProbe": {"httpGet": {"path": "/readyz", "port": "http"}, "periodSeconds": 5},
        "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"cpu": "1", "memory": "512Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }


def deployment(service: str, role: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"{service}-{role}", "labels": labels(service, role)},
        "spec": {
            "replicas": 2 if role == "web" else 1,
            "selector": {"matchLabels": labels(service, role)},
            # One new pod at a time, none taken away first: the old version serves until the new is ready.
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {
                    "labels": labels(service, role),
                    "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": str(PORT)},
                },
                "spec": {
                    "automountServiceAccountToken": False,
                    "terminationGracePeriodSeconds": 30,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": USER,
                        "runAsGroup": USER,
                        "fsGroup": USER,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [container(service, role)],
                    "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}],
                },
            },
        },
    }


def web_service(service: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": f"{service}-web", "labels": labels(service, "web")},
        "spec": {
            "selector": labels(service, "web"),
            "ports": [{"name": "http", "port": PORT, "targetPort": "http"}],
        },
    }


def disruption_budget(service: str, role: str) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": f"{service}-{role}", "labels": labels(service, role)},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels(service, role)}},
    }


def autoscaler(service: str, role: str) -> dict[str, Any]:
    if role == "web":
        metric: dict[str, Any] = {
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}},
        }
    else:
        # Messages ready on the service's queues, per worker pod: served to the HPA by
        # prometheus-adapter from RabbitMQ's own metrics (deploy/observability/prometheus-adapter.yaml).
        metric = {
            "type": "External",
            "external": {
                "metric": {
                    "name": "lscb_queue_messages_ready",
                    "selector": {"matchLabels": {"service": service}},
                },
                "target": {"type": "AverageValue", "averageValue": "100"},
            },
        }
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": f"{service}-{role}", "labels": labels(service, role)},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"{service}-{role}"},
            "minReplicas": 2 if role == "web" else 1,
            "maxReplicas": 6 if role == "web" else 4,
            "metrics": [metric],
        },
    }


def documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for service in SERVICES:
        docs.append(web_service(service))
        for role in ("web", "worker"):
            docs += [deployment(service, role), disruption_budget(service, role), autoscaler(service, role)]
    return docs


def render() -> str:
    header = "# Written by deploy/k8s/generate.py: edit that, then run it.\n"
    return header + yaml.safe_dump_all(documents(), sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    text = render()
    if argv and "--check" in argv:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            print("deploy/k8s/base/services.yaml is out of date: run deploy/k8s/generate.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
