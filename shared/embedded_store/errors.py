"""The one exception the embedded store raises of its own."""

from __future__ import annotations


class EmbeddedStoreError(RuntimeError):
    """The embedded store was used in a way it does not support."""
