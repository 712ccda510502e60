"""`python -m tests.browser.live_server`: the whole product in one process, for the browser tests.

What `make run` starts (services/__main__.py): every service on the in-process bus behind
one address, served by gunicorn, with the demo board. The settings come from the
environment variable LSCB_BROWSER_SETTINGS (JSON), so a test can ask for what the
environment cannot say, such as a session lifetime in seconds.

A test that must move time on (a report published seven working days after its copies went)
names a file in LSCB_BROWSER_CLOCK: while it holds a date (2027-01-15), the reviews service
takes that date as today; while it is empty or missing, today is England's date.
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date
from pathlib import Path

from services.embedded import EmbeddedApp, bootstrap_all
from services.reviews.entrypoints.api import _KEY as REVIEWS_KEY
from shared import store
from shared.config import load_settings
from shared.framework import today_in_england
from shared.logging import configure
from shared.serve import GunicornApp, _running, gunicorn_options
from shared.service import Service

SETTINGS_VARIABLE = "LSCB_BROWSER_SETTINGS"
CLOCK_VARIABLE = "LSCB_BROWSER_CLOCK"


def clock(path: Path) -> date:
    """The date the test put in the clock file, or England's date."""
    written = path.read_text().strip() if path.exists() else ""
    return date.fromisoformat(written) if written else today_in_england()


def set_clock(services: list[Service]) -> None:
    """The reviews service reads today from the clock file named in LSCB_BROWSER_CLOCK."""
    named = os.environ.get(CLOCK_VARIABLE)
    if not named:
        return
    for service in services:
        deps = service.extras.get("dependencies")
        if service.name == "reviews" and deps is not None:
            moved = dataclasses.replace(deps, today=lambda: clock(Path(named)))
            service.extras["dependencies"] = moved
            service.app.extensions[REVIEWS_KEY] = moved


def main() -> None:
    settings = load_settings(**json.loads(os.environ.get(SETTINGS_VARIABLE, "{}")))
    configure(settings.LOG_LEVEL)
    folder_lock = store.hold(settings, fresh=True)

    def build() -> EmbeddedApp:
        services = bootstrap_all(settings)
        set_clock(services)
        for service in services:
            service.start()
            _running.append(service)
        return EmbeddedApp(services)

    GunicornApp(build, gunicorn_options(settings, workers=1)).run()
    del folder_lock


if __name__ == "__main__":
    main()
