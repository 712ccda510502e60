"""The forms of the final report's pages: writing a version section by section, uploading one,
commenting, comparing two versions, showing one to a family member and the Chair's sign-off.

The forms check only what a page sent (a field filled in, a choice made, a real date, lengths the
API also allows); the rules stay in the domain and the service layer, which the pages call as the
API does."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import Field, RadioField, SelectField, StringField
from wtforms.validators import Length, StopValidation

from services.reviews.domain.report import BODY, SECTION_LIMIT, SECTIONS
from services.reviews.entrypoints.forms_common import chosen, text
from shared.forms import CharacterCount, DayField, Radios, Select

COMMENT_LIMIT = 5000  # as the API's comment body
# Each section's heading on the pages; an upload whose headings named no section is kept whole.
TITLES: dict[str, str] = {**SECTIONS, BODY: "The report as uploaded (its headings named no section)"}


def version_choices(numbers: list[int]) -> list[tuple[str, str]]:
    """Radios or options of the versions, newest first."""
    return [(str(n), f"Version {n}") for n in reversed(numbers)]


def writing_form(formdata: bool = True, whole: bool = False) -> FlaskForm:
    """One long text box, with its character count, per section of the report, in its order;
    with ``whole``, first a box for the text of an upload whose headings named no section."""
    names = {**({BODY: TITLES[BODY]} if whole else {}), **SECTIONS}

    class WritingForm(FlaskForm):
        def sections(self) -> dict[str, str]:
            """The sections as the service layer takes them."""
            return {k: self[k].data or "" for k in names}

    for key, heading in names.items():
        setattr(
            WritingForm,
            key,
            StringField(
                heading,
                widget=CharacterCount(),
                validators=[
                    Length(max=SECTION_LIMIT, message=f"Keep this section under {SECTION_LIMIT:,} characters")
                ],
            ),
        )
    return WritingForm() if formdata else WritingForm(formdata=None)


class UploadForm(FlaskForm):
    file = FileField(
        "Upload a Word document",
        widget=GovFileInput(),
        description="A .docx file smaller than 10 MB. Headings that name a section of the report start it.",
    )


class CommentForm(FlaskForm):
    section = SelectField("Which section is it about?", widget=Select(), validate_choice=False)
    text = text("Comment", "Enter your comment", COMMENT_LIMIT)

    def offer(self, sections: list[str]) -> None:
        """The sections the version has text in, or the whole version."""
        self.section.choices = [("", "The whole version"), *((k, TITLES[k]) for k in sections)]

        def known(form: Any, field: Field) -> None:
            if field.data and field.data not in sections:
                raise StopValidation("Select a section of this version")

        self.section.validators = [known]

    def given(self) -> tuple[str, str | None]:
        return (self.text.data or "").strip(), self.section.data or None


class CompareForm(FlaskForm):
    """Sent by GET: the two versions to compare (no CSRF token, nothing is changed)."""

    class Meta:
        csrf = False

    from_version = RadioField(
        "Compare from",
        widget=Radios(),
        validate_choice=False,
        validators=[chosen("Select the version to compare from")],
    )
    to_version = RadioField(
        "With",
        widget=Radios(),
        validate_choice=False,
        validators=[chosen("Select the version to compare with")],
    )

    def offer(self, numbers: list[int]) -> None:
        self.from_version.choices = version_choices(numbers)
        self.to_version.choices = version_choices(numbers)

    def validate_to_version(self, field: Field) -> None:
        if field.data and field.data == self.from_version.data:
            raise StopValidation("Select a different version to compare with")


class ShareForm(FlaskForm):
    version = RadioField(
        "Which version should they read?",
        widget=Radios(),
        validate_choice=False,
        validators=[chosen("Select the version to show")],
    )
    user_id = RadioField(
        "Who should read it?",
        widget=Radios(),
        validate_choice=False,
        validators=[chosen("Select the family member to show it to")],
    )

    def offer(self, numbers: list[int], family: dict[str, str]) -> None:
        self.version.choices = version_choices(numbers)
        self.user_id.choices = list(family.items())


class SignOffForm(FlaskForm):
    version = RadioField(
        "Which version is the board signing off?",
        widget=Radios(),
        validate_choice=False,
        description="The board signs off the latest version: a version saved later needs a new sign-off.",
        validators=[chosen("Select the version the board is signing off")],
    )
    signed_off_on = DayField(
        "When did the board sign it off?",
        called="The date of the sign-off",
        required="Enter the date the board signed off the report",
        past_only=True,
        description="For example, 27 3 2026",
    )

    def offer(self, numbers: list[int]) -> None:
        self.version.choices = version_choices(numbers)


class FamilyCommentForm(FlaskForm):
    section = SelectField(
        "Which part of the report is it about? (optional)", widget=Select(), validate_choice=False
    )
    text = text(
        "Your comment",
        "Enter your comment",
        COMMENT_LIMIT,
        "The board's business unit reads it. It is not shared with anyone else taking part in the review.",
    )

    def offer(self, sections: list[str]) -> None:
        self.section.choices = [("", "The whole report"), *((k, TITLES[k]) for k in sections)]

        def known(form: Any, field: Field) -> None:
            if field.data and field.data not in sections:
                raise StopValidation("Select a part of the report from the list")

        self.section.validators = [known]

    def given(self) -> tuple[str, str | None]:
        return (self.text.data or "").strip(), self.section.data or None


__all__ = [
    "TITLES",
    "CommentForm",
    "CompareForm",
    "FamilyCommentForm",
    "ShareForm",
    "SignOffForm",
    "UploadForm",
    "version_choices",
    "writing_form",
]
