"""Where spans sit on the screen: the visible range and a position's line, in the
viewport's coordinates (the margins share the viewport's y axis).

A margin's paint asks where thousands of spans start and end on a dense page:
:class:`LineRows` reads each line on screen once per paint and then finds a
position's line by bisection, without a cursor or a layout call per span. The lines'
rows are ``cursorRect``'s own arithmetic over the layout (:func:`lines_from`), set
off by the one line asked of the cursor, so they are exactly what the cursor would
say (tests/gui/test_marks_speed.py checks every position, with line spacing too).
The same arithmetic tells where the lines will be after Page Down
(:func:`lines_after_page_down`), so a margin can lay out the next page in idle time."""

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
    the first line's asked of the cursor, the others by the same arithmetic from the
    layout (:func:`lines_from`; a cursor a line cost 2-3 ms a dense page)."""
    block = view.firstVisibleBlock()
    if not block.isValid():
        return [], [], [], 0
    line = view.verticalScrollBar().value() - block.firstLineNumber()
    lines = lines_from(view, block, line, view.viewport().height())
    if not lines[0]:
        return lines
    cursor = QTextCursor(view.document())
    cursor.setPosition(lines[0][0])
    return shifted(lines, view.cursorRect(cursor).top() - lines[1][0])


def shifted(lines: Lines, dy: int) -> Lines:
    if not dy:
        return lines
    starts, tops, bottoms, end = lines
    return starts, [t + dy for t in tops], [b + dy for b in bottoms], end


def lines_after_page_down(view: DocumentView) -> tuple[int, Lines] | None:
    """Where Page Down will put the text, read from the layout without scrolling:
    the Qt position of the first visible block then, and :func:`screen_lines` as
    they will be. ``QPlainTextEdit`` puts at the top the first line that is not
    wholly on screen (``pageUpDown``); the rows follow from the blocks' heights and
    the lines' places in them, set off as the screen's rows are now from the same
    arithmetic. A guess: a margin checks it against the lines it reads when it
    paints. None at the end of the text or before anything is laid out."""
    height = view.viewport().height()
    offset = view.contentOffset()
    block = view.firstVisibleBlock()
    if not block.isValid():
        return None
    top_line = view.verticalScrollBar().value() - block.firstLineNumber()
    now = lines_from(view, block, top_line, height)
    if not now[0]:
        return None
    cursor = QTextCursor(view.document())
    cursor.setPosition(now[0][0])
    shift = view.cursorRect(cursor).top() - now[1][0]  # as screen_lines sets them off
    first: QTextBlock | None = None
    line = 0
    while block.isValid():  # the first line whose bottom is below the viewport
        layout = block.layout()
        top = view.blockBoundingGeometry(block).translated(offset).top()
        n = layout.lineCount() if layout is not None else 0
        if n and top + view.blockBoundingRect(block).height() > height:
            while line < n - 1 and top + layout.lineAt(line).naturalTextRect().bottom() <= height:
                line += 1
            first = block
            break
        block = block.next()
    if first is None or not first.next().isValid():
        return None
    return first.position(), shifted(lines_from(view, first, line, height), shift)


def lines_from(view: DocumentView, first: QTextBlock, line: int, height: int) -> Lines:
    """:func:`screen_lines` with *line* of block *first* at the top, by
    ``cursorRect``'s arithmetic (the line's place in its block, rounded, less the
    whole part of the scroll offset: the bottom of the line above the top one, as
    ``QPlainTextEdit`` keeps it) but for a constant (the text's top margin)."""
    view.blockBoundingRect(first)  # laid out and spaced before its lines are read
    layout = first.layout()
    if layout is None or not 0 <= line < max(1, layout.lineCount()):
        return [], [], [], 0
    scrolled = layout.lineAt(line - 1).naturalTextRect().bottom() if line else 0.0
    qt_starts: list[int] = []
    tops: list[int] = []
    bottoms: list[int] = []
    end = 0
    y = 0.0  # the block's top, from the first visible block's
    block = first
    while block.isValid():
        rect = view.blockBoundingRect(block)  # lays it out (and spaces it) if need be
        layout = block.layout()
        base = block.position()
        for i in range(layout.lineCount()):
            text_line = layout.lineAt(i)
            row = floor(y + text_line.y() + 0.5) - int(scrolled)  # qRound, as toRect
            qt_starts.append(base + text_line.textStart())
            tops.append(row)
            bottoms.append(row + floor(text_line.height() + 0.5) - 1)
        end = base + block.length()
        if y - scrolled > height:
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
