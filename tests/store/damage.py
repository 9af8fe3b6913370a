"""Damage a real project file as a flipped byte or a careless tool would."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def flip_in_schema(path: Path, table: str, old: bytes, new: bytes) -> None:
    """Change *old* to *new* (as long) in the stored CREATE TABLE of *table*: the bytes
    of a record in sqlite_master, as a damaged disk or a careless tool changes them
    (``PRAGMA integrity_check`` still says "ok")."""
    data = path.read_bytes()
    start = data.index(b"CREATE TABLE " + table.encode())
    at = data.index(old, start)
    assert len(old) == len(new)
    path.write_bytes(data[:at] + new + data[at + len(old) :])


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of *path*, read-only (the first line: "ok" when whole)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
