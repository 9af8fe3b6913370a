"""A merge as one undo step: what :func:`~annotator.store.merge.merge_files` added,
and taking it back.

A merge only inserts rows, in one transaction, so what it added is every row whose
id is above the largest id before it (SQLite gives a new row the largest id plus one).
Undoing removes the added annotations (their attributes, links and actor links go
with them), the added documents and the canonical actors no annotation names any
more; labels added to the codebook stay (they are harmless and a later merge needs
them again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.store.merge import MergeReport, merge_files
from annotator.store.project import Project

_TABLES = ("annotations", "documents", "actors")


@dataclass(frozen=True)
class Added:
    """The ids of the rows one merge added."""

    annotations: tuple[int, ...] = ()
    documents: tuple[int, ...] = ()
    actors: tuple[int, ...] = ()


def _largest(project: Project) -> dict[str, int]:
    return {
        table: int(project.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        for table in _TABLES
    }


def merge_undoably(
    target: Project, sources: Sequence[Path], *, label_map: Mapping[str, str] | None = None
) -> tuple[list[MergeReport], Added]:
    """:func:`merge_files`, and the ids of what it added (for :func:`undo_merge`)."""
    before = _largest(target)
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
    return reports, Added(ids["annotations"], ids["documents"], ids["actors"])


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
    target.forget_cached()
