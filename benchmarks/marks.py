"""Issue 13: first paint with the marks beside the text (label tags, coding stripes,
link arcs: gui/marks) against the no-span floor.

One child per size opens the real window (offscreen, reading mode so the margins have
room) and measures, interleaved, from ``window.show_document(id)`` until the first
paint has completed: the subject is the text with its spans, the tags, stripes and
arcs on and the first span selected with a link drawn; the floor is the same text
without spans with the marks switched off. Also one scroll of a page with the marks
on (they repaint on every scroll).
"""

from __future__ import annotations

import gc
import time
from typing import Any

from benchmarks.common import Config, Row, interleave, median, ms, ratio, run_child
from benchmarks.window import _open_window, _size_name, build

GOAL = 1.5


def marks_child(path: str, tiny: int, spans: int, plain: int, reps: int) -> dict[str, Any]:
    from benchmarks.qt import pump, pump_until_painted

    window, probe = _open_window(path)
    window.window_layout.toggle_focus_mode()  # the docks hidden and a smaller font: the
    window.font_options.zoom(-1)  # offscreen screen is 800 px, room for the tags
    pump(5)
    marks = window.marks
    project = window.session.project
    first = project.execute(
        "SELECT id FROM annotations WHERE document_id = ? ORDER BY start LIMIT 2", (spans,)
    ).fetchall()
    links = [(first[0][0], first[1][0], "claimant")] if len(first) == 2 else []
    out: dict[str, Any] = {"scroll": []}

    def switch(on: bool) -> None:
        marks.stripes.tags_on = marks.stripes.stripes_on = marks.arcs.on = on
        marks.apply()

    def open_doc(doc: int, on: bool) -> float:
        switch(on)
        window.show_document(tiny)
        pump(5)
        project._texts.clear()
        gc.collect()
        before = probe.count
        t0 = time.perf_counter()
        window.show_document(doc)
        if on and links:
            window.view.set_current(links[0][0])
            window.view.set_relations(links)
        pump_until_painted(probe, before)
        return time.perf_counter() - t0

    open_doc(plain, False)
    open_doc(spans, True)
    out["floor"], out["subject"] = interleave(
        lambda: open_doc(plain, False), lambda: open_doc(spans, True), reps
    )
    out["squeezed"] = marks.stripes.squeezed
    bar = window.view.verticalScrollBar()
    for _ in range(reps):
        before = probe.count
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        pump_until_painted(probe, before)
        out["scroll"].append(time.perf_counter() - t0)
    window.close()
    return out


def run(cfg: Config) -> list[Row]:
    rows: list[Row] = []
    for c in build(cfg):
        name = f"{_size_name(c.chars)}, {c.n_spans:,} spans"
        r = run_child(
            cfg.work,
            "marks.marks_child",
            path=str(c.path),
            tiny=c.tiny,
            spans=c.spans,
            plain=c.plain,
            reps=cfg.reps,
        )
        f, s = median(r["floor"]), median(r["subject"])
        rows.append(
            Row(
                f"first paint with tags, stripes and arcs, {name}",
                ms(s),
                ms(f),
                ratio(s, f),
                f"<= {GOAL}x",
                s / f <= GOAL,
                [
                    f"floor: the text without spans, marks off; subject range "
                    f"{ms(min(r['subject']))}-{ms(max(r['subject']))}; a page scrolled with "
                    f"the marks on {ms(median(r['scroll']))}; tags "
                    f"{'stepped aside (narrow)' if r['squeezed'] else 'shown'} "
                    f"({cfg.reps} runs each)"
                ],
            )
        )
    return rows
