"""Delivery channels: one interface, an SMTP relay and GOV.UK Notify behind it.

A channel takes a ``Message`` and either returns a ``Receipt`` or raises a
``DeliveryError`` that says whether trying again later can help
(``TemporaryDeliveryError``) or not (``PermanentDeliveryError``). Deciding when
to try again is the caller's business; a channel makes one attempt.

The records behind these messages describe children who died or were seriously
harmed (DOMAIN.md, "Data protection"), so nothing here puts a message's body in
an error, and the value objects leave addresses, subjects and bodies out of
their repr, which ends up in logs and tracebacks.
"""

from __future__ import annotations

import hmac
import io
import smtplib
import ssl
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Literal, Protocol

from notifications_python_client import NotificationsAPIClient, prepare_upload
from notifications_python_client.errors import APIError, HTTPError

# --- the interface ---------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str = field(repr=False)
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Message:
    to: str = field(repr=False)
    subject: str = field(repr=False)
    body_text: str = field(repr=False)
    body_html: str | None = field(repr=False)
    attachments: tuple[Attachment, ...]
    reference: str  # an opaque id for the ledger, never personal data


@dataclass(frozen=True)
class Receipt:
    channel: str
    provider_id: str | None  # the SMTP Message-ID, or Notify's notification id


class DeliveryError(Exception):
    """A send that did not go through. ``reason`` never contains the message's body."""

    retryable: bool = False

    def __init__(self, reason: str, *, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code  # the SMTP reply code or HTTP status, when there was one


class TemporaryDeliveryError(DeliveryError):
    """Worth trying again later: the server was down, busy or asked us to come back."""

    retryable = True


class PermanentDeliveryError(DeliveryError):
    """Trying again will fail the same way: refused recipient, bad configuration, bad message."""

    retryable = False


class Channel(Protocol):
    name: str

    def send(self, message: Message) -> Receipt: ...


_MAX_REASON = 500
_MAX_FILENAME = 200


def _reason(text: str) -> str:
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def safe_filename(filename: str, default: str = "attachment") -> str:
    """A name that is only a name: no folders, no control characters, not hidden, not too long."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in name)
    name = " ".join(name.split()).lstrip(".").strip()
    if len(name) > _MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: _MAX_FILENAME - len(ext) - 1] + "." + ext
        else:
            name = name[:_MAX_FILENAME]
    return name or default


# --- SMTP ------------------------------------------------------------------------

StartTls = Literal["auto", "required", "never"]


class SmtpChannel:
    """Sends through an SMTP relay with smtplib, one connection per message.

    ``starttls``: "auto" upgrades when the server offers STARTTLS; "required"
    fails permanently when it does not; "never" stays in plain text. In "auto"
    mode credentials are only ever sent over TLS, so a server (or someone in
    the middle) that hides STARTTLS cannot collect the password.
    """

    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: StartTls = "auto",
        timeout: float = 10,
        *,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if starttls not in ("auto", "required", "never"):
            raise ValueError(f"starttls must be 'auto', 'required' or 'never', not {starttls!r}")
        if (username is None) != (password is None):
            raise ValueError("give both username and password, or neither")
        self.host, self.port, self.sender = host, port, sender
        self.username, self._password = username, password
        self.starttls: StartTls = starttls
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"

    def build(self, message: Message) -> EmailMessage:
        """The MIME message: text, an optional HTML alternative, then the attachments."""
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Date"] = format_datetime(datetime.now(UTC))
        email["Message-ID"] = make_msgid(domain=self._domain)
        email.set_content(message.body_text)
        if message.body_html is not None:
            email.add_alternative(message.body_html, subtype="html")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            if not maintype or not subtype or "/" in subtype:
                maintype, subtype = "application", "octet-stream"
            email.add_attachment(
                attachment.data,
                maintype=maintype.strip().lower(),
                subtype=subtype.strip().lower(),
                filename=safe_filename(attachment.filename),
            )
        return email

    def send(self, message: Message) -> Receipt:
        try:
            email = self.build(message)
        except (ValueError, TypeError) as exc:
            # e.g. a line break in the subject or address; the exception text is not repeated
            raise PermanentDeliveryError(f"the message could not be built ({type(exc).__name__})") from exc
        try:
            self._deliver(email, message.to)
        except DeliveryError:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            raise _recipients_refused(exc) from exc
        except smtplib.SMTPResponseException as exc:  # 4xx/5xx to HELO, MAIL, DATA, AUTH, ...
            raise _reply_error(exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPServerDisconnected as exc:
            raise TemporaryDeliveryError(f"SMTP server disconnected: {exc}") from exc
        except smtplib.SMTPNotSupportedError as exc:  # no AUTH, SMTPUTF8 needed, ...
            raise PermanentDeliveryError(f"SMTP server does not support: {exc}") from exc
        except smtplib.SMTPException as exc:  # e.g. no suitable authentication method
            raise PermanentDeliveryError(f"SMTP error: {exc}") from exc
        except ssl.SSLCertVerificationError as exc:
            raise PermanentDeliveryError(
                f"SMTP server's TLS certificate was not accepted: {exc.verify_message}"
            ) from exc
        except OSError as exc:  # refused, reset, timed out, DNS, TLS handshake cut short
            raise TemporaryDeliveryError(
                f"SMTP server {self.host}:{self.port} unreachable: {type(exc).__name__}: {exc}"
            ) from exc
        return Receipt(channel=self.name, provider_id=email["Message-ID"])

    def _deliver(self, email: EmailMessage, to: str) -> None:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            tls = False
            if self.starttls != "never":
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=self.ssl_context)
                    smtp.ehlo()
                    tls = True
                elif self.starttls == "required":
                    raise PermanentDeliveryError(
                        f"SMTP server {self.host}:{self.port} does not offer STARTTLS, "
                        "which this channel requires"
                    )
            if self.username is not None:
                if not tls and self.starttls != "never":
                    raise PermanentDeliveryError(
                        f"SMTP server {self.host}:{self.port} does not offer STARTTLS; "
                        "refusing to send credentials in plain text"
                    )
                smtp.login(self.username, self._password or "")
            smtp.send_message(email, from_addr=parseaddr(self.sender)[1], to_addrs=[to])
        except BaseException:
            smtp.close()
            raise
        # The server has taken the message: a failing QUIT must not turn it into a retry.
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _reply_error(code: int, text: bytes | str) -> DeliveryError:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    reason = _reason(f"SMTP {code} {text}".strip())
    if 400 <= code <= 499:
        return TemporaryDeliveryError(reason, code=code)
    if 500 <= code <= 599:
        return PermanentDeliveryError(reason, code=code)
    return TemporaryDeliveryError(reason, code=code)  # no proper reply: the link failed


def _recipients_refused(exc: smtplib.SMTPRecipientsRefused) -> DeliveryError:
    replies = list(exc.recipients.values())
    codes = [code for code, _ in replies]
    text = "; ".join(
        f"{code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}" for code, msg in replies
    )
    reason = _reason(f"SMTP recipient refused: {text}")
    code = codes[0] if len(set(codes)) == 1 else None
    if codes and all(400 <= c <= 499 for c in codes):
        return TemporaryDeliveryError(reason, code=code)
    return PermanentDeliveryError(reason, code=code)


# --- GOV.UK Notify ---------------------------------------------------------------

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"

DeliveryStatus = Literal[
    "delivered", "sending", "permanent-failure", "temporary-failure", "technical-failure"
]

# Notify's email statuses (its API documentation, "Get the status of one message").
_NOTIFY_STATUSES: dict[str, DeliveryStatus] = {
    "created": "sending",
    "sending": "sending",
    "pending": "sending",
    "delivered": "delivered",
    "permanent-failure": "permanent-failure",
    "temporary-failure": "temporary-failure",
    "technical-failure": "technical-failure",
}


class NotifyChannel:
    """Sends through GOV.UK Notify with one generic email template.

    The template has ((subject)) and ((body)) placeholders, and, for messages
    with a document, a ((link_to_file)) placeholder (``file_placeholder``)
    where Notify puts the download link; it is sent empty when there is no
    document. Notify writes its own HTML, so ``body_html`` is not used.
    Recipients confirm their email address before downloading a document
    unless ``confirm_email_before_download`` is False; ``retention_period``
    (e.g. "4 weeks") is how long Notify keeps it, Notify's default if None.
    """

    name = "notify"

    def __init__(
        self,
        api_key: str,
        email_template_id: str,
        base_url: str = NOTIFY_BASE_URL,
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

    def send(self, message: Message) -> Receipt:
        personalisation = self.personalisation(message)
        try:
            response = self._client().send_email_notification(
                email_address=message.to,
                template_id=self.email_template_id,
                personalisation=personalisation,
                reference=message.reference,
            )
        except APIError as exc:
            raise _notify_error(exc) from exc
        return Receipt(channel=self.name, provider_id=response["id"])

    def status(self, provider_id: str) -> DeliveryStatus:
        """Where Notify has got to with one email: created and sending both read "sending"."""
        try:
            notification = self._client().get_notification_by_id(provider_id)
        except APIError as exc:
            raise _notify_error(exc) from exc
        status = notification.get("status")
        if status not in _NOTIFY_STATUSES:
            raise ValueError(f"unexpected Notify status {status!r} for {provider_id}")
        return _NOTIFY_STATUSES[status]


def _notify_error(exc: APIError) -> DeliveryError:
    if isinstance(exc, HTTPError) and exc.response is None:  # connection refused, timeout, ...
        cause = type(exc.__cause__).__name__ if exc.__cause__ else "no response"
        return TemporaryDeliveryError(f"Notify unreachable: {cause}")
    status = exc.status_code
    detail = exc.message
    if isinstance(detail, list):
        detail = "; ".join(
            f"{item.get('error', '')}: {item.get('message', '')}" if isinstance(item, dict) else str(item)
            for item in detail
        )
    reason = _reason(f"Notify {status}: {detail}")
    if not isinstance(exc, HTTPError):  # a 2xx without JSON: Notify's state is unknown
        return TemporaryDeliveryError(reason, code=status)
    if status == 429 or 500 <= status <= 599:
        return TemporaryDeliveryError(reason, code=status)
    return PermanentDeliveryError(reason, code=status)


def verify_callback(headers: Mapping[str, str], bearer_token: str) -> bool:
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
