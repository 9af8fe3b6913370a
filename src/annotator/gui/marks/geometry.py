"""Where spans sit on the screen: the visible range and a position's line, in the
viewport's coordinates (the margins share the viewport's y axis).

A margin's paint asks where thousands of spans start and end on a dense page:
:class:`LineRows` reads each line on screen once per paint and then finds a
position's line by bisection, without a cursor or a layout call per span. The lines'
rows are ``cursorRect``'s own arithmetic over the layout (:func:`lines_from`),
checked against the cursor on one line, so they are exactly what the cursor would
say (tests/gui/test_marks_speed.py checks every position, with line spacing too).
The same arithmetic, with ``QPlainTextEdit``'s rules for Page Down and Page Up (the
new top line, the offset's fraction kept), tells where the lines will be after either
key (:func:`lines_after_page_down`, :func:`lines_after_page_up`), so a margin can lay
out the next and the previous page in idle time."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from math import floor
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextBlock, QTextCursor

if TYPE_CHECKING:
    from annotator.gui.view.document_view import DocumentView


def visible_range(view: DocumentView) -> tuple[int, int]:
    """Code points [lo, hi) of the text on screen."""
    lo = view.offsets.to_codepoint(view.firstVisibleBlock().position())
    vp = view.viewport()
    bottom = view.cursorForPosition(QPoint(vp.width() - 1, vp.height() - 1))
    hi = view.offsets.to_codepoint(bottom.position()) + 1
    return lo, max(lo, hi)


def line_top(view: DocumentView, position: int) -> int:
    """The top of the line holding code point *position* (viewport y)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(position))
    return view.cursorRect(cursor).top()


def line_bottom(view: DocumentView, position: int) -> int:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16_end(position))
    return view.cursorRect(cursor).bottom()


Lines = tuple[list[int], list[int], list[int], int]  # Qt starts, tops, bottoms, end


class LineRows:
    """The lines on screen of *view* as it is now (build one per paint): the Qt
    position where each starts and its top and bottom row, as ``cursorRect`` gives
    them (:func:`screen_lines`), and the first code point each holds (as ``to_utf16`` and ``to_utf16_end``
    map code points), so a span's rows are two bisections. A position off these
    lines is asked of the cursor (exact, slower). *lines*: lines read elsewhere (see
    :func:`lines_after_page_down`) instead of the screen's."""

    def __init__(self, view: DocumentView, lines: Lines | None = None) -> None:
        self.view = view
        qt_starts, self.tops, self.bottoms, end = screen_lines(view) if lines is None else lines
        offsets = view.offsets
        # the first code point on each line (and past the last) as each map places it
        marks = [*qt_starts, end]
        guesses = [offsets.to_codepoint(q) for q in marks]
        self.top_starts = [
            first_at(offsets.to_utf16, q, g) for q, g in zip(marks, guesses, strict=True)
        ]
        self.bottom_starts = [
            first_at(offsets.to_utf16_end, q, g) for q, g in zip(marks, guesses, strict=True)
        ]

    def below_screen(self, height: int) -> int:
        """The first code point of the first line wholly below *height* (else past the
        last line): nothing from there on shows."""
        for i, top in enumerate(self.tops):
            if top >= height:
                return self.top_starts[i]
        return self.top_starts[-1]

    def top(self, position: int) -> int:
        """As :func:`line_top`."""
        starts = self.top_starts
        if len(starts) < 2 or not starts[0] <= position < starts[-1]:
            return line_top(self.view, position)
        return self.tops[bisect_right(starts, position) - 1]

    def bottom(self, position: int) -> int:
        """As :func:`line_bottom`."""
        starts = self.bottom_starts
        if len(starts) < 2 or not starts[0] <= position < starts[-1]:
            return line_bottom(self.view, position)
        return self.bottoms[bisect_right(starts, position) - 1]


def screen_lines(view: DocumentView) -> Lines:
    """The lines of the blocks on screen (from the first visible block to the first
    whose top is below the viewport), each line's rows as ``cursorRect`` gives them:
    by its arithmetic over the layout (:func:`lines_from`; a cursor a line cost 2-3 ms
    a dense page), checked against the cursor on the first line."""
    block = view.firstVisibleBlock()
    if not block.isValid():
        return [], [], [], 0
    lines = lines_from(view, block, -view.contentOffset().y(), view.viewport().height())
    if not lines[0]:
        return lines
    cursor = QTextCursor(view.document())
    cursor.setPosition(lines[0][0])
    dy = view.cursorRect(cursor).top() - lines[1][0]  # 0 unless Qt's arithmetic changed
    if not dy:
        return lines
    starts, tops, bottoms, end = lines
    return starts, [t + dy for t in tops], [b + dy for b in bottoms], end


def lines_after_page_down(view: DocumentView) -> tuple[int, Lines] | None:
    """Where Page Down will put the text, read from the layout without scrolling:
    the Qt position of the first visible block then, and :func:`screen_lines` as
    they will be. ``QPlainTextEdit.pageUpDown`` puts at the top the first line that
    is not wholly on screen. A guess (a margin checks it against the lines it reads
    when it paints); None at the end of the text or before anything is laid out."""
    height = view.viewport().height()
    now = -view.contentOffset().y()  # the vertical offset: the top line's, in its block
    block = view.firstVisibleBlock()
    h = 0.0  # a block's top, from the first visible block's
    while block.isValid():
        size = view.blockBoundingRect(block).height()
        if h + size > now + height:
            break
        if not block.next().isValid():
            return None  # the last block fits: Page Down does not scroll
        h += size
        block = block.next()
    layout = block.layout() if block.isValid() else None
    if layout is None or layout.lineCount() == 0:
        return None
    line = 0
    while line < layout.lineCount() - 1:  # the first line that did not wholly fit
        if layout.lineAt(line).naturalTextRect().bottom() > now + height - h:
            break
        line += 1
    return _scrolled_to(view, block, line)


def lines_after_page_up(view: DocumentView) -> tuple[int, Lines] | None:
    """As :func:`lines_after_page_down`, for Page Up: ``pageUpDown`` goes back a
    viewport's height above the top line and puts at the top the first line that
    starts at or below there. None at the top of the text."""
    first = view.firstVisibleBlock()
    if not first.isValid() or not first.previous().isValid():
        return None
    target = -view.contentOffset().y() - view.viewport().height()  # the page above
    block = first
    h = 0.0
    while h >= target and block.previous().isValid():
        block = block.previous()
        h -= view.blockBoundingRect(block).height()
    layout = block.layout()
    n = layout.lineCount() if layout is not None else 0
    line = 0
    while line < n and layout.lineAt(line).naturalTextRect().top() < target - h:
        line += 1
    if line == n:
        if block.next().isValid() and block.next() != first:
            block, line = block.next(), 0
        else:
            line -= 1
    return _scrolled_to(view, block, max(0, line))


def _scrolled_to(view: DocumentView, block: QTextBlock, line: int) -> tuple[int, Lines]:
    """The first visible block's position and :func:`screen_lines` once *line* of
    *block* is the top line (``QPlainTextEdit``'s ``setTopBlock``: the top line kept
    within the scroll bar's range; the part of a pixel the scroll did not move is
    kept as the offset's fraction)."""
    document = view.document()
    bar = view.verticalScrollBar()
    if block.firstLineNumber() + line > bar.maximum():
        block = document.findBlockByLineNumber(bar.maximum())
        line = bar.maximum() - block.firstLineNumber()
    wanted = _line_offset(view, block, line)
    moved = -view.blockBoundingGeometry(block).y() - view.contentOffset().y() - wanted
    whole = int(moved)
    offset = wanted + (moved - whole if whole else 0.0)
    return block.position(), lines_from(view, block, offset, view.viewport().height())


def _line_offset(view: DocumentView, block: QTextBlock, line: int) -> float:
    """``QPlainTextEditPrivate::verticalOffset``: how far *line* is below its block's
    top (the bottom of the line above it; the text's top margin above the first)."""
    view.blockBoundingRect(block)  # laid out and spaced before its lines are read
    layout = block.layout()
    offset = 0.0
    if line and layout is not None and line <= layout.lineCount():
        offset = layout.lineAt(line - 1).naturalTextRect().bottom()
    if block.blockNumber() == 0 and line == 0:
        offset -= view.document().documentMargin()
    return offset


def lines_from(view: DocumentView, first: QTextBlock, offset: float, height: int) -> Lines:
    """:func:`screen_lines` with block *first* the first visible one and the vertical
    offset *offset*, by ``cursorRect``'s arithmetic: a line's top is its block's top
    (from *first*'s) plus its own, rounded, less the offset's whole pixels."""
    qt_starts: list[int] = []
    tops: list[int] = []
    bottoms: list[int] = []
    end = 0
    y = 0.0  # the block's top, from the first visible block's
    scrolled = int(offset)
    block = first
    while block.isValid():
        rect = view.blockBoundingRect(block)  # lays it out (and spaces it) if need be
        layout = block.layout()
        base = block.position()
        for i in range(layout.lineCount()):
            text_line = layout.lineAt(i)
            row = floor(y + text_line.y() + 0.5) - scrolled  # qRound, as toRect
            qt_starts.append(base + text_line.textStart())
            tops.append(row)
            bottoms.append(row + floor(text_line.height() + 0.5) - 1)
        end = base + block.length()
        if y - offset > height:
            break
        y += rect.height()
        block = block.next()
    return qt_starts, tops, bottoms, end


def first_at(to_qt: Callable[[int], int], qt: int, guess: int) -> int:
    """The least code point that *to_qt* (non-decreasing) maps to *qt* or beyond,
    searched from *guess* (a code point near it)."""
    cp = max(0, guess)
    while cp > 0 and to_qt(cp - 1) >= qt:
        cp -= 1
    while to_qt(cp) < qt:
        cp += 1
    return cp


def span_rows(
    view: DocumentView, start: int, end: int, lo: int, hi: int, rows: LineRows | None = None
) -> tuple[int, int]:
    """A span's vertical extent on screen, clamped just outside the viewport when it
    runs off it (no layout of text out of view). *rows*: the lines of this paint."""
    height = view.viewport().height()
    top_of = rows.top if rows is not None else lambda p: line_top(view, p)
    bottom_of = rows.bottom if rows is not None else lambda p: line_bottom(view, p)
    top = top_of(start) if start >= lo else -2
    bottom = bottom_of(max(start, end - 1)) if end <= hi else height + 2
    return top, max(top + 3, bottom)
