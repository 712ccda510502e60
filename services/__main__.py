"""`python -m services`: every service in one process (what `make run` starts).

With the defaults this is the embedded product: the in-process bus and the
embedded store in ``./var`` (``EMBEDDED_STORE_DIR``), one address. The data
outlives the process, however it stops; ``FRESH=1`` starts with an empty store.
Events the in-process bus held when the process died are handed out again at
the next start (``shared.bus.journal``).
"""

import os
import sys
from pathlib import Path

from services.embedded import EmbeddedApp, bootstrap_all
from shared import store
from shared.auth import demo
from shared.config import Settings, load_settings
from shared.embedded_store import FolderInUse
from shared.logging import configure, get_logger
from shared.serve import GunicornApp, _running, gunicorn_options

log = get_logger("services")


def kept_demo_board(settings: Settings, base_url: str) -> str:
    """What to say when the demo board was made by an earlier start (its passwords were shown then)."""
    width = max(len(email) for _, email, _, _ in demo.USERS)
    lines = [
        f'Demo board "{demo.BOARD_NAME}", kept in {Path(settings.EMBEDDED_STORE_DIR).resolve()} '
        f"from an earlier start: sign in at {base_url}/sign-in with the passwords shown then "
        "(make run FRESH=1 starts afresh; DEMO_PASSWORD chooses the password of a new board)",
        f"  {'role':<20} email",
    ]
    lines += [f"  {role:<20} {email:<{width}}" for role, email, _, _ in demo.USERS]
    return "\n".join(lines)


def main() -> None:
    settings = load_settings()
    configure(settings.LOG_LEVEL)
    try:
        # Held by this (gunicorn master) process until it ends; its worker shares it.
        folder_lock = store.hold(settings, fresh=os.environ.get("FRESH", "") not in ("", "0"))
    except FolderInUse as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        sys.exit(2)

    def build() -> EmbeddedApp:
        services = bootstrap_all(settings)
        for service in services:
            service.start()
            _running.append(service)
        base_url = f"http://{settings.HOST}:{settings.PORT}"
        printed = False
        for service in services:
            rows = service.extras.get("demo_credentials")
            if rows:
                print(demo.describe(rows, base_url), flush=True)
                printed = True
        if settings.seeds_demo and not printed and not settings.in_memory_store:
            print(kept_demo_board(settings, base_url), flush=True)
        log.info(
            "product.started",
            url=base_url,
            bus=settings.BUS_URL,
            store=store.describe(settings),
            services=[s.name for s in services],
        )
        return EmbeddedApp(services)

    # The in-process bus lives in one process: one worker.
    GunicornApp(build, gunicorn_options(settings, workers=1)).run()
    del folder_lock


if __name__ == "__main__":
    main()
