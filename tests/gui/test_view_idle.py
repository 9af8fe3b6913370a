"""The view formats the next and the previous page in idle time, a slice at a time,
stops on any input and resumes; a page scrolled to by Page Down is then ready (the
paint formats nothing); an edit re-formats exactly the blocks it touches. The sweep
over span columns gives each piece its labels' look, at any depth and across astral
characters."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from annotator.core.spans import LONG_SPAN, Span, SpanIndex
from annotator.gui.view import block_formats
from annotator.gui.view.document_view import DocumentView
from annotator.gui.view.span_formats import label_runs

COLOURS = {1: "#e69f00", 2: "#56b4e9", 3: "#009e73", 4: "#cc79a7"}
WORDS = ("senate", "claims", "the", "minister", "demands", "👍🏽", "reform", "of", "taxes")


def dense_text(paragraphs: int = 60, words: int = 70, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice(WORDS) for _ in range(words)) for _ in range(paragraphs))


def dense_spans(text: str, n: int, seed: int = 2) -> list[Span]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a = rng.randrange(len(text) - 40)
        out.append(Span(i + 1, a, a + rng.randrange(1, 40), rng.randrange(1, 5)))
    return out


@pytest.fixture
def view(qtbot: QtBot) -> DocumentView:
    v = DocumentView()
    qtbot.addWidget(v)
    v.resize(700, 300)
    v.set_labels(COLOURS, {k: f"l{k}" for k in COLOURS})
    text = dense_text()
    v.set_document(text, dense_spans(text, 3000))
    v.show()
    qtbot.waitExposed(v)
    v.setFocus()
    return v


def visible(view: DocumentView) -> list[QTextBlock]:
    out = []
    block = view.firstVisibleBlock()
    offset = view.contentOffset()
    while block.isValid():
        if view.blockBoundingGeometry(block).translated(offset).top() > view.viewport().height():
            break
        out.append(block)
        block = block.next()
    return out


def text_blocks(first: QTextBlock, direction: int, count: int) -> list[QTextBlock]:
    """*count* blocks holding text from *first* on (spacer blocks skipped)."""
    out = []
    block = first
    while block.isValid() and len(out) < count:
        if block.length() > 1:
            out.append(block)
        block = block.next() if direction > 0 else block.previous()
    return out


def wanted(view: DocumentView, block: QTextBlock) -> list[tuple[int, int, int]]:
    """(start, length, background rgb) the block must carry: the labels' look of each
    run (block-relative UTF-16 units)."""
    pos16 = block.position()
    lo = view.offsets.to_codepoint(pos16)
    hi = view.offsets.to_codepoint(pos16 + block.length() - 1)
    out: list[tuple[int, int, int]] = []
    for a, b, labels in label_runs(view.index.touching(lo, hi), lo, hi):
        fmt = view.formats.for_labels(labels)
        start = view.offsets.to_utf16(a) - pos16
        length = view.offsets.to_utf16_end(b) - pos16 - start
        colour = fmt.background().color().rgb()
        if out and out[-1][2] == colour and out[-1][0] + out[-1][1] == start:
            out[-1] = (out[-1][0], out[-1][1] + length, colour)
        else:
            out.append((start, length, colour))
    return out


def carried(block: QTextBlock) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for r in block.layout().formats():
        colour = r.format.background().color().rgb()
        if out and out[-1][2] == colour and out[-1][0] + out[-1][1] == r.start:
            out[-1] = (out[-1][0], out[-1][1] + r.length, colour)
        else:
            out.append((r.start, r.length, colour))
    return out


def idle_until_done(qtbot: QtBot, view: DocumentView) -> None:
    qtbot.waitUntil(lambda: not view.blocks.idle, timeout=10_000)


def test_idle_time_formats_the_next_and_previous_page(qtbot: QtBot, view: DocumentView) -> None:
    middle = view.document().findBlockByNumber(view.document().blockCount() // 2)
    view.scroll_to(view.offsets.to_codepoint(middle.position()))  # far from the first page
    view.viewport().repaint()
    shown = visible(view)
    below = text_blocks(shown[-1].next(), 1, 2)
    above = text_blocks(shown[0].previous(), -1, 2)
    far = text_blocks(shown[-1].next(), 1, 15)[-1]
    assert below and above
    assert all(not b.layout().formats() for b in below + above)  # the paint left them
    idle_until_done(qtbot, view)
    for block in below + above:
        assert block.layout().formats()
        assert carried(block) == wanted(view, block)
        assert block.layout().lineCount() > 0  # laid out with them: the paint finds it ready
    assert not far.layout().formats()  # a page each way, no more


def test_page_down_after_idle_time_paints_formatted_blocks(
    qtbot: QtBot, view: DocumentView
) -> None:
    view.viewport().repaint()
    for _ in range(3):
        idle_until_done(qtbot, view)
        before = view.formatted_chars
        qtbot.keyClick(view, Qt.Key.Key_PageDown)  # a real key, as the user presses it
        view.viewport().repaint()
        assert view.formatted_chars == before  # nothing left to format in the paint
        for block in visible(view):
            assert carried(block) == wanted(view, block)


def test_any_input_stops_the_idle_run_until_input_pauses(
    qtbot: QtBot, view: DocumentView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(block_formats, "SLICE_SECONDS", 0.0)  # one block per slice
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()
    qtbot.waitExposed(other)
    idle_until_done(qtbot, view)
    view.blocks.clear()  # every block to format again, the screen first
    view.viewport().repaint()
    assert view.blocks.idle
    QApplication.processEvents()  # one slice
    started = view.blocks.idle_blocks
    assert started >= 1 and view.blocks.idle
    qtbot.keyClick(other, Qt.Key.Key_A)  # input anywhere in the application
    assert not view.blocks.idle
    for _ in range(5):
        QApplication.processEvents()
    assert view.blocks.idle_blocks == started  # nothing more while the user types
    qtbot.wait(block_formats.RESUME_MS + 100)  # input paused: the run goes on
    idle_until_done(qtbot, view)
    assert view.blocks.idle_blocks > started
    assert not view.blocks.idle


def test_an_edit_reformats_the_blocks_it_touches(qtbot: QtBot, view: DocumentView) -> None:
    view.viewport().repaint()
    idle_until_done(qtbot, view)
    target = text_blocks(visible(view)[-1].next(), 1, 1)[0]  # below the screen, formatted
    assert target.layout().formats()
    lo = view.offsets.to_codepoint(target.position())
    before = view.formatted_chars
    view.add_spans([Span(90_001, lo + 3, lo + 9, 2)])  # the next page: not painted
    assert carried(target) != wanted(view, target)  # (until formatted again)
    QApplication.processEvents()  # the viewport's update: a paint, then the idle run
    idle_until_done(qtbot, view)
    assert carried(target) == wanted(view, target)
    assert view.formatted_chars - before == target.length()  # that block, no other
    before = view.formatted_chars
    view.remove_spans([90_001])  # undo takes the same path
    QApplication.processEvents()
    idle_until_done(qtbot, view)
    assert carried(target) == wanted(view, target)
    assert view.formatted_chars - before == target.length()


def test_columns_are_the_spans_touching() -> None:
    rng = random.Random(5)
    spans = [
        Span(i + 1, a := rng.randrange(20_000), a + rng.choice((3, 40, LONG_SPAN + 500)), i % 4)
        for i in range(2000)
    ]
    index = SpanIndex(spans)
    for a in (0, 777, 9_000, 19_990):
        ids, starts, ends, labels = index.columns(a, a + 300)
        got = sorted(zip(ids, starts, ends, labels, strict=True))
        want = sorted((s.id, s.start, s.end, s.label) for s in index.touching(a, a + 300))
        assert got == want


def test_the_sweep_is_exact_at_any_depth(qtbot: QtBot) -> None:
    """Hundreds of layers over one word (each colour sum packed in its own field)."""
    view = DocumentView()
    view.set_labels(COLOURS, {k: f"l{k}" for k in COLOURS})
    spans = [Span(i + 1, i % 7, 1000 - i % 5, 1 + i % 4) for i in range(600)]
    spans += [Span(1000 + i, 400 + i, 420 + i, 1 + i % 3) for i in range(50)]
    pieces = view.formats.pieces(spans, 0, 1000)
    runs = label_runs(spans, 0, 1000)
    at = 0
    for a, b, fmt in pieces:
        for ra, rb, labels in runs:
            if ra < b and rb > a:
                look = view.formats.for_labels(labels)
                assert fmt.background() == look.background()
                assert fmt.underlineColor() == look.underlineColor()
                assert fmt.underlineStyle() == look.underlineStyle()
        assert a >= at
        at = b
    assert pieces[0][0] == 0 and pieces[-1][1] == 1000
    view.deleteLater()
