"""Hooks of the codebook room into the window: the code system dock (from gui/panels/docks.py),
Edit > Codebook… and File > Export codebook… (from gui/menus.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from annotator.gui.actions import add_action
from annotator.gui.codebook.code_system import CodeSystemPanel
from annotator.gui.codebook.commands import CodebookHub

if TYPE_CHECKING:
    from annotator.gui.codebook.editor import CodebookEditor
    from annotator.gui.codebook.retrieval import RetrievedSegments
    from annotator.gui.main_window import MainWindow

EDITOR_KEYS = "Ctrl+Shift+C"  # Ctrl+Shift+K is Team > Coder…
CODE_SYSTEM_KEYS = "Ctrl+Shift+Y"  # View > Code system


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class CodebookParts:
    """The window's codebook editor, code system and retrieved segments (made lazily)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.hub = CodebookHub(window)
        self.panel = CodeSystemPanel(window)
        self._editor: CodebookEditor | None = None
        self._segments: RetrievedSegments | None = None
        self.hub.changed.connect(window.codebook_changed)
        self.hub.labelsMoved.connect(self._labels_moved)
        self.panel.retrieveWanted.connect(self.retrieve)
        window.session.projectClosed.connect(self._closed)

    def connect_documents(self) -> None:
        selection = self.window.document_list.selectionModel()
        selection.currentChanged.connect(lambda *_: self.panel.document_shown())

    def editor(self) -> CodebookEditor:
        if self._editor is None:
            from annotator.gui.codebook.editor import CodebookEditor

            self._editor = CodebookEditor(self.window, self.hub)
        return self._editor

    def open_editor(self) -> None:
        if self.window.session.project is None:
            return
        editor = self.editor()
        editor.reload()
        editor.show()
        editor.raise_()
        editor.activateWindow()
        editor.tree.setFocus()

    def retrieve(self, keys: list[str]) -> None:
        if self._segments is None:
            from annotator.gui.codebook.retrieval import RetrievedSegments

            self._segments = RetrievedSegments(self.window)
        self._segments.retrieve(
            keys, children=self.panel.children_too.isChecked(), coder=self.panel.coder()
        )

    def export_codebook(self) -> None:
        project = self.window.session.project
        if project is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self.window,
            tr("Export codebook"),
            str(project.path.parent / f"{project.path.stem}-codebook.yaml"),
            tr("Codebooks (*.yaml *.yml)"),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".yaml", ".yml"):
            path = path.with_suffix(".yaml")
        try:
            path.write_text(project.codebook().to_yaml(), encoding="utf-8")
        except OSError as exc:
            self.window.show_error(tr("Could not write %s: %s") % (path, exc.strerror or exc))
            return
        self.window.show_status(tr("Codebook written to %s") % path.name)

    def _labels_moved(self) -> None:
        """Annotations changed label (a merge, a renamed key): spans and rows re-read."""
        window = self.window
        if window.session.project is None:
            return
        if window.document_id is not None:
            window.show_document(window.document_id)
        window.table_model.refresh()

    def _closed(self) -> None:
        for part in (self._editor, self._segments):
            if part is not None:
                part.close()


def build_code_system(window: MainWindow) -> CodebookParts:
    """The code system dock (``window.docks["codes"]``), a tab beside the label buttons."""
    from annotator.gui.panels.docks import add_dock

    parts = CodebookParts(window)
    window.codebook_parts = parts  # type: ignore[attr-defined]
    window.code_system = parts.panel
    dock = add_dock(
        window, "codes", tr("Code system"), parts.panel, Qt.DockWidgetArea.LeftDockWidgetArea
    )
    dock.toggleViewAction().setShortcut(QKeySequence(CODE_SYSTEM_KEYS))
    dock.visibilityChanged.connect(parts.panel.set_shown)  # counts read while in front
    labels = window.docks.get("labels")
    if labels is not None:  # a tab beside the label buttons (which stay in front)
        window.tabifyDockWidget(labels, dock)
        labels.raise_()
    parts.connect_documents()
    return parts


def _parts(window: MainWindow) -> CodebookParts:
    parts: CodebookParts = window.codebook_parts  # type: ignore[attr-defined]
    return parts


def add_codebook_editor(window: MainWindow, menu: QMenu) -> QAction:
    """Edit > Codebook… (the editor of labels, attribute and relation types)."""
    return add_action(window, menu, tr("Code&book…"), _parts(window).open_editor, EDITOR_KEYS)


def add_export_codebook(window: MainWindow, menu: QMenu) -> QAction:
    """File > Export codebook… (YAML, as the loader reads it)."""
    return add_action(window, menu, tr("Export code&book…"), _parts(window).export_codebook)
