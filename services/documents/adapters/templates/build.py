"""Build the board's document templates, one .docx per kind of document.

    PYTHONPATH=. .venv/bin/python services/documents/adapters/templates/build.py [--check]

The templates are code: this script writes them with python-docx, putting docxtpl's
Jinja tags inside runs and table cells (``{%p ... %}`` for whole paragraphs,
``{%tr ... %}`` for table rows), and the generated files are committed beside it.
Change a template here, run the script, commit both. ``--check`` builds into a
temporary folder and exits 1 if a committed template differs from what it builds.

Every template shares one look: the OFFICIAL-SENSITIVE marking at the top and bottom
of every page, the board's name and the case reference in the header, the reference,
date and "Page n of m" in the footer, and a title block on the first page.

The words are the product's own; the questions come from ``domain/framework.py``.
Each template reads only the fields its kind declares in ``domain/kinds.py``.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from services.documents.domain.framework import (
    SAAR_ANALYSIS_PROMPTS,
    SINGLE_AGENCY_QUESTIONS,
    SPE_COLUMNS,
    SPE_SIGNIFICANCE_QUESTIONS,
)
from services.documents.domain.kinds import KINDS, Kind

HERE = Path(__file__).resolve().parent
MARKING = "OFFICIAL-SENSITIVE"
FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
LABEL_SHADE = "F3F2F1"
FIXED_TIME = datetime(2025, 1, 1)  # core properties and zip entries: the same bytes on every build
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

NATIONAL_BODIES = (
    "Ofsted",
    "Department for Education",
    "National Panel of Independent Experts on Serious Case Reviews",
)


# -- The shared look ---------------------------------------------------------------------


class Builder:
    """One template: the shared look, then the body the kind's function adds."""

    def __init__(self, kind: Kind, *, landscape: bool = False):
        self.kind = kind
        self.doc = Document()
        self._styles()
        self._page(landscape)
        self._header_footer()
        self._properties()

    # page and styles

    def _styles(self) -> None:
        styles = self.doc.styles
        for name, size, bold in (
            ("Normal", 11, False),
            ("Title", 22, True),
            ("Heading 1", 15, True),
            ("Heading 2", 12.5, True),
            ("Heading 3", 11, True),
            ("List Bullet", 11, False),
            ("List Number", 11, False),
        ):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = bold
            style.font.color.rgb = BLACK
            style.font.italic = False
            rfonts = style.element.rPr.find(qn("w:rFonts"))
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:cs"), FONT)
            fmt = style.paragraph_format
            if name.startswith("Heading"):
                fmt.space_before = Pt(14 if name == "Heading 1" else 10)
                fmt.space_after = Pt(4)
                fmt.keep_with_next = True
            elif name == "Title":
                fmt.space_before = Pt(6)
                fmt.space_after = Pt(10)
            else:
                fmt.space_after = Pt(6)
                fmt.line_spacing = 1.15
        # Drop the default template's rule under the title and its header and footer tab
        # stops (set for US Letter); the header and footer set their own.
        for name, tag in (("Title", "w:pBdr"), ("Header", "w:tabs"), ("Footer", "w:tabs")):
            ppr = styles[name].element.pPr
            el = ppr.find(qn(tag)) if ppr is not None else None
            if el is not None:
                ppr.remove(el)

    def _page(self, landscape: bool) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.0)
        self.text_width = section.page_width - section.left_margin - section.right_margin

    def _header_footer(self) -> None:
        section = self.doc.sections[0]
        header = section.header
        marking = header.paragraphs[0]
        self._marking(marking)
        line = header.add_paragraph()
        self._right_tab(line)
        self._small(line, "{{ board_name }}\t{{ case_reference }}")

        footer = section.footer
        line = footer.paragraphs[0]
        self._right_tab(line)
        self._small(line, "{{ case_reference }}  |  {{ document_date }}\tPage ")
        self._field(line, "PAGE", "1")
        self._small(line, " of ")
        self._field(line, "NUMPAGES", "1")
        self._marking(footer.add_paragraph())

    def _marking(self, paragraph) -> None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(MARKING)
        run.bold = True
        run.font.size = Pt(10)

    def _right_tab(self, paragraph) -> None:
        paragraph.paragraph_format.tab_stops.add_tab_stop(self.text_width, alignment=WD_TAB_ALIGNMENT.RIGHT)

    def _small(self, paragraph, text: str):
        run = paragraph.add_run(text)
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY
        return run

    def _field(self, paragraph, instruction: str, placeholder: str) -> None:
        """A Word field (PAGE, NUMPAGES): begin, instruction, separator, cached value, end."""

        def run_with(child) -> None:
            run = self._small(paragraph, "")
            run._r.append(child)

        def char(kind: str):
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            return el

        run_with(char("begin"))
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        run_with(instr)
        run_with(char("separate"))
        self._small(paragraph, placeholder)
        run_with(char("end"))

    def _properties(self) -> None:
        props = self.doc.core_properties
        props.title = self.kind.title
        props.subject = f"Template {self.kind.code}; source {self.kind.source}"
        props.author = ""
        props.comments = ""
        props.keywords = MARKING
        props.category = MARKING
        props.last_modified_by = ""
        props.revision = 1
        props.created = props.modified = props.last_printed = FIXED_TIME

    # the body

    def title_block(self, title: str | None = None, rows: Sequence[tuple[str, str]] = ()) -> None:
        """Board name, title, then a table of the document's particulars."""
        board = self.doc.add_paragraph()
        run = board.add_run("{{ board_name }}")
        run.bold = True
        run.font.size = Pt(13)
        self.doc.add_paragraph(title or self.kind.title, style="Title")
        self.details([("Case reference", "{{ case_reference }}"), ("Date", "{{ document_date }}"), *rows])

    def heading(self, text: str, level: int = 1):
        return self.doc.add_heading(text, level=level)

    def para(self, text: str = "", *, style: str | None = None, bold: bool = False):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
        return paragraph

    def tag(self, statement: str):
        """A paragraph that docxtpl replaces by a Jinja statement (``{%p if x %}``)."""
        return self.doc.add_paragraph("{%p " + statement + " %}")

    def guidance(self, text: str, *, container=None):
        paragraph = (container or self.doc).add_paragraph()
        run = paragraph.add_run(text)
        run.italic = True
        run.font.color.rgb = GREY
        run.font.size = Pt(10)
        return paragraph

    def text_or(self, expr: str, placeholder: str) -> None:
        """The field's text as a paragraph, or a guidance line saying what belongs there."""
        self.tag(f"if {expr}")
        self.para("{{ " + expr + " }}")
        self.tag("else")
        self.guidance(placeholder)
        self.tag("endif")

    def bullets(
        self,
        items: str,
        item: str = "{{ item }}",
        *,
        var: str = "item",
        empty: str | None = None,
        style: str = "List Bullet",
    ) -> None:
        self.tag(f"for {var} in {items}")
        self.para(item, style=style)
        self.tag("endfor")
        if empty:
            self.tag(f"if not {items}")
            self.guidance(empty)
            self.tag("endif")

    def numbered(self, texts: Sequence[str]) -> None:
        for i, text in enumerate(texts, 1):
            paragraph = self.para()
            paragraph.paragraph_format.left_indent = Cm(0.8)
            paragraph.paragraph_format.first_line_indent = Cm(-0.8)
            paragraph.add_run(f"{i}.\t{text}")
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.8))

    def details(self, rows: Sequence[tuple[str, str]], *, label_width: float = 5.0) -> None:
        """A two-column table: a shaded label, then its value."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for label, value in rows:
            cells = table.add_row().cells
            self._cell(cells[0], label, bold=True, shade=True)
            self._cell(cells[1], value)
        self.widths(table, [Cm(label_width), Emu(self.text_width - Cm(label_width))])
        self._after_table()

    def widths(self, table, widths: Sequence[int]) -> None:
        """Fixed column widths, in the grid (which LibreOffice reads) and in every cell."""
        table.autofit = False
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width

    def rows(
        self,
        headers: Sequence[str],
        var: str,
        items: str,
        cells: Sequence[str],
        widths: Sequence[float],
        *,
        empty: str | None = None,
    ) -> None:
        """A table with a repeated header row and one row per item (docxtpl ``{%tr %}``)."""
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        total = sum(widths)
        col_widths = [Emu(int(self.text_width * w / total)) for w in widths]
        header, start, body, end = table.rows
        self._repeat_header(header)
        for i, text in enumerate(headers):
            self._cell(header.cells[i], text, bold=True, shade=True)
        start.cells[0].text = "{%tr for " + var + " in " + items + " %}"
        end.cells[0].text = "{%tr endfor %}"
        for i, expr in enumerate(cells):
            self._cell(body.cells[i], expr)
        self.widths(table, col_widths)
        self._after_table()
        if empty:
            self.tag(f"if not {items}")
            self.guidance(empty)
            self.tag("endif")

    def lead_reviewers(self) -> None:
        self.rows(
            ["Name", "Organisation"],
            "reviewer",
            "lead_reviewers",
            ["{{ reviewer.name }}", "{{ reviewer.organisation }}"],
            [1, 1],
        )

    def review_panel(self) -> None:
        self.rows(
            ["Name", "Role", "Agency"],
            "member",
            "review_panel",
            ["{{ member.name }}", "{{ member.role }}", "{{ member.agency }}"],
            [1, 1, 1],
        )

    def agencies(self, *, empty: str | None = None) -> None:
        self.rows(
            ["Agency", "Involvement with the child or family"],
            "agency",
            "agencies",
            ["{{ agency.name }}", "{{ agency.involvement }}"],
            [1, 2],
            empty=empty,
        )

    def _cell(self, cell, text: str, *, bold: bool = False, shade: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(text)
        run.bold = bold or None
        if shade:
            tc_pr = cell._tc.get_or_add_tcPr()
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), LABEL_SHADE)
            tc_pr.append(shd)

    def _repeat_header(self, row) -> None:
        tr_pr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)

    def _after_table(self) -> None:
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def letter_close(self, sender: str = "sender") -> None:
        self.para("Yours sincerely")
        self.para()
        self.para("{{ " + sender + ".name }}", bold=True)
        self.para("{% if " + sender + ".role %}{{ " + sender + ".role }}, {% endif %}{{ board_name }}")
        self.para(
            "{% if " + sender + ".telephone %}Telephone {{ " + sender + ".telephone }}"
            "{% endif %}{% if " + sender + ".telephone and " + sender + ".email %}  |  "
            "{% endif %}{% if " + sender + ".email %}Email {{ " + sender + ".email }}{% endif %}"
        )

    def save(self, folder: Path) -> Path:
        """Write the template with fixed zip timestamps: the same input, the same bytes."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        out = io.BytesIO()
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                fixed = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
                fixed.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(fixed, source.read(item.filename))
        path = folder / f"{self.kind.code}.docx"
        path.write_bytes(out.getvalue())
        return path


YES_NO = "{{ 'Yes' if %s else 'No' }}"


def person(expr: str, *extra: str) -> str:
    """``name, role, agency`` with the absent parts left out."""
    out = "{{ " + expr + ".name }}"
    for part in extra:
        out += "{% if " + f"{expr}.{part}" + " %}, {{ " + f"{expr}.{part}" + " }}{% endif %}"
    return out


def period() -> str:
    return "{{ review_period.start }} to {{ review_period.end }}"


# -- The kinds ---------------------------------------------------------------------------


def referral_summary(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Received", "{{ referral.received_on }}"),
            ("Referred by", person("referrer", "role", "agency")),
        ]
    )
    b.para(
        "This summary records a referral asking the board to consider whether the case"
        " calls for a Serious Case Review or another kind of case review. The screening"
        " and the Chair's decision are recorded separately."
    )
    b.heading("The child")
    b.details(
        [
            ("Name", "{{ child.name }}"),
            ("Date of birth", "{{ child.date_of_birth }}"),
            ("Age at the incident", "{{ child.age }}"),
            ("Gender", "{{ child.gender }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Address", "{{ child.address }}"),
            ("NHS number", "{{ child.nhs_number }}"),
        ]
    )
    b.heading("Family members", 2)
    b.rows(
        ["Name", "Relationship to the child"],
        "member",
        "family",
        ["{{ member.name }}", "{{ member.relationship }}"],
        [1, 1],
        empty="No family members were named in the referral.",
    )
    b.heading("The incident")
    b.details([("Date", "{{ incident.date }}"), ("Place", "{{ incident.location }}")])
    b.heading("What happened", 2)
    b.para("{{ incident.summary }}")
    b.heading("Criteria for a case review")
    b.guidance(
        "The referrer's view of each criterion. The screening tests them against the"
        " statutory criteria; the Chair decides."
    )
    b.rows(
        ["Criterion", "Referrer's answer", "Notes"],
        "c",
        "criteria",
        ["{{ c.criterion }}", "{{ c.answer }}", "{{ c.notes }}"],
        [3, 1.2, 3],
    )
    b.heading("Agencies involved")
    b.agencies()
    b.heading("Parallel processes")
    b.bullets(
        "parallel_processes",
        empty="The referral names no criminal, coroner's or other review processes.",
    )


def screening_decision_record(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Incident", "{{ incident.date }}"),
            ("Board notified", "{{ board_notified_on }}"),
            ("Decision due", "{{ decision_due }}"),
        ]
    )
    b.heading("The incident")
    b.para("{{ incident.summary }}")
    b.heading("Screening")
    b.details(
        [
            ("Notifiable incident", YES_NO % "screening.notifiable"),
            ("Statutory criteria for a Serious Case Review met", YES_NO % "screening.scr_required"),
            ("Review recommended", "{{ screening.recommended_label }}"),
            ("Guidance applied", "{{ screening.rule_pack }}"),
        ],
        label_width=7,
    )
    b.heading("Reasons", 2)
    b.rows(
        ["Conclusion", "Reason", "Source"],
        "r",
        "screening.reasons",
        ["{{ r.conclusion }}", "{{ r.reason }}", "{{ r.source }}"],
        [2, 4, 1.6],
    )
    b.guidance(
        "The screening advises. The final decision rests with the Chair, who may seek"
        " peer challenge from another board's Chair. It is normally taken within one"
        " month of the board being notified."
    )
    b.heading("The Chair's decision")
    b.details(
        [
            ("Decision", "{{ decision.outcome_label }}"),
            ("Decided on", "{{ decision.decided_on }}"),
            ("Chair", "{{ decision.chair_name }}"),
            ("Review initiated on", "{{ decision.initiated_on }}"),
        ],
        label_width=7,
    )
    b.tag("if decision.rationale")
    b.heading("Reasons for the decision", 2)
    b.para("{{ decision.rationale }}")
    b.tag("endif")
    b.tag("if decision.outcome != 'serious_case_review' and screening.scr_required")
    b.para(
        "The screening found the statutory criteria met but the Chair chose another course."
        " The National Panel will scrutinise this decision; the board will give it the"
        " information it asks for.",
        bold=True,
    )
    b.tag("endif")
    b.tag("if decision.peer_challenge")
    b.heading("Peer challenge", 2)
    b.para("{{ decision.peer_challenge }}")
    b.tag("endif")
    b.tag("if lead_reviewers")
    b.heading("Lead reviewers", 2)
    b.lead_reviewers()
    b.tag("endif")


def ofsted_incident_notification(b: Builder) -> None:
    b.title_block(
        rows=[
            ("To", "Ofsted"),
            ("From", "{{ local_authority }}"),
            ("Notified by", person("notified_by", "role")),
            (
                "Contact",
                "{{ notified_by.telephone }}{% if notified_by.telephone and "
                "notified_by.email %}  |  {% endif %}{{ notified_by.email }}",
            ),
        ]
    )
    b.para(
        "{{ local_authority }} notifies Ofsted of a serious incident involving the care of"
        " a child. The same notice goes to {{ board_name }}"
        "{% if boards_notified %} and to the other boards listed below{% endif %}."
    )
    b.tag("if notification_due")
    b.guidance(
        "The local authority became aware of the incident on {{ incident.became_aware_on }};"
        " this notice is due by {{ notification_due }}, 5 working days later."
    )
    b.tag("endif")
    b.heading("The child")
    b.details(
        [
            ("Name", "{{ child.name }}"),
            ("Date of birth", "{{ child.date_of_birth }}"),
            ("Gender", "{{ child.gender }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Address", "{{ child.address }}"),
        ]
    )
    b.heading("The incident")
    b.details(
        [
            ("Date of the incident", "{{ incident.date }}"),
            ("Local authority aware on", "{{ incident.became_aware_on }}"),
            ("Place", "{{ incident.location }}"),
            ("Regulated setting or service", "{{ regulated_setting }}"),
        ]
    )
    b.heading("What happened", 2)
    b.para("{{ incident.summary }}")
    b.heading("Why the incident is notifiable")
    b.bullets("notifiable_criteria")
    b.heading("Agencies involved")
    b.agencies(empty="No agencies are listed yet.")
    b.tag("if boards_notified")
    b.heading("Safeguarding children boards told", 2)
    b.bullets("boards_notified")
    b.tag("endif")


def decision_notification(b: Builder) -> None:
    b.title_block(
        rows=[
            ("To", "; ".join(NATIONAL_BODIES)),
            ("Incident", "{{ incident.date }}"),
            ("Board notified", "{{ board_notified_on }}"),
            ("Chair's decision", "{{ decision.decided_on }}"),
        ]
    )
    b.tag("if decision.outcome == 'serious_case_review'")
    b.heading("A Serious Case Review will be carried out")
    b.para(
        "On {{ decision.decided_on }}, {{ decision.chair_name }}, Chair of {{ board_name }},"
        " decided to initiate a Serious Case Review"
        "{% if decision.methodology %} using the {{ decision.methodology }} methodology"
        "{% endif %}."
    )
    b.heading("Lead reviewers", 2)
    b.para(
        "The board has appointed the following lead reviewers, independent of the case and"
        " of the agencies whose work the review examines:"
    )
    b.lead_reviewers()
    b.tag("else")
    b.heading("No Serious Case Review will be carried out")
    b.para(
        "On {{ decision.decided_on }}, {{ decision.chair_name }}, Chair of {{ board_name }},"
        " decided not to initiate a Serious Case Review."
        "{% if decision.outcome != 'no_review' %} The board will carry out a"
        " {{ decision.outcome_label }} instead.{% endif %}"
    )
    b.heading("Justification", 2)
    b.para("{{ decision.rationale }}")
    b.tag("if screening.scr_required")
    b.para(
        "The screening found the statutory criteria for a Serious Case Review met. The"
        " board understands that the National Panel will scrutinise this decision; it will"
        " provide any information the Panel asks for, and the Chair or a representative"
        " will attend if invited. If the decision changes, the board will tell Ofsted, the"
        " Department for Education and the Panel of the final outcome."
    )
    b.tag("endif")
    b.tag("endif")
    b.tag("if decision.peer_challenge")
    b.heading("Peer challenge", 2)
    b.para("{{ decision.peer_challenge }}")
    b.tag("endif")
    b.tag("if incident.summary")
    b.heading("Outline of the incident", 2)
    b.para("{{ incident.summary }}")
    b.tag("endif")
    b.heading("Contact", 2)
    b.para(
        "{% if contact.name %}For more information, please contact {{ contact.name }}"
        "{% if contact.email %}, {{ contact.email }}{% endif %}"
        "{% if contact.telephone %}, {{ contact.telephone }}{% endif %}."
        "{% else %}For more information, please contact the business unit of"
        " {{ board_name }}, quoting {{ case_reference }}.{% endif %}"
    )
    b.guidance("Boards send this notice within 5 working days of the Chair's decision.")


def case_group_letter(b: Builder) -> None:
    b.title_block(
        "Request for information for a case review",
        rows=[
            ("To", person("recipient", "role", "agency")),
            ("Please reply by", "{{ return_by }}"),
        ],
    )
    b.para("Dear {{ recipient.name }},")
    b.para(
        "{{ board_name }} is carrying out a {{ review.kind_label }} about {{ child.name }}"
        "{% if child.date_of_birth %} (date of birth {{ child.date_of_birth }}){% endif %}."
        " The review covers {{ review_period.start }} to {{ review_period.end }}. You are"
        " a member of its case group because you, or colleagues at {{ recipient.agency }},"
        " worked with the child or the family during that time."
    )
    b.para(
        "The review is about learning, not blame. It looks at how agencies worked together"
        " and why people acted as they did, so that the whole system can improve. Your"
        " account of what it was like at the time matters to it."
    )
    b.heading("What we are asking you to do")
    b.para("By {{ return_by }}, please send {{ sender.name }} the three things below.")
    b.heading("1. A significant practice events chronology", 2)
    b.para(
        "List the events in your agency's work with the child and family, from"
        " {{ review_period.start }} to {{ review_period.end }}, that were significant. For"
        " each event, record:"
    )
    b.numbered([f"{c.code.capitalize()}: {c.text}" for c in SPE_COLUMNS])
    b.para("To decide whether an event is significant, ask:")
    b.numbered([q.text for q in SPE_SIGNIFICANCE_QUESTIONS])
    b.para("The board's chronology form sets this out as a table.")
    b.heading("2. An audit of your agency's files", 2)
    b.para(
        "Check your agency's records about the child and family for the period, so that"
        " the chronology is complete and accurate. Talk to your manager about what you find."
    )
    b.heading("3. Answers to the key questions", 2)
    b.numbered([q.text for q in SINGLE_AGENCY_QUESTIONS])
    b.tag("if timetable")
    b.heading("What happens next")
    b.rows(
        ["When", "What happens"],
        "step",
        "timetable",
        ["{{ step.when }}", "{{ step.what }}"],
        [1, 3],
    )
    b.tag("endif")
    b.para(
        "You will be invited to talk about the case with the review group, and to the"
        " review meeting. Before the findings are final you will see them and can help"
        " correct and improve them."
    )
    b.para("If you have any questions, or need support to take part, please contact me.")
    b.letter_close()


def spe_chronology_form(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Agency", "{{ agency }}"),
            ("Completed by", person("author", "role")),
            (
                "Child",
                "{{ child.name }}{% if child.date_of_birth %}, born {{ child.date_of_birth }}{% endif %}",
            ),
            ("Period under review", "{% if review_period.start %}" + period() + "{% endif %}"),
        ]
    )
    b.heading("How to complete this chronology")
    b.para(
        "Record each significant practice event in your agency's work with the child and"
        " family, one row per event, oldest first. In each row:"
    )
    b.numbered([f"{c.code.capitalize()}: {c.text}" for c in SPE_COLUMNS])
    b.para("An event is significant if the answer to any of these questions is yes:")
    b.numbered([q.text for q in SPE_SIGNIFICANCE_QUESTIONS])
    b.heading("Significant practice events")
    b.rows(
        [c.code.capitalize() for c in SPE_COLUMNS],
        "e",
        "entries",
        [f"{{{{ e.{c.code} }}}}" for c in SPE_COLUMNS],
        [1.1, 2.6, 2, 2, 2, 2],
        empty="No events have been entered yet.",
    )


def single_agency_review_questionnaire(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Agency", "{{ agency }}"),
            ("Answered by", person("respondent", "role")),
            ("Child", "{{ child.name }}"),
            ("Please reply by", "{{ return_by }}"),
        ]
    )
    b.para(
        "The board has asked {{ agency }} to review its own work in this case. Whatever"
        " method your agency uses, the review should answer the six questions below. Please"
        " answer each in your own words; say what happened and also why."
    )
    for i, q in enumerate(SINGLE_AGENCY_QUESTIONS, 1):
        b.heading(f"{i}. {q.text}", 2)
        b.text_or(f"answers.{q.code}", "Not answered yet.")


def single_agency_analysis_report(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Agency", "{{ agency }}"),
            ("Author", person("author", "role")),
            ("Version", "{{ version }}"),
            ("Child", "{{ child.name }}"),
        ]
    )
    b.heading("1. Introduction")
    b.para("{{ introduction }}")
    b.heading("2. The facts")
    b.heading("Family background and circumstances", 2)
    b.para("{{ family_background }}")
    b.heading("Outline chronology of significant events", 2)
    b.rows(
        ["Date", "Event"],
        "e",
        "chronology",
        ["{{ e.date }}", "{{ e.event }}"],
        [1, 4],
        empty="No chronology has been added yet.",
    )
    b.heading("3. Analysis")
    b.guidance(
        "A critical look at the key points of the agency's work with the child and"
        " family. Among other things:"
    )
    for prompt in SAAR_ANALYSIS_PROMPTS:
        b.guidance("\u2022 " + prompt.text)
    b.para("{{ analysis }}")
    b.heading("4. Key issues")
    b.guidance(
        "The matters that most affected the child and the agency's responses, and how"
        " they came about: resources, culture, training, policy and the like."
    )
    b.para("{{ key_issues }}")
    b.heading("5. Learning points")
    b.guidance(
        "Why things happened, not only what happened; strengths and good practice; and"
        " what has changed in practice or policy since, with its effect."
    )
    b.para("{{ learning_points }}")
    b.heading("6. Recommendations")
    b.guidance("Each one specific, measurable, achievable, realistic and timed.")
    b.rows(
        ["Recommendation", "How success is measured", "Due by"],
        "r",
        "recommendations",
        ["{{ r.recommendation }}", "{{ r.measure }}", "{{ r.due_by }}"],
        [4, 3, 1.3],
    )
    b.heading("7. Action plan")
    b.guidance("Owned by the whole agency, with a way to review the outcome and impact of each action.")
    b.rows(
        ["Action", "Owner", "Due by", "How outcome and impact are reviewed"],
        "a",
        "action_plan",
        ["{{ a.action }}", "{{ a.owner }}", "{{ a.due_by }}", "{{ a.outcome }}"],
        [3.5, 1.8, 1.3, 3],
        empty="The action plan has not been written yet.",
    )


def terms_of_reference(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Review", "{{ review.kind_label }}"),
            ("Methodology", "{{ review.methodology }}"),
            ("Period under review", period()),
        ]
    )
    b.tag("if review_period.reason")
    b.para("Why the period is longer than usual: {{ review_period.reason }}")
    b.tag("endif")
    b.heading("1. Scope: breadth and depth")
    b.para("{{ scope }}")
    b.heading("2. Areas of focus")
    b.bullets("focus_questions")
    b.heading("3. Method")
    b.para("{{ method }}")
    b.heading("4. Reviewers")
    b.heading("Knowledge and skills needed", 2)
    b.para("{{ reviewer_skills }}")
    b.tag("if lead_reviewers")
    b.heading("Lead reviewers", 2)
    b.lead_reviewers()
    b.tag("endif")
    b.tag("if review_panel")
    b.heading("Review panel", 2)
    b.review_panel()
    b.tag("endif")
    b.heading("5. Agencies taking part")
    b.agencies()
    b.heading("6. Why this approach is proportionate")
    b.para("{{ proportionality.rationale }}")
    b.heading("Factors of the case", 2)
    b.rows(
        ["Factor", "How it shaped the review"],
        "f",
        "proportionality.case_factors",
        ["{{ f.factor }}", "{{ f.bearing }}"],
        [1, 2],
    )
    b.heading("Factors of the local context", 2)
    b.rows(
        ["Factor", "How it shaped the review"],
        "f",
        "proportionality.context_factors",
        ["{{ f.factor }}", "{{ f.bearing }}"],
        [1, 2],
    )
    b.heading("7. Parallel processes")
    b.bullets("parallel_processes", empty="None known when these terms were agreed.")
    b.heading("8. Involving the family")
    b.text_or("family_involvement", "To be agreed with the review panel.")
    b.tag("if other_boards")
    b.heading("9. Other boards", 1)
    b.para("The case crosses board boundaries. These boards share in the decisions:")
    b.bullets("other_boards")
    b.tag("endif")
    b.tag("if timetable")
    b.heading("Timetable")
    b.rows(
        ["When", "What happens"],
        "step",
        "timetable",
        ["{{ step.when }}", "{{ step.what }}"],
        [1, 3],
    )
    b.tag("endif")


def family_notification_letter(b: Builder) -> None:
    b.title_block("About the review", rows=[("To", "{{ recipient.name }}")])
    b.tag("if recipient.address")
    b.para("{{ recipient.address }}")
    b.tag("endif")
    b.para("Dear {{ recipient.name }},")
    b.para(
        "I am writing to let you know that {{ board_name }} is carrying out a"
        " {{ review.kind_label }} about {{ child.name }}. We are very sorry for what has"
        " happened, and we know this letter may be hard to read."
    )
    b.heading("What the review is", 2)
    b.para(
        "The review looks at how the services that knew {{ child.name }} and the family"
        " worked, on their own and together, so that they can learn and do better for"
        " other children. It is not about blaming anyone, and it does not decide whether"
        " anyone committed a crime."
    )
    b.heading("How you can take part", 2)
    b.para(
        "Your views, and those of other family members, matter to the review: you can tell"
        " us how services looked from your side. You can take part in the way that suits"
        " you: by writing to us, by meeting the review team, or through someone you trust"
        " speaking for you. You do not have to take part."
    )
    b.tag("if criminal_proceedings")
    b.para(
        "Because criminal proceedings are under way, we may need to wait until they have"
        " finished before we ask you about some things. We will explain when."
    )
    b.tag("endif")
    b.heading("Keeping in touch", 2)
    b.para(
        "{{ sender.name }} will be your contact at the board. We would like to agree with"
        " you how often we get in touch and how, so that you always know what is happening"
        " and hear about the review's findings from us."
    )
    b.tag("if contact_plan")
    b.para("What we suggest: {{ contact_plan }}")
    b.tag("endif")
    b.heading("Support", 2)
    b.para("These organisations can support you, now or at any time during the review:")
    b.rows(
        ["Who", "What they offer", "How to contact them"],
        "s",
        "support",
        ["{{ s.name }}", "{{ s.offers }}", "{{ s.contact }}"],
        [1.2, 2, 1.5],
    )
    b.heading("The report and the media", 2)
    b.para(
        "Before the report is published we will show it to you. You can read it and tell"
        " us what you think, and where we can we will include your comments. You will not be"
        " able to keep that copy; we will give you your own copy once the report is"
        " public. We will tell you in good time when it will be published, and prepare you"
        " for any interest from newspapers, television or social media."
    )
    b.para("If you have any questions, please contact me.")
    b.letter_close()


def learning_summary(b: Builder) -> None:
    b.title_block()
    table = b.doc.add_table(rows=0, cols=2)
    table.style = b.doc.styles["Table Grid"]
    label_w = Cm(6.5)

    def row(label: str, hint: str | None, fill: Callable[[object], None]) -> None:
        cells = table.add_row().cells
        b._cell(cells[0], label, bold=True, shade=True)
        if hint:
            b.guidance(hint, container=cells[0])
        fill(cells[1])

    def text(expr: str) -> Callable[[object], None]:
        return lambda cell: b._cell(cell, expr)

    def items(items_expr: str, item: str, empty: str) -> Callable[[object], None]:
        def fill(cell) -> None:
            # A cell keeps a paragraph whichever branch renders, as Word requires.
            cell.paragraphs[0].add_run("{%p if not " + items_expr + " %}")
            cell.add_paragraph(empty)
            cell.add_paragraph("{%p endif %}")
            cell.add_paragraph("{%p for item in " + items_expr + " %}")
            cell.add_paragraph(item, style="List Bullet")
            cell.add_paragraph("{%p endfor %}")

        return fill

    review = (
        "{{ review.kind_label }}; {{ review.methodology }}"
        "{% if review.chairing %}; {{ review.chairing }}{% endif %}"
        "{% if review.selection %}; {{ review.selection }}{% endif %}"
    )
    row("Board area", None, text("{{ board_area or board_name }}"))
    row("Date completed", None, text("{{ document_date }}"))
    row("Type of review", "Method, who chaired and wrote it, how the case was chosen.", text(review))
    row("Month and year of the incident", None, text("{{ incident_month }}"))
    row("Review reference", None, text("{{ case_reference }}"))
    row(
        "What the case taught",
        "Key themes and early learning: particular issues, wider concerns or good practice.",
        text("{{ case_learning }}"),
    )
    row(
        "What the review and its method taught",
        "What worked and what did not; who took part; how long it took.",
        text("{{ methodology_learning }}"),
    )
    row(
        "Key recommendations: single agency",
        "Learning that transfers beyond this case.",
        items("recommendations_single_agency", "{{ item }}", "None."),
    )
    row(
        "Key recommendations: multi-agency",
        "Learning that transfers beyond this case.",
        items("recommendations_multi_agency", "{{ item }}", "None."),
    )
    row(
        "How changes will be made: who does what",
        None,
        items(
            "changes",
            "{{ item.action }}{% if item.owner %} ({{ item.owner }}){% endif %}",
            "Not yet agreed.",
        ),
    )
    row(
        "How the impact will be audited",
        "How the board will know that something changed.",
        text("{{ impact_audit }}"),
    )
    row(
        "Other comments",
        "On the case, the method, embedding change or showing its impact.",
        text("{{ other_comments }}"),
    )
    b.widths(table, [label_w, Emu(b.text_width - label_w)])
    b._after_table()


def final_report_skeleton(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Review", "{{ review.kind_label }} concerning {{ child.name }}"),
            ("Methodology", "{{ review.methodology }}"),
            ("Period under review", period()),
        ]
    )
    b.guidance(
        "Skeleton: grey notes mark what each section needs. The report must be in plain"
        " English, understood by professionals and the public alike, and publishable"
        " without amendment or redaction: use the agreed pseudonyms, and nothing that"
        " could harm a child or vulnerable adult in the case, or breach UK GDPR, the"
        " Data Protection Act 2018 or a court order."
    )
    b.heading("1. Why this review took place")
    b.para("{{ circumstances }}")
    b.heading("2. How the review was carried out")
    b.text_or("process", "To be written: a short account of the review process and method.")
    b.heading("Lead reviewers", 2)
    b.lead_reviewers()
    b.tag("if review_panel")
    b.heading("Review panel", 2)
    b.review_panel()
    b.tag("endif")
    b.tag("if agencies")
    b.heading("Agencies that took part", 2)
    b.bullets("agencies", "{{ item.name }}")
    b.tag("endif")
    b.heading("3. Who took part, and how")
    b.text_or(
        "participation",
        "To be written: how practitioners, managers and the family"
        " (the child included, where possible) gave their views.",
    )
    b.heading("4. Good practice")
    b.bullets("good_practice", empty="To be written: practice to recognise and sustain.")
    b.heading("5. Where practice can improve")
    b.tag("for finding in findings")
    b.heading("{{ finding.title }}", 2)
    b.para("{{ finding.detail }}")
    b.tag("endfor")
    b.tag("if not findings")
    b.guidance("To be written: each finding, why it happened and how practice can improve.")
    b.tag("endif")
    b.heading("6. Action already taken")
    b.bullets(
        "actions_taken",
        empty="To be written: what agencies have done already in response to the learning.",
    )
    b.heading("7. Conclusion")
    b.text_or(
        "conclusion",
        "To be written: how effective local practice was in safeguarding"
        " and promoting the welfare of the child. Systems can work and a child still be"
        " harmed; say so if that is the finding.",
    )
    b.heading("8. Recommendations")
    b.bullets("recommendations", style="List Number", empty="To be agreed with the review panel.")


def board_response_action_plan(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Review", "{{ review.kind_label }}"),
            (
                "Signed off",
                "{{ signed_off.name }}{% if signed_off.on %}, {{ signed_off.on }}{% endif %}",
            ),
        ]
    )
    b.para(
        "The board's response to the review's recommendations: what each agency and the"
        " partnership will do, how the lessons will be shared, and how the board will know"
        " things have changed."
    )
    b.heading("1. Publication")
    b.details(
        [
            ("Planned publication", "{{ publication.planned_on }}"),
            (
                "Report and actions to Ofsted, DfE and the National Panel",
                "{{ publication.national_bodies_by }}",
            ),
        ],
        label_width=8,
    )
    b.guidance(
        "The report and the actions go to Ofsted, the Department for Education and the"
        " National Panel at least 7 working days before publication. Once published, the"
        " report stays on the board's website for at least 12 months."
    )
    b.tag("if publication.notes")
    b.para("{{ publication.notes }}")
    b.tag("endif")
    b.heading("2. Feedback")
    b.heading("To the practitioners who took part", 2)
    b.para("{{ feedback.practitioners }}")
    b.heading("To the family", 2)
    b.para("{{ feedback.family }}")
    b.heading("3. Sharing the lessons")
    b.bullets("dissemination")
    b.heading("4. Action plan")
    b.rows(
        ["Recommendation", "Action", "Owner", "Due by", "How success is measured", "Progress"],
        "a",
        "actions",
        [
            "{{ a.recommendation }}",
            "{{ a.action }}",
            "{{ a.owner }}",
            "{{ a.due_by }}",
            "{{ a.success_measure }}",
            "{{ a.status }}",
        ],
        [2.4, 3, 1.6, 1.2, 2.4, 1.4],
    )
    b.heading("5. Actions already taken")
    b.bullets("actions_taken", empty="None recorded yet.")
    b.heading("6. Impact so far")
    b.text_or("impact", "To be reported as the actions are completed and audited.")
    b.heading("7. What more will be done")
    b.text_or("further_work", "To be agreed.")
    b.heading("8. Monitoring")
    b.para(
        "Progress against this plan is reported to the board's performance committee every"
        " quarter; the committee holds agencies to account and audits the impact of the"
        " completed actions."
    )


BODIES: dict[str, Callable[[Builder], None]] = {
    "referral_summary": referral_summary,
    "screening_decision_record": screening_decision_record,
    "ofsted_incident_notification": ofsted_incident_notification,
    "decision_notification": decision_notification,
    "case_group_letter": case_group_letter,
    "spe_chronology_form": spe_chronology_form,
    "single_agency_review_questionnaire": single_agency_review_questionnaire,
    "single_agency_analysis_report": single_agency_analysis_report,
    "terms_of_reference": terms_of_reference,
    "family_notification_letter": family_notification_letter,
    "learning_summary": learning_summary,
    "final_report_skeleton": final_report_skeleton,
    "board_response_action_plan": board_response_action_plan,
}
LANDSCAPE = frozenset({"spe_chronology_form", "board_response_action_plan"})


def build(folder: Path = HERE) -> list[Path]:
    if set(BODIES) != set(KINDS):
        raise SystemExit(f"templates and kinds differ: {sorted(set(BODIES) ^ set(KINDS))}")
    paths = []
    for code, body in BODIES.items():
        builder = Builder(KINDS[code], landscape=code in LANDSCAPE)
        body(builder)
        paths.append(builder.save(folder))
    return paths


def stale(folder: Path = HERE) -> list[str]:
    """The committed templates that differ from a fresh build (empty when up to date)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
        return [
            p.name
            for p in fresh
            if not (folder / p.name).exists() or p.read_bytes() != (folder / p.name).read_bytes()
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
