"""Benchmark: deadlines for 100,000 cases, and the due-soon scan over them.

Measures, in one run and on the same synthetic cases (fixed seed, milestones in
2025-2030, a random rule pack and review kind per case):

1. compute: ``compute_deadlines`` for every case (validation, rules, cap, the
   plain-English explanation of every deadline);
   baseline: the bare calendar arithmetic behind the same deadlines
   (``add_working_days`` / ``subtract_working_days`` / ``add_months`` / ``add_days``
   on the same dates, nothing else);
2. scan: ``deadline_status`` of every computed deadline against a fixed "today";
   baseline: the same arithmetic bare (is it past, else ``working_days_between``).

Each measurement is repeated (``-r``). Both the CPU time of this process and the
wall-clock time are printed; targets are judged on CPU time, which other work sharing
the machine inflates less (on an idle machine the two agree), with the load average
printed beside them. ``compute_deadlines`` keeps the deadlines it has computed per
calendar (cases share dates), so its target is judged on the first run, which starts
with nothing kept; the best run is printed too. One calendar serves every case, as
one board's calendar would in the service; it is warmed up before timing, so the
one-off loading of bank holidays is not counted. Targets: compute < 5 s, scan < 1 s.

Exit code is 0 (it is a report) unless ``--check`` is given and a target is missed.

    PYTHONPATH=. .venv/bin/python bench/deadlines.py [-n 100000] [-r 3] [--check]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.deadlines import STATUSES, compute_deadlines, deadline_status
from services.scheduler.domain.milestones import REVIEW_KINDS
from services.scheduler.domain.rules import RULE_PACKS

SEED = 20151
TODAY = date(2028, 6, 15)
DUE_SOON_DAYS = 5
COMPUTE_TARGET_S = 5.0
SCAN_TARGET_S = 1.0

Case = tuple[str, dict[str, date], str | None]


def make_cases(n: int, seed: int = SEED) -> list[Case]:
    """``n`` cases with milestones in a plausible order, all between 2025 and 2030."""
    rng = random.Random(seed)
    first = date(2025, 1, 1).toordinal()
    # the latest milestone comes at most 388 days after the incident (see below)
    span = date(2030, 12, 31).toordinal() - 388 - first + 1
    packs = sorted(RULE_PACKS)
    kinds: list[str | None] = [None, *REVIEW_KINDS]
    cases: list[Case] = []
    for _ in range(n):
        incident = date.fromordinal(first + rng.randrange(span))
        aware = incident + timedelta(days=rng.randrange(0, 10))
        notified = aware + timedelta(days=rng.randrange(0, 8))
        m = {"incident_on": incident, "became_aware_on": aware, "board_notified_on": notified}
        m["panel_notified_on"] = aware + timedelta(days=rng.randrange(0, 8))  # wt2018/wt2023
        kind = rng.choice(kinds)
        if kind is not None:
            decided = notified + timedelta(days=rng.randrange(0, 40))
            m["decided_on"] = decided
            if kind != "no_review":
                initiated = decided + timedelta(days=rng.randrange(0, 21))
                m["initiated_on"] = initiated
                planned = initiated + timedelta(days=rng.randrange(120, 300))
                m["planned_publication_on"] = planned
                m["published_on"] = planned + timedelta(days=rng.randrange(0, 15))
                m["action_plan_agreed_on"] = initiated + timedelta(days=rng.randrange(90, 200))
        cases.append((rng.choice(packs), m, kind))
    return cases


def baseline_compute(cases: list[Case], cal: WorkingCalendar) -> list[date]:
    """The same dates as compute_deadlines, from the calendar alone."""
    out: list[date] = []
    add_wd = cal.add_working_days
    sub_wd = cal.subtract_working_days
    add_m = cal.add_months
    add_d = cal.add_days
    for pack, m, kind in cases:
        out.append(add_wd(m["became_aware_on"], 5))
        if pack == "wt2018":
            out.append(add_wd(m["became_aware_on"], 15))
            if "published_on" in m:
                out.append(add_m(m["published_on"], 12))
            continue
        if pack == "wt2023":
            out.append(add_wd(m["panel_notified_on"], 15))
            continue
        out.append(add_m(m["board_notified_on"], 1))
        if "decided_on" in m:
            out.append(add_wd(m["decided_on"], 5))
            if pack == "wt2015-north-west":
                out.append(add_d(m["decided_on"], 14))
        if "initiated_on" in m:
            due = add_m(m["initiated_on"], 6)
            if kind in ("critical_incident_review", "learning_review"):
                out.append(min(due, add_m(m["incident_on"], 12)))
            elif kind == "serious_case_review":
                out.append(due)
            out.append(sub_wd(m["planned_publication_on"], 7))
            out.append(add_m(m["published_on"], 12))
            out.append(add_m(m["action_plan_agreed_on"], 3))
    return out


def run_compute(cases: list[Case], cal: WorkingCalendar) -> list:
    out: list = []
    for pack, m, kind in cases:
        out.extend(compute_deadlines(pack, m, kind, cal))
    return out


def run_scan(deadlines: list, cal: WorkingCalendar) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for d in deadlines:
        counts[deadline_status(d.due, TODAY, None, False, DUE_SOON_DAYS, cal)] += 1
    return counts


def baseline_scan(dues: list[date], cal: WorkingCalendar) -> int:
    """The arithmetic a status needs: past due, or how many working days away."""
    between = cal.working_days_between
    soon = 0
    for due in dues:
        if due >= TODAY and between(TODAY, due) <= DUE_SOON_DAYS:
            soon += 1
    return soon


class Timing(NamedTuple):
    first_cpu: float  # the first run: for compute, before anything is memoised
    cpu: float  # best of the runs
    wall: float  # best of the runs
    result: Any


def best_of(repeats: int, fn: Callable[[], Any]) -> Timing:
    """CPU and wall-clock times of ``repeats`` runs of ``fn``: the first, and the best."""
    cpus: list[float] = []
    walls: list[float] = []
    result: Any = None
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
    return Timing(cpus[0], min(cpus), min(walls), result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="number of cases")
    parser.add_argument("-r", type=int, default=3, help="repeats; the best time is kept")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    cases = make_cases(args.n)
    cal = WorkingCalendar()
    cal.add_working_days(date(2024, 1, 1), 3 * 260)  # load the bank holidays once, untimed

    base_compute = best_of(args.r, lambda: baseline_compute(cases, cal))
    compute = best_of(args.r, lambda: run_compute(cases, cal))  # memo empty on the first run
    deadlines, base_dates = compute.result, base_compute.result
    if len(deadlines) != len(base_dates):
        print(f"mismatch: {len(deadlines)} deadlines, baseline made {len(base_dates)} dates")
        return 2
    if sorted(d.due for d in deadlines) != sorted(base_dates):
        print("mismatch: compute_deadlines and the bare arithmetic disagree on some dates")
        return 2
    dues = [d.due for d in deadlines]
    base_scan = best_of(args.r, lambda: baseline_scan(dues, cal))
    scan = best_of(args.r, lambda: run_scan(deadlines, cal))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"cases: {args.n:,}   deadlines: {len(deadlines):,}   today: {TODAY}")
    print(f"runs: {args.r}   cpus: {os.cpu_count()}   load average: {load}")
    print(f"{'':20}{'cpu':>9}{'baseline':>10}{'ratio':>8}{'wall':>9}{'baseline':>10}{'target':>9}")
    rows = [
        # the first compute run is the one judged: nothing memoised yet
        ("compute, first run", compute.first_cpu, base_compute.cpu, None, None, COMPUTE_TARGET_S),
        ("compute, best", compute.cpu, base_compute.cpu, compute.wall, base_compute.wall, None),
        ("scan, best", scan.cpu, base_scan.cpu, scan.wall, base_scan.wall, SCAN_TARGET_S),
    ]
    ok = True
    for name, cpu, base, wall, base_wall, target in rows:
        walls = f"{wall:8.3f}s{base_wall:9.3f}s" if wall is not None else f"{'':19}"
        verdict = ""
        if target is not None:
            ok = ok and cpu < target
            verdict = f"{target:7.1f} s  {'PASS' if cpu < target else 'FAIL'}"
        print(f"{name:20}{cpu:8.3f}s{base:9.3f}s{cpu / base:7.1f}x{walls}{verdict}")
    print(
        f"per case: compute {compute.first_cpu / args.n * 1e6:.1f} µs (first run); "
        f"per deadline: scan {scan.cpu / len(deadlines) * 1e6:.2f} µs (cpu)"
    )
    print("statuses:", ", ".join(f"{k} {v:,}" for k, v in scan.result.items()))
    print("PASS" if ok else "FAIL")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
