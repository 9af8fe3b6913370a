"""Deleting a document so that undo can put it back exactly.

A snapshot holds every row that belongs to the document, table by table (its text, its
info, variables, group memberships, annotations with their attributes, links and actor
links), read by column name so that a column added by a later schema comes along
without a change here. Restoring inserts them again with the same ids; what was deleted
meanwhile (a variable, a group, an actor, the other end of a link) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.store.project import Project

# (table, the rows of the document; :doc is its id), in an order that inserts parents first
_PARTS: tuple[tuple[str, str], ...] = (
    ("documents", "id = :doc"),
    ("document_info", "document_id = :doc"),
    ("document_variables", "document_id = :doc"),
    ("document_group_members", "document_id = :doc"),
    ("annotations", "document_id = :doc"),
    (
        "annotation_attributes",
        "annotation_id IN (SELECT id FROM annotations WHERE document_id = :doc)",
    ),
    (
        "relations",
        "from_id IN (SELECT id FROM annotations WHERE document_id = :doc) "
        "OR to_id IN (SELECT id FROM annotations WHERE document_id = :doc)",
    ),
    ("actor_mentions", "annotation_id IN (SELECT id FROM annotations WHERE document_id = :doc)"),
)
# what a restored row needs to exist still (else it is left out)
_STILL_THERE = {
    "document_variables": "key IN (SELECT key FROM variable_types)",
    "document_group_members": "group_id IN (SELECT id FROM document_groups)",
    "relations": "from_id IN (SELECT id FROM annotations) AND to_id IN (SELECT id FROM annotations)",
    "actor_mentions": "actor_id IN (SELECT id FROM actors)",
}


@dataclass(frozen=True)
class DocumentSnapshot:
    """Every row of one document, to put it back (see :func:`restore_document`)."""

    document_id: int
    title: str
    annotations: int
    tables: tuple[tuple[str, tuple[str, ...], tuple[tuple[Any, ...], ...]], ...]


def snapshot_document(project: Project, document_id: int) -> DocumentSnapshot:
    doc = project.document(document_id)
    tables = []
    count = 0
    for table, where in _PARTS:
        cursor = project.db.conn.execute(f"SELECT * FROM {table} WHERE {where}", {"doc": doc.id})
        columns = tuple(d[0] for d in cursor.description)
        rows = tuple(cursor.fetchall())
        if table == "annotations":
            count = len(rows)
        tables.append((table, columns, rows))
    return DocumentSnapshot(doc.id, doc.title, count, tuple(tables))


def delete_document(project: Project, document_id: int) -> DocumentSnapshot:
    """Delete the document with everything that belongs to it; return what undo needs."""
    with project.transaction():
        snapshot = snapshot_document(project, document_id)
        project.remove_document(document_id)
    return snapshot


def restore_document(project: Project, snapshot: DocumentSnapshot) -> None:
    """Put a deleted document back with the same ids (one transaction)."""
    conn = project.db.conn
    with project.transaction():
        for table, columns, rows in snapshot.tables:
            if not rows:
                continue
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            condition = _STILL_THERE.get(table)
            if condition is None:
                conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)
                continue
            # through a temporary table, so the condition can see the row's own values
            conn.execute(f"CREATE TEMP TABLE _restore AS SELECT {names} FROM {table} LIMIT 0")
            try:
                conn.executemany(f"INSERT INTO _restore({names}) VALUES ({marks})", rows)
                conn.execute(
                    f"INSERT OR IGNORE INTO {table}({names}) SELECT {names} FROM _restore "
                    f"WHERE {condition}"
                )
            finally:
                conn.execute("DROP TABLE temp._restore")
    project.forget_cached()
