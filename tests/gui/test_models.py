from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester

from annotator.gui.models import AnnotationTableModel, DocumentListModel
from annotator.store import Project
from annotator.store.table_queries import TableFilter


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
        table.sort(column)
        qtmodeltester.check(table)
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
