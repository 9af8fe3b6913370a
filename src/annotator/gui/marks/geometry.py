"""Where spans sit on the screen: the visible range and a position's line, in the
viewport's coordinates (the margins share the viewport's y axis).

A margin's paint asks where thousands of spans start and end on a dense page:
:class:`LineRows` reads each line on screen once per paint (one ``cursorRect`` a
line, so a line's rows are exactly what the cursor would say) and then finds a
position's line by bisection, without a cursor or a layout call per span."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor

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


class LineRows:
    """The lines on screen of *view* as it is now (build one per paint): the Qt
    position where each starts and its top and bottom row, as ``cursorRect`` gives
    them, and the first code point each holds (as ``to_utf16`` and ``to_utf16_end``
    map code points), so a span's rows are two bisections. A position off these
    lines is asked of the cursor (exact, slower)."""

    def __init__(self, view: DocumentView) -> None:
        self.view = view
        qt_starts: list[int] = []  # Qt position of each line's first character
        self.tops: list[int] = []
        self.bottoms: list[int] = []
        end = 0  # the Qt position just past the last line read
        height = view.viewport().height()
        cursor = QTextCursor(view.document())
        block = view.firstVisibleBlock()
        offset = view.contentOffset()
        while block.isValid():
            layout = block.layout()
            base = block.position()
            for i in range(layout.lineCount() if layout is not None else 0):
                cursor.setPosition(base + layout.lineAt(i).textStart())
                rect = view.cursorRect(cursor)
                qt_starts.append(cursor.position())
                self.tops.append(rect.top())
                self.bottoms.append(rect.bottom())
            end = base + block.length()  # one past the block's end (its separator)
            if view.blockBoundingGeometry(block).translated(offset).top() > height:
                break
            block = block.next()
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
