"""The message templates (``templates/messages``): subject, plain text and HTML for each template name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from shared.words import long_date, plain

_env = Environment(
    loader=PackageLoader("services.notifications", "templates/messages"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
_env.filters["long_date"] = long_date
_env.filters["plain"] = plain


@dataclass(frozen=True)
class RenderedMessage:
    subject: str = field(repr=False)  # carries the case reference only, never personal data
    text: str = field(repr=False)
    html: str = field(repr=False)


def render(template: str, context: Mapping[str, Any]) -> RenderedMessage:
    """Render one message; a missing value is an error (StrictUndefined), never an empty gap."""
    return RenderedMessage(
        subject=_env.get_template(f"{template}.subject.txt").render(context).strip(),
        text=_env.get_template(f"{template}.txt").render(context),
        html=_env.get_template(f"{template}.html").render(context),
    )
