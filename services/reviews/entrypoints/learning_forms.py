"""The forms of the learning pages: a review's learning summary (every field of the North West
template, 001 Appendix B), a learning product, the search of the learning repository and the
board's choice to share its learning with its region. The forms check what a page sent (filled
in, a real date or month, lengths the API also allows); the rules stay in the domain and the
service layer (:mod:`..service_layer.learning`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, StopValidation

from services.reviews.domain.learning import PRODUCT_KINDS, TEXT_FIELDS, THEMES
from services.reviews.domain.vocabulary import REVIEW_KINDS
from services.reviews.entrypoints.learning_page_month import MonthField
from services.reviews.entrypoints.meeting_forms import chosen, line, text
from shared.forms import Checkboxes, DayField, Radios, Select, TextInput
from shared.words import plain

LONGEST = 20_000  # as the API's text fields


# -- the learning summary -----------------------------------------------------------------------


def _written(name: str, label: str, hint: str = "") -> StringField:
    """A required text of the template, with the domain's words for it in its message."""
    return text(label, f"Enter {TEXT_FIELDS[name]}", LONGEST, hint)


class SummaryForm(FlaskForm):
    """Every field of the learning summary, in the template's order."""

    board_area = line("The board's area", f"Enter {TEXT_FIELDS['board_area']}", hint="For example, Wirral")
    completed_on = DayField(
        "Date completed (optional)",
        called="The date the summary was completed",
        description="For example, 2 3 2026. If you leave it blank, today's date is used.",
    )
    review_type = _written(
        "review_type",
        "Type of review",
        "The method, who chaired and wrote it, and how the case was chosen for review",
    )
    incident_month = MonthField(
        "Month and year of the incident (optional)",
        called="The month of the incident",
        description="For example, 11 2025. If you leave it blank, the month recorded for the case is used.",
    )
    reference = line(
        "Review reference (optional)",
        hint="If you leave it blank, the case's reference is used",
    )
    summary = _written(
        "summary", "Summary", "A few sentences people searching the learning repository will read first"
    )
    case_learning = _written(
        "case_learning",
        "What you learnt about the case",
        "Key themes and early learning: particular issues, wider concerns, or good practice",
    )
    method_learning = _written(
        "method_learning",
        "What you learnt about the review and its method",
        "What worked and what did not, who took part, how long it took",
    )
    single_agency_recommendations = _written(
        "single_agency_recommendations",
        "Key single-agency recommendations",
        "The learning other agencies could use too, rather than every recommendation",
    )
    multi_agency_recommendations = _written(
        "multi_agency_recommendations",
        "Key multi-agency recommendations",
        "The learning other boards could use too",
    )
    changes = _written("changes", "How will the changes be made, and who is doing what?")
    impact_audit = _written(
        "impact_audit", "How will you audit the impact?", "How you will know that practice has changed"
    )
    other_comments = text(
        "Other comments (optional)",
        None,
        LONGEST,
        "Advice or suggestions about the case, the method, embedding change or showing its impact",
    )
    themes = SelectMultipleField(
        "Themes",
        widget=Checkboxes(),
        validate_choice=False,
        description="Select every theme of the learning. People search the repository by them.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes.choices = [(code, plain(code)) for code in THEMES]  # words registered by now

    def validate_themes(self, field: Field) -> None:
        chosen_ = list(field.data or [])
        if not chosen_:
            raise StopValidation("Select at least one theme")
        if any(t not in THEMES for t in chosen_):
            raise StopValidation("Select themes from the list")
        if len(chosen_) > 20:
            raise StopValidation("Select up to 20 themes")

    def fill(self, saved: Mapping[str, Any]) -> None:
        """Show the summary as it was saved."""
        from datetime import date

        for name in (*TEXT_FIELDS, "reference", "other_comments"):
            self[name].data = saved.get(name) or ""
        self.incident_month.data = saved.get("incident_month")
        self.completed_on.data = (
            date.fromisoformat(saved["completed_on"]) if saved.get("completed_on") else None
        )
        self.themes.data = list(saved.get("themes") or [])

    def given(self) -> dict[str, Any]:
        """The summary as the API's body gives it (the form validated)."""
        out: dict[str, Any] = {name: (self[name].data or "").strip() for name in TEXT_FIELDS}
        out.update(
            completed_on=self.completed_on.data,
            incident_month=self.incident_month.data,
            reference=(self.reference.data or "").strip() or None,
            other_comments=(self.other_comments.data or "").strip(),
            themes=list(dict.fromkeys(self.themes.data or [])),
        )
        return out


# -- a learning product -------------------------------------------------------------------------


class ProductForm(FlaskForm):
    kind = RadioField(
        "What was made from the review?",
        widget=Radios(),
        validate_choice=False,
        validators=[chosen("Select what was made from the review")],
    )
    title = line(
        "Title", "Enter the title", hint="For example, Seven-minute briefing: missed health appointments"
    )
    on = DayField(
        "Date",
        called="The date",
        required="Enter the date it was given or held",
        description="When it was given, held or published. For example, 27 3 2026",
    )
    reach = StringField(
        "How many people did it reach?",
        widget=TextInput(),
        description="The number of practitioners who took part or received it",
    )
    notes = text("Notes (optional)", None, LONGEST)
    agencies = SelectMultipleField(
        "Which agencies took part? (optional)", widget=Checkboxes(), validate_choice=False
    )
    product_id = HiddenField()

    def offer(self, agencies: dict[str, str]) -> None:
        self.kind.choices = [(k, plain(k)) for k in PRODUCT_KINDS]
        self.agencies.choices = list(agencies.items())

    def validate_reach(self, field: Field) -> None:
        given = (field.data or "").strip().replace(",", "")
        if not given:
            raise StopValidation("Enter how many people it reached")
        if not given.isdigit():
            raise StopValidation("How many people it reached must be a whole number, like 40")
        if int(given) > 1_000_000:
            raise StopValidation("How many people it reached must be 1,000,000 or fewer")

    def validate_agencies(self, field: Field) -> None:
        known = dict(self.agencies.choices or [])
        if any(a not in known for a in field.data or []):
            raise StopValidation("Select agencies from the list")

    def given(self) -> dict[str, Any]:
        return {
            "kind": self.kind.data,
            "title": (self.title.data or "").strip(),
            "date": self.on.data,
            "reach": int((self.reach.data or "0").strip().replace(",", "")),
            "notes": (self.notes.data or "").strip(),
            "agencies": list(self.agencies.data or []),
        }

    def key(self) -> str | None:
        """The id the page gave the product when it was shown, so that sending twice records it once."""
        found = (self.product_id.data or "").strip()
        return found if re.fullmatch(r"[0-9a-f]{32}", found) else None


# -- the learning repository --------------------------------------------------------------------


class SearchForm(FlaskForm):
    """The repository's search, sent in the address (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(
        "Words",
        widget=TextInput(),
        validators=[Length(max=500, message="The words must be 500 characters or fewer")],
    )
    theme = SelectField(
        "Theme",
        widget=Select(),
        validate_choice=False,
    )
    kind = SelectField(
        "Kind of review",
        widget=Select(),
        validate_choice=False,
    )
    year = StringField("Year", widget=TextInput(), description="For example, 2025")
    agency = SelectField("Agency", widget=Select(), validate_choice=False)

    def offer(self, agencies: dict[str, str]) -> None:
        self.theme.choices = [("", "Any theme"), *((code, plain(code)) for code in THEMES)]
        self.kind.choices = [("", "Any kind"), *((k, plain(k)) for k in REVIEW_KINDS)]
        self.agency.choices = [("", "Any agency"), *agencies.items()]

    def validate_theme(self, field: Field) -> None:
        if field.data and field.data not in THEMES:
            raise StopValidation("Select a theme from the list")

    def validate_kind(self, field: Field) -> None:
        if field.data and field.data not in REVIEW_KINDS:
            raise StopValidation("Select a kind of review from the list")

    def validate_agency(self, field: Field) -> None:
        if field.data and field.data not in dict(self.agency.choices or []):
            raise StopValidation("Select an agency from the list")

    def validate_year(self, field: Field) -> None:
        given = (field.data or "").strip()
        if given and not (given.isdigit() and 2000 <= int(given) <= 2100):
            raise StopValidation("The year must be a year between 2000 and 2100, like 2025")

    def query(self) -> dict[str, Any]:
        """The search as the API's query takes it, without what was left empty."""
        year = (self.year.data or "").strip()
        found: dict[str, Any] = {
            "q": (self.q.data or "").strip(),
            "theme": self.theme.data or None,
            "kind": self.kind.data or None,
            "year": int(year) if year else None,
            "agency": self.agency.data or None,
        }
        return {k: v for k, v in found.items() if v}


# -- sharing with the region --------------------------------------------------------------------


class SharingForm(FlaskForm):
    share = RadioField(
        "Should the board share its learning summaries with the other boards of its region?",
        widget=Radios(),
        choices=[
            ("yes", "Yes, share them with the boards of the region that share theirs"),
            ("no", "No, keep them to this board"),
        ],
        validate_choice=False,
        validators=[chosen("Select whether the board shares its learning summaries")],
    )
    region = line(
        "Region",
        "Enter the name of the board's region",
        hint="Spell it as the other boards of the region do, for example North West",
    )
