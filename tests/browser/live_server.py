"""`python -m tests.browser.live_server`: the whole product in one process, for the browser tests.

What `make run` starts (services/__main__.py): every service on the in-process bus behind
one address, served by gunicorn, with the demo board. The settings come from the
environment variable LSCB_BROWSER_SETTINGS (JSON), so a test can ask for what the
environment cannot say, such as a session lifetime in seconds.
"""

from __future__ import annotations

import json
import os

from services.embedded import EmbeddedApp, bootstrap_all
from shared import store
from shared.config import load_settings
from shared.logging import configure
from shared.serve import GunicornApp, _running, gunicorn_options

SETTINGS_VARIABLE = "LSCB_BROWSER_SETTINGS"


def main() -> None:
    settings = load_settings(**json.loads(os.environ.get(SETTINGS_VARIABLE, "{}")))
    configure(settings.LOG_LEVEL)
    folder_lock = store.hold(settings, fresh=True)

    def build() -> EmbeddedApp:
        services = bootstrap_all(settings)
        for service in services:
            service.start()
            _running.append(service)
        return EmbeddedApp(services)

    GunicornApp(build, gunicorn_options(settings, workers=1)).run()
    del folder_lock


if __name__ == "__main__":
    main()
