"""Adapters to the outside world: mongoengine documents, renderers, clients."""
