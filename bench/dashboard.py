"""Benchmark: the board dashboard over 5,000 cases.

Fills one board's records in the scheduler's collections (on the embedded store in a temporary
folder, as ``make run`` keeps it): 5,000 cases in the dashboard's projection (its buckets) at
every stage (referred, decided, reviews of each kind with themes, published), each case's
schedule with 10 deadlines (met on time, late, open), and 3 actions for every other case.
Then times, in the same run:

1. page: ``GET /dashboard?year=...`` on the scheduler, in process through Flask's test client
   (authentication, reading the projection's buckets, the figures, seven SVG charts and their
   tables, the page rendered in the layout, the audit entry);
2. csv: ``GET /dashboard.csv``;
3. figures: :func:`services.scheduler.service_layer.dashboard.dashboard` alone;
4. baseline: the same counts by bare loops over the same records held in memory as dicts.

The schedules themselves are stored too; the dashboard reads the deadlines its projection keeps
of them (a few documents a board, kept whenever a schedule is saved).

Medians and p95 of ``-n`` runs after a warm-up. Target: the page < 500 ms.
Exit code 0 (a report) unless ``--check`` is given and the target is missed.

    .venv/bin/python bench/dashboard.py [-n 10] [--cases 5000] [--check]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared import store  # noqa: E402
from shared.config import load_settings  # noqa: E402

TARGET_S = 0.500
KINDS = ("serious_case_review", "learning_review", "critical_incident_review", "multi_agency_concise_review")
STAGES = ("scoping", "information_gathering", "analysis")
THEMES = ("neglect", "domestic_abuse", "mental_health", "substance_misuse", "child_sexual_exploitation")
AGENCIES = ("police", "health", "education", "childrens_social_care")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def records(
    board_id: str, n: int, today: date, rng: random.Random
) -> tuple[list[dict], list[dict], list[dict]]:
    cases, schedules, actions = [], [], []
    for i in range(n):
        referred = today - timedelta(days=rng.randint(0, 1500))
        case: dict[str, Any] = {"_id": f"d{i:05d}", "board_id": board_id, "referred_on": referred}
        if i % 10:
            decided = referred + timedelta(days=rng.randint(5, 60))
            case.update(decided_on=decided, outcome=rng.choice(KINDS))
            if i % 7:
                case.update(
                    review_kind=case["outcome"],
                    opened_on=decided,
                    stage=rng.choice(STAGES),
                    themes=rng.sample(THEMES, rng.randint(1, 2)),
                )
                if i % 3 == 0:
                    case["published_on"] = decided + timedelta(days=rng.randint(120, 400))
        cases.append(case)
        deadlines = []
        for k in range(10):
            due = referred + timedelta(days=20 * k + rng.randint(0, 10))
            met = due + timedelta(days=rng.randint(-5, 5)) if rng.random() < 0.7 else None
            deadlines.append({"due": due, "met_on": met, "waived_at": None, "code": f"rule{k}"})
        schedules.append(
            {"_id": case["_id"], "board_id": board_id, "rule_pack": "wt2015", "deadlines": deadlines}
        )
        if i % 2 == 0:
            for k in range(3):
                due = referred + timedelta(days=90 * (k + 1))
                closed = due - timedelta(days=3) if rng.random() < 0.5 else None
                actions.append(
                    {
                        "_id": f"{case['_id']}-a{k}",
                        "case_id": case["_id"],
                        "board_id": board_id,
                        "owner_agency": rng.choice(AGENCIES),
                        "due": due,
                        "met_on": closed,
                    }
                )
    return cases, schedules, actions


def baseline(cases: list[dict], schedules: list[dict], actions: list[dict], year: int, today: date) -> dict:
    """The same counts, by bare loops over dicts in memory."""
    out: dict[str, Any] = {}
    out["open"] = Counter(
        "awaiting" if not c.get("decided_on") else c.get("stage", "scoping")
        for c in cases
        if not c.get("published_on") and c.get("outcome") != "no_review"
    )
    states: Counter[str] = Counter()
    for s in schedules:
        for d in s["deadlines"]:
            if d["due"].year == year:
                met = d["met_on"]
                states[
                    "on_time"
                    if met and met <= d["due"]
                    else "late"
                    if met
                    else "overdue"
                    if d["due"] < today
                    else "to_come"
                ] += 1
    out["deadlines"] = states
    out["actions"] = Counter(
        ("closed" if a["met_on"] else "overdue" if a["due"] < today else "open", a["owner_agency"])
        for a in actions
        if a["due"].year == year
    )
    opened = [c for c in cases if c.get("opened_on") and c["opened_on"].year == year]
    out["kinds"] = Counter(c["review_kind"] for c in opened)
    out["themes"] = Counter(t for c in opened for t in c["themes"])
    days = [
        (c["decided_on"] - c["referred_on"]).days
        for c in cases
        if c.get("decided_on") and c["decided_on"].year == year
    ]
    out["to_decision"] = statistics.median(days) if days else 0
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="runs of each measurement")
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="bench-dashboard-")
    settings = load_settings(
        APP_ENV="test",
        MONGODB_URI="",
        EMBEDDED_STORE_DIR=folder,
        BUS_NAMESPACE=f"bench{uuid.uuid4().hex[:8]}",
    )
    store.connect(settings)
    from services.scheduler.adapters.dashboard_store import keep_part
    from services.scheduler.adapters.store import Schedule
    from services.scheduler.bootstrap import bootstrap
    from services.scheduler.service_layer.dashboard import dashboard
    from shared.framework import today_in_england
    from tests.factories import bearer, make_board, make_token, make_user

    board = make_board(agencies=AGENCIES)
    today = today_in_england()
    year = today.year
    started = time.perf_counter()
    cases, schedules, actions = records(board.board_id, args.cases, today, random.Random(16))

    def stored(rows: list[dict]) -> list[dict]:  # dates as the store keeps them
        from datetime import datetime

        def conv(v: Any) -> Any:
            if isinstance(v, date) and not isinstance(v, datetime):
                return datetime(v.year, v.month, v.day)
            if isinstance(v, list):
                return [conv(x) for x in v]
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            return v

        return [conv(r) for r in rows]

    def iso(row: dict) -> dict:
        """A record as the dashboard's board document keeps it: dates as ISO text."""
        return {
            ("closed_on" if k == "met_on" else k): (v.isoformat() if isinstance(v, date) else v)
            for k, v in row.items()
            if k not in ("_id", "board_id", "case_id")
        }

    parts = {
        "cases": {c["_id"]: iso(c) for c in cases},
        "actions": {a["_id"]: iso(a) for a in actions},
        # As the projection keeps each case's deadlines whenever its schedule is saved.
        "deadlines": {
            sc["_id"]: [
                n
                for d in sc["deadlines"]
                for n in (d["due"].toordinal(), d["met_on"].toordinal() if d["met_on"] else 0, 0)
            ]
            for sc in schedules
        },
    }
    for part, items in parts.items():
        keep_part(board.board_id, part, items)
    Schedule._get_collection().insert_many(stored(schedules))
    print(
        f"{len(cases)} cases, {sum(len(s['deadlines']) for s in schedules)} deadlines, "
        f"{len(actions)} actions stored in {time.perf_counter() - started:.1f} s"
    )

    client = bootstrap(settings).app.test_client()
    headers = bearer(make_token(make_user("business_unit", board=board)))

    def page() -> None:
        answer = client.get(f"/dashboard?year={year}", headers=headers)
        if answer.status_code != 200 or answer.get_data(as_text=True).count("<svg") != 7:
            raise SystemExit(f"GET /dashboard: {answer.status_code}")

    def export() -> None:
        if client.get(f"/dashboard.csv?year={year}", headers=headers).status_code != 200:
            raise SystemExit("GET /dashboard.csv failed")

    # The product's figures agree with the baseline's.
    figures = dashboard(board.board_id, year, today)
    bare = baseline(cases, schedules, actions, year, today)
    if dict(figures.table("deadlines").rows) != {k: float(v) for k, v in bare["deadlines"].items()}:
        raise SystemExit(f"deadlines differ: {figures.table('deadlines').rows} vs {bare['deadlines']}")
    if dict(figures.table("reviews_by_kind").rows) != {k: float(v) for k, v in bare["kinds"].items()}:
        raise SystemExit("reviews by kind differ")

    def timed(fn: Callable[[], Any]) -> list[float]:
        fn()  # warm-up
        out = []
        for _ in range(args.n):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
        return out

    base = timed(lambda: baseline(cases, schedules, actions, year, today))
    print(f"median and p95 of {args.n} runs after a warm-up, milliseconds")
    print(f"{'':40}{'median':>9}{'p95':>9}{'ratio':>8}")
    ok = True
    for name, fn, target in (
        ("page: GET /dashboard", page, TARGET_S),
        ("csv: GET /dashboard.csv", export, None),
        ("figures: dashboard() alone", lambda: dashboard(board.board_id, year, today), None),
        ("baseline: bare loops in memory", lambda: baseline(cases, schedules, actions, year, today), None),
    ):
        samples = timed(fn)
        med = statistics.median(samples)
        mark = ""
        if target is not None:
            ok &= p95(samples) < target
            mark = f"  target < {target * 1000:.0f} ms: {'met' if p95(samples) < target else 'NOT MET'}"
        print(
            f"{name:40}{med * 1000:>9.1f}{p95(samples) * 1000:>9.1f}"
            f"{med / statistics.median(base):>8.1f}{mark}"
        )
    print("target met" if ok else "target NOT MET")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
