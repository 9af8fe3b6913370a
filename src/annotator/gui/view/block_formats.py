"""Span formats set per block of the document view: the visible blocks before each
paint, the neighbours (a page below, then a page above) in idle time.

A block's formats are set with ``QTextLayout.setFormats`` from one sweep over the
spans touching it (:meth:`SpanFormats.pieces_of`); Qt then lays the block out again
with them. On a dense text (100 KB, 100,000 spans over 20 labels) that is a few ms per
block, several blocks a page: too much to do between a key press and its frame. So
after each paint a zero-interval timer formats and lays out the blocks of the next and
the previous page, a bounded slice at a time (:data:`SLICE_SECONDS`, at least one
block), and any input stops it: while the run lasts an application event filter
watches for keys, mouse buttons, the wheel and mouse moves, and the run resumes at the
next paint or after :data:`RESUME_MS` without input. A page scrolled to is then already
formatted and laid out; only a jump far away formats on the way.

Blocks formatted are remembered, oldest first; formats of blocks long out of view are
dropped (:data:`KEEP_FORMATTED_BLOCKS`) so that scrolling through a big document does
not pile them up. An edit forgets the blocks it touches (:meth:`BlockFormats.forget`):
the paint re-formats those on screen, the idle run the neighbours.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QTextBlock, QTextLayout
from PySide6.QtWidgets import QApplication

from annotator.core.spans import Span

if TYPE_CHECKING:
    from annotator.gui.view.document_view import DocumentView

KEEP_FORMATTED_BLOCKS = 1500  # blocks whose span formats stay set after scrolling away
SLICE_SECONDS = 0.004  # idle work per turn of the event loop (at least one block)
RESUME_MS = 150  # idle formatting resumes after this long without input
NEIGHBOUR_PAGES = 1  # pages formatted ahead below and above the visible one
INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class BlockFormats(QObject):
    """Which blocks of *view* carry their span formats, and the idle formatting run."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.view = view
        self.done: OrderedDict[int, None] = OrderedDict()  # block numbers, oldest first
        self.formatted_chars = 0  # UTF-16 units of blocks given span formats (for tests)
        self.idle_blocks = 0  # blocks formatted in idle time (for tests)
        self._idle = QTimer(self)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._slice)
        self._resume = QTimer(self)
        self._resume.setSingleShot(True)
        self._resume.setInterval(RESUME_MS)
        self._resume.timeout.connect(self.schedule)
        # (block number, direction, height walked so far), in order
        self._todo: list[tuple[int, int, float]] = []
        self._watching = False

    # -- what is formatted ---------------------------------------------------------

    def clear(self) -> None:
        """Every block is formatted again when next shown (new text, spans or looks)."""
        self.done.clear()
        self._todo.clear()

    def forget(self, first: int, last: int) -> None:
        """Blocks *first* to *last* (numbers) are formatted again when next shown."""
        for number in range(first, last + 1):
            self.done.pop(number, None)

    # -- painting ------------------------------------------------------------------

    def before_paint(self) -> None:
        """Format the blocks on screen that are not yet (a paint is about to happen)."""
        view = self.view
        block = view.firstVisibleBlock()
        offset = view.contentOffset()
        bottom = view.viewport().height()
        while block.isValid():
            number = block.blockNumber()
            if number in self.done:
                self.done.move_to_end(number)
            else:
                self.format(block)
            # after formatting: the geometry lays the block out once, with its formats
            if view.blockBoundingGeometry(block).translated(offset).bottom() > bottom:
                break
            block = block.next()
        if len(self.done) > KEEP_FORMATTED_BLOCKS:
            self._forget_old()

    def after_paint(self) -> None:
        """Plan the idle run over the neighbour pages (after each paint)."""
        self._resume.stop()
        self._todo = self._neighbours()
        if self._todo:
            self._start()
        else:
            self.stop()

    def schedule(self) -> None:
        """Resume the idle run (input has stopped for a while)."""
        self._todo = self._neighbours()
        if self._todo:
            self._start()

    def stop(self) -> None:
        self._idle.stop()
        if self._watching:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._watching = False

    @property
    def idle(self) -> bool:
        """True while an idle run is going on."""
        return self._idle.isActive()

    def _start(self) -> None:
        if not self._watching:
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
                self._watching = True
        self._idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT:
            self.stop()
            self._resume.start()
        return False

    def _neighbours(self) -> list[tuple[int, int, float]]:
        """The first block below the screen and the last above it, when the view shows
        text: the run walks on from them a page each way (below first)."""
        view = self.view
        if not view.isVisible() or not view.text:
            return []
        first = view.firstVisibleBlock()
        offset = view.contentOffset()
        bottom = view.viewport().height()
        block = first
        while block.isValid():
            if view.blockBoundingGeometry(block).translated(offset).bottom() > bottom:
                break
            block = block.next()
        todo: list[tuple[int, int, float]] = []
        below = block.next() if block.isValid() else block
        if below.isValid():
            todo.append((below.blockNumber(), 1, 0.0))
        above = first.previous()
        if above.isValid():
            todo.append((above.blockNumber(), -1, 0.0))
        return todo

    def _slice(self) -> None:
        """Format neighbour blocks for up to SLICE_SECONDS (at least one block)."""
        view = self.view
        doc = view.document()
        page = max(1, view.viewport().height()) * NEIGHBOUR_PAGES
        deadline = time.perf_counter() + SLICE_SECONDS
        todo = self._todo
        while todo:
            number, direction, reach = todo[0]
            block = doc.findBlockByNumber(number)
            if not block.isValid():
                todo.pop(0)
                continue
            if number not in self.done:
                self.format(block)
                self.idle_blocks += 1
            # lay it out now, with its formats, so that the paint finds it ready
            reach += view.blockBoundingRect(block).height()
            step = block.next() if direction > 0 else block.previous()
            if reach >= page or not step.isValid():
                todo.pop(0)
            else:
                todo[0] = (step.blockNumber(), direction, reach)
            if time.perf_counter() >= deadline:
                break
        if not todo:
            self.stop()

    # -- one block -----------------------------------------------------------------

    def format(self, block: QTextBlock) -> None:
        """Set *block*'s span formats from one sweep over the spans touching it."""
        view = self.view
        layout = block.layout()
        pos16 = block.position()
        lo = view.offsets.to_codepoint(pos16)
        hi = view.offsets.to_codepoint(pos16 + block.length() - 1)
        self.formatted_chars += block.length()
        ranges = []
        if hi > lo:
            if view.layers:
                pieces = view.formats.pieces(
                    view.index.touching(lo, hi) + self._others(lo, hi), lo, hi
                )
            else:
                pieces = view.formats.pieces_of(*view.index.columns(lo, hi), lo, hi)
            make = QTextLayout.FormatRange
            if block.length() - 1 == hi - lo:  # no astral character: Qt's unit is ours
                for a, b, fmt in pieces:
                    r = make()
                    r.start = a - lo
                    r.length = b - a
                    r.format = fmt
                    ranges.append(r)
            else:
                to16 = view.offsets.offsets.to_utf16  # (no display-only break inside)
                base = to16(lo)
                for a, b, fmt in pieces:
                    r = make()
                    r.start = start = to16(a) - base
                    r.length = to16(b) - base - start
                    r.format = fmt
                    ranges.append(r)
        if ranges or layout.formats():
            layout.setFormats(ranges)
        self.done[block.blockNumber()] = None

    def _others(self, lo: int, hi: int) -> list[Span]:
        """Other coders' spans touching [lo, hi), their label replaced by -(1 + their
        layer's place) for the sweep (a layer's look is not a label's colour)."""
        view = self.view
        out = []
        for coder, index in view.layers.items():
            mark = -1 - view.layer_slot.get(coder, 0)
            out += [Span(s.id, s.start, s.end, mark) for s in index.touching(lo, hi)]
        return out

    def _forget_old(self) -> None:
        doc = self.view.document()
        while len(self.done) > KEEP_FORMATTED_BLOCKS:
            number, _ = self.done.popitem(last=False)
            block = doc.findBlockByNumber(number)
            if block.isValid() and block.layout().formats():
                block.layout().setFormats([])
