"""Where the documents service reads a case: the referral service's API, as a verified identity."""

from __future__ import annotations

from typing import Protocol

from shared.auth.client import ServiceClient
from shared.auth.principal import Principal
from shared.errors import NotFound


class CaseUnavailable(Exception):
    """The referral service could not be asked (down, timing out): try again later."""


class CaseSource(Protocol):
    def get(self, case_id: str, principal: Principal) -> dict: ...


class HttpCaseSource:
    def __init__(self, client: ServiceClient):
        self.client = client

    def get(self, case_id: str, principal: Principal) -> dict:
        import requests

        try:
            resp = self.client.get(f"/api/v1/cases/{case_id}", principal)
        except requests.RequestException as exc:
            raise CaseUnavailable(f"referral service unreachable: {exc}") from exc
        if resp.status_code == 404:
            raise NotFound("There is no case with this id", field="case_id")
        if resp.status_code != 200:
            raise CaseUnavailable(f"referral service answered {resp.status_code}")
        return resp.json()
