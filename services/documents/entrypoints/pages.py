"""The documents pages: a case's documents, generating one, sharing a report with a family member
(chosen by name) and revoking that share. The views call the service layer the API calls
(:func:`.handlers.generate`, :mod:`.family`), and are audited as the API is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, get_flashed_messages, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from services.documents.domain.kinds import KINDS
from services.documents.entrypoints.api import deps
from services.documents.entrypoints.forms import ConfirmForm, GenerateForm, ShareForm, error_list
from services.documents.service_layer import availability, family, handlers, queries
from services.documents.service_layer.commands import GenerateDocument, RevokeShare, ShareDocument
from shared import audit
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.pager import page_asked, pager

blueprint = Blueprint("document_pages", __name__, template_folder="../templates")
STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")
GENERATORS = ("business_unit", "chair", "admin")  # as POST /api/v1/documents
SHARERS = ("business_unit", "admin")  # as the share API


def _failed(form: Any, exc: DomainError) -> list[dict[str, str]]:
    """The service's problems on the fields they name, and the whole error summary."""
    summary = error_list(form)
    for e in exc.errors():
        name = GenerateForm.FIELDS.get(e.get("field") or "", e.get("field") or "")
        field = form[name] if name in form else None
        if field is not None:
            field.errors = [*field.errors, e["message"]]
        summary.append(
            {"text": e["message"], "href": f"#{field.id if field is not None else 'main-content'}"}
        )
    return summary


@blueprint.get("/documents/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "document", "case_id")
def case_documents(case_id: str) -> ResponseReturnValue:
    principal = g.principal
    found = queries.documents_for(principal, case_id, deps().uow, **page_asked())
    sharer = principal.has_any(SHARERS)
    shared = availability.shares_of(principal, case_id, deps().uow) if sharer else None
    return render_template(
        "documents.html",
        title="Documents for this case",
        found=found,
        pager=pager(found, "documents", label="Pages of documents"),
        case_id=case_id,
        kinds=KINDS,
        can_generate=principal.has_any(GENERATORS),
        can_share=sharer,
        shares=shared.shares if shared else [],
        family=shared.family if shared else {},
        done=get_flashed_messages(category_filter=["documents"]),
    )


# -- generating a document ---------------------------------------------------------------------


def _generate_form(offers: list[availability.KindOffer], formdata: bool) -> GenerateForm:
    form = GenerateForm() if formdata else GenerateForm(formdata=None)
    form.offer({o.code: o.title for o in offers if o.available})
    return form


def _render_generate(
    case_id: str,
    offers: list[availability.KindOffer],
    form: GenerateForm,
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    available = [o for o in offers if o.available]
    return render_template(
        "generate.html",
        title="Generate a document",
        case_id=case_id,
        form=form,
        hints=[
            {"hint": {"text": "A letter: give the recipient below."}} if o.needs_recipient else {}
            for o in available
        ],
        unavailable=[o for o in offers if not o.available],
        any_recipient=any(o.needs_recipient for o in available),
        errors=errors if errors is not None else error_list(form),
    ), status


def _offers(case_id: str) -> list[availability.KindOffer]:
    d = deps()
    return availability.kinds_for(g.principal, case_id, d.uow, d.today)


@blueprint.get("/documents/cases/<case_id>/generate")
@members(*GENERATORS)
@audited("case.read", "document", "case_id")
def generate_page(case_id: str) -> ResponseReturnValue:
    offers = _offers(case_id)
    return _render_generate(case_id, offers, _generate_form(offers, formdata=False))


@blueprint.post("/documents/cases/<case_id>/generate")
@members(*GENERATORS)
@audited("case.write", "document")
def generate(case_id: str) -> ResponseReturnValue:
    g.audit_resource_id = case_id  # the document's id, once there is one
    offers = _offers(case_id)
    form = _generate_form(offers, formdata=True)
    if not form.validate():
        return _render_generate(case_id, offers, form, status=422)
    recipient = form.recipient()
    cmd = GenerateDocument(
        case_id=case_id,
        kind=form.kind.data,
        requested_by=g.principal,
        extra={"recipient": recipient} if recipient else None,
        publication=bool(form.publication.data),
        glossary=form.stand_ins(),
    )
    d = deps()
    try:
        doc = handlers.generate(cmd, d.uow, d.render_docx, d.pseudonymise, d.today)
    except DomainError as exc:
        return _render_generate(case_id, offers, form, _failed(form, exc), exc.status)
    g.audit_resource_id = doc.document_id
    copy = " (publication copy)" if doc.publication else ""
    flash(f"{KINDS[doc.kind].title}{copy}: version {doc.version} generated", "documents")
    return redirect(url_for(".case_documents", case_id=case_id))


# -- sharing a report with a family member ------------------------------------------------------


def _render_share(
    doc: Any, form: ShareForm, errors: list[dict[str, str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "share.html",
        title="Share a report with a family member",
        doc=doc,
        kind=KINDS[doc.kind].title if doc.kind in KINDS else "Document",
        case_id=doc.case_id,
        form=form,
        errors=errors if errors is not None else error_list(form),
    ), status


def _share_form(formdata: bool) -> ShareForm:
    form = ShareForm() if formdata else ShareForm(formdata=None)
    form.offer(availability.family_of(g.principal, deps().uow))
    return form


@blueprint.get("/documents/<document_id>/share")
@members(*SHARERS)
@audited("case.read", "document", "document_id")
def share_page(document_id: str) -> ResponseReturnValue:
    doc = queries.get_document(g.principal, document_id, deps().uow)
    return _render_share(doc, _share_form(formdata=False))


@blueprint.post("/documents/<document_id>/share")
@members(*SHARERS)
def share(document_id: str) -> ResponseReturnValue:
    doc = queries.get_document(g.principal, document_id, deps().uow)
    form = _share_form(formdata=True)
    if not form.validate():
        return _render_share(doc, form, status=422)
    try:
        made = family.share_document(
            ShareDocument(document_id=document_id, user_id=form.user_id.data, shared_by=g.principal),
            deps().uow,
        )
    except DomainError as exc:
        return _render_share(doc, form, _failed(form, exc), exc.status)
    audit.record(
        "document.shared", resource=("document", made.document_id), detail=f"with user {made.user_id}"
    )
    name = dict(form.user_id.choices or {})[form.user_id.data]
    flash(f"{name} can now read the report on screen", "documents")
    return redirect(url_for(".case_documents", case_id=doc.case_id))


# -- revoking a share --------------------------------------------------------------------------


def _share(share_id: str) -> tuple[Any, Any, str]:
    found = availability.share_of(g.principal, share_id, deps().uow)
    if found is None:
        abort(404)
    share_, doc = found
    name = availability.family_of(g.principal, deps().uow).get(share_.user_id, "The family member")
    return share_, doc, name


@blueprint.get("/documents/shares/<share_id>/revoke")
@members(*SHARERS)
def revoke_page(share_id: str) -> ResponseReturnValue:
    share_, doc, name = _share(share_id)
    return render_template(
        "revoke.html",
        title="Stop a family member reading a report",
        share=share_,
        doc=doc,
        kind=KINDS[doc.kind].title if doc.kind in KINDS else "Document",
        name=name,
        case_id=doc.case_id,
        form=ConfirmForm(),
    )


@blueprint.post("/documents/shares/<share_id>/revoke")
@members(*SHARERS)
def revoke(share_id: str) -> ResponseReturnValue:
    share_, doc, name = _share(share_id)
    if not ConfirmForm().validate():
        return redirect(url_for(".revoke_page", share_id=share_id))
    revoked = family.revoke_share(RevokeShare(share_id=share_id, revoked_by=g.principal), deps().uow)
    audit.record("document.share_revoked", resource=("document", revoked.document_id))
    flash(f"{name} can no longer read the report", "documents")
    return redirect(url_for(".case_documents", case_id=doc.case_id))
