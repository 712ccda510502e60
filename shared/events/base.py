"""What every case event carries, and the field helpers the families share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import validate


def ident() -> Any:
    """A required identifier: 1 to 64 characters."""
    return field(metadata={"validate": validate.Length(min=1, max=64)})


@dataclass(frozen=True, kw_only=True)
class CaseEvent:
    case_id: str = ident()
    board_id: str = ident()
