"""What every benchmark shares: settings, interleaved timing, child processes, rows.

Every figure is compared with a floor measured in the same run, interleaved with the
subject (floor, subject, floor, subject, ...), and the medians are reported: the
machine is shared and noisy, so absolute numbers from another run mean little.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Config:
    """Sizes and repetitions of one run (``--quick`` shrinks them for a smoke run)."""

    quick: bool
    work: Path  # the temporary folder holding the generated projects
    reps: int = 5
    window_sizes: tuple[tuple[int, int], ...] = (
        (100_000, 1_000),
        (1_000_000, 10_000),
        (5_000_000, 100_000),
    )
    add_reps: int = 15
    scale_docs: int = 1_000
    scale_per_doc: int = 1_000
    scroll_steps: int = 1_000
    small_table: int = 1_000
    memory_reps: int = 3
    startup_reps: int = 21  # whole processes of the command line

    @classmethod
    def make(cls, quick: bool, work: Path) -> Config:
        if not quick:
            return cls(quick, work)
        return cls(
            quick,
            work,
            reps=3,
            window_sizes=((20_000, 200), (200_000, 2_000), (500_000, 10_000)),
            add_reps=5,
            scale_docs=100,
            scale_per_doc=500,
            scroll_steps=100,
            small_table=500,
            memory_reps=1,
            startup_reps=7,
        )


@dataclass
class Row:
    """One line of the results table."""

    what: str
    subject: str
    floor: str
    ratio: str
    goal: str
    passed: bool | None  # None: no verdict (not measured, or informative only)
    notes: list[str] = field(default_factory=list)


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], object]) -> float:
    """Seconds taken by one call of *fn* (after a garbage collection, so that a
    collection left over from setup does not land in the measurement)."""
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def interleave(
    floor: Callable[[], float], subject: Callable[[], float], reps: int
) -> tuple[list[float], list[float]]:
    """Run floor and subject alternately (the order flips each round); each callable
    returns its own measurement in seconds (so it may exclude its own setup)."""
    floors: list[float] = []
    subjects: list[float] = []
    for r in range(reps):
        if r % 2 == 0:
            floors.append(floor())
            subjects.append(subject())
        else:
            subjects.append(subject())
            floors.append(floor())
    return floors, subjects


def child_env(work: Path) -> dict[str, str]:
    """Environment of child processes: offscreen Qt, settings and backups in *work*."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_DATA_HOME"] = str(work / "home" / "data")
    env["XDG_CONFIG_HOME"] = str(work / "home" / "config")
    env["HOME"] = str(work / "home")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *(p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)]
    )
    return env


def run_child(work: Path, function: str, **kwargs: Any) -> Any:
    """Run ``benchmarks.<function>`` (``module.name``) in a fresh Python process with
    JSON *kwargs*; return what it returned (it prints JSON on its last line)."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", function, json.dumps(kwargs)],
        capture_output=True,
        text=True,
        env=child_env(work),
        cwd=ROOT,
        timeout=900,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"child {function} failed ({proc.returncode}):\n{proc.stderr[-3000:]}\n{proc.stdout[-1000:]}"
        )
    return json.loads(lines[-1])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def ratio(subject: float, floor: float) -> str:
    return f"{subject / floor:.2f}x" if floor > 0 else "n/a"


def format_table(rows: list[Row]) -> str:
    """A Markdown table (readable as plain text too)."""
    head = ("what", "subject", "floor", "ratio", "goal", "pass")
    cells = [head] + [
        (
            r.what,
            r.subject,
            r.floor,
            r.ratio,
            r.goal,
            "-" if r.passed is None else ("PASS" if r.passed else "FAIL"),
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]

    def line(c: tuple[str, ...]) -> str:
        return "| " + " | ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)) + " |"

    out = [line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(c) for c in cells[1:])
    notes = [f"- {r.what}: {n}" for r in rows for n in r.notes]
    if notes:
        out += ["", "Notes:", *notes]
    return "\n".join(out)
