"""Where File > Open, Import and Export dialogs start, their filters, and the offer to
open the folder of a finished export (gui/files/file_ops.py calls these); every other
"save as" of the window (charts, matrices, the network, segments, reports) asks through
:func:`save_file`, so they all start in the same place.

They start in the folder used last (kept in the settings), else the project's folder,
unless that is a hidden one (the data folder where the sample and backups live): then
in the user's Documents folder, or home."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

LAST_FOLDER = "dialogs/last_folder"
OFFER_SECONDS = 20


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _store(window: MainWindow) -> QSettings:
    return window.settings._s  # the window's one QSettings


def hidden(folder: Path) -> bool:
    """A folder under a dot-folder (``~/.local/share/annotator``): not for the user's files."""
    return any(part.startswith(".") and part not in (".", "..") for part in folder.parts)


def start_folder(window: MainWindow) -> str:
    value = _store(window).value(LAST_FOLDER, "")
    if isinstance(value, str) and value and Path(value).is_dir():
        return value
    project = window.session.project
    if project is not None and not hidden(project.path.parent.resolve()):
        return str(project.path.parent)
    documents = Path.home() / "Documents"
    return str(documents if documents.is_dir() else Path.home())


def remember(window: MainWindow, path: Path) -> None:
    """Dialogs start in *path*'s folder (or *path*, a folder) next time."""
    folder = path if path.is_dir() else path.parent
    _store(window).setValue(LAST_FOLDER, str(folder))


def export_file(window: MainWindow, fmt: str, description: str, extension: str) -> Path | None:
    """Ask where a *fmt* export goes, with that format's own filter (``*.csv``)."""
    project = window.session.require()
    suggested = Path(start_folder(window)) / (project.path.stem + extension)
    pattern = f"{description} (*{extension});;" + tr("All files (*)")
    chosen, _ = QFileDialog.getSaveFileName(
        window, tr("Export as %s") % fmt, str(suggested), pattern
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix == "":
        path = path.with_suffix(extension)
    remember(window, path)
    return path


def main_window_of(widget: QWidget) -> MainWindow | None:
    """The main window *widget* belongs to (a dock's panel, floating or not, a window
    of its own opened from it), or None."""
    from annotator.gui.main_window import MainWindow

    found: QWidget | None = widget
    while found is not None and not isinstance(found, MainWindow):
        found = found.parentWidget()
    return found


def save_file(parent: QWidget, caption: str, name: str, pattern: str, suffix: str) -> Path | None:
    """Ask where to save *name* + *suffix* (a chart, a matrix, a report): the dialog opens
    in the last folder used, else the project's (never a hidden data folder, nor the
    folder the program was started from); a name typed without *suffix* gets it; the
    folder is remembered for the next dialog. None when the user cancels."""
    window = main_window_of(parent)
    folder = Path(start_folder(window)) if window is not None else Path.home()
    chosen, _ = QFileDialog.getSaveFileName(
        parent, caption, str(folder / f"{name}{suffix}"), pattern
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    if window is not None:
        remember(window, path)
    return path


def offer_open_folder(window: MainWindow, path: Path) -> QPushButton:
    """An "Open folder" button in the status bar for a while after an export."""
    old = window.statusBar().findChild(QPushButton, "openExportFolder")
    if old is not None:
        old.deleteLater()
    folder = path if path.is_dir() else path.parent
    button = QPushButton(tr("Open &folder"), window.statusBar())
    button.setObjectName("openExportFolder")
    button.setToolTip(str(folder))
    button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
    window.statusBar().addPermanentWidget(button)
    QTimer.singleShot(OFFER_SECONDS * 1000, button.deleteLater)
    return button
