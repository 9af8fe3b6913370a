"""Web pages in the window: File > Import from web address, and the choice between a
saved page's article and its whole text when pages are imported (issue 18).

Both choices are the command line's ``--html article|page``; the work runs off the GUI
thread with the import's progress dialog (:func:`annotator.gui.files.background.run_in_background`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.registry import Options, Report, report_lines
from annotator.gui.files.background import run_in_background
from annotator.gui.wording import plural

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.store import Project

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")


def tr(text: str) -> str:
    return QCoreApplication.translate("WebImport", text)


class _ModeChoice(QWidget):
    """Two radio buttons: the article (the default) or the whole page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.article = QRadioButton(tr("The &article only (menus, comments, footers left out)"))
        self.article.setObjectName("htmlArticle")
        self.page = QRadioButton(tr("All the page's &visible text"))
        self.page.setObjectName("htmlPage")
        group = QButtonGroup(self)
        for button in (self.article, self.page):
            group.addButton(button)
            layout.addWidget(button)
        self.article.setChecked(True)

    def mode(self) -> str:
        return "page" if self.page.isChecked() else "article"


class HtmlModeDialog(QDialog):
    """What to take of the web pages being imported."""

    def __init__(self, parent: QWidget | None, count: int) -> None:
        super().__init__(parent)
        self.setObjectName("htmlModeDialog")
        self.setWindowTitle(tr("Import web pages"))
        layout = QVBoxLayout(self)
        question = plural(
            count,
            tr("%d web page: import its article, or all its text?"),
            tr("%d web pages: import their article, or all their text?"),
        )
        layout.addWidget(QLabel(question))
        self.choice = _ModeChoice(self)
        layout.addWidget(self.choice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.choice.article.setFocus()

    @classmethod
    def get(cls, parent: QWidget | None, count: int) -> tuple[str, bool]:
        dialog = cls(parent, count)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        mode = dialog.choice.mode()
        dialog.deleteLater()
        return mode, ok


class WebAddressDialog(QDialog):
    """A web address, and what to take of the page."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("webAddressDialog")
        self.setWindowTitle(tr("Import from web address"))
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        self.address = QLineEdit(self)
        self.address.setObjectName("webAddress")
        self.address.setPlaceholderText("https://")
        form.addRow(tr("Web &address:"), self.address)
        self.choice = _ModeChoice(self)
        form.addRow(tr("Import:"), self.choice)
        note = QLabel(tr("The page is fetched once; nothing it refers to is fetched."))
        note.setWordWrap(True)
        form.addRow(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.address.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        self.address.setFocus()

    @classmethod
    def get(cls, parent: QWidget | None) -> tuple[tuple[str, str], bool]:
        dialog = cls(parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        value = (dialog.address.text().strip(), dialog.choice.mode())
        dialog.deleteLater()
        return value, ok


def add_web_import(window: MainWindow, menu: QMenu) -> QAction:
    """File > Import from web address (Ctrl+Shift+I)."""
    from annotator.gui.actions import add_action

    return add_action(
        window,
        menu,
        tr("Import from &web address…"),
        lambda: import_web_address(window),
        "Ctrl+Shift+I",
    )


def html_mode_for(parent: QWidget | None, paths: list[Path]) -> str | None:
    """``"article"`` or ``"page"`` for the web pages among *paths* (asked only when
    there are some), or None when the user cancels."""
    pages = sum(1 for p in paths if p.suffix.lower() in PAGE_SUFFIXES)
    if not pages:
        return "article"
    mode, ok = HtmlModeDialog.get(parent, pages)
    return mode if ok else None


def with_html(options: Options, mode: str) -> Options:
    """*options* with the web pages' *mode* (the import's own progress kept)."""
    return replace(options, html=mode)


def import_web_address(window: MainWindow) -> int:
    """Ask for an address, fetch and import the page; return the documents added."""
    project = window.session.project
    if project is None:
        window.show_error(tr("Open or create a project first"))
        return 0
    (address, mode), ok = WebAddressDialog.get(window)
    if not ok or not address:
        return 0
    return fetch_into(window, address, mode)


def fetch_into(window: MainWindow, address: str, mode: str = "article") -> int:
    """Fetch *address* and import it into the window's project, off the GUI thread."""
    from annotator.formats.web_fetch import import_url

    project = window.session.require()
    if not window.files.guard.ready_to_write():
        return 0
    before = len(project.documents())

    def work(job_project: Project, options: Options) -> Report:
        return import_url(job_project, address, with_html(options, mode))

    report, error, cancelled = run_in_background(
        window, tr("Fetching the page…"), project.path, work, read_only=False
    )
    project.forget_cached()
    added = len(project.documents()) - before
    if added:
        window.session.documentsChanged.emit()
    if cancelled:
        window.show_status(tr("Import from the web cancelled; nothing was imported"))
    elif error:
        window.show_error(error)
    elif report is not None:
        window.show_status("; ".join([tr("Imported the page"), *report_lines(report)]))
        if report.document_ids:
            window.show_document(report.document_ids[-1])
    return added
