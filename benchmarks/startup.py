"""Start-up, as a user waits for it (issue 14, items 5 and 6): whole processes.

- The command line: ``annotator --version``, ``annotator list SAMPLE`` and ``annotator
  export SAMPLE -o FILE`` (the demo project: the sample article, annotated), each a
  fresh process of the real console script, against ``python -c pass`` with the same
  interpreter, interleaved, medians. The goals are absolute (0.1 s and 0.15 s); the
  ratio to bare Python is printed beside them.
- The window: ``annotator PROJECT`` from process start until the document view's first
  paint, and until it is fully loaded and interactive (every span in the view and every
  row in the table), for a 5 MB text with 100,000 spans; the floor is the same process
  opening a project with the same text and no spans.

Every child runs with a bytecode cache in the work folder (as an installed wheel has,
whose modules are compiled when it is installed), warmed by one run first: this machine
sets PYTHONDONTWRITEBYTECODE, which would time the compiler instead.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Config, Row, child_env, interleave, median, ms, ratio
from benchmarks.corpus import TextMaker, insert_spans, make_spans

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))
VERSION_GOAL = 0.100
LIST_GOAL = 0.150
OPEN_GOAL = 1.3

# The child of the window rows: the real console script, with a probe that writes when
# the document view first paints and when everything is loaded, then quits.
OPEN_CHILD = """
import json, sys, time
import annotator.gui.app as app
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

out, expected = sys.argv.pop(1), int(sys.argv.pop(1))
seen = {}
create = app.create_main_window

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "paint" not in seen:
            seen["paint"] = time.monotonic()
            QTimer.singleShot(0, check)
        return False

def check():
    window = seen["window"]
    if window._loading is None and window.table_model.rowCount() == expected:
        seen["loaded"] = time.monotonic()
        with open(out, "w") as fh:
            json.dump({"paint": seen["paint"], "loaded": seen["loaded"]}, fh)
        QApplication.instance().quit()
    else:
        QTimer.singleShot(1, check)

def create_and_watch(path):
    window = create(path)
    seen["window"], seen["probe"] = window, Probe()
    window.view.viewport().installEventFilter(seen["probe"])
    return window

app.create_main_window = create_and_watch
sys.argv = sys.argv[1:]
with open(sys.argv[0]) as script:
    code = compile(script.read(), sys.argv[0], "exec")
exec(code, {"__name__": "__main__"})
"""


def _env(work: Path) -> dict[str, str]:
    env = child_env(work)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def _process(args: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from starting *args* until it has exited (it must succeed)."""
    t0 = time.perf_counter()
    subprocess.run(args, env=env, cwd=cwd, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - t0


def _sample(work: Path, env: dict[str, str]) -> Path:
    """The demo project (the sample article, annotated), made by the command itself."""
    proc = subprocess.run(
        [ANNOTATOR, "demo", "--no-gui"],
        env=env,
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(proc.stdout.strip().rsplit(": ", 1)[1])


def _command_rows(cfg: Config, env: dict[str, str]) -> list[Row]:
    sample = _sample(cfg.work, env)
    target = cfg.work / "startup-export.csv"
    floor_args = [sys.executable, "-c", "pass"]
    commands = (
        ("annotator --version", [ANNOTATOR, "--version"], VERSION_GOAL),
        ("annotator list SAMPLE", [ANNOTATOR, "list", str(sample)], LIST_GOAL),
        (
            "annotator export SAMPLE -o FILE",
            [ANNOTATOR, "export", str(sample), "-o", str(target)],
            None,
        ),
    )
    for _what, args, _goal in commands:  # warm the bytecode cache, the page cache
        _process(args, env, cfg.work)
    _process(floor_args, env, cfg.work)
    rows = []
    for what, args, goal in commands:
        floors, subjects = interleave(
            lambda: _process(floor_args, env, cfg.work),
            lambda a=args: _process(a, env, cfg.work),  # type: ignore[misc]
            cfg.startup_reps,
        )
        f, s = median(floors), median(subjects)
        rows.append(
            Row(
                f"{what}, whole process",
                ms(s),
                ms(f),
                ratio(s, f),
                f"< {goal * 1000:g} ms" if goal else "-",
                s < goal if goal else None,
                [
                    f"floor: python -c pass (same interpreter); subject range {ms(min(subjects))}"
                    f"-{ms(max(subjects))}, {cfg.startup_reps} runs each; ratio "
                    f"{ratio(s, f)} of bare Python"
                ],
            )
        )
    return rows


def _open_projects(cfg: Config) -> tuple[Path, Path, int]:
    """Two projects holding the same text, one with its spans; the number of spans."""
    from annotator.store import Project

    size, n_spans = cfg.window_sizes[-1]
    maker = TextMaker(700)
    text = maker.text(size)
    spans = make_spans(text, n_spans, 701)
    with_spans, plain = cfg.work / "open-spans.annot", cfg.work / "open-plain.annot"
    for path, keep in ((with_spans, True), (plain, False)):
        with Project.create(path, annotator="bench") as project:
            doc = project.add_document(text, "the long report").id
            if keep:
                with project.transaction():
                    insert_spans(project, doc, text, spans, random.Random(702))
    return with_spans, plain, len(spans)


def _open(path: Path, expected: int, env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Seconds from process start to the first paint, and to fully loaded."""
    out = cwd / "open-times.json"
    out.unlink(missing_ok=True)
    t0 = time.monotonic()  # the child's clock is the same (CLOCK_MONOTONIC)
    subprocess.run(
        [sys.executable, "-c", OPEN_CHILD, str(out), str(expected), ANNOTATOR, str(path)],
        env=env,
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=600,
    )
    seen = json.loads(out.read_text(encoding="utf-8"))
    return seen["paint"] - t0, seen["loaded"] - t0


def _open_rows(cfg: Config, env: dict[str, str]) -> list[Row]:
    with_spans, plain, n = _open_projects(cfg)
    size, _ = cfg.window_sizes[-1]
    name = f"{size / 1e6:g} MB, {n:,} spans"
    times: dict[str, list[tuple[float, float]]] = {"floor": [], "subject": []}

    def floor() -> float:
        times["floor"].append(_open(plain, 0, env, cfg.work))
        return times["floor"][-1][0]

    def subject() -> float:
        times["subject"].append(_open(with_spans, n, env, cfg.work))
        return times["subject"][-1][0]

    _open(plain, 0, env, cfg.work)  # warm-up: bytecode, fonts, the page cache
    _open(with_spans, n, env, cfg.work)
    interleave(floor, subject, cfg.reps)
    rows = []
    for k, what, goal in ((0, "first paint", OPEN_GOAL), (1, "fully loaded and interactive", None)):
        f = median([t[k] for t in times["floor"]])
        s = median([t[k] for t in times["subject"]])
        rows.append(
            Row(
                f"annotator PROJECT: process start to {what}, {name}",
                ms(s),
                ms(f),
                ratio(s, f),
                f"<= {goal}x" if goal else "-",
                s / f <= goal if goal else None,
                [
                    "floor: the same text without spans, same process path; fully loaded = "
                    f"every span in the view and every row in the table ({cfg.reps} runs each)"
                ],
            )
        )
    return rows


def run(cfg: Config) -> list[Row]:
    env = _env(cfg.work)
    return _command_rows(cfg, env) + _open_rows(cfg, env)
