"""A span selected in the view stores the code-point slice the user saw selected."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.core.snapping import snap
from annotator.store import Project
from tests.conftest import MIXED_TEXT
from tests.gui.helpers import drag_select, key, open_window

TEXT = (
    MIXED_TEXT + "Combining: a\u0301b\u0302c\u0303 and Z\u0351\u0352a\u0353 ✓ 👨🏿‍🔬 scientist\r\n"
)


@pytest.fixture
def window_on_mixed(qtbot: QtBot, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.annot"
    with Project.create(path) as project:
        project.add_document(TEXT, "mixed")
    window = open_window(qtbot, path)
    return window, path


def test_mouse_selections_store_what_was_seen(qtbot: QtBot, window_on_mixed) -> None:  # type: ignore[no-untyped-def]
    window, path = window_on_mixed
    window.snap_action.setChecked(False)
    text = window.view.text
    rng = random.Random(7)
    seen = []
    for _ in range(25):
        a = rng.randrange(0, len(text) - 2)
        b = rng.randrange(a + 1, min(len(text), a + 30))
        drag_select(qtbot, window.view, a, b)
        cursor = window.view.textCursor()
        selected = cursor.selectedText()
        shown = "".join(  # what was selected, less the view's display-only breaks
            ch
            for i, ch in enumerate(selected, cursor.selectionStart())
            if not window.view.offsets.is_inserted(i)
        ).replace("\u2029", "\n")
        lo, hi = window.view.selected_range()
        assert text[lo:hi] == shown, "the view's selection and its code points disagree"
        s, e = snap(text, lo, hi, words=False)
        if s == e:
            continue
        key(qtbot, window, "1")
        seen.append(text[s:e])
        window.view.select_range(0, 0)
    with Project.open(path, read_only=True) as project:
        stored_text = project.text(1)
        annotations = project.annotations()
    assert sorted(a.text for a in annotations) == sorted(seen)
    for a in annotations:
        assert a.text == stored_text[a.start : a.end]
        assert a.text == a.text.strip()


def test_snapped_selection_over_emoji_keeps_whole_characters(qtbot: QtBot, window_on_mixed) -> None:  # type: ignore[no-untyped-def]
    window, path = window_on_mixed
    text = window.view.text
    family = text.index("👩‍👩‍👧")
    drag_select(qtbot, window.view, family, family + 5)  # one user-perceived character
    key(qtbot, window, "3")
    arm = text.index("Ազգային")
    drag_select(qtbot, window.view, arm + 2, arm + 4)
    key(qtbot, window, "1")
    with Project.open(path, read_only=True) as project:
        texts = sorted(a.text for a in project.annotations())
    assert texts == sorted(["👩‍👩‍👧", "Ազգային"])
