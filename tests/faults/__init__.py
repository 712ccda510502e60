"""The fault-injection suite (`make test-faults`): the product in separate processes under faults.

Not part of `make test` (tests here are marked ``faults``): it starts a
RabbitMQ node of its own and runs for minutes.
"""
