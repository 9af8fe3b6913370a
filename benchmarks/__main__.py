"""``python -m benchmarks``: build synthetic corpora, measure, print one table.

Every figure is a ratio against a floor measured in the same run, interleaved with
the subject (see benchmarks/common.py). ``--quick`` shrinks every size for a smoke
run; ``--only NAME`` runs one topic (window, memory, codebook, scale, import, export,
trust, agree).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    agreement,
    codebook,
    data,
    marks,
    network_view,
    scale,
    startup,
    suggest,
    table_scale,
    trust,
    view_shapes,
    web_eval,
    window,
)
from benchmarks.common import Config, Row, format_table

TOPICS = (
    *("window", "memory", "codebook", "scale", "import", "export", "trust", "agree", "table"),
    "startup",
    "view",
    "web",
    "suggest",
    "network",
    "marks",
)


def machine() -> str:
    """CPU, cores, RAM and versions, for the record."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = "unknown"
    import PySide6
    from PySide6.QtCore import qVersion

    shell = shutil.which("sqlite3")
    shell_version = (
        subprocess.run([shell, "-version"], capture_output=True, text=True).stdout.split()[0]
        if shell
        else "not installed"
    )
    return "\n".join(
        [
            f"- CPU: {cpu}, {os.cpu_count()} cores (shared with other work)",
            f"- RAM: {ram}",
            f"- OS: {platform.platform()}",
            f"- Python {platform.python_version()}, PySide6 {PySide6.__version__} (Qt "
            f"{qVersion()}), SQLite {sqlite3.sqlite_version} (Python module), "
            f"sqlite3 shell {shell_version}",
            f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", choices=TOPICS, action="append", help="run only this topic")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--markdown", type=Path, help="also write the table here, with the machine")
    args = parser.parse_args(argv)
    topics = args.only or list(TOPICS)
    work = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    cfg = Config.make(args.quick, work)
    rows: list[Row] = []
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    try:
        if "window" in topics or "memory" in topics:
            say("building the window corpora")
            corpora = window.build(cfg)
            if "window" in topics:
                say("window: first paint and adding a span")
                rows += window.run(cfg, corpora)
            if "memory" in topics:
                say("memory: peak RSS of the biggest window")
                rows += window.run_memory(cfg, corpora[-1])
        if "codebook" in topics:
            say("codebook: the window with 20,000 labels")
            rows += codebook.run(cfg, codebook.build(cfg))
        if {"scale", "import", "export", "trust"} & set(topics):
            say("building the scale corpora")
            corpus = scale.build(cfg)
            say(f"built {corpus.annotations:,} annotations in {corpus.docs:,} documents")
            if "scale" in topics:
                say("scale: opening the big project, the annotation table")
                rows += scale.run(cfg, corpus)
            if "import" in topics:
                say("import: JSONL")
                rows.append(data.run_import(cfg, corpus))
            if "export" in topics:
                say("export: CSV")
                rows.append(data.run_export(cfg, corpus))
            if "trust" in topics:
                say("trust: the guarded change, the deep check")
                rows += trust.run(cfg, corpus)
        if "table" in topics:  # many documents, a million-row table (issue 14)
            say("table: many documents, a million-row table")
            rows += table_scale.run(cfg)
        if "agree" in topics:
            say("agree: 3 coders on the scale documents")
            rows += agreement.run(cfg)
        if "view" in topics:  # one-paragraph texts, dense overlaps, memory (issue 14)
            say("view: one-paragraph texts, dense overlaps, the window's memory")
            rows += view_shapes.run(cfg)
        if "web" in topics:  # 990 real web pages: our reader against trafilatura (issue 18)
            say("web: the article of 990 pages, ours and trafilatura's")
            rows += web_eval.run(cfg.quick)
        if "suggest" in topics:  # suggestions: a long document, training (issue 17)
            say("suggest: a 100,000-character document's suggestions, training 1,000 spans")
            rows += suggest.run(cfg.quick)
        if "network" in topics:  # the network view: 2,000 nodes, 20,000 edges (issue 16)
            say("network: the network view's layout, pan and zoom at 2,000 nodes")
            rows += network_view.run(cfg.quick, cfg.work)
        if "marks" in topics:  # label tags, coding stripes, link arcs (issue 13)
            say("marks: first paint with tags, stripes and arcs on")
            rows += marks.run(cfg)
        if "startup" in topics:  # whole processes: the command line, the window (issue 14)
            say("startup: the command line and the window, from process start")
            rows += startup.run(cfg)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        # the rows measured so far are written even when a topic fails (a long run's
        # figures are not lost to the last topic)
        table = format_table(rows)
        print(table)
        say("done")
        if args.markdown:
            mode = "quick (smoke) run" if args.quick else "full run"
            args.markdown.write_text(
                f"## Results ({mode}, {time.perf_counter() - started:.0f} s)\n\n"
                f"{machine()}\n\n{table}\n",
                encoding="utf-8",
            )
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
