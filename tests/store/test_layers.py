"""DESIGN.md: "store/: the project file ... All SQL lives here." The formats and the GUI
reach the project file only through store/ functions; these tests read their source
(with :mod:`ast`, so comments and docstrings do not count) and fail on any SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import annotator

PACKAGE = Path(annotator.__file__).resolve().parent
LAYERS = ("formats", "gui")
SQL = re.compile(
    r"\bSELECT\b.*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\S+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\b(CREATE|DROP|ALTER)\s+(TEMP\s+|TEMPORARY\s+|UNIQUE\s+)?"
    r"(TABLE|INDEX|VIEW|TRIGGER)\b|\bPRAGMA\b|\b(BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\b\s*;?\s*$",
    re.DOTALL,
)
DB_CALLS = frozenset({"execute", "executemany", "executescript", "cursor", "backup"})
DB_ATTRIBUTES = frozenset({"conn", "_conn", "db"})


def _modules() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (PACKAGE / layer).rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (prose, not SQL)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def sql_uses(source: str, name: str) -> list[str]:
    """Each place in *source* that holds SQL or talks to a database connection."""
    tree = ast.parse(source, name)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docs and SQL.search(node.value):
                found.append(f"{where}: SQL in a string: {node.value[:60]!r}")
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "?"
                for v in node.values
            )
            if SQL.search(text):
                found.append(f"{where}: SQL in an f-string: {text[:60]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in DB_CALLS and _looks_like_database(node.func.value):
                found.append(f"{where}: .{node.func.attr}() on a database object")
        elif isinstance(node, ast.Attribute) and node.attr in DB_ATTRIBUTES:
            if _names_project(node.value):
                found.append(f"{where}: reaches into the project's connection (.{node.attr})")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if "sqlite_utils" in (module, *names) or (module or "").startswith("sqlite_utils"):
                found.append(f"{where}: imports sqlite_utils")
    return found


def _names_project(node: ast.expr) -> bool:
    """True for ``project``, ``self.project``, ``self._project`` and the like."""
    if isinstance(node, ast.Name):
        return "project" in node.id.lower()
    if isinstance(node, ast.Attribute):
        return "project" in node.attr.lower() or node.attr in DB_ATTRIBUTES
    return False


def _looks_like_database(node: ast.expr) -> bool:
    """The receiver of ``.execute(...)`` is a project, its connection or a cursor."""
    if _names_project(node):
        return True
    if isinstance(node, ast.Attribute):
        return node.attr in DB_ATTRIBUTES or _looks_like_database(node.value)
    if isinstance(node, ast.Name):
        return node.id in {"conn", "connection", "db", "cursor", "cur"}
    return False


@pytest.mark.parametrize("path", _modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_sql_outside_store(path: Path) -> None:
    found = sql_uses(path.read_text(encoding="utf-8"), f"{path.parent.name}/{path.name}")
    assert not found, "SQL belongs in store/ (DESIGN.md):\n" + "\n".join(found)


def test_the_modules_are_found() -> None:
    names = {f"{p.parent.name}/{p.name}" for p in _modules()}
    assert {"formats/jsonl.py", "formats/csv_table.py", "gui/main_window.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        'n = project.execute("SELECT count(*) FROM relations").fetchone()[0]',
        'SQL = ("SELECT a.id, a.start "\n       "FROM annotations a")',
        'q = f"SELECT {cols} FROM annotations WHERE id = ?"',
        'rows = [("x", 1)]\nself.project.db.conn.executemany(SQL_TEXT, rows)',
        "cur = self._conn.execute(query)",
        'S = "INSERT INTO actors(name, type) VALUES (?, ?)"',
        'S = "INSERT OR IGNORE INTO actors(name) VALUES (?)"',
        'S = "UPDATE annotations SET note = ? WHERE id = ?"',
        'S = "DELETE FROM relations WHERE id = ?"',
        'S = "PRAGMA cache_size = -200000"',
        'S = "CREATE INDEX x ON annotations(label_id)"',
        "import sqlite_utils",
        "conn = project.db",
    ],
)
def test_the_check_finds_sql(source: str) -> None:
    assert sql_uses(source, "example.py"), source


@pytest.mark.parametrize(
    "source",
    [
        '"""Reads rows: SELECT ... FROM annotations is done by store/queries/export_queries."""',
        'label = tr("Select a label from the list")',
        'button = tr("Delete the selected annotations")',
        'text = "UPDATE: new version"',
        "rows = span_records(project, doc_id)",
        "self.editor.document().undo()",
        "options.tick(done, total)",
    ],
)
def test_the_check_spares_prose_and_store_calls(source: str) -> None:
    assert not sql_uses(source, "example.py"), source
