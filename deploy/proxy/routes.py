"""The proxy's route table, written from the services' own URL maps.

``python deploy/proxy/routes.py`` (from the repository root) rewrites
``deploy/proxy/routes.conf`` and its copy under ``deploy/k8s/base/proxy/`` (kustomize
reads files only below its own folder), and copies ``http.conf`` and ``locations.conf``
there too;
``python deploy/proxy/routes.py --check`` fails if either differs from what
the URL maps give. ``tests/unit/test_proxy.py`` runs the check, so a
route added to a service without regenerating the table fails the tests.

A path goes to the first service, in ``services.NAMES`` order, whose URL map
matches it: the rule ``services/embedded.py`` follows when the whole product
runs in one process. nginx tries regular-expression locations in the order
they are written and takes the first that matches, so writing each service's
rules in that same order gives the same owner for every path. Rules every
service has (sign-in, static files, the API description) therefore go to the
first service. ``/``, ``/healthz``, ``/readyz`` and ``/metrics`` are left to
the proxy's own configuration, as the embedded product answers them itself.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = (ROOT / "deploy/proxy/routes.conf", ROOT / "deploy/k8s/base/proxy/routes.conf")
SNIPPETS = ("http.conf", "locations.conf")
HOST_PATHS = ("/", "/healthz", "/readyz", "/metrics")

HEADER = """\
# The proxy's route table: which service answers which path.
# Written by `python deploy/proxy/routes.py` from the services' URL maps; do not edit by hand.
# nginx tries these locations in order and the first match wins: a path goes to the first
# service (referral, scheduler, documents, notifications, reviews) whose URL map matches it,
# as in the one-process product (services/embedded.py).
"""


def rule_pattern(rule: object) -> str:
    """A PCRE pattern for a Werkzeug rule: its static parts escaped, each variable its converter's regex."""
    trace: list[tuple[bool, str]] = rule._trace  # type: ignore[attr-defined]
    converters = rule._converters  # type: ignore[attr-defined]
    parts: list[str] = []
    seen_host_separator = False
    for dynamic, data in trace:
        if not seen_host_separator:
            seen_host_separator = data == "|"
            continue
        if dynamic:
            parts.append(f"(?:{converters[data].regex})")
        else:
            parts.append(re.escape(data))
    path = "".join(parts)
    # Werkzeug answers the other form of a trailing slash with a redirect from the same service.
    if path.endswith("/"):
        return f"^{path}?$"
    return f"^{path}/?$"


def routes(services: Iterable[tuple[str, Iterable[object]]]) -> list[tuple[str, str, str]]:
    """(service, rule text, pattern) for every rule, services in the given order.

    A pattern an earlier service already has is left out: that service answers it anyway.
    """
    table: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for name, rules in services:
        for rule in sorted(rules, key=lambda r: r.rule):  # type: ignore[attr-defined]
            text = rule.rule  # type: ignore[attr-defined]
            pattern = rule_pattern(rule)
            if text in HOST_PATHS or pattern in seen:
                continue
            seen.add(pattern)
            table.append((name, text, pattern))
    return table


def render(table: list[tuple[str, str, str]]) -> str:
    lines = [HEADER]
    current = None
    for name, text, pattern in table:
        if name != current:
            lines.append(f"\n# -- {name} --\n")
            current = name
        lines.append(f'location ~ "{pattern}" {{ proxy_pass http://{name}; }}  # {text}\n')
    return "".join(lines)


def from_services() -> str:
    """The route table of the five services as bootstrapped with test settings (nothing is started)."""
    sys.path.insert(0, str(ROOT))
    from services import NAMES
    from services.embedded import bootstrap_all
    from shared.config import load_settings

    settings = load_settings({}, APP_ENV="test", DEMO_SEED="0")
    built = bootstrap_all(settings, NAMES)
    return render(routes((s.name, list(s.app.url_map.iter_rules())) for s in built))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a written table is out of date")
    args = parser.parse_args(argv)
    text = from_services()
    wanted = {path: text for path in OUTPUTS}
    for name in SNIPPETS:
        wanted[OUTPUTS[1].parent / name] = (OUTPUTS[0].parent / name).read_text()
    stale = [p for p, content in wanted.items() if not p.exists() or p.read_text() != content]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run deploy/proxy/routes.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
