"""The development outbox's pages: the emails ``make run`` kept instead of sending, and each one
whole, with its attachments to download (``adapters/channels/outbox.py``)."""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template
from flask.typing import ResponseReturnValue

from services.notifications.adapters.channels.outbox import OutboxMail, open_mail
from shared.auth.access import members
from shared.errors import NotFound
from shared.pager import page_asked, pager
from shared.pagination import paginate

blueprint = Blueprint("notifications_outbox", __name__)
READERS = ("business_unit", "admin")


def _mail(mail_id: str) -> OutboxMail:
    mail: OutboxMail | None = OutboxMail.objects(mail_id=mail_id, board_id=g.principal.board_id).first()
    if mail is None:
        raise NotFound("There is no such email in the outbox", field="mail_id")
    return mail


@blueprint.get("/notifications/outbox")
@members(*READERS)
def outbox() -> ResponseReturnValue:
    mails = OutboxMail.objects(board_id=g.principal.board_id).exclude("sealed").order_by("-stored_at")
    page = paginate(mails, **page_asked())
    return render_template(
        "outbox/list.html", title="Development outbox", mails=page.items, pager=pager(page, "emails")
    )


@blueprint.get("/notifications/outbox/<mail_id>")
@members(*READERS)
def outbox_mail(mail_id: str) -> ResponseReturnValue:
    opened = open_mail(_mail(mail_id))
    return render_template("outbox/mail.html", title=opened.mail.subject, opened=opened)


@blueprint.get("/notifications/outbox/<mail_id>/attachments/<int:number>")
@members(*READERS)
def outbox_attachment(mail_id: str, number: int) -> ResponseReturnValue:
    attachments = open_mail(_mail(mail_id)).attachments
    if not 1 <= number <= len(attachments):
        raise NotFound("The email has no such attachment", field="number")
    filename, content_type, data = attachments[number - 1]
    return Response(
        data,
        mimetype=content_type,
        headers={"Content-Disposition": _disposition(filename), "X-Content-Type-Options": "nosniff"},
    )


def _disposition(filename: str) -> str:
    """Always a download, never shown in the page: the name in ASCII and in full (RFC 6266)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
