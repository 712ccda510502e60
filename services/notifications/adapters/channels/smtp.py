"""The SMTP channel: one connection per message through a relay, with smtplib."""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import TYPE_CHECKING, Literal

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

if TYPE_CHECKING:
    from typing_extensions import Buffer

StartTls = Literal["auto", "required", "never"]


class SmtpChannel:
    """Sends through an SMTP relay with smtplib, one connection per message.

    Every attempt of one message carries the same Message-ID (``identify``),
    so the recipient's mail system can drop a repeat. A connection that fails
    after the whole message went to the server, before its answer, raises
    ``UncertainDeliveryError``: SMTP cannot say whether it will be delivered.

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
        email["Message-ID"] = message.message_id or self.identify(message.reference)
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

    def identify(self, reference: str) -> str:
        """The Message-ID of every attempt of the message ``reference`` names: <reference@sender's domain>."""
        return f"<{reference}@{self._domain}>"

    def send(self, message: Message) -> Receipt:
        try:
            email = self.build(message)
        except (ValueError, TypeError) as exc:
            # e.g. a line break in the subject or address; the exception text is not repeated
            raise PermanentDeliveryError(f"the message could not be built ({type(exc).__name__})") from exc
        progress = _Progress()
        try:
            self._deliver(email, message.to, progress)
        except DeliveryError:
            raise
        except smtplib.SMTPResponseException as exc:  # an answer, even to the end of DATA: it was refused
            raise _reply_error(exc.smtp_code, exc.smtp_error) from exc
        except OSError as exc:
            if progress.body_sent:  # the server has the whole message and never said what it did with it
                raise UncertainDeliveryError(
                    f"SMTP server {self.host}:{self.port} took the message, then the connection failed "
                    f"before it answered ({type(exc).__name__}: {exc}): it may have been delivered"
                ) from exc
            raise self._unsent(exc) from exc
        return Receipt(channel=self.name, provider_id=email["Message-ID"])

    def _unsent(self, exc: OSError) -> DeliveryError:
        """What went wrong before the server had the whole message."""
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            return _recipients_refused(exc)
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return TemporaryDeliveryError(f"SMTP server disconnected: {exc}")
        if isinstance(exc, smtplib.SMTPNotSupportedError):  # no AUTH, SMTPUTF8 needed, ...
            return PermanentDeliveryError(f"SMTP server does not support: {exc}")
        if isinstance(exc, smtplib.SMTPException):  # e.g. no suitable authentication method
            return PermanentDeliveryError(f"SMTP error: {exc}")
        if isinstance(exc, ssl.SSLCertVerificationError):
            return PermanentDeliveryError(
                f"SMTP server's TLS certificate was not accepted: {exc.verify_message}"
            )
        # refused, reset, timed out, DNS, TLS handshake cut short
        return TemporaryDeliveryError(
            f"SMTP server {self.host}:{self.port} unreachable: {type(exc).__name__}: {exc}"
        )

    def _deliver(self, email: EmailMessage, to: str, progress: _Progress) -> None:
        smtp = _Transaction(self.host, self.port, timeout=self.timeout, progress=progress)
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


class _Progress:
    """How far one SMTP transaction went: ``body_sent`` once the whole message is with the server."""

    body_sent = False
    command: str | None = None  # the last command whose line has gone


class _Transaction(smtplib.SMTP):
    """smtplib's client, telling ``progress`` when the whole message has reached the server.

    smtplib sends the body of DATA, with its closing dot, by ``send`` right
    after the server's 354, then waits for the answer. Once that ``send`` has
    returned, a broken or silent connection leaves the message's fate unknown.
    """

    def __init__(self, host: str, port: int, *, timeout: float, progress: _Progress) -> None:
        self.progress = progress
        super().__init__(host, port, timeout=timeout)

    def putcmd(self, cmd: str, args: str = "") -> None:
        self.progress.command, self.progress.body_sent = None, False
        super().putcmd(cmd, args)
        self.progress.command = cmd.lower()

    def send(self, s: Buffer | str) -> None:
        super().send(s)
        if self.progress.command == "data":  # the only thing sent after DATA's own line is the message
            self.progress.body_sent = True


def _reply_error(code: int, text: bytes | str) -> DeliveryError:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    reason = short_reason(f"SMTP {code} {text}".strip())
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
    reason = short_reason(f"SMTP recipient refused: {text}")
    code = codes[0] if len(set(codes)) == 1 else None
    if codes and all(400 <= c <= 499 for c in codes):
        return TemporaryDeliveryError(reason, code=code)
    return PermanentDeliveryError(reason, code=code)
