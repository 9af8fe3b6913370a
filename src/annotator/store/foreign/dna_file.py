"""A DNA 3.0 file (the Discourse Network Analyzer's SQLite database): its schema, read
and written as plain rows. The mapping to a project is :mod:`annotator.formats.dna`.

The tables, columns and checks are those DNA 3.0 creates for SQLite
(``dna/src/main/java/sql/Sql.java``, ``createTables``); DNA opens a file only when its
``SETTINGS`` ``version`` starts with "3.0". Rows are dicts of column -> value, by table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from annotator.core.errors import FormatError
from annotator.store.file.sidefiles import replacing

DNA_VERSION = "3.0.11.5"  # the DNA release whose schema this writes
DNA_DATE = "2025-02-05"


def _colour(name: str, null: bool = False) -> str:
    return f"{name} INTEGER{'' if null else ' NOT NULL DEFAULT 0'} CHECK ({name} BETWEEN 0 AND 255)"


def _flag(name: str, default: int) -> str:
    return f"{name} INTEGER NOT NULL CHECK ({name} BETWEEN 0 AND 1) DEFAULT {default}"


_RGB = ", ".join(_colour(c) for c in ("Red", "Green", "Blue"))
_PERMISSIONS = [
    "AddDocuments",
    "EditDocuments",
    "DeleteDocuments",
    "ImportDocuments",
    "AddStatements",
    "EditStatements",
    "DeleteStatements",
    "EditAttributes",
    "EditRegex",
    "EditStatementTypes",
    "EditCoders",
    "EditCoderRelations",
    "ViewOthersDocuments",
    "EditOthersDocuments",
    "ViewOthersStatements",
    "EditOthersStatements",
]

# table -> (columns in order, the CREATE TABLE body)
SCHEMA: dict[str, str] = {
    "SETTINGS": "Property TEXT PRIMARY KEY, Value TEXT NOT NULL",
    "CODERS": ", ".join(
        [
            "ID INTEGER NOT NULL PRIMARY KEY",
            "Name TEXT NOT NULL CHECK (LENGTH(Name) < 191)",
            _RGB,
            "Refresh INTEGER NOT NULL CHECK (Refresh BETWEEN 0 AND 9999) DEFAULT 0",
            "FontSize INTEGER NOT NULL CHECK (FontSize BETWEEN 1 AND 99) DEFAULT 14",
            "Password TEXT NOT NULL CHECK (LENGTH(Password) < 191)",
            "PopupWidth INTEGER CHECK (PopupWidth BETWEEN 100 AND 9999) DEFAULT 300",
            _flag("ColorByCoder", 0),
            _flag("PopupDecoration", 0),
            _flag("PopupAutoComplete", 1),
            *(_flag(f"Permission{p}", 1) for p in _PERMISSIONS),
        ]
    ),
    "DOCUMENTS": "ID INTEGER NOT NULL PRIMARY KEY, Title TEXT NOT NULL CHECK (LENGTH(Title) < 191), "
    "Text TEXT NOT NULL, Coder INTEGER, "
    + ", ".join(
        f"{c} TEXT NOT NULL DEFAULT '' CHECK (LENGTH({c}) < 191)"
        for c in ("Author", "Source", "Section")
    )
    + ", Notes TEXT NOT NULL DEFAULT '', Type TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Type) < 191), "
    "Date INTEGER NOT NULL, FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE",
    "STATEMENTTYPES": f"ID INTEGER NOT NULL PRIMARY KEY, Label TEXT NOT NULL CHECK (LENGTH(Label) < 191), {_RGB}",
    "VARIABLES": "ID INTEGER NOT NULL PRIMARY KEY, Variable TEXT NOT NULL CHECK (LENGTH(Variable) < 191), "
    "DataType TEXT NOT NULL CHECK (DataType = 'boolean' OR DataType = 'integer' OR DataType = "
    "'long text' OR DataType = 'short text') DEFAULT 'short text', StatementTypeId INTEGER, "
    "FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, "
    "UNIQUE (Variable, StatementTypeId)",
    "VARIABLELINKS": "ID INTEGER NOT NULL PRIMARY KEY, SourceVariableId INTEGER, TargetVariableId "
    "INTEGER, CHECK (TargetVariableId != SourceVariableId), FOREIGN KEY(SourceVariableId) "
    "REFERENCES VARIABLES(ID) ON DELETE CASCADE, FOREIGN KEY(TargetVariableId) REFERENCES "
    "VARIABLES(ID) ON DELETE CASCADE",
    "REGEXES": f"Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), {_RGB}",
    "CODERRELATIONS": "ID INTEGER NOT NULL PRIMARY KEY, Coder INTEGER CHECK(Coder > 0), OtherCoder "
    "INTEGER CHECK(OtherCoder > 0), "
    + ", ".join(
        f"{c} INTEGER NOT NULL DEFAULT 1 CHECK({c} BETWEEN 0 AND 1)"
        for c in ("viewStatements", "editStatements", "viewDocuments", "editDocuments")
    )
    + ", CHECK (Coder != OtherCoder), FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(OtherCoder) REFERENCES CODERS(ID) ON DELETE CASCADE",
    "STATEMENTS": "ID INTEGER NOT NULL PRIMARY KEY, StatementTypeId INTEGER, DocumentId INTEGER, "
    "Start INTEGER NOT NULL CHECK(Start >= 0), Stop INTEGER NOT NULL CHECK(Stop >= 0), Coder "
    "INTEGER, CHECK (Start < Stop), FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) "
    "ON DELETE CASCADE, FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, FOREIGN "
    "KEY(DocumentId) REFERENCES DOCUMENTS(ID) ON DELETE CASCADE",
    **{
        table: "ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER "
        f"NOT NULL, {value}, FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
        "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
        + (
            "FOREIGN KEY(Entity) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
            if table == "DATASHORTTEXT"
            else ""
        )
        + "UNIQUE (StatementId, VariableId)"
        for table, value in (
            ("DATABOOLEAN", "Value INTEGER NOT NULL DEFAULT 1"),
            ("DATAINTEGER", "Value INTEGER NOT NULL DEFAULT 0"),
            ("DATASHORTTEXT", "Entity INTEGER NOT NULL"),
            ("DATALONGTEXT", "Value TEXT DEFAULT ''"),
        )
    },
    "ENTITIES": "ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, Value TEXT NOT NULL "
    "DEFAULT '' CHECK (LENGTH(Value) < 191), "
    + ", ".join(_colour(c, null=True) for c in ("Red", "Green", "Blue"))
    + ", ChildOf INTEGER CHECK(ChildOf > 0), UNIQUE (VariableId, Value), FOREIGN KEY(ChildOf) "
    "REFERENCES ENTITIES(ID) ON DELETE CASCADE, FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) "
    "ON DELETE CASCADE",
    "ATTRIBUTEVARIABLES": "ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, "
    "AttributeVariable TEXT NOT NULL CHECK (LENGTH(AttributeVariable) < 191), UNIQUE(VariableId, "
    "AttributeVariable), FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE",
    "ATTRIBUTEVALUES": "ID INTEGER PRIMARY KEY NOT NULL, EntityId INTEGER NOT NULL, "
    "AttributeVariableId INTEGER NOT NULL, AttributeValue TEXT NOT NULL DEFAULT '' CHECK "
    "(LENGTH(AttributeValue) < 191), UNIQUE (EntityId, AttributeVariableId), FOREIGN KEY(EntityId) "
    "REFERENCES ENTITIES(ID) ON DELETE CASCADE, FOREIGN KEY(AttributeVariableId) REFERENCES "
    "ATTRIBUTEVARIABLES(ID) ON DELETE CASCADE",
}
# the order rows are written in (each refers only to tables before it)
TABLES = (
    "SETTINGS", "CODERS", "CODERRELATIONS", "DOCUMENTS", "STATEMENTTYPES", "VARIABLES",
    "VARIABLELINKS", "REGEXES", "STATEMENTS", "ENTITIES", "ATTRIBUTEVARIABLES", "ATTRIBUTEVALUES",
    "DATABOOLEAN", "DATAINTEGER", "DATASHORTTEXT", "DATALONGTEXT",
)  # fmt: skip
REQUIRED = tuple(t for t in TABLES if t != "VARIABLELINKS")  # DNA 3.0.10 and earlier lack it


Rows = list[dict[str, Any]]


@dataclass
class DnaFile:
    tables: dict[str, Rows] = field(default_factory=dict)

    def rows(self, table: str) -> Rows:
        return self.tables.setdefault(table, [])

    @property
    def version(self) -> str:
        return next(
            (str(r["Value"]) for r in self.rows("SETTINGS") if r["Property"] == "version"), ""
        )


def create_schema(conn: sqlite3.Connection) -> None:
    for table in TABLES:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table}({SCHEMA[table]})")


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)


def is_dna(path: Path) -> bool:
    """Whether *path* is an SQLite file with DNA's SETTINGS and STATEMENTS tables."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        conn = _connect_ro(path)
        try:
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False
    return {"SETTINGS", "STATEMENTS", "STATEMENTTYPES"} <= names


def read_dna(path: Path) -> DnaFile:
    """Every row of the DNA file at *path*; :class:`FormatError` (one line) when it is not
    one DNA 3.0 would open."""
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        raise FormatError(f"{path.name} cannot be opened as a DNA file ({exc})") from None
    try:
        conn.row_factory = sqlite3.Row
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in REQUIRED if t not in names]
        if missing:
            raise FormatError(f"{path.name} is not a DNA 3.0 file: no table {', '.join(missing)}")
        data = DnaFile()
        for table in TABLES:
            if table in names:
                data.tables[table] = [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
    except sqlite3.DatabaseError as exc:
        raise FormatError(f"{path.name} is not a readable DNA database ({exc})") from None
    except UnicodeDecodeError:  # SQLite keeps what it is given; DNA writes UTF-8
        raise FormatError(f"{path.name}: a DNA record holds text that is not UTF-8") from None
    finally:
        conn.close()
    if not data.version.startswith("3.0"):
        shown = data.version or "none"
        raise FormatError(f"{path.name}: DNA version {shown}; only DNA 3.0 files are read")
    return data


def write_dna(target: Path, data: DnaFile) -> None:
    """Write *data* as a new DNA file at *target* (replacing it whole, or not at all)."""
    with replacing(target) as part:
        conn = sqlite3.connect(part)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            with conn:
                create_schema(conn)
                for table in TABLES:
                    rows = data.tables.get(table, [])
                    if rows:
                        columns = list(rows[0])
                        conn.executemany(
                            f"INSERT INTO {table}({', '.join(columns)}) "
                            f"VALUES ({', '.join('?' * len(columns))})",
                            [[r[c] for c in columns] for r in rows],
                        )
        finally:
            conn.close()


def schema_problems(path: Path) -> list[str]:
    """What DNA 3.0 would find wrong opening *path*: the version, each table and its
    columns with their declared types, and the type of every stored value (empty: none)."""
    problems: list[str] = []
    want = sqlite3.connect(":memory:")
    create_schema(want)
    conn = _connect_ro(path)
    try:
        version = conn.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
        if not version or not str(version[0]).startswith("3.0"):
            problems.append(f"version {version}")
        for table in TABLES:
            expected = [(r[1], r[2], r[3]) for r in want.execute(f"PRAGMA table_info({table})")]
            found = [(r[1], r[2], r[3]) for r in conn.execute(f"PRAGMA table_info({table})")]
            if expected != found:
                problems.append(f"{table}: columns {found} (expected {expected})")
                continue
            for name, kind, _ in expected:
                bad = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE {name} IS NOT NULL AND typeof({name}) != ?",
                    (kind.lower(),),
                ).fetchone()[0]
                if bad:
                    problems.append(f"{table}.{name}: {bad} values not of type {kind}")
        conn.execute("PRAGMA foreign_keys = ON")
        for row in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {tuple(row)}")
    finally:
        conn.close()
        want.close()
    return problems


def settings_rows(extra: Mapping[str, str] = {}) -> Rows:
    values = {"version": DNA_VERSION, "date": DNA_DATE, **extra}
    return [{"Property": k, "Value": v} for k, v in values.items()]


def table_columns(table: str) -> Sequence[str]:
    conn = sqlite3.connect(":memory:")
    try:
        create_schema(conn)
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()
