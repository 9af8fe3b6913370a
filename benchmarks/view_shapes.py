"""Issue 14's shapes of the document view: one-paragraph texts, dense overlaps, memory.

- **One paragraph** (5 MB and 20 MB, 100,000 spans; PDFs and scraped pages come so):
  adding one span in the real window (``apply_label`` on a selection until the view has
  repainted) and undoing it (``undo_stack.undo()`` until repainted); the floor is the
  same text and spans with a line break every ~600 characters, in its own window
  process, run alternately with the subject.
- **Dense overlaps**: a page scrolled as a user scrolls (benchmarks/view_dense.py).
- **Memory**: peak RSS of the window that shows the 5 MB one-paragraph text with its
  100,000 spans against the same text without spans (``window.memory_child``).
"""

from __future__ import annotations

import gc
import random
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.common import Config, Row, median, ms, ratio, run_child
from benchmarks.corpus import TextMaker, make_spans

ADD_GOAL_MS = 16.0
MEMORY_GOAL = 1.3
LABELS = 20


@dataclass(frozen=True)
class ShapeProject:
    path: Path
    subject: int
    floor: int
    chars: int
    spans: int


def _with_breaks(text: str, every: int = 600) -> str:
    """*text* with a space turned into a line break about every *every* characters
    (the same length, so the same spans fit)."""
    chars = list(text)
    at = every
    while at < len(chars):
        space = text.rfind(" ", at - every // 2, at)
        if space > 0:
            chars[space] = "\n"
        at += every
    return "".join(chars)


def _label_keys(project: Any) -> list[str]:
    extra = [f"code{i:02d}" for i in range(LABELS - len(project.labels()))]
    project.ensure_labels(extra)
    return [label.key for label in project.labels()][:LABELS]


def _insert(project: Any, doc: int, text: str, spans: list[tuple[int, int, str]]) -> None:
    ids = project.label_ids()
    project.db.conn.executemany(
        'INSERT INTO annotations(document_id, start, "end", text, label_id, annotator, '
        "created, modified) VALUES (?, ?, ?, ?, ?, 'bench', '2026-01-01', '2026-01-01')",
        [(doc, a, b, text[a:b], ids[key]) for a, b, key in spans],
    )


def build_paragraph(cfg: Config, size: int, n_spans: int, seed: int) -> ShapeProject:
    """One document of one paragraph and the same text with line breaks, same spans."""
    from annotator.store import Project

    lined = _with_breaks(TextMaker(seed).text(size).replace("\n", " "))
    flat = lined.replace("\n", " ")
    rng = random.Random(seed)
    path = cfg.work / f"paragraph-{size}.annot"
    with Project.create(path, annotator="bench") as project:
        keys = _label_keys(project)
        rows = [(s.start, s.end, rng.choice(keys)) for s in make_spans(lined, n_spans, seed)]
        project.add_document("A tiny first document.", "0 tiny")  # the one a window opens on
        subject = project.add_document(flat, "one paragraph").id
        floor = project.add_document(lined, "line breaks").id
        with project.transaction():
            _insert(project, subject, flat, rows)
            _insert(project, floor, lined, rows)
    return ShapeProject(path, subject, floor, len(flat), len(rows))


# -- children (Qt lives only here) ---------------------------------------------------


def _window(path: str, doc: int) -> tuple[Any, Any]:
    from annotator.gui import create_main_window
    from annotator.gui.app import application
    from benchmarks.qt import PaintProbe, pump, pump_until_painted

    application()
    window = create_main_window(path)
    window.resize(1280, 720)
    probe = PaintProbe(window.view.viewport())
    window.show()
    pump_until_painted(probe, 0)
    before = probe.count
    window.show_document(doc)
    pump_until_painted(probe, before)
    pump(20)
    return window, probe


def _until_repainted(window: Any, probe: Any, before: int) -> None:
    """Process events until the view has repainted and the coalesced table refresh ran."""
    from benchmarks.qt import pump

    timer = window._refresh_table_soon
    rounds = 0
    while probe.count == before or timer.isActive():
        pump(1)
        rounds += 1
        if rounds > 100_000:
            raise RuntimeError("the view never repainted")


def add_undo_child(path: str, doc: int, reps: int) -> dict[str, list[float]]:
    """Seconds to add one span (apply_label until repainted) and to undo it."""
    from benchmarks.qt import pump

    window, probe = _window(path, doc)
    text = window.view.text
    words = [m.span() for m in re.finditer(r"\w+", text[:200_000])]
    out: dict[str, list[float]] = {"add": [], "undo": []}
    stack = window.session.undo_stack
    for i in range(reps + 1):
        k = (i * 37) % (len(words) - 3)
        window.view.select_range(words[k][0], words[k + 2][1])
        pump(5)
        gc.collect()
        before = probe.count
        t0 = time.perf_counter()
        window.apply_label("claim")
        _until_repainted(window, probe, before)
        t1 = time.perf_counter()
        pump(5)
        gc.collect()
        before = probe.count
        t2 = time.perf_counter()
        stack.undo()
        _until_repainted(window, probe, before)
        t3 = time.perf_counter()
        if i:  # the first round warms up
            out["add"].append(t1 - t0)
            out["undo"].append(t3 - t2)
    window.close()
    return out


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_child(path: str, doc: int) -> dict[str, list[float]]:
    """Resident MB of the window showing *doc* after scrolling through all of it (every
    block painted once), and the peak (ru_maxrss) of the whole process."""
    import resource

    from benchmarks.qt import pump

    window, _probe = _window(path, doc)
    bar = window.view.verticalScrollBar()
    while bar.value() < bar.maximum():
        bar.setValue(min(bar.maximum(), bar.value() + max(1, bar.pageStep())))
        window.view.viewport().repaint()
    pump(5)
    gc.collect()
    out = {
        "rss": [_rss_mb()],
        "peak": [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024],
    }
    window.close()
    return out


# -- the runner side ---------------------------------------------------------------


def _name(p: ShapeProject) -> str:
    size = f"{p.chars / 1e6:.0f} MB" if p.chars >= 1e6 else f"{p.chars / 1e3:.0f} KB"
    return f"{size}, {p.spans:,} spans"


def _alternate(cfg: Config, function: str, p: ShapeProject, **kw: Any) -> tuple[Any, Any]:
    """The child for the floor document and the subject, alternately; results merged."""
    floor: dict[str, list[float]] = {}
    subject: dict[str, list[float]] = {}
    for r in range(max(1, cfg.memory_reps)):
        order = ((floor, p.floor), (subject, p.subject))
        for into, doc in order if r % 2 == 0 else order[::-1]:
            got = run_child(cfg.work, function, path=str(p.path), doc=doc, **kw)
            for k, v in got.items():
                into.setdefault(k, []).extend(v)
    return floor, subject


def run(cfg: Config) -> list[Row]:
    rows: list[Row] = []
    sizes = (
        ((500_000, 10_000), (1_000_000, 20_000))
        if cfg.quick
        else (
            (5_000_000, 100_000),
            (20_000_000, 100_000),
        )
    )
    for n, (size, spans) in enumerate(sizes):
        p = build_paragraph(cfg, size, spans, 400 + n)
        floor, subject = _alternate(cfg, "view_shapes.add_undo_child", p, reps=cfg.add_reps)
        for what in ("add", "undo"):
            f, s = median(floor[what]), median(subject[what])
            rows.append(
                Row(
                    f"{what} one span, one paragraph, {_name(p)}",
                    ms(s),
                    ms(f),
                    ratio(s, f),
                    f"< {ADD_GOAL_MS:g} ms",
                    s * 1000 < ADD_GOAL_MS,
                    [
                        f"real window, until repainted; max {ms(max(subject[what]))}; floor = "
                        "the same text and spans with a line break every ~600 characters"
                    ],
                )
            )
        if n == 0:
            rows += _memory(cfg, p)
    from benchmarks import view_dense

    rows += view_dense.run(cfg)
    return rows


def _memory(cfg: Config, p: ShapeProject) -> list[Row]:
    """The one-paragraph window with its spans against the same text without any."""
    from annotator.store import Project

    with Project.open(p.path) as project:
        plain = project.add_document(project.text(p.subject), "no spans").id
    floor, subject = _alternate(cfg, "view_shapes.memory_child", replace(p, floor=plain))
    rows = []
    for what, label in (("rss", "resident"), ("peak", "peak RSS")):
        f, s = median(floor[what]), median(subject[what])
        rows.append(
            Row(
                f"memory ({label}), one-paragraph window scrolled through, {_name(p)}",
                f"{s:.0f} MB",
                f"{f:.0f} MB",
                ratio(s, f),
                f"<= {MEMORY_GOAL}x",
                s / f <= MEMORY_GOAL,
                ["floor: the same text without spans; one child per window"],
            )
        )
    return rows
