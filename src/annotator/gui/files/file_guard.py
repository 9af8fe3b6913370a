"""The window's watch over the open project file.

- A change refused because the file was moved, deleted, replaced or damaged while
  open (:class:`ProjectMovedError`, :class:`ProjectDamagedError`, raised by the
  store before each write) gets ONE dialog: go on working in the moved file, or save
  a copy elsewhere. From then on the project takes no changes (every later one is
  refused with the same dialog) until the user goes on in the moved file or a copy.
- When the window becomes active again (the user may have moved or overwritten the
  file meanwhile) the file is checked shortly after the activation, so the repaint
  never waits for it: the cheap checks on the GUI thread, ``quick_check`` in a worker
  thread on a connection of its own (306 ms for a 164 MB project).
- A failed automatic backup is said once after opening: a status message and a
  notice that does not block, with the reason and the folder backups go to.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from annotator.core.errors import AnnotatorError, ProjectDamagedError, ProjectMovedError
from annotator.store.file.backup import backup_dir

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.store import Project

CHECK_DELAY_MS = 250  # after the window became active: it has repainted by then


def tr(text: str) -> str:
    return QCoreApplication.translate("FileGuard", text)


class FileProblemDialog(QMessageBox):
    """The one dialog for a project file moved, deleted or damaged while open.

    Opened with :meth:`QMessageBox.open` (it never blocks the caller); the choice is
    :attr:`choice`: ``"continue"``, ``"copy"`` or ``""`` (not now).
    """

    def __init__(self, error: ProjectMovedError | ProjectDamagedError, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("fileProblemBox")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(tr("Annotator"))
        self.error = error
        self.choice = ""
        moved_to = getattr(error, "moved_to", None)
        self.moved_to: Path | None = Path(moved_to) if moved_to is not None else None
        self.continue_button = None
        if isinstance(error, ProjectDamagedError):
            self.setText(tr("The project file was changed by another program while it was open."))
        elif self.moved_to is not None:
            self.setText(tr("The project was moved to %s. Continue working there?") % moved_to)
            self.continue_button = self.addButton(
                tr("Continue there"), QMessageBox.ButtonRole.AcceptRole
            )
        else:
            self.setText(tr("The project file was deleted or replaced while it was open."))
        self.setInformativeText(str(error))
        self.copy_button = self.addButton(
            tr("Save a copy elsewhere…"), QMessageBox.ButtonRole.ActionRole
        )
        self.later_button = self.addButton(tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.continue_button or self.copy_button)
        self.setEscapeButton(self.later_button)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.continue_button:
            self.choice = "continue"
        elif button is self.copy_button:
            self.choice = "copy"


class FileGuard(QObject):
    """Watches the open project file for the window (one per window)."""

    deepChecked = Signal(object, str)  # project, the problem found ("" when none)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._deep: threading.Thread | None = None
        self.deepChecked.connect(self._deep_done, Qt.ConnectionType.QueuedConnection)
        self.dialog: FileProblemDialog | None = None
        self.notice: QMessageBox | None = None
        self.last_check_ms: float | None = None  # how long the last check on focus took
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(CHECK_DELAY_MS)
        self._check.timeout.connect(self.check)
        session = window.session
        session.fileProblem.connect(self.problem)
        session.projectOpened.connect(self._opened)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)
        window.installEventFilter(self)

    # -- noticing ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            self.check_soon()
        return False

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_soon()

    def check_soon(self) -> None:
        """Check the file shortly (activations in a row give one check)."""
        project = self.window.session.project
        if project is not None and not project.read_only and project.write_blocked is None:
            self._check.start()

    def check(self) -> None:
        """Verify the open file now (moved, replaced, header, size: microseconds) and
        start its ``quick_check`` in a worker thread (1.9 ms per MB: never on the GUI
        thread); say what is wrong."""
        project = self.window.session.project
        if project is None or project.read_only or project.write_blocked is not None:
            return
        began = time.perf_counter()
        try:
            project.verify()
        except (ProjectMovedError, ProjectDamagedError) as exc:
            self.problem(exc)
            return
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return
        finally:
            self.last_check_ms = (time.perf_counter() - began) * 1000
        self.say_backup_problem()
        if self._deep is None or not self._deep.is_alive():
            self._deep = threading.Thread(
                target=self._deep_check, args=(project,), name="annotator-check", daemon=True
            )
            self._deep.start()

    def _deep_check(self, project: Project) -> None:  # in the worker thread
        try:
            problem = project.deep_check() or ""
        except Exception:  # a check that could not run proves no damage
            problem = ""
        self.deepChecked.emit(project, problem)

    def _deep_done(self, project: Project, problem: str) -> None:  # back on the GUI thread
        if not problem or self.window.session.project is not project or project.closed:
            return
        if project.write_blocked is None:
            self.problem(project.mark_damaged(problem))

    def wait_for_check(self, timeout: float = 30.0) -> None:
        """Let a running ``quick_check`` finish (tests, closing)."""
        if self._deep is not None:
            self._deep.join(timeout)

    def ready_to_write(self) -> bool:
        """Before work that writes on a connection of its own (a background import):
        check the file, ``quick_check`` included; False (and the dialog) when it moved
        or is damaged, so nothing is written into it behind the window's back."""
        project = self.window.session.project
        if project is None or project.read_only:
            return True  # the work itself says what is wrong
        try:
            project.verify(deep=True)
        except (ProjectMovedError, ProjectDamagedError) as exc:
            self.problem(exc)
            return False
        return True

    # -- answering -----------------------------------------------------------------

    def problem(self, error: ProjectMovedError | ProjectDamagedError) -> None:
        """A change was refused because of the file: one dialog (never two at once)."""
        self.window.show_status(str(error))
        if self.dialog is not None and self.dialog.isVisible():
            return
        dialog = FileProblemDialog(error, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._answered(dialog))
        self.dialog = dialog
        dialog.open()

    def _answered(self, dialog: FileProblemDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if dialog.choice == "continue" and dialog.moved_to is not None:
            self.continue_at(dialog.moved_to)
        elif dialog.choice == "copy":
            QTimer.singleShot(0, self.save_copy_dialog)  # after this dialog has gone

    def continue_at(self, path: Path) -> bool:
        """Go on working in the open file at its new place *path*."""
        project = self.window.session.require()
        try:
            project.relocate(path)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return False
        self.window.settings.add_recent(project.path)
        self.window._update_title()
        self.window.show_status(
            tr("Working in %s now; the change that was refused was not saved, make it again")
            % project.path
        )
        return True

    def save_copy_dialog(self) -> None:
        project = self.window.session.project
        if project is None:
            return
        folder = project.path.parent if project.path.parent.is_dir() else Path.home()
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            tr("Save a copy elsewhere"),
            str(folder / f"{project.path.stem} (copy).annot"),
            tr("Annotator projects (*.annot)"),
        )
        if path:
            self.window.files.save_copy(Path(path))  # and go on working in the copy

    # -- the automatic backup ------------------------------------------------------

    def _opened(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self._backup_said = False
        self.say_backup_problem()

    _backup_said = False

    def say_backup_problem(self) -> None:
        """Say once per opening why the automatic backup failed (on opening, and at each
        check on focus for a backup still running in the background then)."""
        project = self.window.session.project
        problem = project.backup_problem if project is not None else None
        if not problem or self._backup_said or project is None:
            return
        self._backup_said = True
        folder = str(backup_dir(project.path))
        if folder not in problem:
            problem = tr("%s (backups of this project go to %s)") % (problem, folder)
        self.window.show_status(problem)
        notice = QMessageBox(
            QMessageBox.Icon.Information,
            tr("Annotator"),
            tr("No automatic backup of %s was taken this time.") % project.path.name,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        notice.setObjectName("backupNotice")
        notice.setInformativeText(problem)
        notice.setWindowModality(Qt.WindowModality.NonModal)
        notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.notice = notice
        notice.show()
