"""Pure Python rules and entities of this service: no Flask, mongoengine or kombu."""
