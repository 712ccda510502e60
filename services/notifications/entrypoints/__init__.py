"""Entrypoints: the web blueprints (JSON API and pages) and the bus consumers; `bootstrap()` wires them."""
