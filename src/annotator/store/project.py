"""The :class:`Project` API over one SQLite project file.

Scripts and notebooks use it directly::

    from annotator.store import Project
    with Project.create("claims.annot") as project:
        doc = project.add_document("France's Senate adopted ...", title="France")
        project.annotate(doc, 0, 14, "actor", note="upper house")

Every method that changes something is one transaction: when it returns, the change
is in the file. Offsets are code points into the document's normalised text.
"""

from __future__ import annotations

import enum
import getpass
import os
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import chain
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from annotator.core.codebook import Codebook, Label
from annotator.core.errors import (
    InputError,
    ProjectDamagedError,
    ProjectError,
    ProjectMovedError,
)
from annotator.core.text import check_text, normalise, text_hash
from annotator.store.codebook.codebook_mixin import CodebookMixin
from annotator.store.documents.document_edits import listing_sql
from annotator.store.documents.document_groups import DocumentGroups
from annotator.store.documents.document_info import DocumentInfoMixin
from annotator.store.documents.document_variables import DocumentVariables
from annotator.store.file.backup import BackupJob
from annotator.store.file.database import database
from annotator.store.file.lock import ProjectLock
from annotator.store.file.open_file import OpenFile, checkpoint, damaged_while_open_message
from annotator.store.file.opening import create_project, now, open_project
from annotator.store.file.relocation import backup_to, relocate
from annotator.store.file.stored_text import document_text
from annotator.store.file.write_errors import moved_args as _moved_args
from annotator.store.file.write_errors import write_error as _write_error
from annotator.store.models import Annotation, Document, Removed
from annotator.store.structure import StructureMixin
from annotator.store.team.coders import Coders

if TYPE_CHECKING:
    from sqlite_utils import Database

_ANNOTATION_COLUMNS = (
    'a.id, a.document_id, a.start, a."end", a.text, l.key, a.note, a.annotator, '
    "a.created, a.modified, a.uuid"
)
_DOCUMENT_COLUMNS = "id, title, source_name, source_path, sha256, length, imported_at"


class Keep(enum.Enum):
    """Marks an argument of :meth:`Project.update_annotation` left as it is."""

    KEEP = 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Project(CodebookMixin, StructureMixin, DocumentInfoMixin):
    """An open project file. Use :meth:`create` or :meth:`open`, then :meth:`close`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self._conn = conn
        # sqlite-utils (for transactions): at once for changes, when first used read-only
        self._db: Database | None = None if read_only else database(conn)
        self._texts: dict[int, str] = {}
        self._labels: list[Label] | None = None  # cached codebook, cleared on any change
        self._codebook: Codebook | None = None
        self._label_ids: dict[str, int] = {}
        self._lock: ProjectLock | None = None
        self._open_file = None if read_only else OpenFile(path)
        self._annotation_columns = _ANNOTATION_COLUMNS
        self.coders = Coders(self)
        self.variables = DocumentVariables(self)
        self.groups = DocumentGroups(self)
        self._blocked: ProjectError | None = None  # moved or damaged: no more writes
        self._backup_job: BackupJob | None = None
        self._backup_problem: str | None = None

    # -- opening and closing -------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        codebook: Codebook | None = None,
        *,
        annotator: str | None = None,
        name: str | None = None,
    ) -> Project:
        """Create a new project file at *path* with *codebook* (the bundled default if None)."""
        return create_project(cls, Path(path), codebook, annotator=annotator, name=name)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> Project:
        """Open an existing project; refuse files that are not projects or are newer."""
        return open_project(cls, Path(path), read_only=read_only)

    def close(self) -> None:
        if self._conn is None:
            return
        if self._backup_job is not None:
            self._backup_job.wait()
            self.backup_problem = self._backup_job.error
            self._backup_job = None
        try:
            if not self.read_only and self._blocked is None:
                self._conn.execute("PRAGMA optimize")
                checkpoint(self._conn)
        except sqlite3.Error:
            pass
        self._conn.close()
        self._conn = None  # type: ignore[assignment]
        if self._open_file is not None:
            self._open_file.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def backup_problem(self) -> str | None:
        """Why the automatic backup failed (with the folder backups go to), else None;
        a copy running in the background reports as soon as it has ended."""
        job = self._backup_job
        if job is not None and job.done:
            self._backup_problem = job.error
            self._backup_job = None
        return self._backup_problem

    @backup_problem.setter
    def backup_problem(self, problem: str | None) -> None:
        self._backup_problem = problem

    @property
    def closed(self) -> bool:
        return self._conn is None

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def db(self) -> Database:
        """sqlite-utils over this project's connection (:mod:`annotator.store.file.database`)."""
        if self._db is None:
            self._db = database(self._conn)
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction for several changes (nested calls become savepoints).

        The one guarded path of every write: the file is checked before (moved,
        replaced, damaged: :mod:`annotator.store.file.open_file`), the WAL folded into it
        after, and what SQLite or Python raise while writing becomes a one-line error.
        """
        if self.read_only:
            raise ProjectError(f"{self.path.name} is open read-only; changes cannot be saved")
        outermost = not self._conn.in_transaction
        if outermost:
            self._check_file()
        try:
            with self.db.atomic():
                yield
        except BaseException as exc:
            self._labels = self._codebook = (
                None  # a rolled-back codebook change must not stay cached
            )
            raise _write_error(self, exc) from None
        if outermost:
            assert self._open_file is not None
            self._open_file.after_write(self._conn)

    @property
    def write_blocked(self) -> str | None:
        """Why nothing more can be written (the file was moved or damaged), or None."""
        return str(self._blocked) if self._blocked is not None else None

    def _check_file(self, *, deep: bool = False, writing: bool = True) -> None:
        if self._blocked is not None:
            raise type(self._blocked)(str(self._blocked), *_moved_args(self._blocked))
        assert self._open_file is not None
        try:
            if self._open_file.check_before_write(self._conn, writing=writing):
                self.forget_cached()  # another connection wrote: read texts and labels again
            problem = self._open_file.deep_check() if deep else None
            if problem:
                raise ProjectDamagedError(damaged_while_open_message(self.path, problem))
        except (ProjectMovedError, ProjectDamagedError) as exc:
            self._blocked = exc
            raise

    def verify(self, deep: bool = False) -> None:
        """Raise :class:`ProjectMovedError` or :class:`ProjectDamagedError` when the open
        file was moved, deleted, replaced or damaged; *deep* adds ``PRAGMA quick_check``
        of the file on disk (the window does it when it regains focus)."""
        if self.read_only or self._conn is None:
            return
        self._check_file(deep=deep, writing=False)

    def deep_check(self) -> str | None:
        """``PRAGMA quick_check`` of the file on disk, on a connection of its own: safe to
        run in another thread (it touches nothing of this project's state). Returns the
        problem found, or None; give it to :meth:`mark_damaged` on the project's thread."""
        opened = self._open_file
        return opened.deep_check() if opened is not None else None

    def mark_damaged(self, problem: str) -> ProjectDamagedError:
        """Stop writing because of *problem* (found by :meth:`deep_check`); the error to show."""
        error = ProjectDamagedError(damaged_while_open_message(self.path, problem))
        self._blocked = error
        return error

    def relocate(self, path: str | os.PathLike[str]) -> None:
        """Go on working in the open file at its new place *path* (after a move)."""
        relocate(self, Path(path))

    def backup_to(self, path: str | os.PathLike[str]) -> Path:
        """Copy the whole project to *path* with SQLite's backup API (Save As); works
        also when the open file was moved, deleted or damaged since."""
        return backup_to(self, Path(path))

    # -- settings ------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self._write_meta(key, value)

    def _write_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def annotator(self) -> str:
        """Who is annotating: the project setting, else the operating-system user."""
        return self.setting("annotator") or _os_user()

    @annotator.setter
    def annotator(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise InputError("the annotator name cannot be empty")
        self.set_setting("annotator", name)

    @property
    def name(self) -> str:
        return self.setting("name") or self.path.stem

    def forget_cached(self) -> None:
        """Read the codebook and texts again (another connection may have changed the
        codebook, e.g. an import running in a background thread)."""
        self._labels = self._codebook = None
        self._texts.clear()

    # -- documents -----------------------------------------------------------------

    def add_document(
        self,
        text: str,
        title: str,
        *,
        source_path: str | None = None,
        source_name: str | None = None,
    ) -> Document:
        """Store a document; *text* is normalised (DESIGN.md) before it is stored."""
        text = normalise(text)
        title = title.strip()
        for value, what in ((text, "text"), (title, "title")):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError(
                    f"the {what} of '{title[:60]}' holds invalid characters (unpaired UTF-16 surrogates)"
                ) from None
        if not text.strip():
            raise InputError(f"'{title}' has no text to annotate")
        if not title:
            raise InputError("a document needs a title")
        check_text(text, f"the text of '{title[:60]}'")  # NUL, controls
        stamp = now()
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO documents(title, source_name, source_path, text, sha256, length, "
                "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, source_name, source_path, text, text_hash(text), len(text), stamp),
            )
        doc_id = cur.lastrowid
        assert doc_id is not None
        self._texts[doc_id] = text
        return Document(doc_id, title, source_name, source_path, text_hash(text), len(text), stamp)

    def documents(self) -> list[Document]:
        rows = self._conn.execute(listing_sql(self._conn, _DOCUMENT_COLUMNS))
        return [Document(*r) for r in rows]

    def document(self, document: int | Document) -> Document:
        doc_id = _doc_id(document)
        row = self._conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise InputError(f"there is no document {doc_id} in {self.path.name}")
        return Document(*row)

    def find_document(self, id_or_title: str) -> Document:
        """The document with this id, else with this exact title."""
        wanted = id_or_title.strip()
        if wanted.isascii() and wanted.isdigit() and len(wanted) <= 19 and int(wanted) < 2**63:
            row = self._conn.execute(
                f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (int(wanted),)
            ).fetchone()
            if row:
                return Document(*row)
        rows = self._conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE title = ?", (wanted,)
        ).fetchall()
        if len(rows) == 1:
            return Document(*rows[0])
        if len(rows) > 1:
            ids = ", ".join(str(r[0]) for r in rows)
            raise InputError(f"{len(rows)} documents are titled '{wanted}' (ids {ids}); give an id")
        raise InputError(f"there is no document '{wanted}' in {self.path.name}")

    def text(self, document: int | Document) -> str:
        """The normalised text of a document (read once, then cached: it never changes)."""
        doc_id = _doc_id(document)
        text = self._texts.get(doc_id)
        if text is None:
            row = self._conn.execute(
                "SELECT text FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
            if row is None:
                raise InputError(f"there is no document {doc_id} in {self.path.name}")
            text = document_text(row[0], doc_id, self.path)
            if len(self._texts) > 8:
                self._texts.pop(next(iter(self._texts)))
            self._texts[doc_id] = text
        return text

    def remove_document(self, document: int | Document) -> None:
        doc_id = _doc_id(document)
        self.document(doc_id)
        with self.transaction():
            self._conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        self._texts.pop(doc_id, None)

    # -- annotations ---------------------------------------------------------------

    def annotate(
        self,
        document: int | Document,
        start: int,
        end: int,
        label: str,
        note: str | None = None,
    ) -> Annotation:
        """Label the span ``[start, end)`` of *document*; return the stored annotation."""
        return self.annotate_many(document, [(start, end, label, note)])[0]

    def annotate_many(
        self,
        document: int | Document,
        spans: Iterable[tuple[Any, ...]],
        *,
        annotator: str | None = None,
        created: str | None = None,
    ) -> list[Annotation]:
        """Store many ``(start, end, label, note)`` spans of one document in one transaction.

        *annotator* and *created* default to the project's annotator and now; imports
        pass those of the file they read. A span may also be
        ``(start, end, label, note, annotator, created)``: its own coder and time (each
        None for the defaults), as imports of several coders' work give them.
        """
        doc_id = _doc_id(document)
        text = self.text(doc_id)
        who, stamp = annotator or self.annotator, created or now()
        rows = []
        for span in spans:
            start, end, label, note, *own = span
            coder = own[0] if own and own[0] else who
            when = own[1] if len(own) > 1 and own[1] else stamp
            _check_range(start, end, len(text))
            rows.append(
                (doc_id, start, end, text[start:end], self._label_id(label), note, coder, when,
                 when)
            )  # fmt: skip
        return self._insert_annotations(rows)

    def restore_annotations(self, annotations: Sequence[Annotation]) -> list[Annotation]:
        """Put deleted annotations back with their ids, authors and times (undo of delete)."""
        rows = [
            (
                a.id,
                a.document_id,
                a.start,
                a.end,
                a.text,
                self._label_id(a.label),
                a.note,
                a.annotator,
                a.created,
                a.modified,
                a.uuid or uuid4().hex,
            )
            for a in annotations
        ]
        with self.transaction():
            self._conn.executemany(
                'INSERT INTO annotations(id, document_id, start, "end", text, label_id, note, '
                "annotator, created, modified, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return [
            a if a.uuid else replace(a, uuid=row[-1])
            for a, row in zip(annotations, rows, strict=True)
        ]

    def _insert_annotations(self, rows: list[tuple[Any, ...]]) -> list[Annotation]:
        keys = {v: k for k, v in self._label_ids.items()}
        out = []
        with self.transaction():
            for row in rows:
                uuid = uuid4().hex
                cur = self._conn.execute(
                    'INSERT INTO annotations(document_id, start, "end", text, label_id, note, '
                    "annotator, created, modified, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*row, uuid),
                )
                assert cur.lastrowid is not None
                out.append(
                    Annotation(
                        cur.lastrowid,
                        row[0],
                        row[1],
                        row[2],
                        row[3],
                        keys[row[4]],
                        row[5],
                        row[6],
                        row[7],
                        row[8],
                        uuid,
                    )
                )
        return out

    def annotation(self, annotation_id: int) -> Annotation:
        row = self._conn.execute(
            f"SELECT {self._annotation_columns} FROM annotations a JOIN labels l ON l.id = a.label_id "
            "WHERE a.id = ?",
            (annotation_id,),
        ).fetchone()
        if row is None:
            raise InputError(f"there is no annotation {annotation_id} in {self.path.name}")
        return Annotation(*row)

    def annotations(
        self, document: int | Document | None = None, label: str | None = None
    ) -> list[Annotation]:
        """Annotations in document and text order, optionally of one document or label."""
        where, params = [], []
        if document is not None:
            where.append("a.document_id = ?")
            params.append(_doc_id(document))
        if label is not None:
            where.append("a.label_id = ?")
            params.append(self._label_id(label))
        sql = f"SELECT {self._annotation_columns} FROM annotations a JOIN labels l ON l.id = a.label_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY a.document_id, a.start, a."end", a.id'
        return [Annotation(*r) for r in self._conn.execute(sql, params)]

    def span_columns(
        self, document: int | Document, *, before: int | None = None
    ) -> tuple[array[int], array[int], array[int], array[int]]:
        """The spans of a document as four columns (ids, starts, ends, label ids) sorted
        by (start, end, id): read from the covering index, no Python object per span.
        With *before*, only the spans starting before that position (a first screen)."""
        sql = 'SELECT id, start, "end", label_id FROM annotations WHERE document_id = ?'
        params: tuple[int, ...] = (_doc_id(document),)
        if before is not None:
            sql += " AND start < ?"
            params += (before,)
        flat = array(
            "q",
            chain.from_iterable(self._conn.execute(sql + ' ORDER BY start, "end", id', params)),
        )
        return flat[0::4], flat[1::4], flat[2::4], flat[3::4]

    def update_annotation(
        self,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        note: str | Keep | None = Keep.KEEP,
    ) -> Annotation:
        """Change an annotation's range, label or note; return it as it is now."""
        old = self.annotation(annotation_id)
        new_start = old.start if start is None else start
        new_end = old.end if end is None else end
        text = self.text(old.document_id)
        _check_range(new_start, new_end, len(text))
        label_id = self._label_id(label if label is not None else old.label)
        new_note = old.note if isinstance(note, Keep) else note
        with self.transaction():
            self._conn.execute(
                'UPDATE annotations SET start = ?, "end" = ?, text = ?, label_id = ?, note = ?, '
                "modified = ? WHERE id = ?",
                (
                    new_start,
                    new_end,
                    text[new_start:new_end],
                    label_id,
                    new_note,
                    now(),
                    annotation_id,
                ),
            )
        return self.annotation(annotation_id)

    def delete_annotations(self, annotation_ids: Iterable[int]) -> Removed:
        """Delete annotations (with their attributes, relations and actor links)."""
        return self.remove_annotations(annotation_ids)

    def counts(self) -> dict[int, dict[str, int]]:
        """Annotation counts per document and label key."""
        out: dict[int, dict[str, int]] = {d.id: {} for d in self.documents()}
        for doc_id, key, n in self._conn.execute(
            "SELECT a.document_id, l.key, count(*) FROM annotations a "
            "JOIN labels l ON l.id = a.label_id GROUP BY a.document_id, l.key"
        ):
            out.setdefault(doc_id, {})[key] = n
        return out

    def document_counts(self) -> dict[int, int]:
        """Annotation totals per document id (an index-only scan; no label join)."""
        return dict(
            self._conn.execute("SELECT document_id, count(*) FROM annotations GROUP BY document_id")
        )

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run a read query (for formats that stream rows, e.g. CSV export)."""
        return self._conn.execute(sql, params)


def _doc_id(document: int | Document) -> int:
    return document.id if isinstance(document, Document) else int(document)


def _check_range(start: Any, end: Any, length: int) -> None:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{name} must be a whole number, not {value!r}")
    if not 0 <= start < end <= length:
        raise InputError(
            f"the span [{start}, {end}) is outside the document (0 <= start < end <= {length})"
        )
