import time

import pytest

from shared.config import ConfigurationError, load_settings


def test_development_defaults_run_with_no_servers():
    s = load_settings({})
    assert s.PORT == 8000
    assert s.BUS_URL == "memory://"
    assert s.embedded_bus and s.embedded_store
    assert s.APP_ENV == "development"


def test_environment_overrides_with_types():
    s = load_settings({"PORT": "9001", "BUS_CONFIRM_TIMEOUT": "2.5", "SMTP_HOST": "mail.local"})
    assert s.PORT == 9001
    assert s.BUS_CONFIRM_TIMEOUT == 2.5
    assert s.SMTP_HOST == "mail.local"


def test_a_bad_number_names_the_variable():
    with pytest.raises(ConfigurationError, match="PORT"):
        load_settings({"PORT": "eighty"})


def test_unknown_app_env_is_refused():
    with pytest.raises(ConfigurationError, match="APP_ENV"):
        load_settings({"APP_ENV": "staging"})


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"MONGODB_URI": "mongodb://db/lscb"}, "BUS_URL"),
        ({"BUS_URL": "amqp://rabbit//"}, "MONGODB_URI"),
    ],
)
def test_production_refuses_the_in_process_defaults(env, missing):
    with pytest.raises(ConfigurationError, match=missing):
        load_settings({"APP_ENV": "production", **env})


PRODUCTION = {
    "APP_ENV": "production",
    "BUS_URL": "amqp://rabbit//",
    "MONGODB_URI": "mongodb://db/x",
    "SECRET_KEY": "s" * 40,
    "FIELD_ENCRYPTION_KEYS": "VGhpcyBpcyBhIDMyIGJ5dGUgZmllbGQga2V5IHRlc3Q=",
}


@pytest.mark.parametrize("secret", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS"])
def test_production_refuses_development_secrets(secret):
    env = dict(PRODUCTION)
    del env[secret]
    with pytest.raises(ConfigurationError, match=secret):
        load_settings(env)


def test_production_with_real_servers():
    s = load_settings(PRODUCTION)
    assert not s.embedded_bus and not s.embedded_store
    assert s.HOST == "0.0.0.0"


def test_production_refuses_a_secret_key_shorter_than_32_bytes():
    env = {**PRODUCTION, "SECRET_KEY": "x"}
    with pytest.raises(ConfigurationError, match="SECRET_KEY must be at least 32 bytes"):
        load_settings(env)
    assert load_settings({**PRODUCTION, "SECRET_KEY": "y" * 32}).SECRET_KEY == "y" * 32


def test_each_web_worker_sets_how_soon_a_waiting_thread_gets_the_interpreter(monkeypatch):
    import signal
    import sys

    from shared import collector
    from shared.serve import gunicorn_options

    started: list[bool] = []
    monkeypatch.setattr(collector, "start", lambda: started.append(True))
    before, sigint = sys.getswitchinterval(), signal.getsignal(signal.SIGINT)
    try:
        init = gunicorn_options(load_settings(APP_ENV="test", SWITCH_INTERVAL_MS=2))["post_worker_init"]
        init(None)
        assert sys.getswitchinterval() == pytest.approx(0.002)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # Ctrl-C is the master's
        assert started == [True]  # the cycle collector's full passes taken over
        assert load_settings(APP_ENV="test").SWITCH_INTERVAL_MS == 1.0
    finally:
        sys.setswitchinterval(before)
        signal.signal(signal.SIGINT, sigint)


def test_the_cycle_collector_passes_between_requests_and_what_the_service_holds_is_left_out():
    import gc
    import weakref

    from shared import collector

    thresholds = gc.get_threshold()
    job = collector.start(interval=0.05)
    try:
        assert gc.get_freeze_count() > 0  # what the started service holds
        assert gc.get_threshold()[2] == collector.NEVER  # no automatic full pass
        frozen = gc.get_freeze_count()

        class Node:
            pass

        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, then garbage
        gone = weakref.ref(a)
        del a, b
        for _ in range(100):
            if gc.get_freeze_count() > frozen:
                break
            time.sleep(0.02)
        assert job.is_alive() and gc.get_freeze_count() > frozen  # a later pass froze what came since
        assert gone() is None  # the cycle was freed, not frozen
    finally:
        job.stop()
        gc.unfreeze()
        gc.set_threshold(*thresholds)
