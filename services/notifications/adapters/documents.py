"""Fetching attachments from the documents service by document id, as a verified identity."""

from __future__ import annotations

import re

import requests

from services.notifications.adapters.channels import Attachment, TemporaryDeliveryError
from shared.auth.client import ServiceClient, acting_for_board


class DocumentsClient:
    def __init__(self, client: ServiceClient):
        self.client = client

    def fetch(self, document_id: str, board_id: str) -> Attachment:
        principal = acting_for_board("notifications", board_id)
        try:
            resp = self.client.get(f"/api/v1/documents/{document_id}/content", principal)
        except requests.RequestException as exc:
            raise TemporaryDeliveryError(f"documents service unreachable: {type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise TemporaryDeliveryError(f"documents service answered {resp.status_code} for {document_id}")
        disposition = resp.headers.get("Content-Disposition", "")
        match = re.search(r'filename="([^"]+)"', disposition)
        return Attachment(
            filename=match.group(1) if match else f"{document_id}.docx",
            content_type=resp.headers.get("Content-Type", "application/octet-stream").split(";")[0],
            data=resp.content,
        )
