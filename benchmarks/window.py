"""The GUI issue: opening a document in the real window, adding a span, peak memory.

Each size has one project holding a tiny document, a text with its spans and the
same text without spans. A child process per size opens the real main window
(offscreen) and measures, interleaved:

- first paint: from ``window.show_document(id)`` until the viewport's first paint has
  completed (text read from SQLite with the project's text cache emptied, spans read,
  ``setPlainText``, the table's filter, the paint); the floor is the same text with
  no spans in the same window. Between measurements the tiny document is shown.
- fully loaded and interactive: from the same call until the rest of the spans are in
  the view and every row is in the annotation table (a big document paints its first
  screen's spans first); the floor is the same text with no spans.
- adding one span: from ``window.apply_label(key)`` on a selection until the store has
  the row and the window has repainted (events processed until the table refresh has
  run and the viewport has painted); the floor is a bare ``project.annotate``.

Peak memory runs one child per window (RSS high-water mark, Qt allocates in C++).
"""

from __future__ import annotations

import gc
import re
import resource
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Config, Row, interleave, median, ms, ratio, run_child
from benchmarks.corpus import WindowCorpus, build_window_project

OPEN_GOAL = 1.3
ADD_GOAL_MS = 16.0
MEMORY_GOAL_MB = 30.0


def _size_name(chars: int) -> str:
    """About *chars* code points, as a round size (the generator overshoots a little)."""
    return f"{round(chars / 1e6):g} MB" if chars >= 1_000_000 else f"{round(chars / 1e3):g} KB"


# -- children (Qt lives only here) ---------------------------------------------------


def _open_window(path: str) -> Any:
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


def window_child(
    path: str, tiny: int, spans: int, plain: int, reps: int, add_reps: int
) -> dict[str, Any]:
    """Open and add-span timings in one window (seconds)."""
    from benchmarks.qt import pump, pump_until_painted

    window, probe = _open_window(path)
    project = window.session.project
    out: dict[str, Any] = {"call": [], "paint": [], "loaded_floor": [], "loaded_subject": []}
    count_sql = "SELECT count(*) FROM annotations WHERE document_id = ?"
    expected = {d: project.execute(count_sql, (d,)).fetchone()[0] for d in (plain, spans)}

    def loaded(doc: int) -> bool:
        return window._loading is None and window.table_model.rowCount() == expected[doc]

    def open_doc(doc: int, record: bool) -> float:
        window.show_document(tiny)
        pump(5)
        project._texts.clear()  # read the text from SQLite, as a first opening does
        gc.collect()
        before = probe.count
        t0 = time.perf_counter()
        window.show_document(doc)
        t1 = time.perf_counter()
        pump_until_painted(probe, before)
        t2 = time.perf_counter()
        rounds = 0
        while not loaded(doc):
            pump(1)
            rounds += 1
            if rounds > 1_000_000:
                raise RuntimeError("the document never finished loading")
        t3 = time.perf_counter()
        if record:
            out["call"].append(t1 - t0)
            out["paint"].append(t2 - t1)
        out["loaded_subject" if doc == spans else "loaded_floor"].append(t3 - t0)
        return t2 - t0

    open_doc(plain, False)  # warm-up: fonts, glyph caches, SQLite pages
    open_doc(spans, False)
    out["loaded_floor"], out["loaded_subject"] = [], []
    out["open_floor"], out["open_subject"] = interleave(
        lambda: open_doc(plain, False), lambda: open_doc(spans, True), reps
    )

    # -- adding one span ------------------------------------------------------------
    window.show_document(spans)
    pump(5)
    text = window.view.text
    words = [m.span() for m in re.finditer(r"\w+", text[:1500])]
    timer = window._refresh_table_soon
    parts: dict[str, list[float]] = {"store": [], "events": []}
    state = {"i": 0}

    def pick() -> tuple[int, int]:
        i = (state["i"] * 7) % (len(words) - 3)
        state["i"] += 1
        return words[i][0], words[i + 2][1]

    def floor_add() -> float:
        s, e = pick()
        gc.collect()
        t0 = time.perf_counter()
        project.annotate(spans, s, e, "claim")
        return time.perf_counter() - t0

    def subject_add() -> float:
        s, e = pick()
        window.view.select_range(s, e)
        pump(3)
        had = project.execute(count_sql, (spans,)).fetchone()[0]
        gc.collect()
        before = probe.count
        t0 = time.perf_counter()
        window.apply_label("demand")
        t1 = time.perf_counter()
        app_rounds = 0
        while probe.count == before or timer.isActive():
            pump(1)
            app_rounds += 1
            if app_rounds > 10_000:
                raise RuntimeError("the view never repainted after adding a span")
        t2 = time.perf_counter()
        assert project.execute(count_sql, (spans,)).fetchone()[0] == had + 1
        parts["store"].append(t1 - t0)
        parts["events"].append(t2 - t1)
        return t2 - t0

    subject_add()  # warm-up
    floor_add()
    parts = {"store": [], "events": []}
    out["add_floor"], out["add_subject"] = interleave(floor_add, subject_add, add_reps)
    out["add_store"], out["add_events"] = parts["store"], parts["events"]
    window.close()
    return out


def memory_child(path: str, doc: int, scroll: bool) -> dict[str, float]:
    """Peak RSS (MB) of a window that opened *doc*, then after scrolling through it."""
    from benchmarks.qt import pump, pump_until_painted

    window, probe = _open_window(path)
    before = probe.count
    window.show_document(doc)
    pump_until_painted(probe, before)
    pump(5)
    out = {"first_paint": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if scroll:
        bar = window.view.verticalScrollBar()
        value = 0
        while value < bar.maximum():
            value = min(bar.maximum(), value + max(1, bar.pageStep()))
            bar.setValue(value)
            window.view.viewport().repaint()
        out["scrolled"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    return out


# -- the runner side ---------------------------------------------------------------


_BUILT: dict[Path, list[WindowCorpus]] = {}  # per run folder: window and marks share them


def build(cfg: Config) -> list[WindowCorpus]:
    """The window corpora of this run, built once (the marks topic uses them too)."""
    if cfg.work in _BUILT:
        return _BUILT[cfg.work]
    corpora = _BUILT.setdefault(cfg.work, [])
    for n, (size, spans) in enumerate(cfg.window_sizes):
        path = cfg.work / f"window-{size}.annot"
        corpora.append(build_window_project(path, size, spans, seed=100 + n))
    return corpora


def run(cfg: Config, corpora: list[WindowCorpus]) -> list[Row]:
    rows: list[Row] = []
    loaded_rows: list[Row] = []
    add_rows: list[Row] = []
    for c in corpora:
        name = f"{_size_name(c.chars)}, {c.n_spans:,} spans"
        r = run_child(
            cfg.work,
            "window.window_child",
            path=str(c.path),
            tiny=c.tiny,
            spans=c.spans,
            plain=c.plain,
            reps=cfg.reps,
            add_reps=cfg.add_reps,
        )
        f, s = median(r["open_floor"]), median(r["open_subject"])
        rows.append(
            Row(
                f"open to first paint, {name}",
                ms(s),
                ms(f),
                ratio(s, f),
                f"<= {OPEN_GOAL}x",
                s / f <= OPEN_GOAL,
                [
                    f"subject: show_document() {ms(median(r['call']))} + paint "
                    f"{ms(median(r['paint']))}; floor range {ms(min(r['open_floor']))}-"
                    f"{ms(max(r['open_floor']))}, subject range {ms(min(r['open_subject']))}-"
                    f"{ms(max(r['open_subject']))} ({cfg.reps} runs each)"
                ],
            )
        )
        f, s = median(r["loaded_floor"]), median(r["loaded_subject"])
        loaded_rows.append(
            Row(
                f"open to fully loaded and interactive, {name}",
                ms(s),
                ms(f),
                ratio(s, f),
                "-",
                None,
                [
                    "every span in the view and every row in the table; floor: the same text "
                    f"without spans; subject range {ms(min(r['loaded_subject']))}-"
                    f"{ms(max(r['loaded_subject']))} ({cfg.reps} runs each)"
                ],
            )
        )
        f, s = median(r["add_floor"]), median(r["add_subject"])
        add_rows.append(
            Row(
                f"add one span, {name}",
                ms(s),
                ms(f),
                ratio(s, f),
                f"< {ADD_GOAL_MS:g} ms",
                s * 1000 < ADD_GOAL_MS,
                [
                    f"apply_label() (store + view) {ms(median(r['add_store']))}, then events "
                    f"(table refresh, paint) {ms(median(r['add_events']))}; max "
                    f"{ms(max(r['add_subject']))} ({cfg.add_reps} runs); floor = bare "
                    "project.annotate()"
                ],
            )
        )
    rows.extend(loaded_rows)
    rows.extend(add_rows)
    return rows


def run_memory(cfg: Config, c: WindowCorpus) -> list[Row]:
    firsts: tuple[list[float], list[float]] = ([], [])
    scrolled: tuple[list[float], list[float]] = ([], [])
    for r in range(cfg.memory_reps):
        order = ((0, c.plain), (1, c.spans)) if r % 2 == 0 else ((1, c.spans), (0, c.plain))
        for which, doc in order:
            m = run_child(cfg.work, "window.memory_child", path=str(c.path), doc=doc, scroll=True)
            firsts[which].append(m["first_paint"])
            scrolled[which].append(m["scrolled"])
    name = f"{_size_name(c.chars)}, {c.n_spans:,} spans"
    rows = []
    for what, (floor, subject) in (
        ("peak RSS, window at first paint", firsts),
        ("peak RSS, window after scrolling the whole text", scrolled),
    ):
        f, s = median(floor), median(subject)
        rows.append(
            Row(
                f"{what}, {name}",
                f"{s:.0f} MB",
                f"{f:.0f} MB",
                f"+{s - f:.1f} MB",
                f"< +{MEMORY_GOAL_MB:g} MB",
                s - f < MEMORY_GOAL_MB,
                [f"one child process per window, {cfg.memory_reps} of each (ru_maxrss)"],
            )
        )
    return rows
