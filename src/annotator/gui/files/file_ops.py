"""File operations of the window: new, open, recent, save a copy, import, export, drop."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from annotator.core.errors import AnnotatorError, ProjectLockedError
from annotator.formats.registry import (
    EXPORTERS,
    READERS,
    Options,
    Report,
    export_project,
    import_paths,
    load_formats,
    report_lines,
)
from annotator.gui.files.background import run_in_background
from annotator.gui.files.file_guard import FileGuard
from annotator.gui.files.web_import import html_mode_for, with_html
from annotator.gui.start.file_dialogs import export_file, offer_open_folder, remember, start_folder
from annotator.gui.wording import plural
from annotator.store import Project
from annotator.store.file.backup import Backup, list_backups, restore_backup

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.annot)"


def tr(text: str) -> str:
    return QCoreApplication.translate("FileOps", text)


class FileOps(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.guard = FileGuard(window)  # the open file moved or damaged; failed backups

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.window.session

    def _folder(self) -> str:
        return start_folder(self.window)  # the last folder, else the project's (gui/start)

    # -- projects ------------------------------------------------------------------

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, tr("New project"), self._folder(), PROJECT_FILTER
        )
        if path:
            self.create(Path(path))

    def create(self, path: Path) -> bool:
        if path.suffix == "":
            path = path.with_suffix(".annot")
        try:
            project = Project.create(path)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return False
        self.session.adopt(project)
        return True

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            tr("Open project"),
            self._folder(),
            PROJECT_FILTER + ";;" + tr("All files (*)"),
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        try:
            self.session.open(path)
        except ProjectLockedError as exc:
            answer = QMessageBox.question(
                self.window,
                tr("Project in use"),
                str(exc)
                + "\n\n"
                + tr("Open it read-only? You can read and export, not change it."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            try:
                self.session.open(path, read_only=True)
            except AnnotatorError as again:
                self.window.show_error(str(again))
                return False
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return False
        return True

    def restore_dialog(self) -> None:
        project = self.session.project
        if project is None:
            self.window.show_error(tr("Open the project whose backup you want first"))
            return
        backups = list_backups(project.path)
        if not backups:
            self.window.show_status(tr("There is no backup of %s yet") % project.path.name)
            return
        choices = [
            tr("%s — %s annotations — %d KB")
            % (
                b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                "?" if b.annotations is None else b.annotations,
                b.size // 1024,
            )
            for b in backups
        ]
        choice, ok = QInputDialog.getItem(
            self.window,
            tr("Restore backup"),
            tr("Put this backup in place of the project:"),
            choices,
            0,
            False,
        )
        if ok:
            self.restore(backups[choices.index(choice)])

    def restore(self, backup: Backup) -> bool:
        """Replace the open project by *backup* (the current state is backed up first)."""
        project = self.session.require()
        path = project.path
        self.session.close()
        try:
            restore_backup(backup, path)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            self.open_path(path)
            return False
        if self.open_path(path):
            self.window.show_status(
                tr("Restored the backup; the project as it was is kept as a backup too")
            )
        return True

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        recent = self.window.settings.recent_projects()
        for path in recent:
            action = menu.addAction(path.name)
            action.triggered.connect(partial(self.open_path, path))
            action.setToolTip(str(path))
            action.setEnabled(path.exists())
        if not recent:
            menu.addAction(tr("(none yet)")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(tr("Clear the list"), self.window.settings.clear_recent)

    def save_as(self) -> None:
        project = self.session.project
        if project is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window, tr("Save a copy as"), self._folder(), PROJECT_FILTER
        )
        if path:
            self.save_copy(Path(path))

    def save_copy(self, path: Path) -> bool:
        """Copy the project with SQLite's backup API and continue in the copy."""
        project = self.session.require()
        if path.suffix == "":
            path = path.with_suffix(".annot")
        try:
            project.backup_to(path)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return False
        document = self.window.document_id
        if self.open_path(path) and document is not None:
            self.window.show_document(document)
        return True

    # -- import and export ---------------------------------------------------------

    def import_dialog(self) -> None:
        if self.session.project is None:
            self.window.show_error(tr("Open or create a project first"))
            return
        load_formats()
        patterns = sorted({f"*{e}" for f in READERS.values() for e in f.extensions})
        filters = tr("Documents (%s)") % " ".join(patterns) + ";;" + tr("All files (*)")
        paths, _ = QFileDialog.getOpenFileNames(self.window, tr("Import"), self._folder(), filters)
        if paths:
            remember(self.window, Path(paths[0]))
            html = html_mode_for(self.window, [Path(p) for p in paths])  # gui/files/web_import.py
            if html is not None:
                self.import_files([Path(p) for p in paths], html)

    def import_files(self, paths: list[Path], html: str = "article") -> int:
        """Import files in the background with a progress dialog that cancels; return
        the documents added (files imported before a failure or a cancel are kept)."""
        project = self.session.require()
        if not self.guard.ready_to_write():
            return 0
        before = len(project.documents())

        def work(job_project: Project, options: Options) -> Report:
            return import_paths(job_project, paths, options=with_html(options, html))

        report, error, cancelled = run_in_background(
            self.window, tr("Importing…"), project.path, work, read_only=False
        )
        project.forget_cached()
        added = len(project.documents()) - before
        if added or (report and report.annotations):
            self.window.codebook_changed()
            self.session.documentsChanged.emit()
        if cancelled:
            self.window.show_status(
                plural(
                    added,
                    tr("Import cancelled; %d document was imported before"),
                    tr("Import cancelled; %d documents were imported before"),
                )
            )
        elif error:
            self.window.show_error(error)
        else:
            notes = report_lines(report) if report else []
            self.window.show_status(
                "; ".join(
                    [plural(added, tr("Imported %d document"), tr("Imported %d documents")), *notes]
                )
            )
        return added

    def export_dialog(self) -> None:
        project = self.session.project
        if project is None:
            self.window.show_error(tr("Open a project first"))
            return
        load_formats()
        names = sorted(EXPORTERS)
        choices = [f"{n} — {EXPORTERS[n].description}" for n in names]
        choice, ok = QInputDialog.getItem(
            self.window,
            tr("Export"),
            tr("Format:"),
            choices,
            names.index("csv") if "csv" in names else 0,
            False,
        )
        if not ok:
            return
        fmt = names[choices.index(choice)]
        exporter = EXPORTERS[fmt]
        if exporter.extension:  # the format's own filter, in the folder used last
            chosen = export_file(self.window, fmt, exporter.description, exporter.extension)
            path = str(chosen or "")
        else:
            path = QFileDialog.getExistingDirectory(
                self.window, tr("Export %s to folder") % fmt, self._folder()
            )
        if path:
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path) -> bool:
        """Export in the background with a progress dialog that cancels."""
        project = self.session.require()

        def work(job_project: Project, options: Options) -> Report:
            return export_project(job_project, fmt, path, options)

        report, error, cancelled = run_in_background(
            self.window, tr("Exporting…"), project.path, work, read_only=True
        )
        if cancelled:
            self.window.show_status(tr("Export cancelled"))
            return False
        if error or report is None:
            self.window.show_error(error)
            return False
        message = tr("Exported %d annotations to %s") % (report.annotations, path.name)
        if report.warnings or report.dropped:
            self.window.show_error(message + "\n\n" + "\n".join(report_lines(report)))
        else:
            self.window.show_status(message)
        offer_open_folder(self.window, path)
        return True

    def dropped(self, paths: list[Path]) -> None:
        projects = [p for p in paths if p.suffix == ".annot"]
        if projects:
            self.open_path(projects[0])
            return
        if self.session.project is None:
            self.window.show_error(tr("Open or create a project first, then drop documents on it"))
            return
        self.import_files(paths)
