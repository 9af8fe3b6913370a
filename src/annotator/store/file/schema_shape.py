"""Whether a project file still has the tables and columns its file format has.

Another program (or a flipped byte inside ``sqlite_master``) can rename a column or
drop a table while ``PRAGMA integrity_check`` still says "ok": SQLite checks pages and
indexes, not that the schema is the one Annotator wrote. Such a file used to open and
then fail at the first query that named the lost column. :func:`missing_parts` names
what is gone, by comparing the file with the shape its format version has, learned by
running the migrations of :mod:`annotator.store.file.schema` in memory (so the migrations
stay the one description of the schema). Extra tables and columns are not reported:
no query of Annotator reads them.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from annotator.store.file.schema import MIGRATIONS

_COLUMNS = (
    "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
    "WHERE m.type = 'table'"
)


@cache
def expected_shape(version: int) -> frozenset[tuple[str, str]]:
    """(table, column) of every column a file of format *version* has."""
    conn = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS[:version]:
            migration(conn)
        return frozenset((str(t), str(c)) for t, c in conn.execute(_COLUMNS))
    finally:
        conn.close()


def missing_parts(conn: sqlite3.Connection, version: int) -> list[str]:
    """What a file of format *version* (1 up to this Annotator's) lacks, sorted:
    ``"table NAME"`` for a table that is gone, ``"TABLE.COLUMN"`` for a column.
    Raises :class:`sqlite3.DatabaseError` when the schema cannot be read."""
    present = {(str(t), str(c)) for t, c in conn.execute(_COLUMNS)}
    tables = {t for t, _ in present}
    expected = expected_shape(version)
    gone_tables = sorted({t for t, _ in expected} - tables)
    gone_columns = sorted(f"{t}.{c}" for t, c in expected - present if t in tables)
    return [f"table {t}" for t in gone_tables] + gone_columns


def listed(missing: list[str], shown: int = 5) -> str:
    """The first *shown* of *missing*, and how many more: "a.b, c.d and 2 more"."""
    more = len(missing) - shown
    return ", ".join(missing[:shown]) + (f" and {more} more" if more > 0 else "")


def missing_sentence(missing: list[str], version: int) -> str:
    """The words for *missing* in a message: "lacks documents.title, ... of format 4"."""
    return f"its tables lack {listed(missing)}, which file format {version} has"
