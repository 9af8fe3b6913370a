"""The report of one document: preview, save as HTML or PDF, print.

The HTML comes from :func:`annotator.formats.report_html.document_report_html`; this
module only shows it (``QTextBrowser``), lays it out on pages (``QTextDocument``) and
writes it (``QPdfWriter``) or prints it (``QPrinter`` after ``QPrintDialog``).

Wiring, in the main window::

    ReportDialog(project, document_id, parent).exec()

The preview is a sheet of paper (white, dark ink) in light and dark themes alike, as
the report is made to be printed.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, ProjectError
from annotator.formats.report_html import INK, document_report_html
from annotator.gui.start.file_dialogs import save_file
from annotator.store import Project
from annotator.store.file.sidefiles import replacing

MARGIN_MM = 18.0
PDF_DPI = 300
LAYOUT_DPI = 96  # the report is laid out as on a 96 dpi screen, then scaled to the page


def tr(text: str) -> str:
    return QCoreApplication.translate("report", text)


class _LaidOut:
    """A report document laid out at :data:`LAYOUT_DPI`, whatever the screen."""

    def __init__(self, html: str) -> None:
        self.unit = QImage(1, 1, QImage.Format.Format_RGB32)
        dots_per_metre = round(LAYOUT_DPI / 0.0254)
        self.unit.setDotsPerMeterX(dots_per_metre)
        self.unit.setDotsPerMeterY(dots_per_metre)
        self.document = QTextDocument()
        self.document.documentLayout().setPaintDevice(self.unit)
        self.document.setDocumentMargin(0)
        self.document.setHtml(html)


def report_document(html: str) -> QTextDocument:
    """The report as a Qt rich-text document (for a preview or a caller's own layout)."""
    document = QTextDocument()
    document.setHtml(html)
    return document


def paint_pages(html: str, device: QPagedPaintDevice) -> int:
    """Lay *html* out on the pages of *device* (a PDF writer or a printer), with
    "page n / N" at the foot of each; return the number of pages."""
    laid = _LaidOut(html)
    document = laid.document
    scale = device.logicalDpiY() / LAYOUT_DPI
    width = device.width() / scale
    footer_font = QFont(document.defaultFont())
    footer_font.setPixelSize(round(8 * LAYOUT_DPI / 72))  # 8 pt, in layout units
    footer = 2.2 * footer_font.pixelSize()
    page = QSizeF(width, device.height() / scale - footer)
    document.setPageSize(page)
    count = document.pageCount()
    painter = QPainter(device)
    if not painter.isActive():
        raise ProjectError("cannot open the PDF or printer for writing")
    try:
        painter.scale(scale, scale)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, QColor(INK))
        for n in range(count):
            if n and not device.newPage():
                raise ProjectError("cannot start a new page")
            painter.save()
            top = n * page.height()
            painter.translate(0, -top)
            clip = QRectF(0, top, page.width(), page.height())
            painter.setClipRect(clip)
            context.clip = clip
            document.documentLayout().draw(painter, context)
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#555555"))
            painter.drawText(
                QRectF(0, page.height(), page.width(), footer),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                f"{n + 1} / {count}",
            )
    finally:
        painter.end()
    return count


def _title(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return str(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))


def save_report_pdf(html: str, path: Path) -> Path:
    """Write *html* as an A4 PDF at *path* (through a temporary file; an unwritable
    folder raises :class:`ProjectError`). Needs a running ``QGuiApplication`` (fonts)."""
    path = Path(path)
    with replacing(path) as tmp:  # an unwritable folder fails here, with the reason
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setTitle(_title(html))
        writer.setCreator("Annotator")
        paint_pages(html, writer)
        del writer  # closes the file
        if os.path.getsize(tmp) == 0:
            raise ProjectError(f"cannot write {path}: the PDF came out empty")
    return path


def save_report_html(html: str, path: Path) -> Path:
    path = Path(path)
    with replacing(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path


def print_report(html: str, printer: QPrinter) -> None:
    """Lay *html* out on *printer*'s pages and print it."""
    paint_pages(html, printer)


def _paper_palette(widget: QWidget) -> None:
    palette = widget.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Base, QColor("#ffffff"))
        palette.setColor(group, QPalette.ColorRole.Text, QColor(INK))
    widget.setPalette(palette)


class ReportDialog(QDialog):
    """A preview of one document's report with Save HTML…, Save PDF… and Print…."""

    def __init__(self, project: Project, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        document = project.document(document_id)
        self.setWindowTitle(tr("Report: %s") % document.title)
        self.html = document_report_html(project, document_id)
        self.suggested_name = _file_stem(document.title)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("reportPreview")
        self.preview.setOpenExternalLinks(False)
        _paper_palette(self.preview)
        self.preview.document().setDocumentMargin(24)
        self.preview.setHtml(self.html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.html_button = self._button(buttons, tr("Save &HTML…"), "saveHtmlButton")
        self.pdf_button = self._button(buttons, tr("Save &PDF…"), "savePdfButton")
        self.print_button = self._button(buttons, tr("P&rint…"), "printButton")
        self.html_button.clicked.connect(self._ask_html)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.print_button.clicked.connect(self._ask_print)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.resize(900, 760)

    def _button(self, box: QDialogButtonBox, text: str, name: str) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    # -- what the buttons do (tests call these directly) ------------------------------

    def save_html(self, path: Path) -> Path:
        return save_report_html(self.html, path)

    def save_pdf(self, path: Path) -> Path:
        return save_report_pdf(self.html, path)

    def print_to(self, printer: QPrinter) -> None:
        print_report(self.html, printer)

    # -- the buttons -------------------------------------------------------------------

    def ask_save_path(self, caption: str, suffix: str, pattern: str) -> Path | None:
        """The file the user picks, or None when cancelled."""
        return save_file(self, caption, self.suggested_name, pattern, suffix)

    def _run(self, action: str, path: Path | None, save: object) -> None:
        if path is None:
            return
        try:
            save(path)  # type: ignore[operator]
        except AnnotatorError as exc:
            QMessageBox.warning(self, action, str(exc))

    def _ask_html(self) -> None:
        path = self.ask_save_path(tr("Save report as HTML"), ".html", tr("HTML (*.html *.htm)"))
        self._run(tr("Save HTML"), path, self.save_html)

    def _ask_pdf(self) -> None:
        path = self.ask_save_path(tr("Save report as PDF"), ".pdf", tr("PDF (*.pdf)"))
        self._run(tr("Save PDF"), path, self.save_pdf)

    def _ask_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageMargins(
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
        )
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("Print report"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)


def _file_stem(title: str) -> str:
    keep = "".join(c if c.isalnum() or c in " -_." else " " for c in title)
    return "-".join(keep.split())[:80] or "report"


__all__ = [
    "ReportDialog",
    "print_report",
    "report_document",
    "save_report_html",
    "save_report_pdf",
]
