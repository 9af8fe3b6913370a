"""A merge as one undo step: what :func:`~annotator.store.team.merge.merge_files` added,
and taking it back.

A merge only inserts rows, in one transaction, so what it added to the big tables is
every row whose id is above the largest id before it (SQLite gives a new row the
largest id plus one). Undoing removes the added annotations (their attributes, links
and actor links go with them), links added between annotations that were there, the
added documents, the canonical actors no annotation names any more and the codebook
entries the merge added; the small tables of document facts (variables, groups,
document info) are put back as they were before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.store.project import Project
from annotator.store.team.merge import MergeReport, merge_files

_TABLES = ("annotations", "documents", "actors")
# only grown by a merge: what it added is every row above the largest rowid before
_GROWN = ("relations", "labels", "attribute_types", "relation_types")
# put back whole (a merge may add to them and fill in empty fields)
_FACTS = (
    "variable_types",
    "document_groups",
    "document_variables",
    "document_group_members",
    "document_info",
)

Rows = tuple[tuple[str, tuple[str, ...], tuple[tuple[Any, ...], ...]], ...]


@dataclass(frozen=True)
class Added:
    """The ids of the rows one merge added, and the document facts before it."""

    annotations: tuple[int, ...] = ()
    documents: tuple[int, ...] = ()
    actors: tuple[int, ...] = ()
    largest: tuple[tuple[str, int], ...] = ()  # of the tables in _GROWN, before
    facts: Rows = ()


def _largest(project: Project, tables: Sequence[str] = _TABLES) -> dict[str, int]:
    return {
        table: int(project.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0])
        for table in tables
    }


def _facts(project: Project) -> Rows:
    out = []
    for table in _FACTS:
        cursor = project.execute(f"SELECT * FROM {table}")
        out.append((table, tuple(d[0] for d in cursor.description), tuple(cursor.fetchall())))
    return tuple(out)


def merge_undoably(
    target: Project, sources: Sequence[Path], *, label_map: Mapping[str, str] | None = None
) -> tuple[list[MergeReport], Added]:
    """:func:`merge_files`, and the ids of what it added (for :func:`undo_merge`)."""
    before = _largest(target)
    grown = _largest(target, _GROWN)
    facts = _facts(target)
    reports = merge_files(target, sources, label_map=label_map)
    ids = {
        table: tuple(
            int(r[0])
            for r in target.execute(
                f"SELECT id FROM {table} WHERE id > ? ORDER BY id", (before[table],)
            )
        )
        for table in _TABLES
    }
    added = Added(ids["annotations"], ids["documents"], ids["actors"], tuple(grown.items()), facts)
    return reports, added


def undo_merge(target: Project, added: Added) -> None:
    """Remove what a merge added (one transaction)."""
    conn = target.db.conn
    with target.transaction():
        conn.executemany("DELETE FROM annotations WHERE id = ?", [(i,) for i in added.annotations])
        conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in added.documents])
        conn.executemany(
            "DELETE FROM actors WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM actor_mentions m WHERE m.actor_id = actors.id)",
            [(i,) for i in added.actors],
        )
        for table, largest in added.largest:
            conn.execute(f"DELETE FROM {table} WHERE rowid > ?", (largest,))
        if added.facts:
            for table, _columns, _rows in reversed(added.facts):  # members before groups
                conn.execute(f"DELETE FROM {table}")
            for table, columns, rows in added.facts:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)
    target.forget_cached()
