"""The scale issue, in the window: opening a big project, and the annotation table.

- Opening a project of 1,000 documents and 1,000,000 annotations to a usable window:
  ``create_main_window(path)`` + ``show()`` until the document view's first paint has
  completed, each run in a fresh child process (QApplication made before the clock
  starts); the floor is the same 1,000 documents with one annotation. A warm-up
  opening of each project comes first (it takes the day's automatic backup), so the
  timed openings measure what a user sees on every later opening.
- Checking "All documents" in the annotation table (its ids query over every row),
  and scrolling the table to the bottom in equal steps, repainting the table and
  reading the visible rows' data at each step; the floor is the same number of steps
  over a project of 1,000 annotations. Both windows live in one child process.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import Config, Row, interleave, median, ms, ratio, run_child, secs
from benchmarks.corpus import build_scale_project, scale_texts

OPEN_GOAL_S = 1.0
PAGE_GOAL_MS = 16.0
ALL_DOCS_GOAL_S = 1.0


@dataclass(frozen=True)
class ScaleCorpus:
    big: Path  # many documents, many annotations
    one: Path  # the same documents, one annotation
    small: Path  # a few documents, cfg.small_table annotations
    docs: int
    annotations: int


def build(cfg: Config) -> ScaleCorpus:
    texts = scale_texts(cfg.scale_docs, seed=7)
    big = cfg.work / "scale-big.annot"
    n = build_scale_project(big, texts, cfg.scale_per_doc, seed=8)
    one = cfg.work / "scale-one.annot"
    build_scale_project(one, texts, 0, seed=8, total=1)
    small = cfg.work / "table-small.annot"
    per = 100
    build_scale_project(small, texts[: cfg.small_table // per], per, seed=9)
    return ScaleCorpus(big, one, small, len(texts), n)


# -- children ------------------------------------------------------------------------


def open_child(path: str) -> dict[str, float]:
    """Seconds from ``create_main_window(path)`` to the view's first completed paint."""
    from annotator.gui import create_main_window
    from annotator.gui.app import application
    from benchmarks.qt import PaintProbe, pump_until_painted

    application()
    gc.collect()
    t0 = time.perf_counter()
    window = create_main_window(path)
    t1 = time.perf_counter()
    probe = PaintProbe(window.view.viewport())
    window.show()
    pump_until_painted(probe, 0)
    t2 = time.perf_counter()
    assert window.session.project is not None and window.document_id is not None
    window.close()
    return {"total": t2 - t0, "create": t1 - t0, "show": t2 - t1}


def table_child(big: str, small: str, reps: int, steps: int) -> dict[str, Any]:
    """'All documents' and scrolling timings (seconds) for two windows, interleaved."""
    from annotator.gui import create_main_window
    from annotator.gui.app import application
    from benchmarks.qt import PaintProbe, pump, pump_until_painted

    application()
    windows = {}
    for key, path in (("big", big), ("small", small)):
        w = create_main_window(path)
        w.show()
        pump(10)
        windows[key] = (w, PaintProbe(w.table.viewport()))
    out: dict[str, Any] = {}

    def all_docs(key: str) -> float:
        w, probe = windows[key]
        w.table_all_docs.setChecked(False)
        pump(5)
        gc.collect()
        before = probe.count
        t0 = time.perf_counter()
        w.table_all_docs.setChecked(True)
        pump_until_painted(probe, before)
        out[f"rows_{key}"] = w.table_model.rowCount()
        return time.perf_counter() - t0

    def scroll(key: str) -> float:
        w, _probe = windows[key]
        table, model = w.table, w.table_model
        bar = table.verticalScrollBar()
        bar.setValue(0)
        pump(5)
        top = bar.maximum()
        columns = model.columnCount()
        height = table.viewport().height()
        touched = 0
        gc.collect()
        t0 = time.perf_counter()
        for i in range(1, steps + 1):
            bar.setValue(round(i * top / steps))
            table.viewport().repaint()
            first = table.rowAt(0)
            last = table.rowAt(height - 1)
            last = model.rowCount() - 1 if last < 0 else last
            for row in range(first, last + 1):
                for column in range(columns):
                    model.data(model.index(row, column))
                touched += 1
        elapsed = time.perf_counter() - t0
        out[f"visible_{key}"] = touched / steps
        return elapsed

    all_docs("small")
    all_docs("big")  # warm-up
    out["all_floor"], out["all_subject"] = interleave(
        lambda: all_docs("small"), lambda: all_docs("big"), reps
    )
    out["scroll_floor"], out["scroll_subject"] = interleave(
        lambda: scroll("small"), lambda: scroll("big"), max(2, reps - 2)
    )
    for w, _probe in windows.values():
        w.close()
    return out


# -- the runner side -----------------------------------------------------------------


def run(cfg: Config, corpus: ScaleCorpus) -> list[Row]:
    size = f"{corpus.docs:,} docs, {corpus.annotations:,} annotations"
    for path in (corpus.big, corpus.one, corpus.small):
        run_child(cfg.work, "scale.open_child", path=str(path))  # warm-up, takes the backup
    runs: dict[str, list[dict[str, float]]] = {"floor": [], "subject": []}

    def one(key: str, path: Path) -> float:
        r = run_child(cfg.work, "scale.open_child", path=str(path))
        runs[key].append(r)
        return float(r["total"])

    floors, subjects = interleave(
        lambda: one("floor", corpus.one), lambda: one("subject", corpus.big), cfg.reps
    )
    f, s = median(floors), median(subjects)
    create = median([r["create"] for r in runs["subject"]])
    show = median([r["show"] for r in runs["subject"]])
    rows = [
        Row(
            f"open project to usable window, {size}",
            ms(s),
            ms(f),
            ratio(s, f),
            f"< {OPEN_GOAL_S:g} s",
            s < OPEN_GOAL_S,
            [
                f"create_main_window() {ms(create)} + show and first paint {ms(show)}; "
                f"floor: the same documents with 1 annotation; fresh process per run, "
                f"{cfg.reps} runs each"
            ],
        )
    ]
    t = run_child(
        cfg.work,
        "scale.table_child",
        big=str(corpus.big),
        small=str(corpus.small),
        reps=cfg.reps,
        steps=cfg.scroll_steps,
    )
    f, s = median(t["all_floor"]), median(t["all_subject"])
    rows.append(
        Row(
            f"table: check 'All documents' ({t['rows_big']:,} rows)",
            ms(s),
            ms(f),
            ratio(s, f),
            f"< {ALL_DOCS_GOAL_S:g} s (suggested)",
            s < ALL_DOCS_GOAL_S,
            [f"until the table has repainted; floor: {t['rows_small']:,} rows"],
        )
    )
    f, s = median(t["scroll_floor"]), median(t["scroll_subject"])
    steps = cfg.scroll_steps
    rows.append(
        Row(
            f"table: scroll {t['rows_big']:,} rows to the bottom in {steps:,} steps",
            f"{secs(s)} ({ms(s / steps)}/page)",
            f"{secs(f)} ({ms(f / steps)}/page)",
            ratio(s, f),
            f"< {PAGE_GOAL_MS:g} ms/page (suggested)",
            s / steps * 1000 < PAGE_GOAL_MS,
            [
                f"each step: scroll bar moved 1/{steps} of the way, table repainted, "
                f"data() of the {t['visible_big']:.0f} visible rows x 6 columns read; "
                f"floor: {t['rows_small']:,} rows, same steps"
            ],
        )
    )
    return rows
