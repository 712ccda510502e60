"""The registry of kinds: what each document needs, and the refusal naming what is missing."""

from __future__ import annotations

import re

import pytest
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from services.documents.adapters.render import TEMPLATE_DIR, template_path
from services.documents.domain.errors import MissingContext, UnknownKind
from services.documents.domain.kinds import (
    CHOICE,
    KINDS,
    check_context,
    get_kind,
    require_context,
)
from shared.errors import Conflict
from tools.document_templates import build

from .factories import context_for, drop_path, make_case_context, set_path
from .support import docx_text

EXPECTED_KINDS = {
    "referral_summary",
    "screening_decision_record",
    "ofsted_incident_notification",
    "decision_notification",
    "case_group_letter",
    "panel_incident_notification",
    "rapid_review_outcome",
    "spe_chronology_form",
    "multi_agency_chronology",
    "single_agency_review_questionnaire",
    "single_agency_analysis_report",
    "terms_of_reference",
    "family_notification_letter",
    "learning_summary",
    "final_report_skeleton",
    "board_response_action_plan",
}


def test_the_registry_has_exactly_the_agreed_kind_codes():
    assert set(KINDS) == EXPECTED_KINDS


@pytest.mark.parametrize("kind", sorted(EXPECTED_KINDS))
def test_every_kind_has_a_title_a_file_name_a_source_and_the_shared_fields(kind):
    spec = get_kind(kind)
    assert spec.title and spec.source and re.search(r"\d{3}", spec.source)
    assert spec.filename("SCR/2025 014") == f"{spec.filename_stem}-SCR-2025-014.docx"
    assert {"board_name", "case_reference", "document_date"} <= set(spec.required)


@pytest.mark.parametrize("kind", sorted(EXPECTED_KINDS))
def test_the_realistic_case_has_everything_every_kind_needs(kind):
    assert check_context(kind, context_for(kind)) == []


def test_missing_fields_are_named_by_their_paths_in_the_kinds_order():
    context = make_case_context()
    drop_path(context, "decision.chair_name")
    drop_path(context, "board_name")
    set_path(context, "incident.date", None)
    assert check_context("decision_notification", context) == [
        "board_name",
        "incident.date",
        "decision.chair_name",
    ]


def test_a_decision_notification_needs_a_decision():
    context = make_case_context()
    del context["decision"]
    missing = check_context("decision_notification", context)
    assert {"decision.outcome", "decision.decided_on", "decision.chair_name"} <= set(missing)


def test_an_scr_decision_needs_the_lead_reviewers_names():
    context = make_case_context(lead_reviewers=[])
    assert check_context("decision_notification", context) == ["lead_reviewers"]
    context = make_case_context(lead_reviewers=[{"name": "  ", "organisation": "Independent"}])
    assert check_context("decision_notification", context) == ["lead_reviewers.0.name"]


def test_a_decision_not_to_initiate_needs_the_justification_not_reviewers():
    context = make_case_context(lead_reviewers=[])
    set_path(context, "decision.outcome", "learning_review")
    set_path(context, "decision.rationale", "")
    assert check_context("decision_notification", context) == ["decision.rationale"]


def test_a_case_group_letter_needs_a_recipient():
    context = make_case_context()
    del context["recipient"]
    assert check_context("case_group_letter", context) == ["recipient.name", "recipient.agency"]


def test_blank_text_none_and_empty_lists_are_missing_but_false_is_not():
    context = make_case_context(agencies=[], criteria=None)
    set_path(context, "incident.summary", " \n\t ")
    assert check_context("referral_summary", context) == [
        "incident.summary",
        "criteria",
        "agencies",
    ]
    context = make_case_context()
    set_path(context, "screening.notifiable", False)
    set_path(context, "screening.scr_required", False)
    assert check_context("screening_decision_record", context) == []


def test_every_row_of_a_table_is_checked():
    context = make_case_context()
    context["entries"][1]["event"] = ""
    del context["entries"][2]["date"]
    assert check_context("spe_chronology_form", context) == ["entries.2.date", "entries.1.event"]


def test_the_refusal_is_a_409_naming_every_missing_field():
    context = make_case_context()
    del context["recipient"]
    with pytest.raises(MissingContext) as caught:
        require_context("case_group_letter", context)
    error = caught.value
    assert isinstance(error, Conflict) and error.status == 409
    assert error.fields == ["recipient.name", "recipient.agency"]
    assert [e["field"] for e in error.errors()] == ["recipient.name", "recipient.agency"]
    assert "recipient.name" in error.message


@pytest.mark.parametrize("kind", ["minutes", "", None, "../templates/referral_summary", "REFERRAL_SUMMARY"])
def test_an_unknown_kind_is_a_domain_error_naming_kind(kind):
    with pytest.raises(UnknownKind) as caught:
        check_context(kind, make_case_context())
    error = caught.value
    assert error.field == "kind" and error.status == 422
    assert repr(kind) in error.message and "referral_summary" in error.message


# -- The templates and the registry agree ------------------------------------------------


@pytest.mark.parametrize("kind", sorted(EXPECTED_KINDS))
def test_each_template_reads_only_and_all_of_its_kinds_top_level_fields(kind):
    template = DocxTemplate(template_path(kind))
    used = template.get_undeclared_template_variables(jinja_env=SandboxedEnvironment())
    assert used == set(get_kind(kind).names)


@pytest.mark.parametrize("kind", sorted(EXPECTED_KINDS))
def test_each_template_mentions_every_field_of_its_kind(kind):
    text = docx_text(template_path(kind).read_bytes())
    for field in get_kind(kind).fields:
        last = field.path.rsplit(".", 1)[-1] + ("_label" if field.type == CHOICE else "")
        assert re.search(rf"\b{last}\b", text), f"{kind} does not use {field.path}"


def test_templates_live_in_the_package_folder_one_per_kind():
    assert {p.stem for p in TEMPLATE_DIR.glob("*.docx")} == EXPECTED_KINDS
    for kind in EXPECTED_KINDS:
        assert template_path(kind).parent == TEMPLATE_DIR


def test_the_committed_templates_are_what_the_build_script_makes():
    assert build.stale() == []
