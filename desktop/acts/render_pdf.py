"""Acts as PDF: the act's HTML laid out by QTextDocument and painted onto a QPdfWriter.

Only QtGui is used (no widgets, no web engine): QTextDocument understands the rich-text subset
the templates are written in, paginates, repeats a table's ``<thead>`` on every page, and
QPdfWriter embeds the fonts as subsets, so ``pdftotext`` reads the Cyrillic back exactly.

Why the details are the way they are:
- The fonts are shipped in ``resources/fonts`` and registered with the application, so an act
  looks the same on Windows, macOS and Linux whatever fonts the machine has.
- Layout happens on a fixed 96-dpi device with design metrics, then is painted scaled to the
  PDF's resolution: the template's pixel sizes mean the same everywhere and glyph positions are
  not rounded to screen pixels (which made letter spacing uneven).
- A table that holds an anchor named ``keep-together`` (the signature blocks) is moved to the
  next page instead of being split; QTextDocument has no ``page-break-inside: avoid``.
- The file is written next to the target and renamed into place, so a failed render never
  leaves a truncated PDF where a good one is expected.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from desktop.acts.model import ActData, ActRenderError
from desktop.acts.templates import RESOURCES_DIR, render_act_html
from desktop.acts.words import format_date_long

FONTS_DIR = RESOURCES_DIR / "fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_FAMILY = "DejaVu Sans"
BASE_FONT_PT = 9.0
FOOTER_FONT_PT = 7.5

PDF_DPI = 1200
LAYOUT_DPI = 96
_DOTS_PER_METER_96DPI = 3780  # 96 dpi expressed the way QImage wants it

# A4 with the margins of Russian business papers (ГОСТ Р 7.0.97: 20 mm left for binding,
# 10 mm right); the footer band with the page numbers sits inside the bottom margin area.
MARGINS_MM = QMarginsF(20, 15, 10, 10)
FOOTER_BAND_MM = 8.0

KEEP_TOGETHER_ANCHOR = "keep-together"

_FOOTER_PAGE = {"ru": "стр. {page} из {pages}", "en": "page {page} of {pages}"}
_FOOTER_TITLE = {
    ("ru", "acceptance"): "Акт сдачи-приёмки № {number} от {date}",
    ("ru", "bilateral"): "Двусторонний акт № {number} от {date}",
    ("en", "acceptance"): "Acceptance certificate No. {number} of {date}",
    ("en", "bilateral"): "Bilateral act No. {number} of {date}",
}

ProgressCallback = Callable[[int, int], None]

_fonts_lock = threading.Lock()
_registered_families: list[str] = []


def _has_display() -> bool:
    return sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def ensure_gui_application() -> QGuiApplication:
    """Return the running QGuiApplication, creating an offscreen one for the CLI and tests.

    Painting text needs a QGuiApplication (the font database lives there). Inside the
    workstation one already exists and is reused. Otherwise (CLI, scripts) one is created on the
    offscreen platform unless ``QT_QPA_PLATFORM`` names another: rendering never shows a window,
    and offscreen needs neither a display nor the xcb libraries whose absence aborts Qt.
    ``QT_QPA_PLATFORM=offscreen`` is exported only when no display exists at all, so a GUI on a
    desktop is never forced offscreen. A process that wants QApplication (widgets) must create
    it *before* the first render: Qt allows one application object per process.
    """
    app = QCoreApplication.instance()
    if app is None:
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError(
                "create the QGuiApplication on the main thread before rendering PDFs"
            )
        argv = ["reglament"]
        if not os.environ.get("QT_QPA_PLATFORM"):
            if not _has_display():
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
            argv += ["-platform", "offscreen"]
        app = QGuiApplication(argv)
    if not isinstance(app, QGuiApplication):
        raise ActRenderError(
            "PDF rendering needs a Qt GUI application, but a console-only QCoreApplication is running"
        )
    return app


def register_fonts() -> list[str]:
    """Register the shipped fonts once per process; returns their family names."""
    ensure_gui_application()
    with _fonts_lock:
        if _registered_families:
            return list(_registered_families)
        families: list[str] = []
        for name in FONT_FILES:
            path = FONTS_DIR / name
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                raise ActRenderError(
                    "The font file {path} is missing or unreadable; reinstall Reglament", path=path
                )
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in families:
                    families.append(family)
        if FONT_FAMILY not in families:
            raise ActRenderError("The fonts in {folder} do not provide “{family}”", folder=FONTS_DIR, family=FONT_FAMILY)
        _registered_families.extend(families)
        return families


def _has_keep_together_anchor(block: QTextBlock) -> bool:
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        if fragment.isValid() and KEEP_TOGETHER_ANCHOR in fragment.charFormat().anchorNames():
            return True
        it += 1
    return False


def _top_level_tables(doc: QTextDocument) -> list[QTextTable]:
    return [frame for frame in doc.rootFrame().childFrames() if isinstance(frame, QTextTable)]


def _tables_to_keep_together(doc: QTextDocument) -> list[QTextTable]:
    tables: list[QTextTable] = []
    block = doc.begin()
    while block.isValid():
        if _has_keep_together_anchor(block):
            table = QTextCursor(block).currentTable()
            if table is not None and table not in tables:
                tables.append(table)
        block = block.next()
    return tables


def _row_extent(doc: QTextDocument, table: QTextTable, row: int) -> tuple[float, float]:
    """Top and bottom of the text lines of a table row, in document coordinates."""
    layout = doc.documentLayout()
    top, bottom = float("inf"), float("-inf")
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        if cell.row() != row:
            continue  # covered by a cell spanning from an earlier row
        block = cell.firstCursorPosition().block()
        last = cell.lastCursorPosition().block()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            top, bottom = min(top, rect.top()), max(bottom, rect.bottom())
            if block == last:
                break
            block = block.next()
    return top, bottom


def _crosses_page(top: float, bottom: float, page_height: float) -> bool:
    return int(top // page_height) != int((bottom - 0.5) // page_height)


def _break_before(table: QTextTable) -> None:
    fmt = table.format()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    table.setFormat(fmt)


def _keep_rows_whole(doc: QTextDocument, table: QTextTable, page_height: float) -> bool:
    """Move a table row that would be split by a page break wholly onto the next page.

    QTextDocument drops a row to the next page only when not even its first line fits, so
    a two-line work description gets torn in half. The fix lengthens the previous row down to
    the page end (exactly what Qt itself does when it drops a row), which pushes the row below
    the page boundary where Qt repeats the header and starts it afresh. Returns whether the
    table was changed.
    """
    header_rows = table.format().headerRowCount()
    changed = False
    row = header_rows
    attempts = 0
    while row < table.rows():
        top, bottom = _row_extent(doc, table, row)
        if not _crosses_page(top, bottom, page_height) or bottom - top >= page_height / 2:
            row += 1
            attempts = 0
            continue
        if row == header_rows:
            # Not even the first body row fits under the header: start the table on a new page.
            policy = table.format().pageBreakPolicy()
            if not policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
                _break_before(table)
                changed = True
            row += 1
            continue
        attempts += 1
        if attempts > 3:  # never loop forever on a layout that does not move as expected
            row += 1
            attempts = 0
            continue
        page_end = (int(top // page_height) + 1) * page_height
        previous = table.cellAt(row - 1, 0)
        fmt = previous.format().toTableCellFormat()
        fmt.setBottomPadding(fmt.bottomPadding() + (page_end - top) + 1.0)
        previous.setFormat(fmt)
        changed = True
    return changed


def _fix_page_breaks(doc: QTextDocument, page_height: float) -> None:
    """Apply the page-break rules QTextDocument lacks: whole rows, unsplit signature tables."""
    for _ in range(3):
        changed = False
        for table in _top_level_tables(doc):
            changed |= _keep_rows_whole(doc, table, page_height)
        layout = doc.documentLayout()
        for table in _tables_to_keep_together(doc):
            rect = layout.frameBoundingRect(table)
            if rect.height() < page_height and _crosses_page(
                rect.top(), rect.bottom(), page_height
            ):
                _break_before(table)
                changed = True
        if not changed:
            return
        # Format changes are laid out incrementally, and Qt then leaves some blocks after an
        # edited table without lines (they silently vanish from the PDF). A full relayout
        # settles it; the next round checks that nothing moved back across a page boundary.
        doc.markContentsDirty(0, doc.characterCount())


def _layout_device() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(_DOTS_PER_METER_96DPI)
    image.setDotsPerMeterY(_DOTS_PER_METER_96DPI)
    return image


def _footer_texts(act: ActData) -> tuple[str, str]:
    title = _FOOTER_TITLE[(act.language, act.kind)].format(
        number=act.number, date=format_date_long(act.date, act.language)
    )
    return title, _FOOTER_PAGE[act.language]


def html_to_pdf(
    html: str,
    path: Path,
    *,
    title: str = "",
    footer_left: str = "",
    footer_right: str = "{page}/{pages}",
    progress: ProgressCallback | None = None,
) -> int:
    """Lay out rich-text HTML on A4 pages and write them to ``path``; returns the page count.

    ``footer_right`` may use ``{page}`` and ``{pages}``; it is drawn on every page under the body.
    """
    ensure_gui_application()
    register_fonts()
    target = Path(path)
    if not target.parent.is_dir():
        raise ActRenderError(
            "Cannot save the act to {target}: the folder {parent} does not exist", target=target, parent=target.parent
        )

    layout_device = _layout_device()
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(layout_device)
    doc.setUseDesignMetrics(True)
    doc.setDocumentMargin(0)
    base_font = QFont(FONT_FAMILY)
    base_font.setPointSizeF(BASE_FONT_PT)
    # Ligatures ("ﬁ") would come back from the PDF as one character and defeat text search.
    base_font.setFeature(QFont.Tag("liga"), 0)
    doc.setDefaultFont(base_font)
    doc.setHtml(html)

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".act-", suffix=".pdf.part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise ActRenderError("Cannot save the act to {target}: {reason}", target=target, reason=exc.strerror or exc) from exc
    tmp_path = Path(tmp_name)
    try:
        pages = _paint(doc, tmp_path, title, footer_left, footer_right, progress)
        os.replace(tmp_path, target)
    except OSError as exc:
        raise ActRenderError(
            "Cannot save the act to {target}: {reason}"
            " (is the file open in another program?)", target=target, reason=exc.strerror or exc
        ) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return pages


def _paint(
    doc: QTextDocument,
    tmp_path: Path,
    title: str,
    footer_left: str,
    footer_right: str,
    progress: ProgressCallback | None,
) -> int:
    writer = QPdfWriter(str(tmp_path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(title)
    writer.setCreator("Reglament")

    scale = PDF_DPI / LAYOUT_DPI
    paint_rect = writer.pageLayout().paintRectPixels(PDF_DPI)
    footer_band = FOOTER_BAND_MM / 25.4 * PDF_DPI
    body_width = paint_rect.width() / scale
    body_height = (paint_rect.height() - footer_band) / scale
    doc.setPageSize(QSizeF(body_width, body_height))
    _fix_page_breaks(doc, body_height)
    pages = doc.pageCount()

    footer_font = QFont(FONT_FAMILY)
    footer_font.setPointSizeF(FOOTER_FONT_PT)
    footer_font.setFeature(QFont.Tag("liga"), 0)
    footer_rect = QRectF(0, paint_rect.height() - footer_band, paint_rect.width(), footer_band)

    painter = QPainter()
    if not painter.begin(writer):
        raise ActRenderError("Cannot write a PDF file in {parent} (permission denied?)", parent=tmp_path.parent)
    try:
        for index in range(pages):
            if index and not writer.newPage():
                raise ActRenderError("Cannot add page {page} to the PDF in {parent}", page=index + 1, parent=tmp_path.parent)
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -index * body_height)
            doc.drawContents(painter, QRectF(0, index * body_height, body_width, body_height))
            painter.restore()

            painter.setFont(footer_font)
            bottom = Qt.AlignmentFlag.AlignBottom
            painter.drawText(footer_rect, int(Qt.AlignmentFlag.AlignLeft | bottom), footer_left)
            painter.drawText(
                footer_rect,
                int(Qt.AlignmentFlag.AlignRight | bottom),
                footer_right.format(page=index + 1, pages=pages),
            )
            if progress is not None:
                progress(index + 1, pages)
    finally:
        painter.end()
    return pages


def render_pdf(
    act: ActData,
    path: Path,
    template_dir: Path | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> Path:
    """Render ``act`` through its template to an A4 PDF at ``path``; returns ``path``.

    Raises ActTemplateError for a broken template, ActRenderError when the file cannot be
    written. ``progress(page, pages)`` is called after each page for long acts.
    """
    html = render_act_html(act, template_dir)
    footer_left, footer_right = _footer_texts(act)
    title = footer_left
    html_to_pdf(
        html,
        Path(path),
        title=title,
        footer_left=footer_left,
        footer_right=footer_right,
        progress=progress,
    )
    return Path(path)
