"""Changes to the list of documents: a new title, the order they are listed in."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.text import check_text

if TYPE_CHECKING:
    from annotator.store.project import Project

MAX_TITLE = 1_000


def rename_document(project: Project, document_id: int, title: str) -> str:
    """Give the document *title*; return its old title (for undo)."""
    old = project.document(document_id).title
    title = title.strip() if isinstance(title, str) else title
    if not title:
        raise InputError("a document needs a title")
    if len(title) > MAX_TITLE:
        raise InputError(f"a title may be up to {MAX_TITLE:,} characters")
    if "\n" in title or "\r" in title:
        raise InputError("a title is one line")
    check_text(title, "the title")
    with project.transaction():
        project.execute("UPDATE documents SET title = ? WHERE id = ?", (title, document_id))
    return old


def listing_sql(conn: sqlite3.Connection, columns: str) -> str:
    """The query listing the documents (*columns*) in the user's order, new ones after
    them by id; by id alone (no join, no sort) while the user has ordered none."""
    ordered = conn.execute(
        "SELECT 1 FROM document_info WHERE position IS NOT NULL LIMIT 1"
    ).fetchone()
    if not ordered:
        return f"SELECT {columns} FROM documents ORDER BY id"
    return (
        f"SELECT {columns} FROM documents LEFT JOIN document_info ON document_id = id "
        "ORDER BY position IS NULL, position, id"
    )


def document_order(project: Project) -> list[int]:
    """The document ids in the order they are listed."""
    return [d.id for d in project.documents()]


def set_document_order(project: Project, document_ids: Sequence[int]) -> list[int]:
    """List the documents in the order of *document_ids* (every document once); return
    the order before (for undo)."""
    before = document_order(project)
    if sorted(document_ids) != sorted(before):
        raise InputError("the new order must name every document of the project once")
    with project.transaction():
        project.db.conn.executemany(
            "INSERT INTO document_info(document_id, position) VALUES (?, ?) "
            "ON CONFLICT(document_id) DO UPDATE SET position = excluded.position",
            [(doc, n) for n, doc in enumerate(document_ids)],
        )
    return before
