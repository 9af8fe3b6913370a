"""Bulk writes for large imports (Annotator JSONL): rows checked by the format, buffered
here and written with ``executemany`` inside the caller's transaction.

The caller gives every annotation its id (:meth:`BulkWriter.next_annotation_id` is
the first free one), so relations, attributes and actor links can refer to
annotations before they are written. :meth:`BulkWriter.flush` writes the buffers in
the order the foreign keys need (annotations first); call it between whole documents
so every reference in the buffers resolves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annotator.store.project import Project

_ANNOTATION_INSERT = (
    'INSERT INTO annotations(id, document_id, start, "end", text, label_id, note, '
    "annotator, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ATTRIBUTE_INSERT = "INSERT INTO annotation_attributes(annotation_id, key, value) VALUES (?, ?, ?)"
_RELATION_INSERT = (
    "INSERT INTO relations(type, from_id, to_id, annotator, created) VALUES (?, ?, ?, ?, ?)"
)
_MENTION_INSERT = "INSERT INTO actor_mentions(annotation_id, actor_id) VALUES (?, ?)"

AnnotationRow = tuple[int, int, int, int, str, int, "str | None", str, str, str]
"""``(id, document_id, start, end, text, label_id, note, annotator, created, modified)``"""


class BulkWriter:
    """Buffers the rows of a bulk import and writes them with ``executemany``.

    Use it inside :meth:`Project.transaction`: nothing here commits, so a failing
    import rolls back whole. The rows must already be checked (offsets in range,
    ``text == document_text[start:end]``, labels and attribute keys of the codebook).
    """

    def __init__(self, project: Project) -> None:
        self._conn = project.db.conn
        self._actor_ids: dict[str, int] = {}
        self._annotations: list[tuple[Any, ...]] = []
        self._attributes: list[tuple[int, str, str]] = []
        self._relations: list[tuple[str, int, int, str, str]] = []
        self._mentions: list[tuple[int, int]] = []

    def next_annotation_id(self) -> int:
        """The first annotation id not used in the file (ids given by the caller
        count up from here)."""
        return int(
            self._conn.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations").fetchone()[0]
        )

    def add_document(
        self,
        *,
        title: str,
        source_name: str | None,
        source_path: str | None,
        text: str,
        sha256: str,
        imported_at: str,
    ) -> int:
        """Insert a document (its *text* already normalised, *sha256* its hash) now;
        return its id."""
        cur = self._conn.execute(
            "INSERT INTO documents(title, source_name, source_path, text, sha256, length, "
            "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (title, source_name, source_path, text, sha256, len(text), imported_at),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def add_annotations(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Buffer annotation rows (see :data:`AnnotationRow`)."""
        self._annotations.extend(rows)

    def add_attributes(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Buffer ``(annotation_id, key, value)`` rows."""
        self._attributes.extend(rows)

    def add_relations(self, rows: Iterable[tuple[str, int, int, str, str]]) -> None:
        """Buffer ``(type, from_id, to_id, annotator, created)`` rows."""
        self._relations.extend(rows)

    def link_actors(self, links: Iterable[tuple[int, str, str]]) -> None:
        """Buffer ``(annotation_id, actor name, actor type)`` links; an actor missing
        from the project is added now with that type (an existing one keeps its own)."""
        self._mentions.extend((a_id, self._actor_id(name, kind)) for a_id, name, kind in links)

    def _actor_id(self, name: str, kind: str) -> int:
        found = self._actor_ids.get(name)
        if found is None:
            row = self._conn.execute("SELECT id FROM actors WHERE name = ?", (name,)).fetchone()
            if row is None:
                cur = self._conn.execute(
                    "INSERT INTO actors(name, type) VALUES (?, ?)", (name, kind)
                )
                assert cur.lastrowid is not None
                found = cur.lastrowid
            else:
                found = row[0]
            self._actor_ids[name] = found
        return found

    @property
    def pending(self) -> int:
        """Annotation rows buffered and not yet written."""
        return len(self._annotations)

    def flush(self) -> None:
        """Write the buffered rows, annotations first (the others refer to them)."""
        for sql, rows in (
            (_ANNOTATION_INSERT, self._annotations),
            (_ATTRIBUTE_INSERT, self._attributes),
            (_RELATION_INSERT, self._relations),
            (_MENTION_INSERT, self._mentions),
        ):
            if rows:
                self._conn.executemany(sql, rows)
                rows.clear()
