"""Benchmark: the merged multi-agency chronology of 2,000 entries from 8 agencies.

Measures, in one run, on the embedded store (mongomock, as the tests use), each against a
baseline measured in the same run:

1. list: ``GET /api/v1/reviews/{case_id}/chronology`` on the reviews service, in process through
   Flask's test client, after 8 agencies each submitted a chronology of 250 entries through the
   same API (the merged list the API answers and a page would show: authentication, access,
   loading the review, merging, sorting, shaping, the audit entry). Baseline: the same 2,000
   entries as plain dicts, sorted by date and time and dumped to JSON, with no product code.
   Target: < 2 s.
2. docx: ``POST /api/v1/documents {kind: multi_agency_chronology}`` on the documents service,
   in process, after it received the 8 ``contribution.submitted`` events (opening the sealed
   contributions, merging, checking and preparing the context, rendering, sealing and storing
   the file, with its event); and ``render_docx`` alone on the merged context. Baseline: plain
   docxtpl rendering a bare landscape table of the same 2,000 rows (6 columns, text already
   formatted) from a template made here with python-docx. Target: the request < 2 s.
3. pdf (unless ``--no-pdf``; the product converts on the first request for the PDF):
   LibreOffice converting the product's .docx and the bare table's. No target: reported.

Each figure is the median of ``-n`` runs after one warm-up (the PDF: ``-p`` runs).
Exit code is 0 (it is a report) unless ``--check`` is given and a target is missed.

    .venv/bin/python bench/chronology.py [-n 5] [-p 1] [--no-pdf] [--check]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# Run as a script, the repository is not on the path; its tests hold the event factories.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.shared import Cm  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402

from shared import store  # noqa: E402
from shared.config import load_settings  # noqa: E402

AGENCIES = (
    "police",
    "health",
    "education",
    "childrens_social_care",
    "probation",
    "housing",
    "gp",
    "ambulance",
)
PER_AGENCY = 250
TODAY = date(2026, 3, 2)
TARGET_S = 2.0
CASE_ID = "bench-case"
COLUMNS = ("date", "time", "agency", "event", "source", "significance")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_of(n: int, fn: Callable[[], object]) -> float:
    fn()  # warm-up
    return statistics.median(timed(fn) for _ in range(n))


def compare(n: int, product: Callable[[], object], baseline: Callable[[], object]) -> tuple[float, float]:
    """Medians of ``n`` runs each, alternating (product, baseline, baseline, product, ...) so a
    busy moment on the machine hits both alike."""
    product()
    baseline()
    ours: list[float] = []
    theirs: list[float] = []
    for i in range(n):
        pair = ((ours, product), (theirs, baseline))
        for times, fn in pair if i % 2 == 0 else reversed(pair):
            times.append(timed(fn))
    return statistics.median(ours), statistics.median(theirs)


def entries_of(agency: str, rng: random.Random) -> list[dict[str, Any]]:
    """250 plausible entries over the two years before the review, some without a time."""
    out = []
    for i in range(PER_AGENCY):
        day = TODAY - timedelta(days=rng.randint(30, 760))
        time_of_day = (
            f"{rng.randint(7, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}" if rng.random() < 0.7 else None
        )
        out.append(
            {
                "date": day.isoformat(),
                **({"time": time_of_day} if time_of_day else {}),
                "event": f"{agency.replace('_', ' ').capitalize()} contact {i + 1}: a home visit found the"
                " children at home with the mother; the worker noted the state of the kitchen and"
                " agreed a follow-up visit within the week.",
                "source": f"{agency.upper()}-{rng.randint(10000, 99999)}",
                "significance": "A missed opportunity to see the pattern of neglect." if i % 5 == 0 else "",
                "learning_point": i % 7 == 0,
            }
        )
    return out


# -- The reviews service: the merged list -----------------------------------------------------


def reviews_setup(settings: Any, board: Any, entries: dict[str, list[dict[str, Any]]]) -> tuple[Any, dict]:
    from services.reviews.bootstrap import bootstrap
    from services.reviews.service_layer import handlers
    from tests.events import decision_recorded, received, referral_submitted
    from tests.factories import bearer, make_token, make_user

    service = bootstrap(settings, today=lambda: TODAY)
    uow = service.extras["dependencies"].uow
    for payload in (referral_submitted(board.board_id, CASE_ID), decision_recorded(board.board_id, CASE_ID)):
        event = received(payload)
        for sub in handlers.listeners.subscriptions({"uow": uow}):
            if event.event_type in sub.event_types:
                sub.handler(event)
    headers = bearer(make_token(make_user("business_unit", board=board)))
    client = service.app.test_client()
    base = f"/api/v1/reviews/{CASE_ID}"
    for agency, rows in entries.items():
        made = client.post(
            f"{base}/contributions", json={"agency": agency, "kind": "chronology"}, headers=headers
        )
        if made.status_code != 201:
            raise SystemExit(
                f"asking {agency} for a chronology: {made.status_code} {made.get_data(as_text=True)}"
            )
        url = f"{base}/contributions/{made.get_json()['id']}"
        saved = client.put(f"{url}/chronology", json={"entries": rows}, headers=headers)
        sent = client.post(f"{url}/submit", headers=headers)
        if saved.status_code != 200 or sent.status_code != 200:
            raise SystemExit(f"{agency}: save {saved.status_code}, submit {sent.status_code}")
    return client, headers


def bare_list(entries: dict[str, list[dict[str, Any]]]) -> str:
    rows = [{**e, "agency": agency} for agency, es in entries.items() for e in es]
    rows.sort(key=lambda e: (e["date"], e.get("time") or ""))
    return json.dumps({"entries": rows, "total": len(rows)})


# -- The documents service: the .docx ---------------------------------------------------------


def documents_setup(settings: Any, board: Any, entries: dict[str, list[dict[str, Any]]]) -> Any:
    from services.documents.bootstrap import bootstrap
    from services.documents.entrypoints import consumer
    from shared.events.reviews import ChronologyEntry, ContributionSubmitted
    from tests.unit.documents.events import decision_recorded, received, referral_submitted

    service = bootstrap(settings)
    deps = service.app.extensions["lscb_documents"]
    (queue,) = consumer.subscriptions(deps.as_dict())
    queue.handler(received(referral_submitted(CASE_ID, board.board_id)))
    queue.handler(received(decision_recorded(CASE_ID, board.board_id)))
    for agency, rows in entries.items():
        typed = [ChronologyEntry(**{**e, "date": date.fromisoformat(e["date"])}) for e in rows]
        typed.sort(key=lambda e: (e.date, e.time or ""))
        event = ContributionSubmitted(
            case_id=CASE_ID,
            board_id=board.board_id,
            contribution_id=f"{agency}-chronology",
            agency=agency,
            kind="chronology",
            entries=typed,
            submitted_on=TODAY,
        )
        queue.handler(received(event))
    return service


def bare_template() -> bytes:
    """A landscape page with one table: a header row and a docxtpl row loop over ``rows``."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    table = doc.add_table(rows=4, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    header, start, body, end = table.rows
    for i, name in enumerate(COLUMNS):
        header.cells[i].text = name.capitalize()
        body.cells[i].text = "{{ r." + name + " }}"
    start.cells[0].text = "{%tr for r in rows %}"
    end.cells[0].text = "{%tr endfor %}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def bare_render(template: bytes, rows: list[dict[str, str]]) -> bytes:
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render({"rows": rows})
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def line(what: str, ours: float, base: float, target: float | None) -> bool:
    verdict = ""
    ok = True
    if target is not None:
        ok = ours < target
        verdict = f"   target < {target:g} s  {'met' if ok else 'NOT MET'}"
    print(f"{what:44}{ours:9.3f} s{base:9.3f} s{ours / base:9.1f}x{verdict}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="runs of each measurement (median)")
    parser.add_argument("-p", type=int, default=1, help="runs of each PDF conversion")
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice conversions")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    settings = load_settings(APP_ENV="test", MONGODB_URI="", BUS_NAMESPACE=f"bench{uuid.uuid4().hex[:8]}")
    store.connect(settings)
    from services.documents.adapters.render import prepare_context, render_docx
    from services.documents.domain.kinds import get_kind
    from services.documents.service_layer import context as ctx
    from services.documents.service_layer import review
    from tests.factories import bearer, make_board, make_token, make_user

    board = make_board(agencies=AGENCIES)
    rng = random.Random(14)
    entries = {agency: entries_of(agency, rng) for agency in AGENCIES}
    total = sum(len(v) for v in entries.values())

    started = time.perf_counter()
    reviews_client, review_headers = reviews_setup(settings, board, entries)
    documents = documents_setup(settings, board, entries)
    print(f"{total} entries from {len(AGENCIES)} agencies; set up in {time.perf_counter() - started:.1f} s")
    print(f"median of {args.n} runs after a warm-up")
    print(f"{'':44}{'product':>11}{'baseline':>11}{'ratio':>10}")

    url = f"/api/v1/reviews/{CASE_ID}/chronology"

    def api_list() -> None:
        answer = reviews_client.get(url, headers=review_headers)
        if answer.status_code != 200 or answer.get_json()["total"] != total:
            raise SystemExit(f"merged chronology: {answer.status_code} {answer.get_data(as_text=True)[:300]}")

    list_s, bare_list_s = compare(args.n, api_list, lambda: bare_list(entries))
    ok = line("list: GET merged chronology (API)", list_s, bare_list_s, TARGET_S)

    deps = documents.app.extensions["lscb_documents"]
    doc_client = documents.app.test_client()
    doc_headers = bearer(make_token(make_user("business_unit", board=board)))

    def post_docx() -> None:
        answer = doc_client.post(
            "/api/v1/documents",
            json={"case_id": CASE_ID, "kind": "multi_agency_chronology"},
            headers=doc_headers,
        )
        if answer.status_code != 202:
            raise SystemExit(f"POST documents: {answer.status_code} {answer.get_data(as_text=True)[:300]}")

    with deps.uow:
        record = deps.uow.cases.get(CASE_ID)
        agencies = deps.uow.directory.agency_names(board.board_id)
        info = deps.uow.directory.board(board.board_id)
    merged = review.chronology(record, agencies)
    context = ctx.build(record, info, agencies, merged, TODAY)
    spec = get_kind("multi_agency_chronology")
    prepared = prepare_context(spec, context)
    rows = [{c: str(r.get(c) or "") for c in COLUMNS} for r in prepared["entries"]]
    template = bare_template()

    post_s, bare_s = compare(args.n, post_docx, lambda: bare_render(template, rows))
    ok &= line("docx: POST /api/v1/documents (whole request)", post_s, bare_s, TARGET_S)
    render_s, bare_s = compare(
        args.n, lambda: render_docx("multi_agency_chronology", context), lambda: bare_render(template, rows)
    )
    line("docx: render_docx alone", render_s, bare_s, None)
    merge_s = median_of(args.n, lambda: review.chronology(record, agencies))
    line("docx: merging the sealed contributions", merge_s, bare_list_s, None)

    if not args.no_pdf:
        from services.documents.adapters.pdf import find_soffice, to_pdf

        if find_soffice() is None:
            print("pdf: LibreOffice is not installed; skipped")
        else:
            docx = render_docx("multi_agency_chronology", context)
            bare = bare_render(template, rows)
            pdf_s = statistics.median(timed(lambda: to_pdf(docx, timeout=300)) for _ in range(args.p))
            bare_pdf_s = statistics.median(timed(lambda: to_pdf(bare, timeout=300)) for _ in range(args.p))
            line("pdf: LibreOffice conversion (on first ask)", pdf_s, bare_pdf_s, None)

    print("all targets met" if ok else "a target was NOT MET")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
