"""`python -m services`: every service in one process (what `make run` starts).

With the defaults this is the embedded product: the in-process bus, the
in-memory store, one address. Data lives only as long as the process.
"""

from services.embedded import EmbeddedApp, bootstrap_all
from shared.auth import demo
from shared.config import load_settings
from shared.logging import configure, get_logger
from shared.serve import GunicornApp, _running, gunicorn_options

log = get_logger("services")


def main() -> None:
    settings = load_settings()
    configure(settings.LOG_LEVEL)

    def build() -> EmbeddedApp:
        services = bootstrap_all(settings)
        for service in services:
            service.start()
            _running.append(service)
        base_url = f"http://{settings.HOST}:{settings.PORT}"
        for service in services:
            rows = service.extras.get("demo_credentials")
            if rows:
                print(demo.describe(rows, base_url), flush=True)
        log.info(
            "product.started",
            url=f"http://{settings.HOST}:{settings.PORT}",
            bus=settings.BUS_URL,
            store=settings.MONGODB_URI or "in-memory (mongomock)",
            services=[s.name for s in services],
        )
        return EmbeddedApp(services)

    # The in-process bus and the in-memory store live in one process: one worker.
    GunicornApp(build, gunicorn_options(settings, workers=1)).run()


if __name__ == "__main__":
    main()
