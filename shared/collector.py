"""The cycle collector, run when it costs the requests least.

CPython's cycle collector, on its own, makes a full pass over every object the process holds
whenever enough new ones have lived long enough. A service on the embedded store holds every
document in memory (about 800,000 objects with 5,000 cases), and each such pass stopped every
request for half a second. So, in a web worker:

- at start, once the service has loaded what it holds, a full pass, then what is left is frozen
  (``gc.freeze``): left out of every later pass;
- automatic full passes are turned off (the young generations are still collected as usual);
- every ``INTERVAL`` seconds, once no request is being answered (or after the background's
  patience, ``shared/foreground.py``), a full pass over what came since, and what is left of it
  is frozen in turn.

Garbage in reference cycles is thus freed within ``INTERVAL`` seconds instead of at the collector's
own moment. An object frozen while alive that later becomes garbage in a cycle is not freed; what
a pass leaves alive is what the service holds (documents, caches), which is freed by reference
counting when let go, cycles or not apart.
"""

from __future__ import annotations

import gc

from shared.periodic import Periodic

INTERVAL = 60.0
NEVER = 2**30  # a third threshold no count reaches: no automatic full pass


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()


def start(interval: float = INTERVAL) -> Periodic:
    """Take over the full passes in this process; the job that makes them (started)."""
    _collect_and_freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    job = Periodic("cycle-collector", interval, _collect_and_freeze)
    job.start()
    return job
