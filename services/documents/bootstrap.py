"""The one place where the documents service's adapters, handlers and entrypoints are wired.

Production takes the real adapters; tests pass fakes::

    deps = dependencies(uow=FakeUnitOfWork(), render_docx=fake_render, today=lambda: date(2025, 3, 14))
    for sub in consumer.subscriptions(deps):  # the bus subscriptions, dependencies injected
        ...
    service = bootstrap(settings, render_docx=fake_render)  # the whole service, Flask app and bus

Handlers take ``(message, uow, ...)``; every parameter after the message is injected
by name from :meth:`Dependencies.as_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask import Flask

from services.documents.adapters.store import OUTBOX_DOCUMENTS
from services.documents.entrypoints import api, consumer
from services.documents.service_layer import retention
from services.documents.service_layer.handlers import Converter, Pseudonymiser, Renderer, Today
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork, MongoUnitOfWork
from shared.config import Settings, load_settings
from shared.retention import OUTBOX_DOCUMENTS as RETENTION_OUTBOX
from shared.service import Service, build_service

NAME = "documents"


@dataclass(frozen=True)
class Dependencies:
    uow: DocumentsUnitOfWork
    render_docx: Renderer
    to_pdf: Converter
    pseudonymise: Pseudonymiser
    today: Today

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def dependencies(
    *,
    uow: DocumentsUnitOfWork | None = None,
    render_docx: Renderer | None = None,
    to_pdf: Converter | None = None,
    pseudonymise: Pseudonymiser | None = None,
    today: Today | None = None,
    render_processes: int = 0,
) -> Dependencies:
    """The given adapters, and the real ones for the rest. Connects to nothing.

    ``render_processes`` > 0 renders Word documents in that many worker processes
    (``RENDER_PROCESSES``), started on the first document; 0 renders in the calling thread.
    """
    from services.documents.adapters.pdf import to_pdf as libreoffice_pdf
    from services.documents.adapters.render import render_docx as docxtpl_render
    from services.documents.domain.publication import pseudonymise as publication_copy
    from shared.framework import today_in_england

    if render_docx is None and render_processes > 0:
        from services.documents.adapters.render_process import RenderProcesses

        render_docx = RenderProcesses(render_processes)
    return Dependencies(
        uow=uow or MongoUnitOfWork(),
        render_docx=render_docx or docxtpl_render,
        to_pdf=to_pdf or libreoffice_pdf,
        pseudonymise=pseudonymise or publication_copy,
        today=today or today_in_england,
    )


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: DocumentsUnitOfWork | None = None,
    render_docx: Renderer | None = None,
    to_pdf: Converter | None = None,
    pseudonymise: Pseudonymiser | None = None,
    today: Today | None = None,
) -> Service:
    settings = settings or load_settings()
    deps = dependencies(
        uow=uow,
        render_docx=render_docx,
        to_pdf=to_pdf,
        pseudonymise=pseudonymise,
        today=today,
        render_processes=settings.RENDER_PROCESSES,
    )
    close = getattr(deps.render_docx, "close", None)

    def register(app: Flask) -> None:
        app.extensions["lscb_documents"] = deps
        api.register(app)

    return build_service(
        NAME,
        settings,
        import_name=__name__,
        register=register,
        subscriptions=consumer.subscriptions(deps.as_dict()),
        outbox_documents=(*OUTBOX_DOCUMENTS, *RETENTION_OUTBOX),
        periodic=[retention.job().periodic()],
        closers=[close] if close is not None else [],
    )
