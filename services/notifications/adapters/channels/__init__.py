"""Delivery channels: one interface (``base``), an SMTP relay (``smtp``) and GOV.UK Notify (``notify``)."""

from services.notifications.adapters.channels.base import (
    Attachment,
    Channel,
    DeliveryError,
    Message,
    PermanentDeliveryError,
    Receipt,
    TemporaryDeliveryError,
    UncertainDeliveryError,
    safe_filename,
)
from services.notifications.adapters.channels.notify import NotifyChannel, verify_callback
from services.notifications.adapters.channels.smtp import SmtpChannel

__all__ = [
    "Attachment",
    "Channel",
    "DeliveryError",
    "Message",
    "NotifyChannel",
    "PermanentDeliveryError",
    "Receipt",
    "SmtpChannel",
    "TemporaryDeliveryError",
    "UncertainDeliveryError",
    "safe_filename",
    "verify_callback",
]
