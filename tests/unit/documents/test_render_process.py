"""Word documents rendered in worker processes (``RENDER_PROCESSES``): the same documents, the same
refusals, made in another process, and a worker that dies replaced."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys

import pytest

from services.documents.adapters.render import render_docx
from services.documents.adapters.render_process import (
    ROOT,
    RenderProcesses,
    _pickled,
    _receive,
    _send,
    serve,
)
from services.documents.adapters.repository import GridFsFiles
from services.documents.adapters.store import StoredDocument
from services.documents.domain.errors import MissingContext

from .conftest import World
from .factories import context_for, set_path
from .support import docx_text


@pytest.fixture
def processes():
    renderer = RenderProcesses(1)
    yield renderer
    renderer.close()


def test_a_document_rendered_in_a_worker_process_is_the_one_rendered_here(processes):
    context = context_for("decision_notification")
    made = processes("decision_notification", context)
    assert docx_text(made) == docx_text(render_docx("decision_notification", context))
    pids = processes.pids
    assert pids and os.getpid() not in pids  # it was made in another process


def test_a_refusal_is_made_here_naming_the_fields_without_starting_a_worker(processes):
    context = set_path(context_for("decision_notification"), "decision.outcome", None)
    with pytest.raises(MissingContext) as refused:
        processes("decision_notification", context)
    assert refused.value.fields == ["decision.outcome"]
    assert not processes.pids


def test_a_worker_that_dies_is_replaced_and_the_document_made(processes):
    context = context_for("referral_summary")
    processes("referral_summary", context)
    (pid,) = processes.pids
    os.kill(pid, signal.SIGKILL)
    made = processes("referral_summary", context)  # the worker is found gone and started again
    assert docx_text(made) == docx_text(render_docx("referral_summary", context))
    assert processes.pids and pid not in processes.pids


def test_closed_it_renders_here_and_its_workers_are_gone(processes):
    processes("referral_summary", context_for("referral_summary"))
    pids = processes.pids
    processes.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert docx_text(processes("referral_summary", context_for("referral_summary")))


def test_the_service_with_render_processes_stores_documents_made_in_a_worker(settings):
    world = World(settings.with_overrides(RENDER_PROCESSES=1))
    try:
        renderer = world.deps.render_docx
        assert isinstance(renderer, RenderProcesses)
        case_id = world.new_case()  # the referral's documents, made from its events
        answer = world.generate(case_id, "referral_summary")
        assert answer.status_code == 202, answer.get_json()
        assert renderer.pids and os.getpid() not in renderer.pids
        stored = StoredDocument.objects(case_id=case_id, kind="referral_summary").order_by("-version")
        latest = stored.first()
        assert latest.version == 2  # the screening's, then the one asked for
        assert latest.case_reference in docx_text(GridFsFiles().read(latest.file_id))
    finally:
        world.documents.stop()
    assert not renderer.pids  # stopping the service closed its workers


def test_the_worker_tells_what_it_could_not_render_and_ends_with_its_input():
    requests, answers = io.BytesIO(), io.BytesIO()
    _send(requests, _pickled(("referral_summary", context_for("referral_summary"))))
    _send(requests, _pickled(("no_such_kind", {})))
    requests.seek(0)
    serve(requests, answers)  # returns at the end of its input
    answers.seek(0)
    made, refused = _receive(answers), _receive(answers)
    assert made[0] is True and docx_text(made[1]) == docx_text(
        render_docx("referral_summary", context_for("referral_summary"))
    )
    assert refused[0] is False and refused[1].startswith("UnknownKind")


def test_workers_start_from_a_script_that_renders_at_its_top_level(tmp_path):
    """A worker is a fresh interpreter: the script that started the service is not run again in it."""
    script = tmp_path / "render_once.py"
    script.write_text(
        "from services.documents.adapters.render_process import RenderProcesses\n"
        "from tests.unit.documents.factories import context_for\n"
        "renderer = RenderProcesses(1)\n"
        "data = renderer('referral_summary', context_for('referral_summary'))\n"
        "print(len(data) > 10_000, len(renderer.pids))\n"
        "renderer.close()\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "1"]
    assert "render_process_lost" not in done.stderr


def test_a_context_that_cannot_be_sent_to_a_worker_is_rendered_here(processes):
    import threading

    context = context_for("referral_summary", unsent=threading.Lock())  # no pickle for a lock
    assert docx_text(processes("referral_summary", context)) == docx_text(
        render_docx("referral_summary", context)
    )
    assert not processes.pids  # no worker was needed
