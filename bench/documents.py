"""Benchmark: the documents service's ``render_docx`` against raw docxtpl, and a long chronology.

Measures, in one run and on the same realistic case (tests/unit/documents/factories.py):

1. render: for each kind, ``render_docx(kind, context)`` (checking the context, cleaning
   and preparing it, the sandboxed and escaping Jinja environment, the cached template
   bytes) against the plain docxtpl baseline on the same template and the same prepared
   context: ``DocxTemplate(path).render(context)`` and ``save`` to a BytesIO. Renders
   alternate (service, baseline, service, ...) so a busy moment on the machine hits
   both alike; each figure is the median of ``-n`` renders after a warm-up.
   Target: total of the service's medians / total of the baseline's <= 1.2.
2. chronology: an SPE chronology of 500 rows through ``render_docx``; the median of
   ``-r`` renders. Target: < 2 s.

Exit code is 0 (it is a report) unless ``--check`` is given and a target is missed.

    .venv/bin/python bench/documents.py [-n 50] [-r 5] [--kinds a,b] [--check]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script, the repository is not on the path; its tests hold the realistic case.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docxtpl import DocxTemplate  # noqa: E402

from services.documents.adapters.render import prepare_context, render_docx, template_path  # noqa: E402
from services.documents.domain.kinds import KINDS, get_kind  # noqa: E402
from tests.unit.documents.factories import chronology_rows, context_for  # noqa: E402

RATIO_TARGET = 1.2
CHRONOLOGY_ROWS = 500
CHRONOLOGY_TARGET_S = 2.0
WARMUP = 3


def raw_render(kind: str, context: dict) -> bytes:
    template = DocxTemplate(template_path(kind))
    template.render(context)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def compare(kind: str, n: int) -> tuple[float, float]:
    """Median seconds per render: the service, then the raw docxtpl baseline."""
    context = context_for(kind)
    prepared = prepare_context(get_kind(kind), context)  # the baseline gets the same values

    def service() -> bytes:
        return render_docx(kind, context)

    def baseline() -> bytes:
        return raw_render(kind, prepared)

    for _ in range(WARMUP):
        service()
        baseline()
    ours: list[float] = []
    theirs: list[float] = []
    for i in range(n):
        pair = ((ours, service), (theirs, baseline))
        for times, fn in pair if i % 2 == 0 else reversed(pair):
            times.append(timed(fn))
    return statistics.median(ours), statistics.median(theirs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="renders of each kind by each system")
    parser.add_argument("-r", type=int, default=5, help="renders of the long chronology")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kind codes")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]

    print(f"render: median of {args.n} renders each, after {WARMUP} warm-up renders")
    print(f"{'kind':38}{'service':>10}{'docxtpl':>10}{'ratio':>8}")
    total_ours = total_theirs = 0.0
    for kind in kinds:
        ours, theirs = compare(kind, args.n)
        total_ours += ours
        total_theirs += theirs
        print(f"{kind:38}{ours * 1e3:8.1f}ms{theirs * 1e3:8.1f}ms{ours / theirs:7.2f}x")
    ratio = total_ours / total_theirs
    ratio_ok = ratio <= RATIO_TARGET
    print(
        f"{'all kinds':38}{total_ours * 1e3:8.1f}ms{total_theirs * 1e3:8.1f}ms{ratio:7.2f}x"
        f"   target <= {RATIO_TARGET}x  {'PASS' if ratio_ok else 'FAIL'}"
    )

    context = context_for("spe_chronology_form", entries=chronology_rows(CHRONOLOGY_ROWS))
    render_docx("spe_chronology_form", context)  # warm
    times = [timed(lambda: render_docx("spe_chronology_form", context)) for _ in range(args.r)]
    long_s = statistics.median(times)
    long_ok = long_s < CHRONOLOGY_TARGET_S
    print(
        f"chronology of {CHRONOLOGY_ROWS} rows: median {long_s:.3f} s of {args.r}"
        f" (min {min(times):.3f}, max {max(times):.3f})"
        f"   target < {CHRONOLOGY_TARGET_S:g} s  {'PASS' if long_ok else 'FAIL'}"
    )

    ok = ratio_ok and long_ok
    print("PASS" if ok else "FAIL")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
