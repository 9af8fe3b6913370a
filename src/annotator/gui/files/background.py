"""Long work (imports, exports) off the GUI thread, with a progress dialog that cancels.

The job opens its own connection to the project file in a worker thread (WAL lets the
window keep reading meanwhile); the window waits in a local event loop, so it keeps
painting, and learns the result when the job ends. Widgets are touched only here, on
the GUI thread, through queued signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.formats.registry import Cancelled, Options, Report
from annotator.store import Project

Work = Callable[[Project, Options], Report]


def tr(text: str) -> str:
    return QCoreApplication.translate("background", text)


def progress_dialog(
    text: str, maximum: int, delay_ms: int, parent: QWidget | None = None
) -> QProgressDialog:
    """A progress dialog that shows itself after *delay_ms* if the work still runs,
    and stays up until its owner resets it.

    Qt starts that delay only at the first ``setValue``; work that ticks late (or never)
    would otherwise run with no dialog to cancel it, so the clock starts here. Work in
    stages reaches a stage's maximum before the next stage sets a new one: Qt's
    automatic reset would hide the dialog there (and lose an Escape pressed then), so
    the owner resets it when the work has ended. Escape cancels, as the button does.
    """
    dialog = QProgressDialog(text, tr("Cancel"), 0, maximum, parent)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # Escape rejects the dialog; since Qt 6.3 a dialog's own close event is eaten on
    # the way, so QProgressDialog may not say "canceled" for it: Escape cancels here
    dialog.rejected.connect(dialog.canceled.emit)
    dialog.setMinimumDuration(delay_ms)
    dialog.setValue(0)
    return dialog


class _Job(QObject):
    progressed = Signal(int, int)
    done = Signal(object, str)  # Report or None, error message ("" when it worked)

    def __init__(self, path: Path, work: Work, read_only: bool) -> None:
        super().__init__()
        self.path, self.work, self.read_only = path, work, read_only
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            with Project.open(self.path, read_only=self.read_only) as project:
                report = self.work(project, Options(progress=self._tick))
        except Cancelled:
            self.done.emit(None, "")
        except AnnotatorError as exc:
            self.done.emit(None, str(exc))
        except Exception as exc:
            self.done.emit(None, tr("unexpected error: %s") % exc)
        else:
            self.done.emit(report, "")

    def _tick(self, done: int, total: int) -> None:
        if self.cancel.is_set():
            raise Cancelled("cancelled")
        self.progressed.emit(done, total)


class _Receiver(QObject):
    def __init__(self, dialog: QProgressDialog, loop: QEventLoop) -> None:
        super().__init__()
        self.dialog, self.loop = dialog, loop
        self.result: dict[str, object] = {}

    @Slot(int, int)
    def progressed(self, done: int, total: int) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))

    @Slot(object, str)
    def finished(self, report: Report | None, error: str) -> None:
        self.result["report"], self.result["error"] = report, error
        self.loop.quit()


def run_in_background(
    parent: QWidget, title: str, path: Path, work: Work, *, read_only: bool
) -> tuple[Report | None, str, bool]:
    """Run *work* on its own connection to *path*; return ``(report, error, cancelled)``."""
    thread = QThread(parent)
    job = _Job(path, work, read_only)
    job.moveToThread(thread)
    dialog = progress_dialog(title, 0, 400, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    loop = QEventLoop()
    receiver = _Receiver(dialog, loop)  # lives in the GUI thread: slots run there
    job.progressed.connect(receiver.progressed, Qt.ConnectionType.QueuedConnection)
    job.done.connect(receiver.finished, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(job.cancel.set)
    thread.started.connect(job.run)
    thread.start()
    loop.exec()
    result = receiver.result
    thread.quit()
    thread.wait()
    dialog.reset()
    dialog.deleteLater()
    job.deleteLater()
    thread.deleteLater()
    report = result.get("report")
    error = str(result.get("error", ""))
    cancelled = job.cancel.is_set() and report is None and not error
    return (report if isinstance(report, Report) else None), error, cancelled
