"""File > New: the file, the codebook (a bundled one, a YAML file, or copied from another
project) and the coder name, in one dialog."""

from __future__ import annotations

import getpass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.core.codebook import Codebook, load_codebook
from annotator.core.errors import AnnotatorError, InputError
from annotator.store import Project

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

BUNDLED, YAML, COPY = "bundled", "yaml", "copy"


def tr(text: str) -> str:
    return QCoreApplication.translate("start", text)


def bundled_codebooks() -> dict[str, str]:
    """File name -> YAML text of every codebook shipped with Annotator."""
    folder = resources.files("annotator.resources").joinpath("codebooks")
    return {
        entry.name: entry.read_text("utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".yml"))
    }


def codebook_from(kind: str, source: str) -> Codebook:
    """The codebook a new project starts with; InputError/CodebookError in one line."""
    if kind == BUNDLED:
        texts = bundled_codebooks()
        if source not in texts:
            raise InputError(f"there is no bundled codebook {source}")
        return load_codebook(texts[source], source)
    if not source:
        raise InputError("choose the file to take the codebook from")
    path = Path(source)
    if kind == YAML:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the codebook {path.name}: {exc}") from None
        return load_codebook(text, path.name)
    with Project.open(path, read_only=True) as other:
        return other.codebook()


def default_coder() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class NewProjectDialog(QDialog):
    def __init__(self, parent: QWidget, folder: str) -> None:
        super().__init__(parent)
        self.setObjectName("newProjectDialog")
        self.setWindowTitle(tr("New project"))
        self.resize(560, 0)
        self.path = QLineEdit(str(Path(folder) / "project.annot"), self)
        self.path.setObjectName("newProjectPath")
        browse = QPushButton(tr("&Browse…"), self)
        browse.clicked.connect(self._browse_path)
        self.kind = QComboBox(self)
        self.kind.setObjectName("newProjectCodebook")
        for name in bundled_codebooks():
            self.kind.addItem(tr("Bundled: %s") % name, (BUNDLED, name))
        self.kind.addItem(tr("A codebook YAML file…"), (YAML, ""))
        self.kind.addItem(tr("Copied from another project…"), (COPY, ""))
        self.source = QLineEdit(self)
        self.source.setObjectName("newProjectSource")
        self.source.setPlaceholderText(tr("the YAML file or the project to copy from"))
        source_browse = QPushButton(tr("Choose &file…"), self)
        source_browse.clicked.connect(self._browse_source)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.coder = QLineEdit(default_coder(), self)
        self.coder.setObjectName("newProjectCoder")
        self.problem = QLabel("", self)
        self.problem.setObjectName("newProjectProblem")
        self.problem.setWordWrap(True)
        form = QFormLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(tr("&File:"), row)
        form.addRow(tr("&Codebook:"), self.kind)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(source_browse)
        self._source_widgets = (self.source, source_browse)
        form.addRow("", source_row)
        form.addRow(tr("C&oder name:"), self.coder)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.codebook: Codebook | None = None
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()[0]
        for widget in self._source_widgets:
            widget.setEnabled(kind != BUNDLED)

    def _browse_path(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, tr("New project"), self.path.text(), tr("Annotator projects (*.annot)")
        )
        if chosen:
            self.path.setText(chosen)

    def _browse_source(self) -> None:
        kind = self.kind.currentData()[0]
        pattern = (
            tr("Codebooks (*.yaml *.yml)") if kind == YAML else tr("Annotator projects (*.annot)")
        )
        chosen, _ = QFileDialog.getOpenFileName(
            self, tr("Take the codebook from"), str(Path(self.path.text()).parent), pattern
        )
        if chosen:
            self.source.setText(chosen)

    def target(self) -> Path:
        path = Path(self.path.text().strip()).expanduser()
        return path.with_suffix(".annot") if path.suffix == "" else path

    def _check(self) -> None:
        kind, name = self.kind.currentData()
        try:
            if not self.path.text().strip():
                raise InputError("choose where the project file goes")
            if self.target().exists():
                raise InputError(f"{self.target().name} exists already: choose another name")
            if not self.coder.text().strip():
                raise InputError("the coder name cannot be empty")
            self.codebook = codebook_from(kind, name if kind == BUNDLED else self.source.text())
        except AnnotatorError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, folder: str) -> tuple[tuple[Path, Codebook, str] | None, bool]:
        dialog = cls(parent, folder)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.codebook is None:
            return None, False
        return (dialog.target(), dialog.codebook, dialog.coder.text().strip()), True


def new_project(window: MainWindow) -> bool:
    """File > New and the start page's New: ask, then make and open the project."""
    project = window.session.project
    folder = str(project.path.parent) if project else str(Path.home())
    answer, ok = NewProjectDialog.ask(window, folder)
    if not ok or answer is None:
        return False
    path, codebook, coder = answer
    try:
        made = Project.create(path, codebook, annotator=coder)
    except AnnotatorError as exc:
        window.show_error(str(exc))
        return False
    window.session.adopt(made)
    return True
