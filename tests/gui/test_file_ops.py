"""File operations of the window: import, export, save a copy, drop, recent projects."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from annotator.store import Project
from tests.gui.helpers import open_window, settle
from tests.store.damage import flip_in_schema


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        doc = project.add_document("The Senate asked the government to act.", "first")
        project.annotate(doc, 4, 10, "actor", note='a "note"')
    return path


def test_import_documents_from_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    (tmp_path / "second.txt").write_text("Հայաստան and Azerbaijan 👍🏽\r\n", encoding="utf-8")
    (tmp_path / "third.md").write_bytes("Déjà “vu” café".encode("cp1252"))
    assert window.files.import_files([tmp_path / "second.txt", tmp_path / "third.md"]) == 2
    settle()
    titles = [window.documents.document_at(r).title for r in range(window.documents.rowCount())]  # type: ignore[union-attr]
    assert titles == ["first", "second", "third"]
    with Project.open(tmp_path / "p.annot", read_only=True) as project:
        assert project.text(3) == "Déjà “vu” café"


def test_a_bad_file_is_reported_and_imports_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    assert window.files.import_files([tmp_path / "photo.txt"]) == 0
    assert "binary" in window.statusBar().currentMessage()
    assert window.documents.rowCount() == 1


def test_export_from_the_window_writes_the_format(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    target = tmp_path / "out.csv"
    assert window.files.export("csv", target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    assert [(r["text"], r["note"]) for r in rows] == [("Senate", 'a "note"')]
    assert "Exported 1 annotations" in window.statusBar().currentMessage()


def test_save_a_copy_continues_in_the_copy(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    copy = tmp_path / "copy"
    assert window.files.save_copy(copy)
    assert window.session.require().path == tmp_path / "copy.annot"
    assert "copy.annot" in window.windowTitle()
    with Project.open(tmp_path / "copy.annot", read_only=True) as project:
        assert [a.text for a in project.annotations()] == ["Senate"]


def test_dropping_files_imports_them_and_dropping_a_project_opens_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(qtbot, _project(tmp_path))
    doc = tmp_path / "dropped.txt"
    doc.write_text("Dropped text here.", encoding="utf-8")

    def drop(path: Path) -> None:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(
            QPointF(20, 20),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        # Qt cannot start a real drag offscreen: hand the window the drop event itself
        window.dropEvent(event)
        assert event.isAccepted()
        settle()

    drop(doc)
    assert window.documents.rowCount() == 2
    other = tmp_path / "other.annot"
    Project.create(other).close()
    drop(other)
    assert window.session.require().path == other


def test_a_project_whose_schema_lost_a_column_is_refused_on_one_line(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = open_window(qtbot, _project(tmp_path))
    damaged = tmp_path / "damaged.annot"
    with Project.create(damaged) as project:
        project.add_document("The Senate voted.", "vote")
    flip_in_schema(damaged, "documents", b"title", b"tit1e")
    before = damaged.read_bytes()
    # it used to open, and every panel then failed with a traceback at its first query
    assert not window.files.open_path(damaged)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "is damaged: its tables lack documents.title" in box.text()
    assert "\n" not in box.text()
    box.accept()
    assert window.session.require().path == tmp_path / "p.annot"  # still the one open
    assert damaged.read_bytes() == before


def test_a_long_import_runs_in_the_background_and_cancels(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    window = open_window(qtbot, _project(tmp_path))
    files = []
    for n in range(300):
        path = tmp_path / f"doc{n:03}.txt"
        path.write_text(f"Document {n}: the Senate and the Assembly. " * 200, encoding="utf-8")
        files.append(path)
    ticks: list[int] = []

    def cancel_when_running() -> None:
        dialog = window.findChild(QProgressDialog, "progressDialog")
        if dialog is not None and dialog.value() >= 5:
            dialog.findChild(QPushButton).click()  # the user presses Cancel
            return
        ticks.append(1)
        QTimer.singleShot(5, cancel_when_running)

    QTimer.singleShot(0, cancel_when_running)
    added = window.files.import_files(files)
    assert ticks, "the window kept running its event loop during the import"
    assert 0 < added < len(files)
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.documents.rowCount() == 1 + added
    with Project.open(tmp_path / "p.annot", read_only=True) as project:
        for doc in project.documents()[1:]:
            assert project.text(doc) == files[doc.id - 2].read_text(encoding="utf-8")


def test_work_that_never_ticks_still_shows_a_dialog_that_cancels(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Qt starts a progress dialog's own delay only at the first setValue: before that a
    job that was slow to report (a first training fold, a large file's first page) ran
    4 s with no dialog to cancel it, whatever delay the window had asked for (400 ms)."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from annotator.core.errors import AnnotatorError
    from annotator.formats.registry import Options, Report
    from annotator.gui.files.background import run_in_background

    window = open_window(qtbot, _project(tmp_path))
    started, seen = threading.Event(), []

    def slow(project: Project, options: Options) -> Report:
        started.set()
        for _ in range(300):  # 3 s at most, silent until cancelled
            threading.Event().wait(0.01)
            if seen:
                assert options.progress is not None
                options.progress(0, 1)  # the first tick raises Cancelled
        raise AnnotatorError("no dialog in 3 s")

    def press_cancel() -> None:
        dialog = window.findChild(QProgressDialog, "progressDialog")
        if started.is_set() and dialog is not None and dialog.isVisible():
            seen.append(dialog)
            dialog.findChild(QPushButton).click()
            return
        QTimer.singleShot(20, press_cancel)

    QTimer.singleShot(0, press_cancel)
    report, error, cancelled = run_in_background(
        window, "Slow", tmp_path / "p.annot", slow, read_only=True
    )
    assert not error and seen and cancelled and report is None
