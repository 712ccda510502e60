"""List and replay dead-lettered messages of every service.

    python -m services.deadletters list [--queue scheduler.deadlines ...] [--json]
    python -m services.deadletters replay scheduler.deadlines [--id EVENT_ID ...]

    python -m services.deadletters replay unroutable [--id EVENT_ID ...]

Queues may be named in full (``lscb.scheduler.deadlines``) or by consumer
(``scheduler.deadlines``). ``unroutable`` holds events published under a type no
queue was bound to; replaying them publishes each again under its own type, once
the consumer that wants it runs. The commands talk to the broker at ``BUS_URL``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from services import NAMES
from shared import buscheck
from shared.bus.deadletters import DeadLetters, format_table, to_json
from shared.bus.topology import Topology
from shared.config import load_settings

# Events published under a type no queue was bound to: listed and replayed like dead letters.
UNROUTABLE = "unroutable"


def consumers() -> list[str]:
    """Every consumer of every service: the queues that can hold dead letters."""
    names: list[str] = []
    for service in NAMES:
        module = importlib.import_module(f"services.{service}.entrypoints.consumer")
        names += [sub.consumer for sub in buscheck.subscriptions(service)]
        names += list(module.CONSUMERS)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.deadletters",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="show dead-lettered messages and why they failed")
    listing.add_argument("--queue", action="append", help="only this queue (repeatable)")
    listing.add_argument("--json", action="store_true", help="print JSON, bodies included")
    replay = sub.add_parser("replay", help="send dead-lettered messages back to their queue")
    replay.add_argument("queue")
    replay.add_argument("--id", action="append", dest="ids", help="only this message id (repeatable)")
    args = parser.parse_args(argv)

    settings = load_settings()
    topology = Topology(settings.BUS_NAMESPACE, settings.BUS_QUEUE_TYPE)
    prefix = f"{settings.BUS_NAMESPACE}."

    def full(name: str) -> str:
        return name if name.startswith(prefix) else topology.queue_name(name)

    letters = DeadLetters(settings, topology)
    if args.command == "list":
        wanted = args.queue or [*consumers(), UNROUTABLE]
        items = letters.list([full(q) for q in wanted if q != UNROUTABLE])
        if UNROUTABLE in wanted:
            items += letters.unroutable()
        print(to_json(items) if args.json else format_table(items))
        return 0
    if args.queue == UNROUTABLE:
        replayed = letters.replay_unroutable(args.ids)
        print(f"replayed {len(replayed)} message(s) to {topology.exchange.name} under their own types")
    else:
        replayed = letters.replay(full(args.queue), args.ids)
        print(f"replayed {len(replayed)} message(s) to {full(args.queue)}")
    for d in replayed:
        print(f"  {d.message_id}\t{d.event_type}\t{d.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
