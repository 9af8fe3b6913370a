"""Suggestions drawn as outlines (a dashed box per line in the label's colour), never
filled: an annotation is a coloured background, a suggestion only a frame around the
text, so the two cannot be mistaken. The current suggestion's frame is solid and thicker.

Painted over the text after the view's own painting (DocumentView.overlays), for the
visible blocks only: a 100,000-character document costs what is on the screen.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextLine

if TYPE_CHECKING:
    from annotator.gui.view.document_view import DocumentView

Outline = tuple[int, int, QColor, bool]  # start, end (code points), colour, current


def _x(line: QTextLine, position: int) -> float:
    x: Any = line.cursorToX(position)
    return float(x[0] if isinstance(x, tuple) else x)


def paint_outlines(view: DocumentView, outlines: Sequence[Outline]) -> None:
    """Frame each ``(start, end, colour, current)`` of *outlines* (sorted by start)."""
    if not outlines:
        return
    block = view.firstVisibleBlock()
    if not block.isValid():
        return
    offset = view.contentOffset()
    height = view.viewport().height()
    first_qt = block.position()
    # the last visible block's end
    last = block
    while last.isValid():
        top = view.blockBoundingGeometry(last).translated(offset).top()
        if top > height:
            break
        last = last.next()
    last_qt = last.position() if last.isValid() else view.document().characterCount()
    offsets = view.offsets
    lo_cp = offsets.to_codepoint(first_qt)
    hi_cp = offsets.to_codepoint(last_qt, round_up=True)
    # outlines are sorted by start; a long one starting above the screen is rare and
    # found by scanning back from the first visible start (at most 200 steps)
    starts = [o[0] for o in outlines]
    i = bisect.bisect_left(starts, lo_cp)
    first = max(0, i - 200)
    painter = QPainter(view.viewport())
    try:
        for start, end, colour, current in outlines[first:]:
            if start > hi_cp:
                break
            if end < lo_cp:
                continue
            pen = QPen(colour, 2.0 if current else 1.4)
            pen.setStyle(Qt.PenStyle.SolidLine if current else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            _frame(view, painter, offsets.to_utf16(start), offsets.to_utf16_end(end))
    finally:
        painter.end()


def _frame(view: DocumentView, painter: QPainter, a: int, b: int) -> None:
    doc = view.document()
    offset = view.contentOffset()
    block = doc.findBlock(a)
    while block.isValid() and block.position() < b:
        layout = block.layout()
        geometry = view.blockBoundingGeometry(block).translated(offset)
        base = block.position()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            l_start = base + line.textStart()
            l_end = l_start + line.textLength()
            lo, hi = max(a, l_start), min(b, l_end)
            if lo >= hi:
                continue
            x1, x2 = _x(line, lo - base), _x(line, hi - base)
            rect = QRectF(
                geometry.left() + min(x1, x2),
                geometry.top() + line.y(),
                abs(x2 - x1),
                line.height(),
            )
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 2.0, 2.0)
        block = block.next()
