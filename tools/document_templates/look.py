"""The look every template shares, and the :class:`Builder` each template's body writes with.

Every template shares one look: the OFFICIAL-SENSITIVE marking at the top and bottom
of every page, the board's name and the case reference in the header, the reference,
date and "Page n of m" in the footer, and a title block on the first page.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from services.documents.domain.kinds import Kind

MARKING = "OFFICIAL-SENSITIVE"
FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
LABEL_SHADE = "F3F2F1"
FIXED_TIME = datetime(2025, 1, 1)  # core properties and zip entries: the same bytes on every build
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

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

    def lead_reviewers(self, *, independence: bool = False) -> None:
        """The lead reviewers; with ``independence``, the board agency each belongs to (if any),
        their qualifications and the declarations they made (001 §5.6; 002 §2.2; 003)."""
        if not independence:
            self.rows(
                ["Name", "Organisation"],
                "reviewer",
                "lead_reviewers",
                ["{{ reviewer.name }}", "{{ reviewer.organisation }}"],
                [1, 1],
            )
            return
        self.rows(
            ["Name", "Organisation", "Board agency", "Qualifications", "Independence declared"],
            "reviewer",
            "lead_reviewers",
            [
                "{{ reviewer.name }}",
                "{{ reviewer.organisation }}",
                "{% if reviewer.agency %}{{ reviewer.agency }}{% else %}Not a board agency{% endif %}",
                "{{ reviewer.qualifications }}",
                "{% for said in reviewer.declarations %}{{ said }}{% if not loop.last %}; {% endif %}"
                "{% else %}Not recorded{% endfor %}",
            ],
            [1.3, 1.3, 1, 1.4, 2.2],
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
