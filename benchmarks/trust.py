"""What guarding the open file costs (issue "Trust").

- A guarded change: ``Project.annotate`` of one span, which checks the file before
  (identity, header, ``PRAGMA data_version``) and folds the WAL in after
  (``wal_checkpoint(TRUNCATE)``), against the floor of the same INSERT committed on a
  plain WAL connection with ``synchronous=NORMAL`` and nothing else.
- The deep check when the window regains focus (``PRAGMA quick_check`` on a fresh
  connection), against the floor of reading the same file's bytes once.
- Opening a project read-only (every check before it, the schema's shape included:
  ``store/file/schema_shape.py``), against the floor of a bare SQLite connection to the
  same file reading its ``user_version``.
"""

from __future__ import annotations

import os
import sqlite3
import time

from benchmarks.common import Config, Row, interleave, median, ms, ratio
from benchmarks.scale import ScaleCorpus

WRITE_GOAL_EXTRA_S = 0.002  # what the guard may add to one change
TEXT = "The Senate adopted a resolution calling for the release of detainees. " * 200


def run(cfg: Config, corpus: ScaleCorpus) -> list[Row]:
    from annotator.store import Project

    path = cfg.work / "trust.annot"
    with Project.create(path) as project:
        project.add_document(TEXT, "d")
    raw_path = cfg.work / "trust-floor.annot"
    with Project.create(raw_path) as project:
        project.add_document(TEXT, "d")
    project = Project.open(path)
    raw = sqlite3.connect(raw_path, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    label_id = raw.execute("SELECT id FROM labels WHERE key = 'claim'").fetchone()[0]
    n = 200 if not cfg.quick else 50
    state = {"i": 0}

    def guarded() -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            i = state["i"] = (state["i"] + 7) % 10_000
            project.annotate(1, i, i + 5, "claim")
        return (time.perf_counter() - t0) / n

    def floor() -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            i = state["i"] = (state["i"] + 7) % 10_000
            raw.execute("BEGIN")
            raw.execute(
                'INSERT INTO annotations(document_id, start, "end", text, label_id, note, '
                "annotator, created, modified) VALUES (1, ?, ?, ?, ?, NULL, 'b', 'x', 'x')",
                (i, i + 5, TEXT[i : i + 5], label_id),
            )
            raw.execute("COMMIT")
        return (time.perf_counter() - t0) / n

    floors, subjects = interleave(floor, guarded, cfg.reps)
    project.close()
    raw.close()
    f, s = median(floors), median(subjects)
    rows = [
        Row(
            "guarded change (check before, WAL folded in after), per span",
            ms(s),
            f"{f * 1000:.3f} ms (plain WAL commit)",
            ratio(s, f),
            f"adds < {ms(WRITE_GOAL_EXTRA_S)}",
            s - f < WRITE_GOAL_EXTRA_S,
        )
    ]

    rows.append(_open_row(cfg, path))

    big = corpus.big
    size = os.path.getsize(big)
    with Project.open(big) as opened:

        def deep() -> float:
            t0 = time.perf_counter()
            opened.verify(deep=True)
            return time.perf_counter() - t0

        def read_floor() -> float:
            t0 = time.perf_counter()
            with open(big, "rb") as fh:
                while fh.read(1 << 20):
                    pass
            return time.perf_counter() - t0

        floors, subjects = interleave(read_floor, deep, max(3, cfg.reps // 2))
    f, s = median(floors), median(subjects)
    rows.append(
        Row(
            f"deep check on focus (quick_check), {size / 2**20:.0f} MB project",
            ms(s),
            ms(f) + " (reading the file)",
            ratio(s, f),
            "informative",
            None,
            [f"{s / (size / 2**20) * 1000:.1f} ms per MB; the window runs it off the GUI thread"],
        )
    )
    return rows


OPEN_GOAL_S = 0.005  # a read-only opening, whole (the CLI opens once per command)


def _open_row(cfg: Config, path: os.PathLike[str]) -> Row:
    from annotator.store import Project

    n = 100 if not cfg.quick else 20

    def opening() -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            Project.open(path, read_only=True).close()
        return (time.perf_counter() - t0) / n

    def bare() -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            conn = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True)
            conn.execute("PRAGMA user_version").fetchone()
            conn.close()
        return (time.perf_counter() - t0) / n

    floors, subjects = interleave(bare, opening, cfg.reps)
    f, s = median(floors), median(subjects)
    return Row(
        "open a project read-only, every check (schema shape included)",
        ms(s),
        f"{f * 1000:.3f} ms (bare connection)",
        ratio(s, f),
        f"< {ms(OPEN_GOAL_S)}",
        s < OPEN_GOAL_S,
        ["the shape of each file format is learned once per process, from the migrations"],
    )
