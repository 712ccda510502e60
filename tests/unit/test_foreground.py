"""Background work lets the requests being answered go first (shared/foreground.py): it waits
while one is being answered, goes on as soon as none is, and never waits longer than its patience."""

from __future__ import annotations

import threading
import time

from flask import Flask

from shared import foreground
from shared.foreground import Foreground


def test_with_no_request_being_answered_background_work_goes_on_at_once():
    assert Foreground().wait(patience=5) == 0.0


def test_background_work_waits_for_the_answer_then_goes_on():
    fg = Foreground()
    fg.enter()
    waited: list[float] = []
    worker = threading.Thread(target=lambda: waited.append(fg.wait(patience=5)))
    worker.start()
    time.sleep(0.2)
    assert worker.is_alive()  # still waiting for the answer
    fg.leave()
    worker.join(2)
    assert not worker.is_alive() and 0 < waited[0] < 2


def test_background_work_is_never_starved():
    fg = Foreground()
    fg.enter()  # an answer that never ends
    started = time.monotonic()
    fg.wait(patience=0.2)
    assert 0.15 < time.monotonic() - started < 2
    fg.leave()


def test_a_service_counts_the_requests_it_is_answering():
    app = Flask(__name__)
    seen: list[int] = []

    @app.get("/")
    def index():
        seen.append(foreground.FOREGROUND.answering)
        return "ok"

    app.wsgi_app = foreground.middleware(app.wsgi_app)
    before = foreground.FOREGROUND.answering
    assert app.test_client().get("/").status_code == 200
    assert seen == [before + 1] and foreground.FOREGROUND.answering == before


def test_a_failing_answer_is_counted_out_too():
    def broken(environ, start_response):
        raise RuntimeError("the page failed")

    counted = foreground.middleware(broken)
    before = foreground.FOREGROUND.answering
    try:
        counted({}, lambda *a: None)
    except RuntimeError:
        pass
    assert foreground.FOREGROUND.answering == before


def test_a_step_of_background_work_waits_for_the_answer_and_the_answer_never_waits():
    release = threading.Event()
    inside: list[float] = []

    def slow_page(environ, start_response):
        inside.append(foreground.yield_to_requests(patience=5))  # answering: goes on at once
        release.wait(5)
        start_response("200 OK", [])
        return [b"ok"]

    page = foreground.middleware(slow_page)
    answering = threading.Thread(target=lambda: page({}, lambda *a: None))
    answering.start()
    while foreground.FOREGROUND.answering == 0:
        time.sleep(0.01)
    stepped = threading.Event()
    background = threading.Thread(target=lambda: (foreground.yield_to_requests(patience=5), stepped.set()))
    background.start()
    time.sleep(0.2)
    assert inside == [0.0] and not stepped.is_set()  # the store step waits for the answer
    release.set()
    answering.join(2)
    assert stepped.wait(2)
    background.join(2)


def test_the_embedded_store_lets_the_answer_go_first(tmp_path, monkeypatch):
    from shared.embedded_store import EmbeddedClient

    asked: list[float] = []
    monkeypatch.setattr(foreground, "yield_to_requests", lambda *a, **k: asked.append(1) or 0.0)
    coll = EmbeddedClient(store_folder=str(tmp_path), tz_aware=True)["lscb"].things
    coll.insert_one({"_id": 1})
    before = len(asked)
    coll.find_one({"_id": 1})
    coll.update_one({"_id": 1}, {"$set": {"n": 1}})
    assert len(asked) == before + 2  # before the read, before the write (not again inside it)
