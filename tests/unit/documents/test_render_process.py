"""Word documents rendered in worker processes (``RENDER_PROCESSES``): the same documents, the same
refusals, made in another process, and a worker that dies replaced."""

from __future__ import annotations

import os
import signal

import pytest

from services.documents.adapters.render import render_docx
from services.documents.adapters.render_process import RenderProcesses
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


def worker_pids(renderer: RenderProcesses) -> set[int]:
    pool = renderer._pool
    return set() if pool is None else {p.pid for p in (pool._processes or {}).values()}


def test_a_document_rendered_in_a_worker_process_is_the_one_rendered_here(processes):
    context = context_for("decision_notification")
    made = processes("decision_notification", context)
    assert docx_text(made) == docx_text(render_docx("decision_notification", context))
    pids = worker_pids(processes)
    assert pids and os.getpid() not in pids  # it was made in another process


def test_a_refusal_is_made_here_naming_the_fields_without_starting_a_worker(processes):
    context = set_path(context_for("decision_notification"), "decision.outcome", None)
    with pytest.raises(MissingContext) as refused:
        processes("decision_notification", context)
    assert refused.value.fields == ["decision.outcome"]
    assert processes._pool is None


def test_a_worker_that_dies_is_replaced_and_the_document_made(processes):
    context = context_for("referral_summary")
    processes("referral_summary", context)
    (pid,) = worker_pids(processes)
    os.kill(pid, signal.SIGKILL)
    made = processes("referral_summary", context)  # the pool is found broken and started again
    assert docx_text(made) == docx_text(render_docx("referral_summary", context))
    assert worker_pids(processes) and pid not in worker_pids(processes)


def test_closed_it_renders_here_and_its_workers_are_gone(processes):
    processes("referral_summary", context_for("referral_summary"))
    pids = worker_pids(processes)
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
        assert worker_pids(renderer) and os.getpid() not in worker_pids(renderer)
        stored = StoredDocument.objects(case_id=case_id, kind="referral_summary").order_by("-version")
        latest = stored.first()
        assert latest.version == 2  # the screening's, then the one asked for
        assert latest.case_reference in docx_text(GridFsFiles().read(latest.file_id))
    finally:
        world.documents.stop()
    assert renderer._pool is None  # stopping the service closed its workers
