"""Reading a QualCoder project's SQLite file (``data.qda``), read-only, into plain records.

The SQL of another program's file lives here with the rest of our SQL; the mapping to a
project is :mod:`annotator.formats.qualcoder_project`. The tables and columns are those
QualCoder creates (``__main__.py`` ``create_project``, database versions up to v9 and
later): ``source``, ``code_cat``, ``code_name``, ``code_text``, ``cases``,
``case_text``, ``attribute_type``, ``attribute``, ``project``. Columns later versions
added (``code_name.supercid``, ``code_text.important``) are read when present.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import FormatError

REQUIRED = ("source", "code_name", "code_text")


@dataclass
class QcSource:
    id: int
    name: str
    fulltext: str
    memo: str
    owner: str
    date: str


@dataclass
class QcCategory:
    id: int
    name: str
    memo: str
    parent: int | None  # supercatid


@dataclass
class QcCode:
    id: int
    name: str
    memo: str
    colour: str
    category: int | None  # catid
    parent: int | None  # supercid (a sub-code), in newer versions


@dataclass
class QcCoding:
    id: int
    code: int
    source: int
    seltext: str
    pos0: int
    pos1: int
    owner: str
    date: str
    memo: str
    important: bool


@dataclass
class QcCase:
    id: int
    name: str
    memo: str
    sources: list[int]


@dataclass
class QcAttribute:
    name: str
    kind: str  # "file" or "case"
    target: int  # the source's or the case's id
    value: str


@dataclass
class QualCoderFile:
    version: str
    memo: str
    sources: list[QcSource]
    categories: list[QcCategory]
    codes: list[QcCode]
    codings: list[QcCoding]
    cases: list[QcCase]
    attribute_types: dict[str, str]  # name -> valuetype ("character", "numeric")
    attributes: list[QcAttribute]
    other: dict[str, int] = field(default_factory=dict)  # what is not read: kind -> count


_OTHER = {
    "code_image": "image coding",
    "code_av": "audio or video coding",
    "annotation": "QualCoder annotation (a memo on a text range)",
    "journal": "journal",
}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def read_qualcoder(path: Path) -> QualCoderFile:
    """Every record Annotator imports from the QualCoder database at *path*."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise FormatError(f"{path.name} cannot be opened as a QualCoder project ({exc})") from None
    try:
        return _read(conn, path)
    except sqlite3.DatabaseError as exc:
        raise FormatError(f"{path.name} is not a readable QualCoder database ({exc})") from None
    except (ValueError, TypeError) as exc:  # a position or id that is no number
        raise FormatError(f"{path.name}: a QualCoder record holds a bad value ({exc})") from None
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _read(conn: sqlite3.Connection, path: Path) -> QualCoderFile:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = [t for t in REQUIRED if t not in tables]
    if missing:
        raise FormatError(
            f"{path.name} is an SQLite file but not a QualCoder project (it has no table "
            f"{missing[0]})"
        )
    version, memo = "", ""
    if "project" in tables:
        row = conn.execute("SELECT databaseversion, memo FROM project").fetchone()
        if row is not None:
            version, memo = _text(row[0]), _text(row[1])
    sources = [
        QcSource(int(r[0]), _text(r[1]), _text(r[2]), _text(r[3]), _text(r[4]), _text(r[5]))
        for r in conn.execute(
            "SELECT id, name, fulltext, memo, owner, date FROM source "
            "WHERE fulltext IS NOT NULL AND fulltext != '' ORDER BY id"
        )
    ]
    media = conn.execute(
        "SELECT count(*) FROM source WHERE fulltext IS NULL OR fulltext = ''"
    ).fetchone()[0]
    categories = []
    if "code_cat" in tables:
        categories = [
            QcCategory(int(r[0]), _text(r[1]), _text(r[2]), r[3])
            for r in conn.execute(
                "SELECT catid, name, memo, supercatid FROM code_cat ORDER BY catid"
            )
        ]
    supercid = "supercid" if "supercid" in _columns(conn, "code_name") else "NULL"
    codes = [
        QcCode(int(r[0]), _text(r[1]), _text(r[2]), _text(r[3]), r[4], r[5])
        for r in conn.execute(
            f"SELECT cid, name, memo, color, catid, {supercid} FROM code_name ORDER BY cid"
        )
    ]
    important = "important" if "important" in _columns(conn, "code_text") else "NULL"
    codings = [
        QcCoding(
            int(r[0]),
            int(r[1]),
            int(r[2]),
            _text(r[3]),
            int(r[4]),
            int(r[5]),
            _text(r[6]),
            _text(r[7]),
            _text(r[8]),
            bool(r[9]),
        )
        for r in conn.execute(
            f"SELECT ctid, cid, fid, seltext, pos0, pos1, owner, date, memo, {important} "
            "FROM code_text WHERE cid IS NOT NULL AND fid IS NOT NULL "
            "AND pos0 IS NOT NULL AND pos1 IS NOT NULL ORDER BY fid, pos0, ctid"
        )
    ]
    cases: list[QcCase] = []
    if "cases" in tables:
        members: dict[int, list[int]] = {}
        if "case_text" in tables:
            for caseid, fid in conn.execute(
                "SELECT DISTINCT caseid, fid FROM case_text ORDER BY caseid, fid"
            ):
                members.setdefault(int(caseid), []).append(int(fid))
        cases = [
            QcCase(int(r[0]), _text(r[1]), _text(r[2]), members.get(int(r[0]), []))
            for r in conn.execute("SELECT caseid, name, memo FROM cases ORDER BY caseid")
        ]
    types: dict[str, str] = {}
    attributes: list[QcAttribute] = []
    if "attribute_type" in tables and "attribute" in tables:
        types = {
            _text(r[0]): _text(r[1])
            for r in conn.execute("SELECT name, valuetype FROM attribute_type")
        }
        attributes = [
            QcAttribute(_text(r[0]), _text(r[1]), int(r[2]), _text(r[3]))
            for r in conn.execute(
                "SELECT name, attr_type, id, value FROM attribute "
                "WHERE id IS NOT NULL AND value IS NOT NULL AND value != '' ORDER BY attrid"
            )
        ]
    other = {"picture, audio or video source": int(media)}
    for table, kind in _OTHER.items():
        if table in tables:
            other[kind] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return QualCoderFile(
        version, memo, sources, categories, codes, codings, cases, types, attributes, other
    )
