"""Entrypoints: the Flask app factory, its blueprints, and the bus consumers."""
