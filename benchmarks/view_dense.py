"""Issue 14's dense overlaps in the document view: a page scrolled as a user scrolls.

The text: 100 KB with 100,000 spans over 20 labels (nearly every piece of text is a new
combination of labels); the floor: the same text with no spans, in its own window
process, run alternately with the subject. One window process per document and per
setting of the marks' margins (label tags, coding stripes, link arcs: on, as the
window starts, or all off to see the text view alone).

What a user does, each step timed from the input to the end of the frame (the key or
the scroll bar, then ``viewport().repaint()``, which paints the whole window's dirty
region, margins included, before it returns):

- **reading**: Page Down, then the event loop runs (``QTest.qWait``) for
  :data:`READ_MS` as while the user reads; the view formats the next and the previous
  page in that idle time (gui/view/block_formats.py);
- **held**: Page Down auto-repeated, a step every :data:`REPEAT_MS` (the event loop
  runs for the rest of each interval);
- **back up**: Page Up over pages seen before;
- **jump**: the document shown again (nothing formatted), then the scroll bar dragged
  :data:`JUMP_BLOCKS` blocks on at a time, to text not shown yet (cold: every block on
  screen is formatted on the way); no goal.
"""

from __future__ import annotations

import gc
import random
import time
from typing import Any

from benchmarks.common import Config, Row, median, ms, ratio
from benchmarks.corpus import TextMaker, make_spans

PAGE_GOAL_MS = 16.0
READ_MS = 300
REPEAT_MS = 33  # a key's auto-repeat: about 30 a second
JUMP_BLOCKS = 12  # blocks (paragraphs and spacers) between two jumps: 2-3 pages
WHAT = {
    "read": f"Page Down at a reading pace (event loop {READ_MS} ms between)",
    "held": f"Page Down held (a step every {REPEAT_MS} ms)",
    "up": "Page Up over pages seen",
    "jump": "scroll bar dragged 2-3 pages on, to text not shown yet (cold)",
}
GOALS = {"read": True, "held": True, "up": True, "jump": False}


def build(cfg: Config, size: int, n_spans: int, seed: int) -> Any:
    """A text with *n_spans* spans over 20 labels, and the same text without spans."""
    from annotator.store import Project
    from benchmarks.view_shapes import LABELS, ShapeProject, _insert, _label_keys

    text = TextMaker(seed).text(size)
    rng = random.Random(seed)
    path = cfg.work / f"dense-{size}.annot"
    with Project.create(path, annotator="bench") as project:
        keys = _label_keys(project)
        assert len(keys) == LABELS
        rows = [(s.start, s.end, rng.choice(keys)) for s in make_spans(text, n_spans, seed)]
        project.add_document("A tiny first document.", "0 tiny")  # the one a window opens on
        subject = project.add_document(text, "dense").id
        floor = project.add_document(text, "no spans").id
        with project.transaction():
            _insert(project, subject, text, rows)
    return ShapeProject(path, subject, floor, len(text), len(rows))


# -- the child (Qt lives only here) --------------------------------------------------


def scroll_child(path: str, doc: int, pages: int, margins: bool) -> dict[str, list[float]]:
    """Seconds per step of each kind (see the module's docstring)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from benchmarks.view_shapes import _window

    window, _probe = _window(path, doc)
    if not margins:
        for switch in (window.marks.set_tags, window.marks.set_stripes, window.marks.set_arcs):
            switch(False)
    view = window.view
    view.setFocus()
    bar = view.verticalScrollBar()
    QTest.qWait(500)  # the rest of the spans and the table load after the first paint

    def step(act: Any) -> float:
        gc.collect()
        t0 = time.perf_counter()
        act()
        view.viewport().repaint()
        return time.perf_counter() - t0

    def key(k: Qt.Key) -> Any:
        return lambda: QTest.keyClick(view, k)

    out: dict[str, list[float]] = {name: [] for name in WHAT}
    for _ in range(pages):
        out["read"].append(step(key(Qt.Key.Key_PageDown)))
        QTest.qWait(READ_MS)
    for _ in range(pages):
        took = step(key(Qt.Key.Key_PageDown))
        out["held"].append(took)
        QTest.qWait(max(0, REPEAT_MS - round(took * 1000)))
    for _ in range(pages):
        out["up"].append(step(key(Qt.Key.Key_PageUp)))
        QTest.qWait(READ_MS // 3)
    # the same text again, nothing formatted: jumps land on text never shown
    window.show_document(1)
    window.show_document(doc)
    QTest.qWait(READ_MS)
    blocks = view.document().blockCount()
    for number in range(JUMP_BLOCKS, blocks - JUMP_BLOCKS, JUMP_BLOCKS):
        line = view.document().findBlockByNumber(number).firstLineNumber()
        out["jump"].append(step(lambda line=line: bar.setValue(line)))
        QTest.qWait(READ_MS)
    window.close()
    return out


# -- the runner side -------------------------------------------------------------------


def run(cfg: Config) -> list[Row]:
    from benchmarks.view_shapes import LABELS, _alternate, _name

    dense = build(cfg, 100_000, 100_000 if not cfg.quick else 30_000, 500)
    pages = 20 if not cfg.quick else 8
    rows: list[Row] = []
    for margins, where in ((False, "the text view alone"), (True, "with tags, stripes, arcs")):
        floor, subject = _alternate(
            cfg, "view_dense.scroll_child", dense, pages=pages, margins=margins
        )
        for what, label in WHAT.items():
            if not subject[what]:
                continue
            f, s = median(floor[what]), median(subject[what])
            goal = GOALS[what]
            rows.append(
                Row(
                    f"{label}, dense overlaps, {LABELS} labels, {_name(dense)}, {where}",
                    ms(s),
                    ms(f),
                    ratio(s, f),
                    f"< {PAGE_GOAL_MS:g} ms" if goal else "— (reported)",
                    s * 1000 < PAGE_GOAL_MS if goal else None,
                    [
                        f"{len(subject[what])} steps per window, 1280x720; max "
                        f"{ms(max(subject[what]))}; floor: the same text without spans"
                    ],
                )
            )
    return rows
