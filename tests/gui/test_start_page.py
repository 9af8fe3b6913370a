"""The start page with no project open (recent projects with counts, a missing one said
so, the sample opened with a key) and File > New asking file, codebook and coder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.settings import Settings
from annotator.gui.start.new_project import NewProjectDialog
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle, when_modal


def test_start_page_lists_recent_projects_and_opens_the_sample(
    qtbot: QtBot, tmp_path: Path
) -> None:
    kept = tmp_path / "kept.annot"
    with Project.create(kept) as project:
        doc = project.add_document("One claim here.", "One").id
        project.annotate(doc, 0, 3, "claim")
    gone = tmp_path / "gone.annot"
    Project.create(gone).close()
    settings = Settings()
    settings.add_recent(gone)
    settings.add_recent(kept)
    settings.sync()
    gone.unlink()
    before = kept.stat().st_mtime_ns

    window = open_window(qtbot, None)
    page = window.findChild(QWidget, "startPage")
    assert page is not None and page.isVisible()
    recent = page.findChild(QListWidget, "recentProjects")
    assert recent is not None
    lines = [recent.item(i).text() for i in range(recent.count())]
    assert lines[0].startswith("kept.annot — 1 document, 1 annotation")
    assert lines[1].startswith("gone.annot — missing")
    assert kept.stat().st_mtime_ns == before  # read read-only

    sample = page.findChild(QPushButton, "startSample")
    assert sample is not None
    sample.setFocus()
    qtbot.keyClick(sample, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.session.project is not None)
    assert not page.isVisible()
    assert window.documents.rowCount() >= 1 and window.view.text
    key(qtbot, window, "Ctrl+Shift+W")  # close: the page comes back, the sample listed
    assert page.isVisible()
    assert recent.item(0).text().startswith("demo.annot")
    recent.setFocus()
    recent.setCurrentRow(1)
    qtbot.keyClick(recent, Qt.Key.Key_Return)  # Enter opens a recent project
    qtbot.waitUntil(lambda: window.session.project is not None)
    assert window.session.require().path == kept


def test_new_project_asks_file_codebook_and_coder(qtbot: QtBot, tmp_path: Path) -> None:
    other = tmp_path / "other.annot"
    book = tmp_path / "book.yaml"
    book.write_text("labels:\n  - key: frame\n    name: Frame\n    colour: '#0072B2'\n")
    window = open_window(qtbot, None)
    target = tmp_path / "fresh"

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, NewProjectDialog)
        path = dialog.findChild(QLineEdit, "newProjectPath")
        kind = dialog.findChild(QComboBox, "newProjectCodebook")
        source = dialog.findChild(QLineEdit, "newProjectSource")
        coder = dialog.findChild(QLineEdit, "newProjectCoder")
        assert path and kind and source and coder
        path.setText(str(target))
        kind.setCurrentIndex(kind.findText("A codebook YAML file…"))
        source.setText(str(book))
        coder.setText("Ana")
        qtbot.keyClick(coder, Qt.Key.Key_Return)

    when_modal(answer, NewProjectDialog)
    key(qtbot, window, "Ctrl+N")
    qtbot.waitUntil(lambda: window.session.project is not None)
    project = window.session.require()
    assert project.path == target.with_suffix(".annot")
    assert project.codebook().keys() == ["frame"]
    assert project.annotator == "Ana"

    # copied from another project; a bad YAML file is one line in the dialog
    Project.create(other).close()
    bad = tmp_path / "bad.yaml"
    bad.write_text("labels: [\n")
    problems: list[str] = []

    def second(dialog: QWidget) -> None:
        assert isinstance(dialog, NewProjectDialog)
        dialog.path.setText(str(tmp_path / "copy.annot"))
        dialog.kind.setCurrentIndex(dialog.kind.findText("A codebook YAML file…"))
        dialog.source.setText(str(bad))
        qtbot.keyClick(dialog.coder, Qt.Key.Key_Return)
        problems.append(dialog.problem.text())
        dialog.kind.setCurrentIndex(dialog.kind.findText("Copied from another project…"))
        dialog.source.setText(str(other))
        qtbot.keyClick(dialog.coder, Qt.Key.Key_Return)

    when_modal(second, NewProjectDialog)
    key(qtbot, window, "Ctrl+N")
    qtbot.waitUntil(lambda: window.session.require().path.name == "copy.annot")
    settle()
    assert problems and "bad.yaml" in problems[0] and "\n" not in problems[0], problems
    assert (tmp_path / "copy.annot").stat().st_size > 0
    with Project.open(other, read_only=True) as source:
        assert window.session.require().codebook().keys() == source.codebook().keys()
