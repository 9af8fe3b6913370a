"""Many documents and a million-row table (issue 14, items 2 and 4), in the real window.

- Adding a span and undoing it with the document list showing, in projects of 5,000
  and 20,000 documents: from ``window.apply_label(key)`` (or ``undo()``) until the
  store has the change and the window has repainted (events processed until the
  table refresh has run and the view has painted); the floor is the same edit in the
  same window code over a project of 1 document. Both windows live in one child.
- Opening projects of 10,000 and 20,000 documents to the first paint of the document
  view, a fresh child process per run; the floor is the project of 1 document.
- The annotation table over every document of a project of a million annotations:
  sorting by Text, back by Position, and filtering by a word (typed, then Enter) and
  clearing it. Two figures each:
  * blocked: the longest gap between ticks of a 5 ms ``QTimer`` from the action until
    the new rows have been shown (the window's longest freeze); the floor is the
    longest gap of the same timer over an idle event loop for as long;
  * to result: from the action until the new rows are shown and painted; the floor
    is the plain ids query (SQL and the ids array, ``ordered_ids``) on the window's
    connection, no window involved.
  The text index is created (by the worker, once per file) during the warm-up.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import Config, Row, interleave, median, ms, ratio, run_child
from benchmarks.corpus import TextMaker, build_scale_project, scale_texts

EDIT_GOAL_MS = 16.0
OPEN_GOAL_S = 1.0
BLOCK_GOAL_MS = 100.0
TICK_MS = 5


@dataclass(frozen=True)
class TableCorpus:
    many: dict[int, Path]  # number of documents -> project (the edits)
    opened: dict[int, Path]  # number of documents -> project (the openings)
    one: Path  # one document
    table: Path  # a million annotations
    rows: int


def _short_texts(n: int, seed: int) -> list[str]:
    maker = TextMaker(seed)
    pool = [maker.paragraph() for _ in range(300)]
    rng = random.Random(seed)
    return [rng.choice(pool) for _ in range(n)]


def build(cfg: Config) -> TableCorpus:
    counts = (1_000, 2_000) if cfg.quick else (5_000, 20_000)
    opens = (2_000,) if cfg.quick else (10_000, 20_000)
    paths = {}
    for n in sorted({*counts, *opens}):
        path = cfg.work / f"docs-{n}.annot"
        build_scale_project(path, _short_texts(n, seed=n), 5, seed=3)
        paths[n] = path
    one = cfg.work / "docs-1.annot"
    build_scale_project(one, _short_texts(1, seed=1), 5, seed=3)
    table = cfg.work / "table-1m.annot"
    docs, per = (100, 1_000) if cfg.quick else (1_000, 1_000)
    rows = build_scale_project(table, scale_texts(docs, seed=7), per, seed=8)
    many = {n: paths[n] for n in counts}
    return TableCorpus(many, {n: paths[n] for n in opens}, one, table, rows)


# -- children (Qt lives only here) ---------------------------------------------------


def _open(path: str) -> Any:
    from annotator.gui import create_main_window
    from annotator.gui.app import application
    from benchmarks.qt import PaintProbe, pump, pump_until_painted

    application()
    window = create_main_window(path)
    probe = PaintProbe(window.view.viewport())
    window.show()
    pump_until_painted(probe, 0)
    pump(5)
    return window, probe


def edit_child(many: str, one: str, reps: int) -> dict[str, Any]:
    """Add-span and undo timings (seconds) in a many-document and a 1-document window."""
    import re

    from benchmarks.qt import pump

    windows = {key: _open(path) for key, path in (("many", many), ("one", one))}
    out: dict[str, Any] = {}
    state = {"i": 0}

    def settle(window: Any, probe: Any, before: int) -> None:
        rounds = 0
        while probe.count == before or window._refresh_table_soon.isActive():
            pump(1)
            rounds += 1
            if rounds > 10_000:
                raise RuntimeError("the window never repainted")

    def add(key: str) -> float:
        window, probe = windows[key]
        assert window.docks["documents"].isVisible()
        text = window.view.text
        words = [m.span() for m in re.finditer(r"\w+", text[:1500])]
        i = (state["i"] * 7) % (len(words) - 3)
        state["i"] += 1
        window.view.select_range(words[i][0], words[i + 2][1])
        pump(3)
        gc.collect()
        before = probe.count
        t0 = time.perf_counter()
        window.apply_label("demand")
        settle(window, probe, before)
        return time.perf_counter() - t0

    def undo(key: str) -> float:
        window, probe = windows[key]
        pump(3)
        gc.collect()
        before = probe.count
        t0 = time.perf_counter()
        window.session.undo_stack.undo()
        settle(window, probe, before)
        return time.perf_counter() - t0

    for key in windows:  # warm-up
        add(key)
        undo(key)
    out["add_floor"], out["add_subject"] = interleave(lambda: add("one"), lambda: add("many"), reps)
    out["undo_floor"], out["undo_subject"] = interleave(
        lambda: undo("one"), lambda: undo("many"), reps
    )
    out["docs"] = windows["many"][0].documents.rowCount()
    out["layouts"] = windows["many"][0].document_list.layouts
    for window, _probe in windows.values():
        window.close()
    return out


class _Ticks:
    """A 5 ms timer that remembers the longest gap between its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.gap = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gap = max(self.gap, now - self.last)
        self.last = now

    def start(self) -> None:
        self.gap = 0.0
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()  # the time since the last tick counts too
        self.timer.stop()
        return self.gap


def table_child(path: str, reps: int, word: str) -> dict[str, Any]:
    """Blocked and to-result timings (seconds) of sorting and filtering the table."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication

    from annotator.store.queries.table_queries import ordered_ids
    from benchmarks.qt import PaintProbe, pump

    window, _probe = _open(path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    project = window.session.require()
    panel, model, table = window.table_panel, window.table_model, window.table
    window.docks["annotations"].show()
    paints = PaintProbe(table.viewport())
    ticks = _Ticks()
    out: dict[str, Any] = {}

    def until_shown(act: Any) -> tuple[float, float]:
        """Run *act*; (seconds until the new rows are shown and painted, longest gap)."""
        pump(3)
        gc.collect()
        ticks.start()
        t0 = time.perf_counter()
        act()
        while model.pending:
            wait()  # sleeps until an event comes, as the window's event loop does
        before = paints.count
        deadline = time.perf_counter() + 60
        while paints.count == before and time.perf_counter() < deadline:
            wait()
        t1 = time.perf_counter()
        gap = ticks.stop()
        return t1 - t0, gap

    def wait() -> None:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    def idle(seconds: float) -> float:
        ticks.start()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            wait()
        return ticks.stop()

    window.table_all_docs.setChecked(True)
    while model.pending:
        wait()
    out["rows"] = model.rowCount()
    text_col, position_col = model.COLUMNS.index("text"), model.COLUMNS.index("position")

    def sort(column: int) -> Any:
        return lambda: table.sortByColumn(column, Qt.SortOrder.AscendingOrder)

    def type_filter(text: str) -> Any:
        def act() -> None:
            panel.filter_text.setText(text)
            panel.filter_text.returnPressed.emit()  # Enter: no wait for a pause

        return act

    # warm-up (the text index the table sorts on comes with file format 4)
    until_shown(sort(text_col))
    index_sql = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?"
    if not project.execute(index_sql, ("annotations_text_nocase",)).fetchone():
        raise RuntimeError("the project has no text index")
    until_shown(sort(position_col))
    flt = panel.current_filter()
    actions = {
        "text": (sort(text_col), lambda: ordered_ids(project, flt, "text")),
        "position": (sort(position_col), lambda: ordered_ids(project, flt, "position")),
    }
    found = {}
    for key, (act, query) in actions.items():
        runs: list[tuple[float, float]] = []
        floors: list[float] = []
        idles: list[float] = []
        other = sort(position_col if key == "text" else text_col)
        for _ in range(reps):
            until_shown(other)
            runs.append(until_shown(act))
            floors.append(_timed(query))
            idles.append(idle(runs[-1][0]))
        found[key] = (runs, floors, idles)
    # filtering (sorted by position): a word, then back to every row
    from dataclasses import replace

    runs, floors, idles = [], [], []
    clears: list[tuple[float, float]] = []
    clear_floors, clear_idles = [], []
    word_flt = replace(flt, text=word)
    for _ in range(reps):
        runs.append(until_shown(type_filter(word)))
        out["filtered"] = model.rowCount()
        floors.append(_timed(lambda: ordered_ids(project, word_flt, "position")))
        idles.append(idle(runs[-1][0]))
        clears.append(until_shown(type_filter("")))
        clear_floors.append(_timed(lambda: ordered_ids(project, flt, "position")))
        clear_idles.append(idle(clears[-1][0]))
    found["filter"] = (runs, floors, idles)
    found["clear"] = (clears, clear_floors, clear_idles)
    # typing fast: how many queries five keys make
    before = model.worker.generation
    panel.filter_text.setFocus()
    from PySide6.QtTest import QTest

    QTest.keyClicks(panel.filter_text, word[:5])
    asked = model.worker.generation - before
    while panel.debounce.isActive() or model.pending:
        wait()
    out["typed_queries"] = (asked, model.worker.generation - before)
    for key, (runs, floors, idles) in found.items():
        out[key] = {
            "result": [r[0] for r in runs],
            "gap": [r[1] for r in runs],
            "floor": floors,
            "idle": idles,
        }
    window.close()
    return out


def _timed(fn: Any) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def open_child(path: str) -> dict[str, float]:
    from benchmarks.scale import open_child as scale_open

    return scale_open(path)


# -- the runner side -----------------------------------------------------------------


def run(cfg: Config, corpus: TableCorpus | None = None) -> list[Row]:
    corpus = corpus or build(cfg)
    rows: list[Row] = []
    reps = cfg.reps if cfg.quick else max(cfg.reps, 7)
    for path in corpus.many.values():
        t = run_child(
            cfg.work, "table_scale.edit_child", many=str(path), one=str(corpus.one), reps=reps
        )
        for what in ("add", "undo"):
            f, s = median(t[f"{what}_floor"]), median(t[f"{what}_subject"])
            rows.append(
                Row(
                    f"{'add a span' if what == 'add' else 'undo adding it'}, document list "
                    f"of {t['docs']:,} documents showing",
                    ms(s),
                    ms(f),
                    ratio(s, f),
                    f"< {EDIT_GOAL_MS:g} ms",
                    s * 1000 < EDIT_GOAL_MS,
                    [
                        f"until stored and repainted; floor: the same edit in a project of "
                        f"1 document; worst {ms(max(t[f'{what}_subject']))}; the document "
                        f"list laid out its rows {t['layouts']} times in all"
                    ],
                )
            )
    for path in (*corpus.opened.values(), corpus.one):
        run_child(cfg.work, "table_scale.open_child", path=str(path))  # warm-up, backup

    def opened(path: Path) -> float:
        return float(run_child(cfg.work, "table_scale.open_child", path=str(path))["total"])

    def opener(path: Path) -> Callable[[], float]:
        return lambda: opened(path)

    for n, path in corpus.opened.items():
        floors, subjects = interleave(opener(corpus.one), opener(path), cfg.reps)
        f, s = median(floors), median(subjects)
        rows.append(
            Row(
                f"open a project of {n:,} documents to the first paint",
                ms(s),
                ms(f),
                ratio(s, f),
                f"< {OPEN_GOAL_S:g} s",
                s < OPEN_GOAL_S,
                ["fresh process per run; floor: a project of 1 document"],
            )
        )
    word = _a_word(corpus.table)
    t = run_child(cfg.work, "table_scale.table_child", path=str(corpus.table), reps=reps, word=word)
    names = {
        "text": "sort by Text",
        "position": "sort back by Position",
        "filter": f"filter by '{word}' ({t['filtered']:,} rows)",
        "clear": "clear the filter",
    }
    for key, name in names.items():
        r = t[key]
        gap, idle = median(r["gap"]), median(r["idle"])
        rows.append(
            Row(
                f"table of {t['rows']:,} rows: {name}, window blocked",
                ms(gap),
                ms(idle),
                ratio(gap, idle),
                f"<= {BLOCK_GOAL_MS:g} ms",
                max(r["gap"]) * 1000 <= BLOCK_GOAL_MS,
                [
                    f"longest gap between ticks of a {TICK_MS} ms timer until the rows are "
                    f"shown (worst {ms(max(r['gap']))}); floor: the same timer idle"
                ],
            )
        )
        result = median(r["result"])
        floor = median(r["floor"])
        rows.append(
            Row(
                f"table of {t['rows']:,} rows: {name}, to result",
                ms(result),
                ms(floor),
                ratio(result, floor),
                "-",
                None,
                [
                    "until the new rows are shown and painted; floor: the ids query "
                    "alone (SQL and the ids array) on the window's connection"
                ],
            )
        )
    asked, total = t["typed_queries"]
    rows[-1].notes.append(
        f"typing 5 keys fast in the filter box asked {asked} queries while typing and "
        f"{total} in all (one after the {250} ms pause)"
    )
    return rows


def _a_word(path: Path) -> str:
    """A word of the table's project that some annotations hold (a few per cent)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        (text,) = conn.execute("SELECT text FROM annotations WHERE id = 1").fetchone()
    finally:
        conn.close()
    words = sorted((w for w in text.split() if w.isalpha() and len(w) >= 5), key=len)
    return (words[-1] if words else text.split()[0])[:6]
