"""Long paragraphs are shown in pieces: Qt never lays out or formats a multi-megabyte
block, and every offset stays exact (code points in, code points out) across the
display-only breaks, with astral characters, combining marks and right-to-left text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.spans import Span
from annotator.gui.view.document_view import DocumentView
from annotator.gui.view.view_blocks import MAX_BLOCK, display
from annotator.store import Project
from tests.gui.helpers import drag_select, key, open_window, settle

PIECES = [
    "The Senate said ",
    "👍🏽 ",
    "👩‍👩‍👧 ",
    "e\u0301t\u0301e\u0301 ",
    "قال البرلمان ",
    "שלום ",
    "𠀋 ",
    "a\u00a0b. ",
    "🇫🇷 ",
    "Հայաստանի ",
    "word",
    "longerwordwithoutspaces",
]


def mixed_paragraph(chars: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        piece = rng.choice(PIECES)
        out.append(piece)
        size += len(piece)
    return "".join(out)


def qt_slice(shown: str, a: int, b: int) -> str:
    """Qt positions are UTF-16 units: slice the displayed text by them."""
    return shown.encode("utf-16-le")[2 * a : 2 * b].decode("utf-16-le")


def test_display_keeps_every_offset_exact() -> None:
    text = (
        mixed_paragraph(9000) + "\n" + mixed_paragraph(400, 4) + "\n\n" + mixed_paragraph(7000, 5)
    )
    shown = display(text, spacing=True, limit=500)
    dmap = shown.map
    assert dmap.inserted > 20
    units = shown.text.encode("utf-16-le")
    # the shown text is the stored text plus the inserted breaks, nothing else
    kept = "".join(
        units[2 * i : 2 * i + 2].decode("utf-16-le", "surrogatepass")
        for i in range(len(units) // 2)
        if not dmap.is_inserted(i)
    ).encode("utf-16-le", "surrogatepass")
    assert kept.decode("utf-16-le") == text
    for cp in range(len(text) + 1):
        assert dmap.to_codepoint(dmap.to_utf16(cp)) == cp
        assert dmap.to_codepoint(dmap.to_utf16_end(cp), round_up=True) == cp
    rng = random.Random(1)
    for _ in range(300):
        a = rng.randrange(len(text))
        b = rng.randrange(a, min(len(text), a + 2000) + 1)
        piece = qt_slice(shown.text, dmap.to_utf16(a), dmap.to_utf16_end(b))
        gaps = sum(dmap.is_inserted(q) for q in range(dmap.to_utf16(a), dmap.to_utf16_end(b)))
        assert len(piece.replace("\n", "")) == len(text[a:b].replace("\n", ""))
        assert piece.count("\n") == text[a:b].count("\n") + gaps


def test_cuts_never_split_what_is_drawn_as_one() -> None:
    text = mixed_paragraph(60_000)
    shown = display(text, spacing=False, limit=300)
    starts = [len(p) for p in shown.text.split("\n")]
    assert max(starts) <= 300 + 8  # a cut moves past a combining mark or a joiner only
    position = 0
    for piece in shown.text.split("\n")[:-1]:
        position += len(piece)
        after = text[position]
        assert after not in "\u0301\u200d\U0001f3fd", f"cut before {after!r} at {position}"
        assert text[position - 1] != "\u200d"


def test_plain_text_is_shown_as_it_is() -> None:
    text = "One paragraph.\nAnother one.\n"
    shown = display(text, spacing=False)
    assert shown.text is text and shown.map.is_identity


@pytest.fixture
def long_view(qtbot: QtBot) -> DocumentView:
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.set_labels({1: "#e69f00", 2: "#56b4e9", 3: "#009e73"}, {1: "a", 2: "b", 3: "c"})
    view.show()
    qtbot.waitExposed(view)
    return view


def test_one_long_paragraph_is_never_laid_out_or_formatted_whole(
    long_view: DocumentView,
) -> None:
    view = long_view
    text = mixed_paragraph(150_000)  # one paragraph, no line break
    rng = random.Random(2)
    spans = []
    for i in range(4000):
        a = rng.randrange(len(text) - 50)
        spans.append(Span(i + 1, a, a + rng.randrange(1, 50), rng.randrange(1, 4)))
    view.set_document(text, spans)
    view.repaint()
    doc = view.document()
    assert doc.blockCount() > 40
    block = doc.firstBlock()
    while block.isValid():
        first = view.offsets.to_codepoint(block.position())
        last = view.offsets.to_codepoint(block.position() + block.length() - 1)
        assert last - first <= MAX_BLOCK + 10  # code points
        block = block.next()
    view.formatted_chars = 0
    view.add_spans([Span(99_999, 10, 30, 2)])
    view.repaint()
    assert 0 < view.formatted_chars <= 2 * MAX_BLOCK  # only the block the span touches
    view.formatted_chars = 0
    view.remove_spans([99_999])  # undo takes the same path
    view.repaint()
    assert 0 < view.formatted_chars <= 2 * MAX_BLOCK  # UTF-16 units of one block


def covered(view: DocumentView) -> set[int]:
    """The code points the view gave a span format, read back from Qt's layouts."""
    out: set[int] = set()
    block = view.document().firstBlock()
    while block.isValid():
        for r in block.layout().formats():
            if r.format.background().style().value == 0:
                continue
            a = view.offsets.to_codepoint(block.position() + r.start)
            b = view.offsets.to_codepoint(block.position() + r.start + r.length, round_up=True)
            out.update(range(a, b))
        block = block.next()
    return out


def test_spans_across_a_cut_cover_exactly_their_code_points(long_view: DocumentView) -> None:
    view = long_view
    text = mixed_paragraph(12_000, 9)
    view.set_document(text, [])
    view.repaint()
    cut = view.document().firstBlock().next().position()
    at = view.offsets.to_codepoint(cut)
    assert view.offsets.is_inserted(cut - 1)  # the display-only break before the piece
    span = Span(7, at - 25, at + 40, 1)
    view.add_spans([span])
    view.select_range(span.start, span.end)
    view.repaint()
    assert covered(view) == set(range(span.start, span.end))
    assert view.selected_range() == (span.start, span.end)
    assert view.selected_text() == text[span.start : span.end]
    view.copy()
    assert QApplication.clipboard().text() == text[span.start : span.end]


def test_a_mouse_selection_across_a_cut_stores_what_was_seen(qtbot: QtBot, tmp_path: Path) -> None:
    text = mixed_paragraph(12_000, 11)
    path = tmp_path / "long.annot"
    with Project.create(path) as project:
        project.add_document(text, "one paragraph")
    window = open_window(qtbot, path)
    window.snap_action.setChecked(False)
    view = window.view
    cut = view.document().firstBlock().next().position()
    at = view.offsets.to_codepoint(cut)
    drag_select(qtbot, view, at - 12, at + 9)
    a, b = view.selected_range()
    assert (a, b) == (at - 12, at + 9)
    key(qtbot, window, "1")
    settle()
    with Project.open(path, read_only=True) as project:
        rows = project.db.conn.execute('SELECT start, "end", text FROM annotations').fetchall()
    assert rows == [(a, b, text[a:b])]
    # the new span is found on both sides of the cut
    assert [s.start for s in view.spans_at(a + 1)] == [a]
    assert [s.start for s in view.spans_at(b - 1)] == [a]
