"""The publication copy: no name, date of birth, address or NHS number of the family survives."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest

from services.documents.adapters.pdf import to_pdf
from services.documents.adapters.render import render_docx
from services.documents.domain.publication import SHARED_NAME, pseudonymise

from .factories import (
    ADDRESS,
    CHILD,
    GLOSSARY,
    MOTHER,
    NHS_NUMBER,
    PARTNER,
    SIBLING,
    context_for,
    make_case_context,
    set_path,
)
from .support import docx_text, need_soffice, pdf_text

# Everything that would identify the family, in the forms it is written in the case.
IDENTIFYING = [
    CHILD,
    MOTHER,
    SIBLING,
    PARTNER,
    "Jane",
    "Doe",
    "Mary",
    "Tom",
    "Kevin",
    "Marsh",
    "12 March 2014",
    "2014-03-12",
    "12/03/2014",
    "21 July 1988",
    NHS_NUMBER,
    NHS_NUMBER.replace(" ", ""),
    "Acacia",
    "CH41 6AB",
    "CH416AB",
]


def leaks(text: str) -> list[str]:
    """The identifying values found as whole words ("Mary", but not "summary")."""
    return [
        value for value in IDENTIFYING if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE)
    ]


def published(kind: str) -> dict:
    context = context_for(kind)
    # Narrative that names people and repeats identifying values in other forms.
    narrative = (
        "JANE DOE (born 12/03/2014, NHS number 9434765919) lived at 14 Acacia Avenue,"
        " Birkenhead CH41 6AB with Mary, Tom and Kevin. The Doe family had moved in 2023."
        " Her health record gives her birth as 2014-03-12, 12 March 2014."
    )
    set_path(context, "circumstances", narrative)
    set_path(context, "incident.summary", narrative)
    return pseudonymise(context, GLOSSARY)


def test_glossary_names_are_replaced_in_every_text_field_and_identifying_fields_dropped():
    context = make_case_context()
    out = pseudonymise(context, GLOSSARY)
    assert out["child"] == {
        "name": "Child A",
        "age": "10 years",
        "gender": "Female",
        "legal_status": "Child in need (Children Act 1989, section 17)",
    }
    assert [m["name"] for m in out["family"]] == ["Mother", "Sibling 1", "Mother's partner"]
    assert all("date_of_birth" not in m for m in out["family"])
    assert out["incident"]["summary"].startswith("Child A, aged 10, was admitted")
    assert "Her mother's partner, Mother's partner, has been arrested" in out["incident"]["summary"]
    assert out["entries"][0]["risk"] == (
        "Domestic abuse between Mother and her partner, witnessed by the children."
    )
    assert out["entries"][1]["event"].startswith("Child A arrives at school")
    assert out["board_name"] == context["board_name"]


def test_the_original_context_is_left_as_it_was():
    context = make_case_context()
    before = copy.deepcopy(context)
    pseudonymise(context, GLOSSARY)
    assert context == before


def test_identifying_values_are_replaced_in_every_form_they_take():
    text = published("final_report_skeleton")["circumstances"]
    assert leaks(text) == []
    assert text.startswith("Child A (born [date of birth], NHS number [NHS number]) lived at")
    assert "[address], Birkenhead [address] with Mother, Sibling 1 and Mother's partner." in text
    assert f"The {SHARED_NAME} family" in text


def test_a_name_inside_another_word_is_left_alone():
    context = make_case_context(circumstances="Janet and Tomas met Maryam on Doeskin Lane.")
    out = pseudonymise(context, GLOSSARY)
    assert out["circumstances"] == "Janet and Tomas met Maryam on Doeskin Lane."


def test_names_the_glossary_forgot_still_get_a_stand_in():
    context = make_case_context(
        family=[
            {"name": "Mary Doe", "relationship": "mother"},
            {"name": "Tom Doe", "relationship": "brother"},
            {"name": "Lily Doe", "relationship": "sister"},
            {"name": "Sue Ward"},
        ],
        circumstances="Lily Doe and Sue Ward visited Jane Doe.",
    )
    out = pseudonymise(context, {})
    assert [m["name"] for m in out["family"]] == ["Mother", "Brother", "Sister", "Family member 1"]
    assert out["child"]["name"] == "Child A"
    assert out["circumstances"] == "Sister and Family member 1 visited Child A."


def test_a_date_equal_to_a_date_of_birth_is_withheld_wherever_it_appears():
    context = make_case_context(incident_month=date(2014, 3, 12))
    out = pseudonymise(context, GLOSSARY)
    assert out["incident_month"] == "[date of birth]"
    assert out["document_date"] == date(2025, 3, 14)


def test_glossary_stand_ins_can_name_the_identifying_values_too():
    glossary = {**GLOSSARY, ADDRESS: "the family home", NHS_NUMBER: "[withheld]"}
    context = make_case_context(circumstances=f"At {ADDRESS}; NHS {NHS_NUMBER}.")
    out = pseudonymise(context, glossary)
    assert out["circumstances"] == "At the family home; NHS [withheld]."


@pytest.mark.parametrize("kind", ["referral_summary", "final_report_skeleton", "spe_chronology_form"])
def test_the_published_document_contains_no_identifying_value(kind):
    docx = render_docx(kind, published(kind))
    text = docx_text(docx)
    assert leaks(text) == []
    assert "Child A" in text
    assert leaks(docx_text(render_docx(kind, context_for(kind)))) != []  # the test can fail


def test_the_published_pdf_contains_no_identifying_value():
    need_soffice()
    text = pdf_text(to_pdf(render_docx("referral_summary", published("referral_summary"))))
    assert leaks(" ".join(text.split())) == []
    assert "Child A" in text and "[NHS number]" in text
