"""Work is never lost: a writer killed with SIGKILL at random moments.

A child process runs the real store write path (``Project.open``, ``annotate`` in
bursts, ``close``, open again ...) and prints each annotation's id only after
``annotate`` returned. The parent kills it at a random moment (while starting, while
opening, mid-burst, while closing) at least 50 times; after each kill the file passes
``PRAGMA integrity_check``, opens with ``Project.open`` (taking over the stale lock)
and holds every acknowledged annotation unchanged. The same for ``annotator import``
of many files: documents committed before the kill are there whole, nothing is half
written.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotator.core.text import normalise
from annotator.store import Project

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

KILLS = 50
TEXT = "The National Assembly called for the release of all detainees. " * 40

WRITER = textwrap.dedent(
    """
    import random, sys
    from annotator.store import Project
    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    labels = ["claim", "demand", "actor", "allegation"]
    out = sys.stdout
    while True:
        project = Project.open(path)
        doc = project.documents()[0]
        n = len(project.text(doc))
        print("ready", flush=True)
        for _ in range(rng.randint(1, 25)):
            start = rng.randrange(0, n - 1)
            end = rng.randint(start + 1, min(n, start + 80))
            label = rng.choice(labels)
            a = project.annotate(doc, start, end, label)
            out.write(f"{a.id} {start} {end} {label}\\n")
            out.flush()
        project.close()
    """
)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)  # a real writer's connection: recovers the WAL
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def acknowledged(output: bytes) -> dict[int, tuple[int, int, str]]:
    """Annotations the child reported as saved (only whole lines count)."""
    out = {}
    for line in output.decode("utf-8").split("\n")[:-1]:
        words = line.split()
        if len(words) == 4:
            out[int(words[0])] = (int(words[1]), int(words[2]), words[3])
    return out


def kill_after(child: subprocess.Popen[bytes], rng: random.Random) -> bytes:
    """Kill *child* at a random moment; return everything it printed."""
    assert child.stdout is not None
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 0.4))  # while starting or opening
    else:
        first = child.stdout.readline()  # "ready": the project is open
        time.sleep(rng.uniform(0.0, 0.03))
        child.send_signal(signal.SIGKILL)
        return first + child.stdout.read()
    child.send_signal(signal.SIGKILL)
    return child.stdout.read()


def test_annotations_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    seed = int(os.environ.get("ANNOTATOR_CRASH_SEED", time.time_ns() % 2**32))
    rng = random.Random(seed)
    path = tmp_path / "crash.annot"
    with Project.create(path, annotator="tester") as project:
        project.add_document(TEXT, "resolution")
    saved: dict[int, tuple[int, int, str]] = {}
    started = time.monotonic()
    for round_ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(rng.randrange(2**31))],
            stdout=subprocess.PIPE,
        )
        output = kill_after(child, rng)
        child.wait(timeout=10)
        where = f"(seed {seed}, kill {round_ + 1})"
        assert child.returncode == -signal.SIGKILL, where
        saved.update(acknowledged(output))
        assert integrity(path) == "ok", where
        with Project.open(path) as project:  # takes over the stale lock
            found = {a.id: (a.start, a.end, a.label) for a in project.annotations()}
            text = project.text(project.documents()[0])
            for a in project.annotations():
                assert a.text == text[a.start : a.end], where
        missing = {i: v for i, v in saved.items() if found.get(i) != v}
        assert not missing, f"acknowledged annotations lost or changed {where}: {missing}"
    assert len(saved) > KILLS  # the kills did land among real writes
    assert time.monotonic() - started < 120


def test_import_killed_midway_keeps_whole_documents(tmp_path: Path) -> None:
    seed = int(os.environ.get("ANNOTATOR_CRASH_SEED", time.time_ns() % 2**32))
    rng = random.Random(seed)
    sources = tmp_path / "articles"
    sources.mkdir()
    files = []
    for n in range(40):
        body = f"Article {n}.\r\n" + "".join(
            f"Paragraph {p} of article {n}: the Senate voted {rng.random()}.\r\n"
            for p in range(400)
        )
        path = sources / f"article-{n:02d}.txt"
        path.write_bytes(body.encode("utf-8"))
        files.append(path)
    expected = {str(f.resolve()): normalise(f.read_text("utf-8")) for f in files}
    project_path = tmp_path / "imports.annot"
    Project.create(project_path, annotator="tester").close()
    reported: dict[int, str] = {}
    partial = 0
    seen = 0
    for round_ in range(6):
        where = f"(seed {seed}, kill {round_ + 1}; replay with ANNOTATOR_CRASH_SEED={seed})"
        child = subprocess.Popen(
            [sys.executable, "-m", "annotator", "import", str(project_path), *map(str, files)],
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        # Kill while the import is running by construction: after the child said that
        # file k of 40 is in (k <= 20, so at least 20 files are still to come), a few
        # milliseconds into the next one. A file takes a millisecond or two here, and
        # the child goes on while this process wakes up to read its line: with only
        # two files left (as before) the import sometimes finished before the kill.
        k = rng.randint(1, len(files) // 2)
        lines = [child.stdout.readline() for _ in range(k)]
        time.sleep(rng.uniform(0.0, 0.005))
        child.send_signal(signal.SIGKILL)
        lines += child.stdout.read().split(b"\n")
        child.wait(timeout=10)
        for line in lines:
            words = line.decode("utf-8").split()
            if len(words) > 5 and words[0] == "imported" and words[3] == "document":
                reported[int(words[4])] = words[1]
        assert integrity(project_path) == "ok", where
        with Project.open(project_path) as project:
            docs = {d.id: d for d in project.documents()}
            assert set(reported) <= set(docs), where
            partial += len(docs) - seen < len(files)
            seen = len(docs)
            for doc in docs.values():
                text = project.text(doc)
                assert doc.source_path in expected, where
                assert text == expected[doc.source_path], f"half-written document {where}"
                assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest(), where
                assert doc.length == len(text), where
            for doc_id, name in reported.items():
                assert Path(docs[doc_id].source_path or "").name == name, where
    assert reported
    assert partial == 6, f"a kill came after the import had finished (seed {seed})"
