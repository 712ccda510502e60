"""The SMTP channel: one connection per message through a relay, with smtplib."""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Literal

from services.notifications.adapters.channels.base import (
    DeliveryError,
    Message,
    PermanentDeliveryError,
    Receipt,
    TemporaryDeliveryError,
    safe_filename,
    short_reason,
)

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
