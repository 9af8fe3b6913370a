"""Label hotkeys in the window: every hotkey the codebook loader accepts annotates when
pressed, and the keys it refuses are exactly those the window cannot bind to a label."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from annotator.core.codebook import HOTKEY_RE, UNUSABLE_KEYS, load_codebook
from annotator.store import Project
from tests.gui.helpers import key, open_window

CODEBOOK = """name: Keys
labels:
  - {key: lower, colour: "#0072b2", hotkey: a}
  - {key: upper, colour: "#009e73", hotkey: Z}
  - {key: zero, colour: "#d55e00", hotkey: "0"}
  - {key: nine, colour: "#cc79a7", hotkey: 9}
  - {key: em, colour: "#e69f00", hotkey: m}
  - {key: plain, colour: "#56b4e9"}
"""
TEXT = "one two three four five six seven eight"


def test_every_accepted_hotkey_annotates_when_pressed(qtbot: QtBot, tmp_path: Path) -> None:
    codebook = load_codebook(CODEBOOK, "keys.yaml")
    path = tmp_path / "keys.annot"
    with Project.create(path, codebook) as project:
        project.add_document(TEXT, "words")
    window = open_window(qtbot, path)
    words = [(i, i + len(w)) for i, w in ((TEXT.index(w), w) for w in TEXT.split())]
    pressed = [(label.key, label.hotkey) for label in codebook.labels if label.hotkey]
    for (start, end), (label, hotkey) in zip(words, pressed, strict=False):
        assert hotkey is not None
        window.view.select_range(start, end)
        key(qtbot, window, hotkey)
        last = window.session.require().annotations()[-1]
        assert (last.start, last.end, last.label) == (start, end, label), hotkey
    assert len(window.session.require().annotations()) == len(pressed) == 5


def test_the_window_binds_no_key_a_hotkey_may_be(qtbot: QtBot) -> None:
    """Every shortcut of the window pressed without Ctrl or Alt is one the loader refuses
    as a hotkey (UNUSABLE_KEYS) and never a letter or digit: a new fixed shortcut on such
    a key must be added to the loader's list."""
    window = open_window(qtbot, None)
    alone = []
    for action in window.actions():
        for sequence in action.shortcuts():
            combo = sequence[0]
            if sequence.count() == 1 and not combo.keyboardModifiers():
                alone.append(QKeySequence(combo.key()).toString())
    assert {"Del", "Backspace", "F1", "F2"} <= set(alone)  # the window's fixed keys
    for name in alone:
        assert not HOTKEY_RE.match(name), name
        assert name.casefold() in UNUSABLE_KEYS, name
