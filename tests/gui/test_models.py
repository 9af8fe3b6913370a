from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from annotator.gui.panels.models import AnnotationTableModel, DocumentListModel
from annotator.store import Project
from annotator.store.queries.table_queries import TableFilter


def _project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "m.annot")
    for n in range(3):
        doc = project.add_document(f"The Senate and the Assembly, text {n}.", f"doc {n}")
        project.annotate_many(
            doc, [(4, 10, "actor", None), (19, 27, "actor", "n"), (0, 27, "claim", None)]
        )
    return project


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, tmp_path: Path) -> None:
    project = _project(tmp_path)
    docs = DocumentListModel()
    docs.reload(project)
    qtmodeltester.check(docs)
    table = AnnotationTableModel()
    table.set_project(project)
    qtmodeltester.check(table)
    assert table.rowCount() == 9
    table.set_filter(TableFilter(document_id=2, label="actor"))
    qtmodeltester.check(table)
    assert table.rowCount() == 2
    for column in range(table.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            table.sort(column, order)
            qtmodeltester.check(table)
    project.close()


def _sortable(tmp_path: Path) -> Project:
    """Five annotations whose every column orders them differently (case mixed, one
    label used twice, empty notes and attributes) in two documents."""
    project = Project.create(tmp_path / "s.annot")
    beta = project.add_document("banana Apple Cherry", "beta")
    alpha = project.add_document("date Elder fig", "Alpha")
    for doc, span, annotator in (
        (beta, (0, 6, "actor", "zz"), "carol"),  # 1 banana
        (beta, (7, 12, "claim", None), "Bob"),  # 2 Apple
        (beta, (13, 19, "demand", "Middle"), "alice"),  # 3 Cherry
        (alpha, (5, 10, "allegation", "alpha"), "dave"),  # 4 Elder
        (alpha, (11, 14, "claim", "Beta"), "eve"),  # 5 fig
    ):
        project.annotate_many(doc, [span], annotator=annotator)
    project.set_attributes(2, {"position": "+1", "issue": "war"})
    project.set_attributes(3, {"position": "-1"})
    project.set_attributes(5, {"form": "protest"})
    return project


# column -> the annotation ids in ascending order, and in descending order (ties, as
# the two claims, keep the id order both ways); labels sort by their codebook position
SORTED = {
    "label": ([2, 5, 3, 1, 4], [4, 1, 3, 2, 5]),
    "text": ([2, 1, 3, 4, 5], [5, 4, 3, 1, 2]),
    "attributes": ([1, 4, 5, 2, 3], [3, 2, 5, 1, 4]),
    "note": ([2, 4, 5, 3, 1], [1, 3, 5, 4, 2]),
    "annotator": ([3, 2, 1, 4, 5], [5, 4, 1, 2, 3]),
    "position": ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]),
    "document": ([4, 5, 1, 2, 3], [3, 2, 1, 5, 4]),
}


@pytest.mark.parametrize("column", list(SORTED))
def test_sorting_puts_the_rows_in_order(
    qtmodeltester: ModelTester, tmp_path: Path, column: str
) -> None:
    project = _sortable(tmp_path)
    table = AnnotationTableModel()
    table.set_project(project)
    index = table.COLUMNS.index(column)
    ascending, descending = SORTED[column]
    shown = {
        r.id: [r.label, r.text, r.attributes, r.note or "", r.annotator, r.start, r.document]
        for r in (table.row_data(i) for i in range(table.rowCount()))
        if r is not None
    }
    for order, want in (
        (Qt.SortOrder.AscendingOrder, ascending),
        (Qt.SortOrder.DescendingOrder, descending),
        (Qt.SortOrder.AscendingOrder, ascending),
    ):
        table.sort(index, order)
        qtmodeltester.check(table)
        ids = [table.index(r, 0).data(table.IdRole) for r in range(table.rowCount())]
        assert ids == want, (column, order)
        cells = [table.index(r, index).data() for r in range(table.rowCount())]
        assert cells == [table._display(table.row_data(r))[index] for r in range(len(ids))]  # type: ignore[arg-type]
    # the expectation is what a reader sees: the shown values in order (case ignored)
    if column not in ("label", "attributes", "position", "document"):
        values = [str(shown[i][index]).casefold() for i in ascending]
        assert values == sorted(values)
    project.close()


def test_table_pages_rows_lazily(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "big.annot")
    doc = project.add_document("word " * 4000, "big")
    project.annotate_many(doc, [(i * 5, i * 5 + 4, "claim", None) for i in range(4000)])
    table = AnnotationTableModel()
    table.set_project(project)
    assert table.rowCount() == 4000
    assert len(table._cache) == 0  # nothing fetched before it is shown
    assert table.index(3999, table.COLUMNS.index("position")).data() == "19995–19999"
    assert 0 < len(table._cache) <= 256
    project.close()
