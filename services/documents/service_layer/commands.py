"""What the documents service is asked to do, by a person or by an event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.auth.principal import Principal
from shared.events import Event


@dataclass(frozen=True)
class Cause:
    """Why a document was generated: an event (its id and type), or someone's request."""

    caused_by: str
    caused_by_type: str | None = None

    @classmethod
    def of(cls, event: Event[Any]) -> Cause:
        return cls(event.event_id, event.event_type)


REQUEST = Cause("request")


@dataclass(frozen=True)
class GenerateDocument:
    """Render one kind for one case and keep it as a new version."""

    case_id: str
    kind: str
    requested_by: Principal
    extra: Mapping[str, Any] | None = None  # context the record does not hold (a recipient)
    publication: bool = False  # a pseudonymised copy, for publication
    glossary: Mapping[str, str] | None = None  # real value -> stand-in, for a publication copy
    cause: Cause = REQUEST
    addressed_to: str | None = None  # the agency a letter to one agency's case group is for
    agency: str | None = None  # the agency a document made for one agency is about (its report)


@dataclass(frozen=True)
class ShareDocument:
    """Let one family member of the board read a document on screen."""

    document_id: str
    user_id: str
    shared_by: Principal


@dataclass(frozen=True)
class RevokeShare:
    share_id: str
    revoked_by: Principal
