"""The one place where the documents service's adapters, handlers and entrypoints are wired."""

from __future__ import annotations

from services.documents.adapters.cases import HttpCaseSource
from services.documents.adapters.store import OUTBOX_DOCUMENTS
from services.documents.entrypoints import api, consumer
from services.documents.service_layer import handlers
from shared.auth.client import ServiceClient
from shared.config import Settings, load_settings
from shared.service import Service, build_service

NAME = "documents"


def default_deps(settings: Settings) -> handlers.Deps:
    from services.documents.adapters.pdf import to_pdf
    from services.documents.adapters.render import render_docx
    from services.documents.domain.publication import pseudonymise

    return handlers.Deps(
        cases=HttpCaseSource(ServiceClient(settings, "referral")),
        render_docx=render_docx,
        to_pdf=to_pdf,
        pseudonymise=pseudonymise,
    )


def bootstrap(settings: Settings | None = None, deps: handlers.Deps | None = None) -> Service:
    settings = settings or load_settings()
    deps = deps or default_deps(settings)

    def register(app):
        app.extensions["lscb_documents"] = deps
        api.register(app)

    return build_service(
        NAME,
        settings,
        import_name=__name__,
        register=register,
        subscriptions=consumer.subscriptions(deps),
        outbox_documents=OUTBOX_DOCUMENTS,
    )
