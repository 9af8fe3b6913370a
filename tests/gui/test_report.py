"""The report dialog: preview, HTML and PDF files, printing to a PDF printer."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from annotator.core.errors import ProjectError
from annotator.formats.report_html import document_report_html
from annotator.gui.files.report import ReportDialog, save_report_pdf
from annotator.store import Project
from tests.conftest import MIXED_TEXT
from tests.formats.report_sample import annotate_sample


def pdf_text(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(path)
    words = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(words.split())


def test_pdf_has_the_text_and_the_labels(
    qapp: QApplication, sample_project: Project, tmp_path: Path
) -> None:
    annotate_sample(sample_project, 1)
    target = save_report_pdf(document_report_html(sample_project, 1), tmp_path / "r.pdf")
    pages, text = pdf_text(target)
    assert pages >= 2  # the text, the legend and the annotation table do not fit one page
    for word in ("resolution", "Azerbaijan", "Wauquiez", "Demand", "Allegation", "Relations"):
        assert word in text
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text  # page numbers
    assert not (tmp_path / "r.pdf.part").exists()


def test_pdf_of_mixed_scripts(qapp: QApplication, tmp_project: Project, tmp_path: Path) -> None:
    doc = tmp_project.add_document(MIXED_TEXT, "Mixed")
    tmp_project.annotate(doc, 0, 6, "claim")
    _, text = pdf_text(save_report_pdf(document_report_html(tmp_project, doc), tmp_path / "m.pdf"))
    assert "Résumé" in text
    assert "Claim" in text


def test_pdf_into_a_missing_folder_fails_cleanly(
    qapp: QApplication, tmp_project: Project, tmp_path: Path
) -> None:
    tmp_project.add_document("Some text.", "T")
    with pytest.raises(ProjectError, match="cannot write"):
        save_report_pdf(document_report_html(tmp_project, 1), tmp_path / "no" / "r.pdf")


def test_dialog_previews_saves_and_prints(
    qtbot: QtBot, sample_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    annotate_sample(sample_project, 1)
    dialog = ReportDialog(sample_project, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = dialog.preview.toPlainText()
    for a in sample_project.annotations(1):
        assert " ".join(a.text.split()) in " ".join(shown.split())
    # the preview is paper: dark ink on white whatever the theme
    palette = dialog.preview.palette()
    assert palette.color(palette.ColorRole.Base).lightness() > 200
    assert palette.color(palette.ColorRole.Text).lightness() < 60

    html_path = dialog.save_html(tmp_path / "r.html")
    assert html_path.read_text("utf-8") == dialog.html
    _, text = pdf_text(dialog.save_pdf(tmp_path / "r.pdf"))
    assert "Azerbaijan" in text

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_to(printer)
    del printer
    printed_pages, printed = pdf_text(tmp_path / "printed.pdf")
    assert printed_pages >= 1 and "Wauquiez" in printed

    # the buttons ask for a file, then save it (the file dialog itself is the system's)
    chosen = iter([str(tmp_path / "button"), str(tmp_path / "button.pdf")])
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (next(chosen), ""))
    )
    qtbot.mouseClick(dialog.html_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "button.html").read_text("utf-8") == dialog.html
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "button.pdf").read_bytes().startswith(b"%PDF-")
