"""The scale issue, in the data paths: JSONL import and CSV export of a big project.

- Import: ``import_paths(project, [file], "jsonl")`` into a new project, against the
  fastest known way to write the same rows with ``sqlite3``: the document and
  annotation rows already in memory, one transaction, the tables' plain indexes
  dropped first and built again after the rows (as the importer does), each
  annotation's stable id made by the same SQL, same schema and pragmas. Each run is a
  fresh child process; closing the project is outside both clocks.
- Export: ``export_project(project, "csv", path)`` (open read-only, export, close: what
  ``annotator export --format csv`` does), against the ``sqlite3`` command-line
  shell's ``-csv`` output of the same query.
"""

from __future__ import annotations

import gc
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from benchmarks.common import Config, Row, interleave, median, ratio, run_child, secs
from benchmarks.scale import ScaleCorpus

IMPORT_GOAL = 1.5
EXPORT_GOAL = 2.0

CSV_SQL = (
    'SELECT document, document_id, annotation_id, start, "end", text, label, label_name, '
    "coalesce(note, ''), annotator, created, modified FROM annotations_flat "
    'ORDER BY document_id, start, "end", annotation_id'
)
ANNOTATION_INSERT = (  # the stable id made by the store's own SQL, as the importer makes it
    'INSERT INTO annotations(id, document_id, start, "end", text, label_id, note, '
    "annotator, created, modified, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {uuid})"
)
DOCUMENT_INSERT = (
    "INSERT INTO documents(id, title, source_name, source_path, text, sha256, length, "
    "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- children ------------------------------------------------------------------------


def import_child(source: str, target: str) -> float:
    """Seconds to import the JSONL file *source* into a new project at *target*."""
    from annotator.formats.registry import import_paths, load_formats
    from annotator.store import Project

    load_formats()
    project = Project.create(target, annotator="bench")
    gc.collect()
    t0 = time.perf_counter()
    report = import_paths(project, [Path(source)], "jsonl")
    elapsed = time.perf_counter() - t0
    project.close()
    assert report.annotations > 0
    return elapsed


def raw_insert_child(source: str, target: str) -> float:
    """Seconds for ``executemany`` of *source*'s rows into a new file of the same schema."""
    from annotator.store import Project
    from annotator.store.file.schema import UUID_SQL

    Project.create(target, annotator="bench").close()
    src = sqlite3.connect(source)
    docs = src.execute(
        "SELECT id, title, source_name, source_path, text, sha256, length, imported_at "
        "FROM documents ORDER BY id"
    ).fetchall()
    rows = src.execute(
        'SELECT id, document_id, start, "end", text, label_id, note, annotator, created, '
        'modified FROM annotations ORDER BY document_id, start, "end", id'
    ).fetchall()
    src.close()
    # the ids the importer gives: sequential in the file's order (document, start, end)
    rows = [(n, *r[1:]) for n, r in enumerate(rows, 1)]
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    gc.collect()
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    indexes = _drop_plain_indexes(conn, ("documents", "annotations"))
    conn.executemany(DOCUMENT_INSERT, docs)
    conn.executemany(ANNOTATION_INSERT.format(uuid=UUID_SQL), rows)
    for sql in indexes:  # built once from all the rows: faster than row by row
        conn.execute(sql)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def _drop_plain_indexes(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the indexes of *tables* that check nothing (not unique, not a key); return
    the SQL that creates them again."""
    sqls = []
    for table in tables:
        for _seq, name, unique, origin, _partial in conn.execute(
            f"PRAGMA index_list({table})"
        ).fetchall():
            if not unique and origin == "c":
                (sql,) = conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
                ).fetchone()
                conn.execute(f'DROP INDEX "{name}"')
                sqls.append(sql)
    return sqls


def export_child(source: str, target: str) -> float:
    """Seconds to open *source* read-only and export it as CSV to *target*."""
    from annotator.formats.registry import export_project, load_formats
    from annotator.store import Project

    load_formats()
    gc.collect()
    t0 = time.perf_counter()
    with Project.open(source, read_only=True) as project:
        report = export_project(project, "csv", Path(target))
    elapsed = time.perf_counter() - t0
    assert report.annotations > 0
    return elapsed


def write_jsonl_child(source: str, target: str) -> int:
    from annotator.formats.registry import export_project, load_formats
    from annotator.store import Project

    load_formats()
    with Project.open(source, read_only=True) as project:
        return export_project(project, "jsonl", Path(target)).annotations


# -- the runner side -----------------------------------------------------------------


def run(cfg: Config, corpus: ScaleCorpus) -> list[Row]:
    return [run_import(cfg, corpus), run_export(cfg, corpus)]


def run_import(cfg: Config, corpus: ScaleCorpus) -> Row:
    jsonl = cfg.work / "big.jsonl"
    n = run_child(cfg.work, "data.write_jsonl_child", source=str(corpus.big), target=str(jsonl))
    mb = jsonl.stat().st_size / 2**20
    target = cfg.work / "import-target.annot"

    def subject() -> float:
        _remove(target)
        try:
            return float(
                run_child(cfg.work, "data.import_child", source=str(jsonl), target=str(target))
            )
        finally:
            _remove(target)

    def floor() -> float:
        _remove(target)
        try:
            return float(
                run_child(
                    cfg.work, "data.raw_insert_child", source=str(corpus.big), target=str(target)
                )
            )
        finally:
            _remove(target)

    floors, subjects = interleave(floor, subject, max(2, cfg.reps - 2))
    f, s = median(floors), median(subjects)
    jsonl.unlink()
    return Row(
        f"import {n:,} annotations from JSONL ({mb:.0f} MB, {corpus.docs:,} docs)",
        secs(s),
        secs(f),
        ratio(s, f),
        f"<= {IMPORT_GOAL}x",
        s / f <= IMPORT_GOAL,
        [
            "floor: sqlite3 executemany of the same document and annotation rows (already "
            "in memory) in one transaction, plain indexes dropped and built again after, "
            f"stable ids by the same SQL, same schema and pragmas; {len(floors)} runs each"
        ],
    )


def run_export(cfg: Config, corpus: ScaleCorpus) -> Row:
    what = f"export {corpus.annotations:,} annotations to CSV"
    target = cfg.work / "export.csv"
    shell = shutil.which("sqlite3")
    if shell is None:
        return Row(
            what,
            "not measured",
            "no sqlite3 shell",
            "n/a",
            f"<= {EXPORT_GOAL}x",
            None,
            ["install the sqlite3 command-line shell (Debian package sqlite3) to measure"],
        )

    def subject() -> float:
        try:
            return float(
                run_child(cfg.work, "data.export_child", source=str(corpus.big), target=str(target))
            )
        finally:
            target.unlink(missing_ok=True)

    def floor() -> float:
        try:
            gc.collect()
            with target.open("wb") as out:
                t0 = time.perf_counter()
                subprocess.run(
                    [shell, "-readonly", "-csv", "-header", str(corpus.big), CSV_SQL],
                    stdout=out,
                    check=True,
                )
                return time.perf_counter() - t0
        finally:
            target.unlink(missing_ok=True)

    floors, subjects = interleave(floor, subject, max(2, cfg.reps - 2))
    f, s = median(floors), median(subjects)
    return Row(
        what,
        secs(s),
        secs(f),
        ratio(s, f),
        f"<= {EXPORT_GOAL}x",
        s / f <= EXPORT_GOAL,
        [
            "subject: Project.open(read_only) + export_project(csv) + close; floor: "
            f"`sqlite3 -readonly -csv -header` of the same query; {len(floors)} runs each"
        ],
    )
