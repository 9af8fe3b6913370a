"""File > Merge coder files… (also in the Team menu): bring coders' project files
back into the open project, show the report, and make it one undo step.

The merge runs off the GUI thread on its own connection (gui/files/background.py); it is
one transaction, so it cannot stop half way (Cancel waits for it). Undo removes what
it added (store/team/merge_undo.py); redo merges the same files again (documents and
annotations are matched by hash and UUID, so that brings the same rows back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.formats.registry import Options, Report
from annotator.gui.files.background import run_in_background
from annotator.gui.session import FirstDoneCommand, Session
from annotator.gui.team.label_map_dialog import LabelMapDialog
from annotator.store import Project
from annotator.store.team.merge import MergeReport, conflicting_labels, counted
from annotator.store.team.merge_undo import Added, merge_undoably, undo_merge

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MergeDialog", text)


@dataclass
class MergeJobReport(Report):
    """What the background merge hands back to the window."""

    merged: list[MergeReport] = field(default_factory=list)
    added: Added = field(default_factory=Added)


class PickCoderFiles(QFileDialog):
    """The coders' project files to merge (several at once)."""

    def __init__(self, folder: str, parent: QWidget | None) -> None:
        super().__init__(parent, tr("Merge coder files"), folder)
        self.setObjectName("mergeFilesDialog")
        self.setFileMode(QFileDialog.FileMode.ExistingFiles)
        self.setNameFilters([tr("Annotator projects (*.annot)"), tr("All files (*)")])
        self.setOption(QFileDialog.Option.DontUseNativeDialog)

    @classmethod
    def get_files(cls, folder: str, parent: QWidget | None = None) -> tuple[list[Path], bool]:
        dialog = cls(folder, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        files = [Path(f) for f in dialog.selectedFiles()]
        dialog.deleteLater()
        return files, ok and bool(files)


class MergeReportDialog(QDialog):
    """The report of a merge: a line per file, then the conflicts."""

    def __init__(self, reports: Sequence[MergeReport], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeReport")
        self.setWindowTitle(tr("Merge report"))
        # each file's lines, then its conflicts apart, under a heading
        conflicts = [f"{r.source.name}: {c}" for r in reports for c in r.conflicts]
        lines = [line for r in reports for line in r.lines() if line not in _conflict_lines(r)]
        added = sum(r.annotations_added for r in reports)
        present = sum(r.annotations_present for r in reports)
        summary = QLabel(
            tr("%s added, %d already present; %s (Ctrl+Z undoes the merge)")
            % (counted(added, "annotation"), present, counted(len(conflicts), "conflict")),
            self,
        )
        summary.setObjectName("mergeSummary")
        summary.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("mergeReportText")
        self.text.setReadOnly(True)
        self.text.setFont(QFont("monospace"))
        shown = lines if not conflicts else [*lines, "", tr("Conflicts:"), *conflicts]
        self.text.setPlainText("\n".join(shown))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        column = QVBoxLayout(self)
        column.addWidget(summary)
        column.addWidget(self.text, 1)
        column.addWidget(buttons)
        self.resize(760, 360)

    @classmethod
    def show_report(
        cls, reports: Sequence[MergeReport], parent: QWidget | None = None
    ) -> tuple[str, bool]:
        """Show the report until closed; returns its text."""
        dialog = cls(reports, parent)
        dialog.exec()
        text = dialog.text.toPlainText()
        dialog.deleteLater()
        return text, True


class MergeCommand(FirstDoneCommand):
    """A merge already done (in the background) as one undo step."""

    def __init__(
        self,
        session: Session,
        window: MainWindow,
        sources: Sequence[Path],
        added: Added,
        label_map: dict[str, str],
    ) -> None:
        n = len(sources)
        super().__init__(
            session, tr("Merge %s") % sources[0].name if n == 1 else tr("Merge %d files") % n
        )
        self.window, self.sources, self.added = window, list(sources), added
        self.label_map = label_map

    def do_first(self) -> None:
        self._changed()

    def apply(self) -> None:
        _reports, self.added = merge_undoably(
            self.session.require(), self.sources, label_map=self.label_map
        )
        self._changed()

    def revert(self) -> None:
        undo_merge(self.session.require(), self.added)
        self._changed()

    def _changed(self) -> None:
        # announced once the transaction is in the file (Session.guarded)
        self.session.announce(self.session.documentsChanged)
        self.session.announce(self.window.coders.merged)


class MergeCoderFiles:
    """The Merge coder files… action, in the File and Team menus."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.action = QAction(tr("&Merge coder files…"), window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.action.triggered.connect(self.merge)
        window.addAction(self.action)
        file_menu = _menu_holding(window, window.import_action)
        if file_menu is not None:
            file_menu.insertAction(window.export_action, self.action)
        window.team_menu.addAction(self.action)

    def merge(self) -> None:
        w = self.window
        project = w.session.project
        if project is None or project.read_only:
            w.show_status(tr("Open a project for writing first"))
            return
        files, ok = PickCoderFiles.get_files(str(project.path.parent), w)
        if ok:
            self.merge_paths(files)

    def merge_paths(self, files: Sequence[Path]) -> bool:
        """Merge *files* into the open project; True when it was done."""
        w = self.window
        project = w.session.require()
        sources = list(files)
        try:
            conflicts = conflicting_labels(project, sources)
        except AnnotatorError as exc:
            w.show_error(str(exc))
            return False
        label_map: dict[str, str] = {}
        if conflicts:
            label_map, ok = LabelMapDialog.get_map(conflicts, project.labels(), w)
            if not ok:
                w.show_status(tr("Merge cancelled: nothing changed"))
                return False

        def work(target: Project, _options: Options) -> Report:
            merged, added = merge_undoably(target, sources, label_map=label_map)
            return MergeJobReport(
                documents=len(added.documents),
                annotations=len(added.annotations),
                merged=merged,
                added=added,
            )

        report, error, _cancelled = run_in_background(
            w, tr("Merging coder files…"), project.path, work, read_only=False
        )
        if error or not isinstance(report, MergeJobReport):
            w.show_error(error or tr("The merge did not finish"))
            return False
        project.forget_cached()
        w.session.run(MergeCommand(w.session, w, sources, report.added, label_map))
        MergeReportDialog.show_report(report.merged, w)
        return True


def _conflict_lines(report: MergeReport) -> set[str]:
    return {f"{report.source.name}: conflict: {c}" for c in report.conflicts}


def _menu_holding(window: MainWindow, action: QAction) -> QMenu | None:
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and action in menu.actions():
            return menu
    return None
