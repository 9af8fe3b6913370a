"""`annotator PROJECT` opens the window on it; `annotator` alone reopens the last one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotator.store import Project

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))


def start(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_QUIT_AFTER_MS": "300"}
    return subprocess.run([ANNOTATOR, *args], capture_output=True, text=True, env=env, timeout=120)


def test_project_then_last_project(tmp_path: Path) -> None:
    path = tmp_path / "claims.annot"
    with Project.create(path) as project:
        project.add_document("The Senate adopted it.", "doc")
    first = start(str(path))
    assert first.returncode == 0, first.stderr
    assert (
        f"opened {path.resolve()} (1 documents)" in first.stdout
        or f"opened {path} (1 documents)" in first.stdout
    )
    again = start()
    assert again.returncode == 0, again.stderr
    assert "claims.annot (1 documents)" in again.stdout


def test_a_missing_project_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = start(str(tmp_path / "nope.annot"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"annotator: error: there is no project {tmp_path / 'nope.annot'} (and "
        f"'{tmp_path / 'nope.annot'}' is not a command; commands: "
        + result.stderr.split("commands: ", 1)[1].strip()
    ]
