"""The window on a real X server: what the xvfb-run checks and the screenshot script
share (run in their own process, ``python -m tests.gui.NAME``), and how a test starts
one of them on a virtual screen of a given size and reads the JSON it prints."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[2]


def spin(seconds: float = 0.3) -> None:
    """Let the window system and the event loop run for *seconds*, as time passes for
    a user (a real X server maps, resizes and activates in its own time)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def shown_window(project: Path, settle: float = 0.5) -> Any:
    """The main window on *project*, shown, exposed, active, the text focused."""
    from annotator.gui.app import create_main_window

    window = create_main_window(project)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    window.view.setFocus()
    spin(settle)
    return window


def press(target: QWidget, sequence: str, settle: float = 0.3) -> None:
    """Press *sequence* (e.g. ``"Ctrl+Shift+T"``) on *target*, then let it take effect."""
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
    spin(settle)


def run_on_screen(module: str, size: str, args: list[str], tmp_path: Path) -> Any:
    """Run ``python -m tests.gui.MODULE ARGS`` under ``xvfb-run`` on a *size* screen
    ("1280x720") as a first start (fresh settings); the JSON of its last line."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (package-check installs xvfb)")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env["ANNOTATOR_SETTINGS"] = str(tmp_path / "first-start.ini")  # a first start
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable]
    command += ["-m", f"tests.gui.{module}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
