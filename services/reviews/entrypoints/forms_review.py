"""The forms of a review's pages: a panel member, the terms of reference and comments on them.

They give the service layer what the API's bodies give it; the service says what is wrong with
it, and :func:`.forms_common.with_problems` puts that on the fields.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField

from services.reviews.domain.vocabulary import DECLARATIONS, METHODS, PANEL_ROLES, PARALLEL_PROCESSES
from services.reviews.entrypoints.forms_common import (
    Checkboxes,
    DayField,
    Radios,
    Select,
    chosen,
    line,
    text,
)
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS
from shared.words import plain

YES_NO = [("yes", "Yes"), ("no", "No")]
NO_AGENCY = ""


class PanelMemberForm(FlaskForm):
    role = RadioField(
        "What is their role on the panel?",
        widget=Radios(),
        choices=[(r, plain(r)) for r in PANEL_ROLES],
        validate_choice=False,
        validators=[chosen("Select the member's role on the panel")],
    )
    name = line("Full name", "Enter the member's name")
    email = line("Email address", "Enter the member's email address", limit=254)
    organisation = line("Organisation", "Enter the organisation the member comes from")
    agency = SelectField(
        "Which of the board's agencies do they belong to?",
        widget=Select(),
        validate_choice=False,
        description="Choose none for a member independent of the board's agencies.",
    )
    qualifications = text(
        "Qualifications and experience (optional)",
        limit=2000,
        description="A Serious Case Review's lead reviewer needs this.",
    )
    # One yes/no question per independence declaration; unanswered means not declared.
    works_for_involved_agency = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    line_manages_involved_staff = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    involved_in_case = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)
    works_for_board_agency = RadioField(widget=Radios(), choices=YES_NO, validate_choice=False)

    def offer(self, agencies: dict[str, str]) -> None:
        self.agency.choices = [(NO_AGENCY, "None of them"), *agencies.items()]
        for key, words in DECLARATIONS.items():
            self[key].label.text = f"Does the member say they {_second_person(words)}?"

    def fill(self, member: dict[str, Any]) -> None:
        """Show a member as the panel holds them."""
        for key in ("role", "name", "email", "organisation", "qualifications"):
            self[key].data = member.get(key) or ""
        self.agency.data = member.get("agency") or NO_AGENCY
        for key in DECLARATIONS:
            answer = member["declarations"].get(key)
            self[key].data = None if answer is None else "yes" if answer else "no"

    def given(self) -> dict[str, Any]:
        """The member as the API's body gives it."""
        return {
            "role": self.role.data,
            "name": (self.name.data or "").strip(),
            "email": (self.email.data or "").strip(),
            "organisation": (self.organisation.data or "").strip(),
            "agency": self.agency.data or None,
            "qualifications": (self.qualifications.data or "").strip(),
            "declarations": {k: self[k].data == "yes" for k in DECLARATIONS if self[k].data in ("yes", "no")},
        }


def _second_person(words: str) -> str:
    """'works for an agency ...' as asked of the member: 'work for an agency ...'."""
    first, _, rest = words.partition(" ")
    verbs = {"works": "work", "line-manages": "line-manage", "was": "were"}
    return f"{verbs.get(first, first)} {rest}"


class TermsForm(FlaskForm):
    breadth_and_depth = text(
        "How broad and how deep does the review go?", "Say how broad and deep the review goes"
    )
    focus_questions = text(
        "Which questions will the review focus on?",
        "Give at least one question the review will focus on",
        limit=15_000,
        description="One question on each line.",
    )
    method = RadioField(
        "Which method will the review follow?",
        widget=Radios(),
        choices=[(m, plain(m)) for m in METHODS],
        validate_choice=False,
        validators=[chosen("Select the method the review follows")],
    )
    period_from = DayField(
        "When does the period under review start?",
        called="The start of the period under review",
        required="Enter the start of the period under review",
        description="For example, 3 11 2024",
    )
    period_to = DayField(
        "When does it end?",
        called="The end of the period under review",
        required="Enter the end of the period under review",
    )
    extended_period_reason = text(
        "Why does the period start more than 12 months before the incident? (optional)",
        description="Needed only for an exceptional period, up to 24 months (002 §2.1).",
    )
    agencies = SelectMultipleField(
        "Which agencies does the review cover?", widget=Checkboxes(), validate_choice=False
    )
    parallel_processes = SelectMultipleField(
        "Which processes run beside the review? (optional)",
        widget=Checkboxes(),
        choices=[(p, plain(p)) for p in PARALLEL_PROCESSES],
        validate_choice=False,
    )
    proportionality_rationale = text(
        "Why are this form and focus proportionate?",
        "Say why this form and focus are proportionate",
    )
    case_factors = SelectMultipleField(
        "Which factors of the case shaped it?",
        widget=Checkboxes(),
        choices=list(CASE_FACTORS.items()),
        validate_choice=False,
    )
    context_factors = SelectMultipleField(
        "Which factors of the local context shaped it?",
        widget=Checkboxes(),
        choices=list(CONTEXT_FACTORS.items()),
        validate_choice=False,
    )
    reviewer_skills = text("What knowledge and skills do the reviewers need?")

    def offer(self, agencies: dict[str, str]) -> None:
        self.agencies.choices = list(agencies.items())

    def fill(self, terms: dict[str, Any]) -> None:
        """Show the terms drafted so far."""
        from datetime import date

        for key in (
            "breadth_and_depth",
            "proportionality_rationale",
            "reviewer_skills",
            "extended_period_reason",
        ):
            self[key].data = terms.get(key) or ""
        self.focus_questions.data = "\n".join(terms.get("focus_questions") or [])
        self.method.data = terms.get("method")
        for key in ("agencies", "parallel_processes", "case_factors", "context_factors"):
            self[key].data = list(terms.get(key) or [])
        for key in ("period_from", "period_to"):
            if terms.get(key):
                self[key].data = date.fromisoformat(terms[key])

    def given(self) -> dict[str, Any]:
        """The terms as the API's body gives them (the form validated: both dates are real)."""
        return {
            "breadth_and_depth": (self.breadth_and_depth.data or "").strip(),
            "focus_questions": [
                q.strip() for q in (self.focus_questions.data or "").splitlines() if q.strip()
            ],
            "method": self.method.data,
            "period_from": self.period_from.data,
            "period_to": self.period_to.data,
            "extended_period_reason": (self.extended_period_reason.data or "").strip() or None,
            "agencies": list(self.agencies.data or []),
            "parallel_processes": list(self.parallel_processes.data or []),
            "proportionality_rationale": (self.proportionality_rationale.data or "").strip(),
            "case_factors": list(self.case_factors.data or []),
            "context_factors": list(self.context_factors.data or []),
            "reviewer_skills": (self.reviewer_skills.data or "").strip() or None,
        }


class CommentForm(FlaskForm):
    comment = text("Your comment", "Write your comment", limit=5000)
