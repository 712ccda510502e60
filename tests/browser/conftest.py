"""The product in Chromium: a live server, a browser, signing in, axe-core and failure screenshots.

The browser is Debian's chromium (`make install` installs it where missing), driven by
Playwright for Python; Playwright's own browser download is never used. axe-core comes from
npm (node_modules) and is injected with ``page.evaluate``, which the pages'
Content-Security-Policy (no inline script) does not stop.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from shared.auth import demo
from tests.support import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "browser-tests-password"
EMAILS = {role: email for role, email, _, _ in demo.USERS}
# Every rule axe-core has for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# -- the product ------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[str]
    log: Any
    clock: Path  # a date written here is the reviews service's today (tests/browser/live_server.py)

    def today_is(self, day: date | None) -> None:
        """Move the reviews service's today to ``day``; None gives it England's date again."""
        self.clock.write_text(day.isoformat() if day else "")

    def output(self) -> str:
        self.log.seek(0)
        return str(self.log.read())


def start_server(**settings: Any) -> LiveServer:
    """The whole product in one process on a free port, with a store folder of its own."""
    port = free_port()
    store_dir = tempfile.mkdtemp(prefix="lscb-browser-store-")
    chosen = {
        "APP_ENV": "development",
        "HOST": "127.0.0.1",
        "PORT": port,
        "EMBEDDED_STORE_DIR": store_dir,
        "BUS_URL": "memory://",
        "MONGODB_URI": "",
        "DEMO_SEED": "1",
        "DEMO_PASSWORD": PASSWORD,
        "PASSWORD_TIME_COST": 1,
        "PASSWORD_MEMORY_KIB": 1024,
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    log = tempfile.TemporaryFile(mode="w+")
    clock = Path(store_dir) / "clock"
    env = {
        **os.environ,
        "LSCB_BROWSER_SETTINGS": json.dumps(chosen),
        "LSCB_BROWSER_CLOCK": str(clock),
        "PYTHONPATH": str(ROOT),
    }
    for name in ("MONGODB_URI", "BUS_URL", "APP_ENV"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.browser.live_server"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log=log, clock=clock)

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the product stopped at start:\n{server.output()[-4000:]}")
        try:
            return requests.get(f"{server.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_for(ready, timeout=90, interval=0.2)
    return server


def stop_server(server: LiveServer) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGINT)
        try:
            server.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
    server.log.close()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = start_server()
    yield server
    stop_server(server)


# -- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `make install` (as root it installs "
            "Debian's chromium package) to run the browser tests",
            pytrace=False,
        )
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make install`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:150]


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, live_server: LiveServer) -> Iterator[Any]:
    yield from _page(request, browser, live_server)


def _page(request: pytest.FixtureRequest, browser: Any, server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number, each in enumerate(context.pages):
            suffix = f"-{number}" if number else ""
            try:
                each.screenshot(
                    path=str(ARTIFACTS / f"{_artifact_name(request.node.nodeid)}{suffix}.png"), full_page=True
                )
            except Exception as exc:  # noqa: BLE001 - the test's own failure is what matters
                print(f"no screenshot of {each.url}: {exc}", file=sys.stderr)
        print(f"the product's log, last lines:\n{server.output()[-3000:]}", file=sys.stderr)
    context.close()


# -- helpers ----------------------------------------------------------------------------------


def sign_in(page: Any, role: str) -> None:
    """Sign in as the demo board's user with this role (e.g. "agency_practitioner")."""
    page.goto("/sign-in")
    page.fill("#email", EMAILS[role])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/sign-in" not in page.url, f"{role} could not sign in: {page.url}"


def assert_accessible(page: Any) -> None:
    """axe-core on the page as it is: fails listing each violation (rule, impact, targets)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
        })""",
        AXE_TAGS,
    )
    violations = results["violations"]
    if violations:
        lines = [f"axe found {len(violations)} kind(s) of violation on {page.url}:"]
        for v in violations:
            targets = ", ".join(" ".join(map(str, node["target"])) for node in v["nodes"])
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} at {targets}")
        pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page: Any, name: str) -> None:
    """A PNG for the README in docs/screenshots/, only when SCREENSHOTS=1."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
