"""Handlers: one function per command or event, (message, deps) -> result."""
