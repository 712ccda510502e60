"""Build the board's document templates, one .docx per kind of document.

To rebuild the templates after changing one here, from the repository root:

    .venv/bin/python -m tools.document_templates.build          # writes them
    .venv/bin/python -m tools.document_templates.build --check  # exit 1 if one is stale

(``.venv/bin/python tools/document_templates/build.py`` works too.)

The templates are code: this tool writes them with python-docx, putting docxtpl's
Jinja tags inside runs and table cells (``{%p ... %}`` for whole paragraphs,
``{%tr ... %}`` for table rows), into the documents service's template folder
(``services/documents/adapters/templates/``), where they are committed. Change a
template here, run the tool, commit both. ``--check`` builds into a temporary folder
and exits 1 if a committed template differs from what it builds.

The shared look is in :mod:`.look`; each kind's body in :mod:`.case_bodies`,
:mod:`.decision_bodies`, :mod:`.current_bodies`, :mod:`.review_bodies`, :mod:`.chronology_bodies` or
:mod:`.report_bodies`. The words are the product's own; the questions come from
``services/documents/domain/framework.py``. Each template reads only the fields its kind
declares in ``services/documents/domain/kinds/``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.documents.adapters.render import TEMPLATE_DIR
from services.documents.domain.kinds import KINDS
from tools.document_templates.case_bodies import (
    case_group_letter,
    ofsted_incident_notification,
    referral_summary,
)
from tools.document_templates.chronology_bodies import multi_agency_chronology
from tools.document_templates.current_bodies import panel_incident_notification, rapid_review_outcome
from tools.document_templates.decision_bodies import decision_notification, screening_decision_record
from tools.document_templates.look import Builder
from tools.document_templates.report_bodies import (
    board_response_action_plan,
    family_notification_letter,
    final_report_skeleton,
    learning_summary,
)
from tools.document_templates.review_bodies import (
    single_agency_analysis_report,
    single_agency_review_questionnaire,
    spe_chronology_form,
    terms_of_reference,
)

BODIES: dict[str, Callable[[Builder], None]] = {
    "referral_summary": referral_summary,
    "screening_decision_record": screening_decision_record,
    "ofsted_incident_notification": ofsted_incident_notification,
    "decision_notification": decision_notification,
    "case_group_letter": case_group_letter,
    "panel_incident_notification": panel_incident_notification,
    "rapid_review_outcome": rapid_review_outcome,
    "spe_chronology_form": spe_chronology_form,
    "multi_agency_chronology": multi_agency_chronology,
    "single_agency_review_questionnaire": single_agency_review_questionnaire,
    "single_agency_analysis_report": single_agency_analysis_report,
    "terms_of_reference": terms_of_reference,
    "family_notification_letter": family_notification_letter,
    "learning_summary": learning_summary,
    "final_report_skeleton": final_report_skeleton,
    "board_response_action_plan": board_response_action_plan,
}
LANDSCAPE = frozenset({"spe_chronology_form", "multi_agency_chronology", "board_response_action_plan"})


def build(folder: Path = TEMPLATE_DIR) -> list[Path]:
    """Write every template into ``folder``; returns their paths."""
    if set(BODIES) != set(KINDS):
        raise SystemExit(f"templates and kinds differ: {sorted(set(BODIES) ^ set(KINDS))}")
    paths = []
    for code, body in BODIES.items():
        builder = Builder(KINDS[code], landscape=code in LANDSCAPE)
        body(builder)
        paths.append(builder.save(folder))
    return paths


def stale(folder: Path = TEMPLATE_DIR) -> list[str]:
    """The committed templates that differ from a fresh build (empty when up to date)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
        return [
            p.name
            for p in fresh
            if not (folder / p.name).exists() or p.read_bytes() != (folder / p.name).read_bytes()
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a template is stale")
    args = parser.parse_args(argv)
    if args.check:
        names = stale()
        print("\n".join(f"stale: {n}" for n in names) or "templates are up to date")
        return 1 if names else 0
    for path in build():
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
