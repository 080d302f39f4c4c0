"""Building blocks of a Word act: the A4 page, paragraphs, table cells, widths, shading, borders.

python-docx leaves much of Word's table formatting to raw XML (row flags, shading, cell
margins, borderless tables) and Word and LibreOffice read column widths from different places;
these helpers hide that. Apart from :mod:`desktop.acts.render_docx` so the act's content and
wording read without the XML plumbing.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

FONT_NAME = "Times New Roman"


FONT_PT = 10


def set_row_flag(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def shade_cell(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def remove_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def set_cell_margins(table: Table, top_bottom_twips: int, left_right_twips: int) -> None:
    """Breathing room inside grid cells; Word's default (0 above/below) looks cramped."""
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (
        ("top", top_bottom_twips),
        ("left", left_right_twips),
        ("bottom", top_bottom_twips),
        ("right", left_right_twips),
    ):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(size))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def write_cell(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: float | None = None,
) -> Paragraph:
    paragraph: Paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if size is not None:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def set_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fix column widths in both places: Word reads the cells, LibreOffice the table grid."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def add_paragraph(
    doc: DocxDocument,
    text: str = "",
    *,
    bold: bool = False,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    space_before: float = 0,
    space_after: float = 3,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size is not None:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


BODY_WIDTH_MM = 180.0


def new_document() -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(FONT_PT)
    # Word takes Cyrillic from the "cs"/"eastAsia" slots in some locales; name them all.
    r_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(slot), FONT_NAME)
    return doc
