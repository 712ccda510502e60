"""The GOV.UK Notify channel, and the check of Notify's delivery-receipt callbacks."""

from __future__ import annotations

import hmac
import io
import threading
from collections.abc import Iterable
from typing import Protocol

import requests
from notifications_python_client.errors import APIError, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.utils import prepare_upload
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from services.notifications.adapters.channels.base import (
    DeliveryError,
    Message,
    PermanentDeliveryError,
    Receipt,
    TemporaryDeliveryError,
    UncertainDeliveryError,
    safe_filename,
    short_reason,
)


class NotifyChannel:
    """Sends through GOV.UK Notify with one generic email template.

    The template has ((subject)) and ((body)) placeholders, and, for messages
    with a document, a ((link_to_file)) placeholder (``file_placeholder``)
    where Notify puts the download link; it is sent empty when there is no
    document. Notify writes its own HTML, so ``body_html`` is not used.
    ``base_url`` has no default: the address comes from the settings, whose
    test configuration points at a host that cannot exist.
    Recipients confirm their email address before downloading a document
    unless ``confirm_email_before_download`` is False; ``retention_period``
    (e.g. "4 weeks") is how long Notify keeps it, Notify's default if None.

    Every attempt of one message carries the same ``reference`` (``identify``),
    so Notify's records show a repeat as one. A request that went and got no
    answer (a read timeout, a connection dropped after sending) raises
    ``UncertainDeliveryError``: Notify may have accepted it.
    """

    name = "notify"

    def __init__(
        self,
        api_key: str,
        email_template_id: str,
        base_url: str,
        *,
        file_placeholder: str = "link_to_file",
        confirm_email_before_download: bool = True,
        retention_period: str | None = None,
        timeout: float = 30,
    ) -> None:
        self._api_key = api_key
        self.email_template_id = email_template_id
        self.base_url = base_url
        self.file_placeholder = file_placeholder
        self.confirm_email_before_download = confirm_email_before_download
        self.retention_period = retention_period
        self.timeout = timeout
        self._local = threading.local()  # the client's requests session is not thread-safe
        self._client()  # a malformed key fails here, not at the first send

    def _client(self) -> NotificationsAPIClient:
        client = getattr(self._local, "client", None)
        if client is None:
            client = NotificationsAPIClient(self._api_key, base_url=self.base_url, timeout=self.timeout)
            self._local.client = client
        return client

    def personalisation(self, message: Message) -> dict[str, object]:
        if len(message.attachments) > 1:
            raise PermanentDeliveryError(
                f"Notify sends at most one document per email, not {len(message.attachments)}"
            )
        values: dict[str, object] = {
            "subject": message.subject,
            "body": message.body_text,
            self.file_placeholder: "",
        }
        for attachment in message.attachments:
            try:
                values[self.file_placeholder] = prepare_upload(
                    io.BytesIO(attachment.data),
                    filename=safe_filename(attachment.filename),
                    confirm_email_before_download=self.confirm_email_before_download,
                    retention_period=self.retention_period,
                )
            except ValueError as exc:  # larger than Notify's 2 MB
                raise PermanentDeliveryError(f"Notify refuses the document: {exc}") from exc
        return values

    def identify(self, reference: str) -> str:
        """Notify's ``reference`` of every attempt of the message: the ledger's own id."""
        return reference

    def send(self, message: Message) -> Receipt:
        personalisation = self.personalisation(message)
        try:
            response = self._client().send_email_notification(
                email_address=message.to,
                template_id=self.email_template_id,
                personalisation=personalisation,
                reference=message.message_id or self.identify(message.reference),
            )
        except APIError as exc:
            raise _notify_error(exc) from exc
        return Receipt(channel=self.name, provider_id=response["id"])


def _notify_error(exc: APIError) -> DeliveryError:
    if isinstance(exc, HTTPError) and exc.response is None:  # connection refused, timeout, ...
        cause = type(exc.__cause__).__name__ if exc.__cause__ else "no response"
        if _request_went(exc.__cause__):
            return UncertainDeliveryError(
                f"Notify had the request and did not answer ({cause}): it may have sent the email"
            )
        return TemporaryDeliveryError(f"Notify unreachable: {cause}")
    status = exc.status_code
    detail = exc.message
    if isinstance(detail, list):
        detail = "; ".join(
            f"{item.get('error', '')}: {item.get('message', '')}" if isinstance(item, dict) else str(item)
            for item in detail
        )
    reason = short_reason(f"Notify {status}: {detail}")
    if not isinstance(exc, HTTPError):  # a 2xx without JSON: Notify (or whatever answered) took it
        return UncertainDeliveryError(reason, code=status)
    if status == 429 or 500 <= status <= 599:
        return TemporaryDeliveryError(reason, code=status)
    return PermanentDeliveryError(reason, code=status)


def _request_went(cause: BaseException | None) -> bool:
    """Whether a request that got no answer had reached the server (not: refused, unresolved, no TLS)."""
    if isinstance(cause, requests.ConnectTimeout | requests.exceptions.SSLError):
        return False
    if isinstance(cause, requests.ReadTimeout):
        return True
    if isinstance(cause, requests.ConnectionError):
        reason = cause.args[0] if cause.args else None
        if isinstance(reason, MaxRetryError):
            reason = reason.reason
        return not isinstance(reason, ConnectTimeoutError)  # NewConnectionError is one: never connected
    return False


class Headers(Protocol):
    def items(self) -> Iterable[tuple[str, str]]: ...


def verify_callback(headers: Headers, bearer_token: str) -> bool:
    """Whether a delivery-status callback carries the bearer token we gave Notify.

    ``headers`` may be a plain dict or werkzeug's ``Headers``; an empty configured
    token accepts nothing, and so does more than one Authorization header.
    """
    if not bearer_token:
        return False
    values = [value for key, value in headers.items() if key.lower() == "authorization"]
    if len(values) != 1:
        return False
    scheme, _, token = values[0].strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), bearer_token.encode())
