"""The annotation table of a large project: sort and filter off the GUI thread.

Real widgets on a real project file. "Large" is the model's ``inline_max``, lowered
here so that a few thousand rows take the path a million take; the path is the same.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from annotator.gui.panels.annotation_table import AnnotationTablePanel
from annotator.gui.panels.models import AnnotationTableModel
from annotator.store import Project
from annotator.store.queries.table_queries import TableFilter

WORDS = ("Senate", "assembly", "Armenia", "azerbaijan", "France", "resolution", "Élysée")
TEXT = " ".join(WORDS * 40)  # 280 words
LABELS = ("claim", "demand", "actor", "allegation")


def _big(path: Path, docs: int = 3, per_doc: int = 700) -> Path:
    """*docs* documents with *per_doc* one-word spans each (words repeat: ties in text)."""
    starts = []
    at = 0
    for word in TEXT.split(" "):
        starts.append((at, at + len(word)))
        at += len(word) + 1
    with Project.create(path, annotator="tester") as project:
        for n in range(docs):
            doc = project.add_document(TEXT, f"Report {n}")
            spans = [
                (*starts[i % len(starts)], LABELS[i % 4], f"note {i}" if i % 7 == 0 else None)
                for i in range(per_doc)
            ]
            project.annotate_many(doc, spans)
    return path


@pytest.fixture
def big_path(tmp_path: Path) -> Path:
    return _big(tmp_path / "big.annot")


def _panel(qtbot: QtBot, project: Project, *, inline_max: int = 100) -> AnnotationTablePanel:
    panel = AnnotationTablePanel()
    qtbot.addWidget(panel)
    panel.model.inline_max = inline_max
    panel.model.set_project(project, TableFilter(document_id=-1))
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.all_documents.setChecked(True)  # every document: 2,100 rows, over inline_max
    _wait(qtbot, panel.model)
    return panel


def _wait(qtbot: QtBot, model: AnnotationTableModel) -> None:
    qtbot.waitUntil(lambda: not model.pending, timeout=20_000)


def _texts(model: AnnotationTableModel) -> list[str]:
    return [str(model.index(r, 1).data()) for r in range(model.rowCount())]


def test_a_large_sort_runs_in_the_worker_while_the_window_ticks(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with Project.open(_big(tmp_path / "b.annot", docs=4, per_doc=15_000)) as project:
        panel = _panel(qtbot, project)
        model = panel.model
        assert model.rowCount() == 60_000
        ticks = []
        timer = QTimer()
        timer.setInterval(0)
        timer.timeout.connect(lambda: ticks.append(model.pending))
        timer.start()
        before = model.worker.generation
        with qtbot.waitSignal(model.worker.ready, timeout=20_000) as arrived:
            panel.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # Text
            assert model.pending  # sortByColumn returned at once, the old rows shown
            assert model.rowCount() == 60_000
            assert model.worker.generation == before + 1  # asked once (Qt calls sort twice)
        timer.stop()
        assert any(ticks), "the event loop ran while the worker sorted"
        assert arrived.args[0].thread not in (0, threading.main_thread().ident)
        texts = _texts(model)
        assert texts == sorted(texts, key=str.casefold)
        assert texts[0] == "Armenia" and texts[-1] == "Élysée"


def test_the_sort_of_a_large_table_keeps_the_selected_annotation(
    qtbot: QtBot, qtmodeltester: ModelTester, big_path: Path
) -> None:
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project)
        model, table = panel.model, panel.table
        qtmodeltester.check(model)  # and it watches every signal from here on
        table.setFocus()
        table.selectionModel().setCurrentIndex(
            model.index(5, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        chosen = model.index(5, 0).data(model.IdRole)
        qtbot.keyClick(table.horizontalHeader(), Qt.Key.Key_Space)  # nothing, no crash
        panel.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # Note
        _wait(qtbot, model)
        assert model.worker.queries >= 2
        row = table.currentIndex().row()
        assert row != 5 and model.index(row, 0).data(model.IdRole) == chosen
        assert panel.selected_ids() == [chosen]


def test_a_superseded_filter_result_is_discarded(qtbot: QtBot, big_path: Path) -> None:
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project)
        model = panel.model
        resets: list[int] = []
        model.modelReset.connect(lambda: resets.append(model.rowCount()))
        everything = model.rowCount()
        model.set_filter(TableFilter(label="actor"))  # a quarter of the rows: superseded
        first = model.worker.generation
        model.set_filter(TableFilter(text="ARMEN"))  # one word in seven
        assert model.pending and model.rowCount() == everything  # old rows shown meanwhile
        _wait(qtbot, model)
        assert model.worker.generation == first + 1
        assert model.worker.dropped >= 1  # skipped, interrupted, or thrown away
        assert resets == [model.rowCount()]  # one reset: the newest filter's rows
        assert set(_texts(model)) == {"Armenia"}
        assert model.rowCount() == len(
            [1 for a in project.annotations() if "armen" in a.text.casefold()]
        )


def test_fast_typing_in_the_filter_makes_one_query(qtbot: QtBot, big_path: Path) -> None:
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project)
        model = panel.model
        before = model.worker.generation
        panel.filter_text.setFocus()
        qtbot.keyClicks(panel.filter_text, "assem")  # five keys, faster than the pause
        assert model.worker.generation == before  # nothing asked yet: waiting for a pause
        assert panel.debounce.isActive()
        qtbot.waitUntil(lambda: model.worker.generation > before, timeout=5_000)
        _wait(qtbot, model)
        assert model.worker.generation == before + 1  # one query for five keys
        assert set(_texts(model)) == {"assembly"}


def test_enter_filters_a_large_table_at_once(qtbot: QtBot, big_path: Path) -> None:
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project)
        model = panel.model
        before = model.worker.generation
        panel.filter_text.setFocus()
        qtbot.keyClicks(panel.filter_text, "franc")
        qtbot.keyClick(panel.filter_text, Qt.Key.Key_Return)
        assert not panel.debounce.isActive()
        assert model.worker.generation == before + 1
        assert panel.busy.text() == "Updating…"  # while the worker works
        _wait(qtbot, model)
        assert panel.busy.text() == ""
        assert set(_texts(model)) == {"France"}
        qtbot.wait(400)  # no query left waiting for a pause
        assert model.worker.generation == before + 1


def test_a_small_table_filters_at_every_key_without_the_worker(
    qtbot: QtBot, big_path: Path
) -> None:
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project, inline_max=100_000)
        model = panel.model
        panel.filter_text.setFocus()
        qtbot.keyClicks(panel.filter_text, "sen")
        assert not model.pending and not panel.debounce.isActive()
        assert set(_texts(model)) == {"Senate"}
        assert model.worker.queries == 0


def test_an_edit_while_the_worker_runs_queries_again(qtbot: QtBot, big_path: Path) -> None:
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project)
        model = panel.model
        total = model.rowCount()
        panel.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        assert model.pending
        made = project.annotate(1, 0, 6, "claim")
        assert not model.insert_annotations([made])  # the worker's rows may predate it
        assert not model.remove_annotations([made.id])
        model.refresh()
        _wait(qtbot, model)
        assert model.rowCount() == total + 1
        assert model.row_of(made.id) >= 0


def test_closing_the_project_forgets_the_pending_work(qtbot: QtBot, big_path: Path) -> None:
    project = Project.open(big_path)
    panel = _panel(qtbot, project)
    model = panel.model
    panel.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert model.pending
    model.set_project(None)
    project.close()
    assert not model.pending and model.rowCount() == 0
    qtbot.wait(300)  # a late result must not come back
    assert model.rowCount() == 0


def test_a_project_file_gone_while_the_table_is_large_says_why_in_one_line(
    qtbot: QtBot, big_path: Path, tmp_path: Path
) -> None:
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project)
        model = panel.model
        rows = model.rowCount()
        moved = tmp_path / "elsewhere.annot"
        big_path.rename(moved)
        try:
            with qtbot.waitSignal(model.failed, timeout=20_000) as failed:
                panel.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
            message = failed.args[0]
            assert "\n" not in message and "big.annot" in message
            assert "Traceback" not in message
            assert not model.pending and model.rowCount() == rows  # the old rows stay
            assert panel.busy.text() == message
        finally:
            moved.rename(big_path)
        _wait(qtbot, model)
        panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # back: it works again
        _wait(qtbot, model)
        assert panel.busy.text() == ""
        assert _texts(model)[0] == "Élysée"


def test_the_worker_thread_ends_when_idle_and_comes_back_on_demand(
    qtbot: QtBot, big_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.gui.panels.table_worker as table_worker

    monkeypatch.setattr(table_worker, "IDLE_S", 0.05)
    with Project.open(big_path) as project:
        panel = _panel(qtbot, project)
        model = panel.model
        qtbot.waitUntil(lambda: not model.worker.alive, timeout=5_000)
        panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        assert model.worker.alive
        _wait(qtbot, model)
        assert _texts(model)[0] == "Élysée"
        qtbot.waitUntil(lambda: not model.worker.alive, timeout=5_000)
