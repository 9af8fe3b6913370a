"""Corpus search driven as a user would: real project file, real keys and clicks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.core.search import compile_query, find_spans
from annotator.demo import sample_text
from annotator.gui.search import corpus_search
from annotator.gui.search.corpus_search import CorpusSearchPanel
from annotator.gui.search.kwic_views import AnnotateAllDialog
from annotator.gui.session import Session
from annotator.store import Project

ARMENIAN = (
    "Yerevan, 12 March 👍🏽. Հայաստանի Ազգային ժողովը welcomed the vote: Armenia is not alone.\n"
    "ARMENIA’s foreign minister said so; the Armenian press agreed. Armenia!\n"
)
ARABIC = "قال البرلمان الفرنسي إن 🇫🇷 فرنسا تدعم Armenia و 👩‍👩‍👧 armenia.\nNo more."


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.annot"
    with Project.create(path, annotator="tester") as project:
        project.add_document(sample_text(), "France–Armenia resolution")
        project.add_document(ARMENIAN, "Yerevan reactions")
        project.add_document(ARABIC, "Arabic press")
    return path


@pytest.fixture
def session(project_path: Path) -> Iterator[Session]:
    session = Session()
    session.open(project_path)
    yield session
    session.close()


@pytest.fixture
def panel(qtbot: QtBot, session: Session) -> CorpusSearchPanel:
    panel = CorpusSearchPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1000, 420)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def expected_hits(project: Project, query: str, **options: object) -> list[tuple[int, int, int]]:
    """What the core search finds, document by document (the panel must show the same)."""
    q = compile_query(query, **options)  # type: ignore[arg-type]
    return [
        (doc.id, s, e) for doc in project.documents() for s, e in find_spans(project.text(doc), q)
    ]


def shown_hits(panel: CorpusSearchPanel) -> list[tuple[int, int, int]]:
    return [panel.model.hit(r) for r in range(panel.model.rowCount())]


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type *text* with key events; QTest knows only Latin-1 keys, so others are sent
    as key events carrying their text (what an input method delivers)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def search_by_keys(qtbot: QtBot, panel: CorpusSearchPanel, text: str) -> None:
    panel.edit.setFocus()
    panel.edit.selectAll()
    qtbot.keyClick(panel.edit, Qt.Key.Key_Backspace)
    type_text(qtbot, panel.edit, text)
    assert panel.edit.text() == text
    with qtbot.waitSignal(panel.searchFinished, timeout=5000):
        qtbot.keyClick(panel.edit, Qt.Key.Key_Return)


def choose_in_combo(qtbot: QtBot, combo: QWidget, text: str) -> None:
    """Pick an item of a combo box by typing its first letters, as a keyboard user does."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)


def cell_point(panel: CorpusSearchPanel, row: int, column: int = 2) -> QPoint:
    index = panel.model.index(row, column)
    panel.table.scrollTo(index)
    return panel.table.visualRect(index).center()


def test_the_model_passes_qt_model_tester(
    qtmodeltester: object, panel: CorpusSearchPanel, qtbot: QtBot
) -> None:
    search_by_keys(qtbot, panel, "Armenia")
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    search_by_keys(qtbot, panel, "nothing like this")
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]


def test_typed_query_lists_hits_of_every_document(
    qtbot: QtBot, panel: CorpusSearchPanel, session: Session
) -> None:
    project = session.require()
    assert panel.mode.currentData() == "word"
    search_by_keys(qtbot, panel, "armenia")
    want = expected_hits(project, "armenia", mode="word")
    assert shown_hits(panel) == want
    assert {d for d, _s, _e in want} == {d.id for d in project.documents()}
    for row, (doc_id, start, end) in enumerate(want):
        text = project.text(doc_id)
        assert panel.model.kwic(row).match == text[start:end]  # type: ignore[union-attr]
        assert text[start:end].casefold() == "armenia"
        # the document column counts the hits of its document
        title = project.document(doc_id).title
        n = sum(1 for d, _s, _e in want if d == doc_id)
        assert panel.model.index(row, 0).data() == f"{title} ({n})"
        assert panel.model.index(row, 2).data() == text[start:end]
    assert panel.status.text().startswith(f"{len(want)} hits in 3 documents")

    # match case, by a click on the box: ARMENIA and armenia drop out
    with qtbot.waitSignal(panel.searchFinished):
        qtbot.mouseClick(panel.case, Qt.MouseButton.LeftButton)
    assert shown_hits(panel) == expected_hits(project, "armenia", mode="word", case_sensitive=True)
    assert [project.text(d)[s:e] for d, s, e in shown_hits(panel)] == ["armenia"]

    # plain text also finds "Armenian"
    with qtbot.waitSignal(panel.searchFinished):
        choose_in_combo(qtbot, panel.mode, "P")
    assert panel.mode.currentData() == "plain"
    qtbot.mouseClick(panel.case, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.searchFinished):
        qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    plain = expected_hits(project, "armenia", mode="plain")
    assert shown_hits(panel) == plain and len(plain) > len(want)


def test_armenian_whole_word(qtbot: QtBot, panel: CorpusSearchPanel, session: Session) -> None:
    search_by_keys(qtbot, panel, "Հայաստան")
    assert shown_hits(panel) == []  # only inside Հայաստանի
    assert panel.status.text() == "No hits in 3 documents."
    search_by_keys(qtbot, panel, "Հայաստանի")
    [(doc_id, start, end)] = shown_hits(panel)
    assert session.require().text(doc_id)[start:end] == "Հայաստանի"
    assert start == ARMENIAN.index("Հայաստանի")


def test_double_click_and_enter_jump_to_the_hit(
    qtbot: QtBot, panel: CorpusSearchPanel, session: Session
) -> None:
    project = session.require()
    search_by_keys(qtbot, panel, "Armenia")
    rows = shown_hits(panel)
    # a hit after emoji and a flag: offsets are code points, not UTF-16 units
    row = next(
        r for r, (d, _s, _e) in enumerate(rows) if project.document(d).title == "Arabic press"
    )
    doc_id, start, end = rows[row]
    assert start == ARABIC.index("Armenia")
    point = cell_point(panel, row)
    with qtbot.waitSignal(panel.hitActivated) as blocker:
        # QTest's double click sends only the second press: the first click goes before
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [doc_id, start, end]

    # keyboard: from the first hit, Down then Enter activates the second
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell_point(panel, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(panel.hitActivated) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert blocker.args == list(rows[1])


def run_preview(
    qtbot: QtBot, action: Callable[[AnnotateAllDialog], None]
) -> list[AnnotateAllDialog]:
    """Act on the preview dialog once it is shown; the dialog is returned for checks."""
    seen: list[AnnotateAllDialog] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AnnotateAllDialog):
            QTimer.singleShot(10, act)
            return
        seen.append(dialog)
        try:
            action(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, act)
    return seen


def test_annotate_all_is_one_undo_step_across_documents(
    qtbot: QtBot, panel: CorpusSearchPanel, session: Session
) -> None:
    project = session.require()
    before = project.annotate(
        1, *next(find_spans(project.text(1), compile_query("Armenia", mode="word"))), "actor"
    )
    search_by_keys(qtbot, panel, "Armenia")
    choose_in_combo(qtbot, panel.label, "Ac")
    assert panel.label_key() == "actor"
    rows = shown_hits(panel)
    covered_rows = [r for r in range(len(rows)) if panel.model.is_covered(r)]
    assert [rows[r] for r in covered_rows] == [(1, before.start, before.end)]
    assert "1 already annotated as Actor" in panel.status.text()

    unchecked: list[tuple[int, int, int]] = []

    def uncheck_first_and_accept(dialog: AnnotateAllDialog) -> None:
        tree = dialog.tree
        assert tree.topLevelItemCount() == 3
        tree.setFocus()
        qtbot.keyClick(tree, Qt.Key.Key_Down)  # from the first document to its first hit
        item = tree.currentItem()
        doc_id = dialog._docs[0][1]
        hit = dialog._docs[0][3][0]
        unchecked.append((doc_id, hit.start, hit.end))
        qtbot.keyClick(tree, Qt.Key.Key_Space)
        assert item.checkState(0) == Qt.CheckState.Unchecked
        QApplication.processEvents()
        total = len(rows) - 1
        assert dialog.summary.text() == (
            f"{total - 1} of {total} hits will be annotated as Actor, in 3 documents."
        )
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.text() == f"Annotate {total - 1}"
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    seen = run_preview(qtbot, uncheck_first_and_accept)
    qtbot.mouseClick(panel.annotate_button, Qt.MouseButton.LeftButton)
    assert seen and unchecked

    wanted = [h for r, h in enumerate(rows) if r not in covered_rows and h != unchecked[0]]
    made = [a for a in project.annotations(label="actor") if a.id != before.id]
    assert [(a.document_id, a.start, a.end) for a in made] == wanted
    assert {a.document_id for a in made} == {1, 2, 3}
    assert all(a.text == project.text(a.document_id)[a.start : a.end] for a in made)
    assert session.undo_stack.count() == 1
    # the table marks them now; only the unchecked one is left to annotate
    assert [rows[r] for r in range(len(rows)) if not panel.model.is_covered(r)] == unchecked
    assert panel.annotate_button.isEnabled()

    session.undo_stack.undo()
    assert project.annotations(label="actor") == [before]
    assert [rows[r] for r in range(len(rows)) if panel.model.is_covered(r)] == [
        (1, before.start, before.end)
    ]
    session.undo_stack.redo()
    again = [a for a in project.annotations(label="actor") if a.id != before.id]
    assert [a.id for a in again] == [a.id for a in made]
    assert again == made


def test_cancel_in_the_preview_changes_nothing(
    qtbot: QtBot, panel: CorpusSearchPanel, session: Session
) -> None:
    search_by_keys(qtbot, panel, "Armenia")

    def cancel(dialog: AnnotateAllDialog) -> None:
        button = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    seen = run_preview(qtbot, cancel)
    qtbot.mouseClick(panel.annotate_button, Qt.MouseButton.LeftButton)
    assert seen
    assert session.require().annotations() == []
    assert session.undo_stack.count() == 0


def test_regex_errors_are_shown_not_raised(qtbot: QtBot, panel: CorpusSearchPanel) -> None:
    choose_in_combo(qtbot, panel.mode, "R")
    assert panel.mode.currentData() == "regex"
    panel.edit.setFocus()
    qtbot.keyClicks(panel.edit, "(Armenia")
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert panel.status.text() == (
        "not a valid regular expression: missing ), unterminated subpattern at position 1"
    )
    assert panel.model.rowCount() == 0
    assert not panel.annotate_button.isEnabled()
    qtbot.keyClick(panel.edit, Qt.Key.Key_End)
    with qtbot.waitSignal(panel.searchFinished):
        qtbot.keyClicks(panel.edit, "n?)")
        qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    project = panel.session.require()
    assert shown_hits(panel) == expected_hits(project, "(Armenian?)", mode="regex")
    assert panel.model.rowCount() > 0


def test_results_follow_changes_of_annotations_and_documents(
    qtbot: QtBot, panel: CorpusSearchPanel, session: Session
) -> None:
    project = session.require()
    search_by_keys(qtbot, panel, "Armenia")
    choose_in_combo(qtbot, panel.label, "D")
    assert panel.label_key() == "demand"
    doc_id, start, end = panel.model.hit(2)
    # an annotation made elsewhere (the document view) that contains the hit
    made = session.add(doc_id, [(max(0, start - 3), end, "demand", None)])
    assert panel.model.is_covered(2)
    assert "1 already annotated as Demand" in panel.status.text()
    session.remove([a.id for a in made])
    assert not panel.model.is_covered(2)

    project.add_document("A fourth text about Armenia.", "Fourth")
    with qtbot.waitSignal(panel.searchFinished):
        session.documentsChanged.emit()
    assert shown_hits(panel) == expected_hits(project, "Armenia", mode="word")
    assert shown_hits(panel)[-1][0] == project.documents()[-1].id


def test_a_long_search_can_be_cancelled(
    qtbot: QtBot, panel: CorpusSearchPanel, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = session.require()
    with project.transaction():
        for i in range(40):
            project.add_document(f"Document {i} mentions Armenia twice: Armenia.", f"Extra {i}")
    monkeypatch.setattr(corpus_search, "SLICE_SECONDS", 0.0)  # one document per slice
    panel.edit.setFocus()
    qtbot.keyClicks(panel.edit, "Armenia")
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert panel.running and panel.cancel_button.isVisible()
    assert panel.status.text().startswith("Searching… 1 of 43 documents")
    qtbot.waitUntil(lambda: panel.model.rowCount() > 6)
    assert not panel.annotate_button.isEnabled()  # not while searching
    with qtbot.waitSignal(panel.searchFinished):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.running and not panel.cancel_button.isVisible()
    assert panel.status.text().endswith("(search cancelled)")
    n = panel.model.rowCount()
    assert 0 < n < len(expected_hits(project, "Armenia", mode="word"))
    QApplication.processEvents()
    assert panel.model.rowCount() == n


def test_labels_come_with_the_project(qtbot: QtBot, project_path: Path) -> None:
    session = Session()
    panel = CorpusSearchPanel(session)
    qtbot.addWidget(panel)
    assert panel.label.count() == 0 and not panel.edit.isEnabled()
    session.open(project_path)
    try:
        keys = [panel.label.itemData(i) for i in range(panel.label.count())]
        assert keys == [label.key for label in session.require().labels()]
        assert panel.edit.isEnabled()
    finally:
        session.close()
    assert panel.label.count() == 0 and panel.model.rowCount() == 0
