"""Row sources for the exports: streamed in chunks, in document and text order, never
all annotations in memory at once. The formats build files from these rows; the SQL
stays here (DESIGN.md: all SQL lives in store/)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from annotator.store.file.stored_text import document_text
from annotator.store.project import Project
from annotator.store.queries.table_columns import FLAT as FLAT_COLUMNS
from annotator.store.queries.table_columns import (
    Column,
    register_functions,
    table_columns,
    table_from,
)

_ORDER = ' ORDER BY f.document_id, f.start, f."end", f.annotation_id'
CHUNK = 10_000


def count_annotations(project: Project) -> int:
    return int(project.execute("SELECT count(*) FROM annotations").fetchone()[0])


def table_rows(
    project: Project, columns: Sequence[Column], tick: Callable[[int, int], None]
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of the cells of *columns*, as stored (no formula rule: the workbook applies
    its own), in chunks; *tick(done, total)* after each chunk."""
    total = count_annotations(project)
    cursor = csv_rows(project, raw=True, columns=columns)
    n = 0
    while rows := cursor.fetchmany(CHUNK):
        yield rows
        n += len(rows)
        tick(n, total)


# -- the formula neutraliser: one rule for every cell of every CSV and XLSX export ----

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by a spreadsheet (OWASP's list)."""
_SIGNED_NUMBER = "[+-]?[0-9]+(?:[.][0-9]+)?"
_PLAIN_NUMBERS = re.compile(f"{_SIGNED_NUMBER}(?:; {_SIGNED_NUMBER})*")
INERT_SQL_FUNCTION = "annotator_inert"


def runs_as_formula(value: str) -> bool:
    """True when a spreadsheet would run *value* as a formula: it starts with one of
    :data:`FORMULA_START` and is not plain numbers such as a position "-1" or "-1; +1"
    (ASCII digits and signs call nothing, and an apostrophe would spoil them as data).
    The one rule of every CSV and XLSX export; :func:`inert_sql` applies it in SQLite."""
    return value.startswith(FORMULA_START) and _PLAIN_NUMBERS.fullmatch(value) is None


def inert(value: str) -> str:
    """*value* with a leading apostrophe when it :func:`runs_as_formula`, else itself."""
    return "'" + value if runs_as_formula(value) else value


def inert_sql(expression: str) -> str:
    """SQL for :func:`inert` of a text *expression*: SQLite tests the first character
    against the codes of :data:`FORMULA_START` and calls the Python rule only for the
    rare cells that start with one (:func:`register_inert` must have run)."""
    codes = ", ".join(str(ord(c)) for c in FORMULA_START)
    return (
        f"iif(unicode({expression}) IN ({codes}), {INERT_SQL_FUNCTION}({expression}), {expression})"
    )


def _inert_cell(value: str | None) -> str | None:
    return inert(value) if isinstance(value, str) else value


def register_inert(project: Project) -> None:
    """Make :func:`inert` (and the helpers of the table's columns) callable from SQL on
    *project*'s connection."""
    project.db.conn.create_function(INERT_SQL_FUNCTION, 1, _inert_cell, deterministic=True)
    register_functions(project)


def _guarded(column: Column, raw: bool) -> str:
    return column.sql if raw or not column.guarded else inert_sql(column.sql)


_PRINTF_ARGS = 100  # SQLite allows 127 arguments to a function: a wide table is cut


def csv_lines(
    project: Project,
    *,
    raw: bool,
    tick: Callable[[int, int], None],
    columns: Sequence[Column] | None = None,
) -> Iterator[list[str]]:
    """CSV lines (RFC 4180; text cells quoted, their quotes doubled by ``printf``'s
    ``%w``), in chunks, of *columns* (by default the flat ones). SQLite formats each
    whole line: one Python string per row instead of a dozen objects, which is what
    keeps the export near the sqlite3 shell's speed."""
    columns = list(columns or [c for c in table_columns(project) if c.name in FLAT_COLUMNS])
    pieces = []
    for at in range(0, len(columns), _PRINTF_ARGS):
        part = columns[at : at + _PRINTF_ARGS]
        pattern = ",".join("%d" if c.number else '"%w"' for c in part)
        args = ", ".join(_guarded(c, raw) for c in part)
        pieces.append(f"printf('{pattern}', {args})")
    register_inert(project)
    total = count_annotations(project)
    line = " || ',' || ".join(pieces)
    ctes, joins = table_from(project, columns)
    cursor = project.execute(f"{ctes} SELECT {line} FROM annotations_flat f {joins}" + _ORDER)
    n = 0
    while rows := cursor.fetchmany(CHUNK):
        yield [r[0] for r in rows]
        n += len(rows)
        tick(n, total)


def has_nul_cells(project: Project) -> bool:
    """True when a cell of the annotation table holds a NUL character (``printf``
    would cut the cell there; the exporter then takes the slower exact path)."""
    sql = (
        "SELECT EXISTS(SELECT 1 FROM annotations WHERE instr(text, char(0)) "
        "OR instr(coalesce(note, ''), char(0)) OR instr(annotator, char(0))) "
        "OR EXISTS(SELECT 1 FROM documents WHERE instr(title, char(0))) "
        "OR EXISTS(SELECT 1 FROM labels WHERE instr(key, char(0)) OR instr(name, char(0))) "
        "OR EXISTS(SELECT 1 FROM actors WHERE instr(name, char(0))) "
        "OR EXISTS(SELECT 1 FROM annotation_attributes WHERE instr(value, char(0)))"
    )
    return bool(project.execute(sql).fetchone()[0])


def csv_rows(project: Project, *, raw: bool, columns: Sequence[Column] | None = None) -> Any:
    """The exact (slower) path: a cursor of the cells of *columns* (by default the flat
    ones) for ``csv.writer`` or a workbook; with *raw*, cells as stored."""
    columns = list(columns or [c for c in table_columns(project) if c.name in FLAT_COLUMNS])
    selected = ", ".join(_guarded(c, raw) for c in columns)
    register_inert(project)
    ctes, joins = table_from(project, columns)
    cursor = project.execute(f"{ctes} SELECT {selected} FROM annotations_flat f {joins}" + _ORDER)
    cursor.arraysize = CHUNK
    return cursor


# -- counts ----------------------------------------------------------------------------


def count_documents(project: Project) -> int:
    return int(project.execute("SELECT count(*) FROM documents").fetchone()[0])


def count_relations(project: Project) -> int:
    return int(project.execute("SELECT count(*) FROM relations").fetchone()[0])


def count_actor_links(project: Project) -> int:
    return int(project.execute("SELECT count(*) FROM actor_mentions").fetchone()[0])


def count_notes(project: Project) -> int:
    """Annotations with a non-empty note."""
    return int(
        project.execute(
            "SELECT count(*) FROM annotations WHERE note IS NOT NULL AND note != ''"
        ).fetchone()[0]
    )


def count_attribute_values(project: Project) -> int:
    return int(project.execute("SELECT count(*) FROM annotation_attributes").fetchone()[0])


# -- what a format cannot carry: one count per kind, for Report.dropped ----------------

_KINDS: dict[str, tuple[str, str]] = {
    # kind (singular, as Report.dropped names it) -> (table it needs, count query)
    "note": (
        "annotations",
        "SELECT count(*) FROM annotations WHERE note IS NOT NULL AND note != ''",
    ),
    "attribute value": ("annotation_attributes", "SELECT count(*) FROM annotation_attributes"),
    "relation": (
        "relations",
        "SELECT count(*) FROM relations WHERE type NOT IN (SELECT value FROM json_each(?))",
    ),
    "actor link": ("actor_mentions", "SELECT count(*) FROM actor_mentions"),
    "document variable": ("document_variables", "SELECT count(*) FROM document_variables"),
    "document group": ("document_groups", "SELECT count(*) FROM document_groups"),
    "label hierarchy link": (
        "labels",
        "SELECT count(*) FROM labels WHERE parent_id IS NOT NULL",
    ),
    "document memo": ("document_info", "SELECT count(*) FROM document_info WHERE memo != ''"),
    "project memo": ("meta", "SELECT count(*) FROM meta WHERE key = 'memo' AND value != ''"),
}
CONTENT_KINDS = tuple(_KINDS)
"""The kinds of content an export may leave out, as :data:`Report.dropped` names them."""


def _present(project: Project, table: str, kind: str) -> bool:
    """True when the project file has what *kind* is counted in (older files may not)."""
    if kind == "label hierarchy link":
        sql = "SELECT 1 FROM pragma_table_info('labels') WHERE name = 'parent_id'"
        return project.execute(sql).fetchone() is not None
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return project.execute(sql, (table,)).fetchone() is not None


def uncarried(
    project: Project,
    carried: Iterable[str] = (),
    *,
    relation_types: Iterable[str] = (),
    attribute_keys: Iterable[str] | None = None,
    variable_keys: Iterable[str] | None = None,
) -> Counter[str]:
    """How many things of each kind of :data:`CONTENT_KINDS` the project holds that a
    format carrying only the kinds *carried* leaves out (zero counts omitted). With
    *relation_types*, relations of those types count as carried (the CSV carries the
    claim roles as columns); with *attribute_keys* or *variable_keys*, only the values
    of those keys are carried (a CSV of some columns). The one count behind every
    exporter's ``dropped``."""
    keep = set(carried)
    only = {"attribute value": attribute_keys, "document variable": variable_keys}
    out: Counter[str] = Counter()
    for kind, (table, sql) in _KINDS.items():
        if not _present(project, table, kind):
            continue
        params: tuple[str, ...] = ()
        if kind in only and kind in keep and only[kind] is not None:
            sql += " WHERE key NOT IN (SELECT value FROM json_each(?))"
            params = (json.dumps(sorted(set(only[kind] or ()))),)
        elif kind in keep:
            continue
        elif kind == "relation":
            params = (json.dumps(sorted(set(relation_types))),)
        n = int(project.execute(sql, params).fetchone()[0])
        if n:
            out[kind] = n
    return out


# -- per-document streams (the document exports: JSONL, Label Studio, doccano) --------


def _chunks(project: Project, sql: str, params: tuple[Any, ...]) -> Iterator[list[Any]]:
    cursor = project.execute(sql, params)
    while rows := cursor.fetchmany(CHUNK):
        yield rows


def document_texts(project: Project) -> Iterator[tuple[int, str, str]]:
    """``(id, title, text)`` of every document in id order, one row at a time (a text
    another program stored as a BLOB goes through :func:`document_text`)."""
    for doc_id, title, text in project.execute("SELECT id, title, text FROM documents ORDER BY id"):
        yield (
            doc_id,
            title,
            text if isinstance(text, str) else document_text(text, doc_id, project.path),
        )


def document_records(project: Project) -> Iterator[tuple[Any, ...]]:
    """``(id, title, source_name, source_path, imported_at, sha256, text)`` of every
    document in id order, one row at a time."""
    for *fields, text in project.execute(
        "SELECT id, title, source_name, source_path, imported_at, sha256, text "
        "FROM documents ORDER BY id"
    ):
        yield (
            *fields,
            text if isinstance(text, str) else document_text(text, fields[0], project.path),
        )


_SPANS_SQL = (
    'SELECT a.id, a.start, a."end", a.text, l.key, a.note, a.annotator, a.created, '
    "a.modified, (SELECT json_group_object(t.key, t.value) FROM annotation_attributes t "
    "WHERE t.annotation_id = a.id) FROM annotations a JOIN labels l ON l.id = a.label_id "
    'WHERE a.document_id = ? ORDER BY a.start, a."end", a.id'
)
_SPANS_SHORT_SQL = (
    'SELECT a.id, a.start, a."end", a.text, l.key, a.note, '
    "(SELECT json_group_object(t.key, t.value) FROM annotation_attributes t "
    "WHERE t.annotation_id = a.id) FROM annotations a JOIN labels l ON l.id = a.label_id "
    'WHERE a.document_id = ? ORDER BY a.start, a."end", a.id'
)
_POSITIONS_SQL = (
    'SELECT a.start, a."end", l.key FROM annotations a JOIN labels l '
    'ON l.id = a.label_id WHERE a.document_id = ? ORDER BY a.start, a."end", a.id'
)
_RELATIONS_SQL = (
    "SELECT r.type, r.from_id, r.to_id, r.annotator, r.created FROM relations r "
    "JOIN annotations a ON a.id = r.from_id WHERE a.document_id = ? ORDER BY r.id"
)
_RELATIONS_SHORT_SQL = (
    "SELECT r.type, r.from_id, r.to_id FROM relations r "
    "JOIN annotations a ON a.id = r.from_id WHERE a.document_id = ? ORDER BY r.id"
)
_ACTORS_SQL = (
    "SELECT m.annotation_id, c.name, c.type FROM actor_mentions m "
    "JOIN annotations a ON a.id = m.annotation_id JOIN actors c ON c.id = m.actor_id "
    "WHERE a.document_id = ? ORDER BY m.annotation_id"
)


def span_records(project: Project, doc_id: int) -> Iterator[list[tuple[Any, ...]]]:
    """A document's spans in text order, in chunks of ``(id, start, end, text, label,
    note, annotator, created, modified, attributes)`` (attributes: a JSON object)."""
    return _chunks(project, _SPANS_SQL, (doc_id,))


def span_contents(project: Project, doc_id: int) -> Iterator[list[tuple[Any, ...]]]:
    """A document's spans in text order, in chunks of ``(id, start, end, text, label,
    note, attributes)`` (attributes: a JSON object)."""
    return _chunks(project, _SPANS_SHORT_SQL, (doc_id,))


def span_positions(project: Project, doc_id: int) -> Iterator[list[tuple[int, int, str]]]:
    """A document's spans in text order, in chunks of ``(start, end, label)``."""
    return _chunks(project, _POSITIONS_SQL, (doc_id,))


def relation_records(project: Project, doc_id: int) -> Iterator[list[tuple[Any, ...]]]:
    """Relations from a document's spans in id order, in chunks of ``(type, from_id,
    to_id, annotator, created)``."""
    return _chunks(project, _RELATIONS_SQL, (doc_id,))


def relation_links(project: Project, doc_id: int) -> Iterator[list[tuple[str, int, int]]]:
    """Relations from a document's spans in id order, in chunks of ``(type, from_id,
    to_id)``."""
    return _chunks(project, _RELATIONS_SHORT_SQL, (doc_id,))


def actor_link_records(project: Project, doc_id: int) -> Iterator[list[tuple[int, str, str]]]:
    """Actor links of a document's spans by span id, in chunks of ``(annotation_id,
    actor name, actor type)``."""
    return _chunks(project, _ACTORS_SQL, (doc_id,))


# -- attributes (XLSX) ----------------------------------------------------------------


def attribute_keys_used(project: Project) -> list[str]:
    """Every attribute key some annotation holds, sorted."""
    return [
        k for (k,) in project.execute("SELECT DISTINCT key FROM annotation_attributes ORDER BY key")
    ]


def attributes_of(project: Project, ids: list[int]) -> dict[int, dict[str, str]]:
    """Annotation id -> {key: value} for the annotations *ids* that hold attributes."""
    out: dict[int, dict[str, str]] = {}
    rows = project.execute(
        "SELECT annotation_id, key, value FROM annotation_attributes "
        "WHERE annotation_id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    for annotation_id, key, value in rows:
        out.setdefault(annotation_id, {})[key] = value
    return out


def notes_of(project: Project, ids: list[int]) -> dict[int, str]:
    """Annotation id -> note, for the annotations *ids* that have one."""
    rows = project.execute(
        "SELECT id, note FROM annotations WHERE note IS NOT NULL AND note != '' "
        "AND id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    return {a_id: note for a_id, note in rows}
