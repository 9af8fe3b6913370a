"""The table's queries for large projects: the scope probe, interrupting, the index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.store import Project
from annotator.store.queries.table_queries import (
    TableFilter,
    interrupt,
    ordered_ids,
    ordered_ids_unless_interrupted,
    scope_size,
)

TEXT_INDEX = "annotations_text_nocase"
TEXT = "Senate assembly Armenia azerbaijan France résolution Élysée " * 20


def _project(path: Path) -> Path:
    with Project.create(path, annotator="tester") as project:
        for n in range(2):
            doc = project.add_document(TEXT, f"doc {n}")
            project.annotate_many(
                doc, [(i % 60 * 3, i % 60 * 3 + 5, "actor", None) for i in range(300 + n * 100)]
            )
    return path


def test_the_scope_is_counted_up_to_the_limit(tmp_path: Path) -> None:
    with Project.open(_project(tmp_path / "s.annot")) as project:
        assert scope_size(project, TableFilter(document_id=1), 10_000) == 300
        assert scope_size(project, TableFilter(document_id=2), 10_000) == 400
        assert scope_size(project, TableFilter(), 10_000) == 700
        assert scope_size(project, TableFilter(), 50) == 50
        assert scope_size(project, TableFilter(document_id=-1), 50) == 0


def test_an_interrupted_ids_query_gives_none_and_the_connection_works_on(
    tmp_path: Path,
) -> None:
    with Project.open(_project(tmp_path / "i.annot")) as project:
        calls = []

        def stop() -> int:
            calls.append(1)
            interrupt(project)  # as the GUI thread does, mid-query
            return 0

        project._conn.set_progress_handler(stop, 50)
        flt = TableFilter(text="arm")
        assert ordered_ids_unless_interrupted(project, flt, "attributes") is None
        assert calls
        project._conn.set_progress_handler(None, 0)
        found = ordered_ids_unless_interrupted(project, flt, "text")
        assert found is not None and len(found) > 0
        assert found == ordered_ids(project, flt, "text")
        assert len(ordered_ids(project, TableFilter(), "text")) == 700


def _plan(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "EXPLAIN QUERY PLAN SELECT a.id FROM annotations a ORDER BY a.text COLLATE NOCASE, a.id"
        ).fetchall()
        return " ".join(str(r[-1]) for r in rows)
    finally:
        conn.close()


def test_the_text_sort_walks_the_index_schema_4_makes(tmp_path: Path) -> None:
    """The index comes with the file format (it was made by the table's worker on a
    connection of its own, a write outside the guarded path)."""
    path = _project(tmp_path / "x.annot")
    assert TEXT_INDEX in _plan(path)
    with Project.open(path) as project:
        assert len(ordered_ids(project, TableFilter(), "text", descending=True)) == 700


@pytest.mark.parametrize("chunk", [1, 2, 7, 1 << 17])
def test_ids_parse_the_same_in_chunks_of_any_size(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.store.queries.table_queries as queries

    monkeypatch.setattr(queries, "PARSE_CHUNK", chunk)
    for ids in ([5], [12, 3], list(range(1, 3000, 7)), [2**62, 1, 99]):
        assert list(queries.parse_ids(",".join(map(str, ids)))) == ids
