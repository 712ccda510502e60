"""Rendering: every kind from a real case, user text kept literal, and refusals."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from docx import Document
from jinja2.sandbox import SandboxedEnvironment

from services.documents.adapters import render
from services.documents.adapters.render import clean_text, render_docx
from services.documents.domain.errors import MissingContext, UnknownKind
from services.documents.domain.kinds import KINDS, iter_values

from .factories import (
    BOARD,
    CHILD,
    LEAD_REVIEWER,
    REFERENCE,
    chronology_rows,
    context_for,
    make_case_context,
    set_path,
)
from .render_cases import CONTROL, KIND_SPECIFIC, PAYLOADS, hostile_context
from .support import docx_parts, docx_text, flat, table_rows


def test_every_kind_is_covered_by_these_tests():
    assert set(KIND_SPECIFIC) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_a_word_document_with_the_shared_look(kind, rendered):
    docx = rendered[kind]
    Document(io.BytesIO(docx))  # python-docx opens it
    parts = docx_parts(docx)
    text = docx_text(docx)
    assert BOARD in text and REFERENCE in text and "14 March 2025" in text
    assert KIND_SPECIFIC[kind] in flat(text)
    for name in ("header", "footer"):
        marked = [p for p, xml in parts.items() if name in p and b"OFFICIAL-SENSITIVE" in xml]
        assert marked, f"no OFFICIAL-SENSITIVE marking in the {name}"
    footer = b"".join(xml for p, xml in parts.items() if "footer" in p)
    assert b" PAGE " in footer and b" NUMPAGES " in footer
    assert "{{" not in text and "{%" not in text, "a template tag was left unrendered"


def _required_only(kind: str, context: dict[str, Any]) -> dict[str, Any]:
    """The context cut down to the fields the kind requires for it."""
    out: dict[str, Any] = {}
    for field in KINDS[kind].fields:
        if not field.applies(context):
            continue
        table = field.path.split(".*", 1)[0]
        if table != field.path and not list(iter_values(out, table)):
            continue  # a column of an optional table that was left out
        for where, value in iter_values(context, field.path):
            if isinstance(value, list):
                value = [{} if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                value = {}
            target: Any = out
            *parents, last = where.split(".")
            for part in parents:
                if isinstance(target, list):
                    target = target[int(part)]
                else:
                    target = target.setdefault(part, {})
            if isinstance(target, list):
                target[int(last)] = value
            else:
                target[last] = value
    return out


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_from_its_required_fields_alone(kind):
    context = _required_only(kind, context_for(kind))
    assert len(context) < len(context_for(kind))
    text = docx_text(render_docx(kind, context))
    assert BOARD in text
    assert "None" not in text.splitlines(), "an absent value printed as None"


def test_none_prints_as_nothing():
    context = make_case_context()
    set_path(context, "child.gender", None)
    set_path(context, "incident.location", None)
    text = docx_text(render_docx("referral_summary", context))
    assert "None" not in text


def test_dates_print_in_full_and_a_month_field_only_as_month_and_year():
    context = make_case_context(incident_month="2025-01-13")
    set_path(context, "decision.decided_on", "2025-02-10")
    assert "10 February 2025" in docx_text(render_docx("decision_notification", context))
    text = docx_text(render_docx("learning_summary", context))
    assert "January 2025" in text and "13 January 2025" not in text
    assert render.long_date(datetime(2025, 7, 1, 13, 5, tzinfo=UTC)) == "1 July 2025, 2:05pm"
    assert render.long_date(date(2025, 7, 1)) == "1 July 2025"


def test_a_choice_prints_its_label():
    context = make_case_context(lead_reviewers=[])
    set_path(context, "decision.outcome", "multi_agency_concise_review")
    text = flat(docx_text(render_docx("decision_notification", context)))
    assert "No Serious Case Review will be carried out" in text
    assert "The board will carry out a Multi-Agency Concise Review instead." in text
    assert "multi_agency_concise_review" not in text


def test_the_decision_notification_names_the_lead_reviewers_when_an_scr_is_initiated(rendered):
    text = flat(docx_text(rendered["decision_notification"]))
    assert "A Serious Case Review will be carried out" in text
    assert "Dr Ruth Okafor" in text and "Martin Blake" in text
    assert "Justification" not in text


def test_the_decision_notification_gives_the_justification_when_no_scr_is_initiated():
    context = make_case_context()
    set_path(context, "decision.outcome", "no_review")
    set_path(context, "decision.rationale", "Harm was not serious; agencies worked well together.")
    text = flat(docx_text(render_docx("decision_notification", context)))
    assert "No Serious Case Review will be carried out" in text
    assert "Justification Harm was not serious; agencies worked well together." in text
    assert "the National Panel will scrutinise this decision" in text  # the criteria were met
    assert LEAD_REVIEWER not in text
    assert "instead" not in text  # no other review either


def test_missing_data_is_refused_naming_the_fields():
    context = make_case_context()
    del context["decision"]
    with pytest.raises(MissingContext) as caught:
        render_docx("decision_notification", context)
    assert {"decision.outcome", "decision.decided_on", "decision.chair_name"} <= set(caught.value.fields)


@pytest.mark.parametrize("kind", ["nonsense", "../../../etc/passwd", "/etc/passwd", "build"])
def test_an_unknown_kind_is_refused_naming_kind_and_no_file_is_read(kind, monkeypatch):
    monkeypatch.setattr(render, "_load", lambda spec: pytest.fail("a template was loaded"))
    with pytest.raises(UnknownKind) as caught:
        render_docx(kind, make_case_context())
    assert caught.value.field == "kind"


def test_a_template_is_read_once_and_each_render_starts_from_a_clean_copy(monkeypatch):
    render._template_bytes.pop("learning_summary", None)
    reads = []
    original = render.Path.read_bytes

    def counting(path):
        reads.append(path.name)
        return original(path)

    monkeypatch.setattr(render.Path, "read_bytes", counting)
    first = render_docx("learning_summary", make_case_context(case_learning="First case."))
    second = render_docx("learning_summary", make_case_context(case_learning="Second case."))
    assert reads == ["learning_summary.docx"]
    assert "First case." in docx_text(first) and "First case." not in docx_text(second)
    assert "Second case." in docx_text(second)


def test_a_500_row_chronology_has_a_row_per_entry():
    docx = render_docx("spe_chronology_form", make_case_context(entries=chronology_rows(500)))
    text = docx_text(docx)
    assert "Event 1:" in text and "Event 500:" in text
    details_rows = 6
    assert table_rows(docx) == details_rows + 1 + 500  # the particulars, the header, the entries


# -- User text is text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    ["decision_notification", "spe_chronology_form", "referral_summary", "case_group_letter"],
)
def test_hostile_text_appears_literally_and_is_never_evaluated(kind):
    docx = render_docx(kind, hostile_context(kind))
    Document(io.BytesIO(docx))
    text = docx_text(docx)  # strict XML parsing: the parts are well formed
    assert "A & B <Board>" in text
    if kind != "case_group_letter":
        for payload in PAYLOADS:
            assert payload in text, payload
    else:
        assert "Dear {{ 7*7 }} <i>Lowe</i>," in text
    assert "49" not in text
    assert "<class" not in text and "object" not in text
    assert "INJECTED" not in text.replace(PAYLOADS[6], "")  # only ever inside the literal
    if kind == "spe_chronology_form":
        assert "<w:br/>trusted?" in text


def test_rendering_uses_the_escaping_sandbox_and_compiles_only_template_text(monkeypatch):
    seen = {}
    original = render.DocxTemplate.render

    def spy(self, context, jinja_env=None, autoescape=False):
        seen.update(env=jinja_env, autoescape=autoescape)
        return original(self, context, jinja_env, autoescape)

    monkeypatch.setattr(render.DocxTemplate, "render", spy)
    render_docx("decision_notification", hostile_context("decision_notification"))
    assert isinstance(seen["env"], SandboxedEnvironment) and seen["env"].autoescape is True
    assert seen["autoescape"] is True
    assert not any("INJECTED" in source for source in render._ENV._compiled)


def test_control_characters_are_removed_and_line_breaks_kept():
    context = make_case_context()
    set_path(context, "incident.summary", CONTROL)
    docx = render_docx("referral_summary", context)
    for xml in docx_parts(docx).values():
        for char in "\x00\x07\x0b\x1f":
            assert char.encode() not in xml
    text = docx_text(docx)
    assert "nullhere, vertical\ntab, unitsep, bell, tab\there" in text


def test_clean_text_keeps_what_xml_allows():
    assert clean_text("a\tb\nc\r\nd\re\x0bf\x0cg") == "a\tb\nc\nd\ne\nf\ng"
    assert clean_text("x\x00\x01\x08\x0e\x1f\ufffe\uffffy") == "xy"
    assert clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean_text("Zoë – “quoted” — 😀") == "Zoë – “quoted” — 😀"


def test_objects_reach_the_template_only_as_text():
    class Sneaky:
        secret = "SECRET"

        def __str__(self) -> str:
            return "plain words"

    context = make_case_context()
    set_path(context, "incident.summary", Sneaky())
    text = docx_text(render_docx("referral_summary", context))
    assert "plain words" in text and "SECRET" not in text


def test_a_child_name_with_template_syntax_is_kept():
    context = make_case_context()
    set_path(context, "child.name", "{{ board_name }}")
    text = docx_text(render_docx("case_group_letter", context))
    assert "about {{ board_name }}" in flat(text)
    assert CHILD not in text
