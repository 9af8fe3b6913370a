"""Where spans sit on the screen: the visible range and a position's line, in the
viewport's coordinates (the margins share the viewport's y axis)."""

from __future__ import annotations

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


def span_rows(view: DocumentView, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """A span's vertical extent on screen, clamped just outside the viewport when it
    runs off it (no layout of text out of view)."""
    height = view.viewport().height()
    top = line_top(view, start) if start >= lo else -2
    bottom = line_bottom(view, max(start, end - 1)) if end <= hi else height + 2
    return top, max(top + 3, bottom)
