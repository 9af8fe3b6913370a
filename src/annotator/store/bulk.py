"""Bulk writes for large imports (Annotator JSONL): rows checked by the format, buffered
here and written with ``executemany`` in one transaction.

Use :func:`bulk_writer`: it opens the transaction (a savepoint inside another one)
and yields a :class:`BulkWriter`; the rows are written when the block ends, and
nothing is when it raises. The caller gives every annotation its id
(:meth:`BulkWriter.next_annotation_id` is the first free one), so relations,
attributes and actor links can refer to annotations before they are written.
:meth:`BulkWriter.flush` writes the buffers in the order the foreign keys need
(annotations first); call it between whole documents so every reference resolves.

Into an empty table, the table's plain (non-unique) indexes are dropped at the start
and created again from their own SQL at the end: SQLite builds an index from all the
rows at once faster than it keeps it up to date row by row. Unique indexes, which
check the data, stay; so does every index of a table that already holds rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from annotator.core.text import check_text
from annotator.store.file.schema import UUID_SQL
from annotator.store.project import Project

_ANNOTATION_INSERT = (
    'INSERT INTO annotations(id, document_id, start, "end", text, label_id, note, '
    f"annotator, created, modified, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {UUID_SQL})"
)
_ATTRIBUTE_INSERT = "INSERT INTO annotation_attributes(annotation_id, key, value) VALUES (?, ?, ?)"
_RELATION_INSERT = (
    "INSERT INTO relations(type, from_id, to_id, annotator, created) VALUES (?, ?, ?, ?, ?)"
)
_MENTION_INSERT = "INSERT INTO actor_mentions(annotation_id, actor_id) VALUES (?, ?)"

AnnotationRow = tuple[int, int, int, int, str, int, "str | None", str, str, str]
"""``(id, document_id, start, end, text, label_id, note, annotator, created, modified)``"""


BULK_TABLES = ("annotations", "annotation_attributes", "relations", "actor_mentions")


@contextmanager
def bulk_writer(project: Project) -> Iterator[BulkWriter]:
    """One transaction of bulk writes: everything buffered is written when the block
    ends without an error; an error rolls back everything, indexes included."""
    with project.transaction():
        writer = BulkWriter(project)
        deferred = writer.defer_indexes()
        yield writer
        writer.flush()
        writer.create_indexes(deferred)


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
        return its id. The text is refused as every reader refuses it (NUL, controls)."""
        check_text(text, f"the text of '{title[:60]}'")
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

    def defer_indexes(self) -> list[str]:
        """Drop the plain indexes of the empty :data:`BULK_TABLES`; return the SQL that
        creates them again (for :meth:`create_indexes`, in the same transaction)."""
        assert self._conn.in_transaction, "defer indexes only inside a transaction"
        deferred = []
        for table in BULK_TABLES:
            if self._conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                continue
            for _seq, name, unique, origin, _partial in self._conn.execute(
                f"PRAGMA index_list({table})"
            ).fetchall():
                if unique or origin != "c":
                    continue
                (sql,) = self._conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
                ).fetchone()
                self._conn.execute(f'DROP INDEX "{name}"')
                deferred.append(sql)
        return deferred

    def create_indexes(self, sqls: list[str]) -> None:
        """Create the indexes :meth:`defer_indexes` dropped (after the last flush)."""
        for sql in sqls:
            self._conn.execute(sql)

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
