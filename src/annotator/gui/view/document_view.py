"""The document view: a read-only QPlainTextEdit that paints spans lazily.

Measured design (DESIGN.md): span colours are applied per block, only when a block
is about to be painted, with ``QTextLayout.setFormats``; overlaps are merged by one
sweep (span_formats: a blended background, an underline for further layers, one
format per look in a bounded set). Adding or removing a span re-formats only the
blocks it touches. Spans live in a :class:`SpanIndex`. Which blocks carry formats,
and the formatting of the next and previous page in idle time after each paint, is
:class:`~annotator.gui.view.block_formats.BlockFormats` (:attr:`DocumentView.blocks`).

Qt lays out a whole block at a time, so the text is shown as view_blocks makes it:
paragraphs longer than 3,000 characters in pieces, a spacer block between paragraphs
(view_reading). Positions cross the Qt border only through :attr:`offsets`, a
:class:`DisplayMap` (code points <-> UTF-16 units plus those display-only breaks).

The index holds the current coder's layer; other coders' shown layers sit in
:attr:`DocumentView.layers` (one index per coder, read filtered by coder in SQL) and
are drawn only as an underline in their coder's colour and line style, so that whose
span is whose shows at a glance (the tooltip names the coder). With no other layer
shown, painting does exactly what it did before.

Where more painting goes: per-piece looks (label tags, markers) in
``SpanFormats.pieces``/``label_runs``; coding stripes, label tags and link arcs
in margins of their own (gui/marks, told of changes by :attr:`marksChanged`), with
room from ``setViewportMargins`` (``Reading.fit_width`` sets the left and right ones:
extend it rather than set them elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.offsets import OffsetMap
from annotator.core.spans import Span, SpanIndex
from annotator.gui.view.block_formats import BlockFormats
from annotator.gui.view.clipboard import text_mime
from annotator.gui.view.span_formats import UNDERLINES, SpanFormats, blend
from annotator.gui.view.view_blocks import DisplayMap, display
from annotator.gui.view.view_reading import Reading, install_line_spacing

__all__ = ["UNDERLINES", "DocumentView", "blend"]


class DocumentView(QPlainTextEdit):
    """Shows one document with its spans; reports selections and clicks in code points."""

    spanClicked = Signal(int)  # annotation id, or -1 when a click hit no span
    spansUnderCursor = Signal(list)  # list[Span] at the cursor (for the status bar)
    contextMenuWanted = Signal(QPoint, list)  # global position, spans there
    painted = Signal()  # after each paint of the viewport
    marksChanged = Signal()  # spans, the current one or its links changed (gui/marks)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_line_spacing(self)  # its document's layout spaces lines (view_reading)
        self.setObjectName("documentView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        self.text = ""
        # code points <-> the view's Qt positions (UTF-16 plus display-only breaks)
        self.offsets = DisplayMap(OffsetMap(""))
        self.reading = Reading()
        self.spacers: list[int] = []  # Qt positions of the paragraph spacer blocks
        self._directions: list[tuple[int, str]] = []
        self.index = SpanIndex()
        self.colours: dict[int, QColor] = {}
        self.label_names: dict[int, str] = {}
        self.current: int | None = None
        self.hits: list[tuple[int, int]] = []
        self.relations: list[tuple[int, int, str]] = []
        # painters called after the text is drawn (the suggestions' outlines)
        self.overlays: list[Callable[[], None]] = []
        self.mark_margins = (0, 0)  # room for gui/marks' margins (Reading.fit_width)
        self.note_of: Callable[[int], str | None] = lambda annotation_id: None  # gui/marks
        self.coder = ""  # whose layer the index holds (for the tooltip)
        self.layers: dict[str, SpanIndex] = {}  # other coders' shown layers
        self._layer_looks: list[tuple[QColor, QTextCharFormat.UnderlineStyle]] = []
        self.layer_slot: dict[str, int] = {}  # coder -> place of their layer's look
        self.formats = SpanFormats()
        # which blocks carry their span formats; the neighbours formatted in idle time
        self.blocks = BlockFormats(self)
        self._press: QPoint | None = None
        self.cursorPositionChanged.connect(self._announce_cursor)
        font = QFont(self.font())  # readable on a laptop until the user picks a size
        font.setPointSizeF(max(font.pointSizeF(), self.reading.points))
        self.setFont(font)

    # -- content -------------------------------------------------------------------

    def set_document(
        self,
        text: str,
        spans: SpanIndex | Iterable[Span],
        layers: dict[str, SpanIndex] | None = None,
    ) -> None:
        self.text = text
        self.index = spans if isinstance(spans, SpanIndex) else SpanIndex(spans)
        self.layers = layers or {}
        self.current = None
        self.hits = []
        self.relations = []
        self._show_text()
        self._update_extra()
        self.marksChanged.emit()

    def _show_text(self) -> None:
        """Put the text into Qt as displayed (view_blocks): long paragraphs in pieces,
        spacer blocks between paragraphs."""
        shown = display(self.text, spacing=self.reading.paragraph_spacing > 0)
        self.offsets = shown.map
        self.spacers = shown.spacers
        self._directions = shown.directions
        self.blocks.clear()
        self.setPlainText(shown.text)
        self.document().setDocumentMargin(14)
        self.reading.format_blocks(self)

    def clear_document(self) -> None:
        self.set_document("", [])

    def set_labels(self, colours: dict[int, str], names: dict[int, str]) -> None:
        shared = {c: QColor(c) for c in set(colours.values())}  # 20,000 labels, a dozen colours
        self.colours = {k: shared[c] for k, c in colours.items()}
        self.label_names = dict(names)
        self.refresh_all()

    def replace_index(self, index: SpanIndex, layers: dict[str, SpanIndex] | None = None) -> None:
        """All spans, once the first screen is painted (see MainWindow.show_document)."""
        self.index = index
        self.layers = layers or {}
        self.blocks.clear()
        self.viewport().update()
        self.marksChanged.emit()

    def refresh_all(self) -> None:
        self.blocks.clear()
        base = self.palette().color(QPalette.ColorRole.Base)
        self.formats.reset(base, self.colours, self._layer_looks)
        self.viewport().update()
        self.marksChanged.emit()

    def set_layer_looks(self, looks: list[tuple[str, str, int]]) -> None:
        """Colours and line styles of coders' layers: (coder, colour, style number)."""
        self._layer_looks = [(QColor(c), UNDERLINES[n % len(UNDERLINES)]) for _, c, n in looks]
        self.layer_slot = {coder: i for i, (coder, _, _) in enumerate(looks)}
        self.refresh_all()

    def add_spans(self, spans: Iterable[Span], layer: str | None = None) -> None:
        """Add spans to the current coder's layer, or to another shown *layer*."""
        index = self.index if layer is None or layer == self.coder else self.layers.get(layer)
        if index is None:
            return  # a layer not shown
        for span in spans:
            if span.id not in index:
                index.add(span)
                self._invalidate(span.start, span.end)

    def remove_spans(self, ids: Iterable[int]) -> None:
        for span_id in ids:
            for index in (self.index, *self.layers.values()):
                if span_id in index:
                    span = index.remove(span_id)
                    self._invalidate(span.start, span.end)
            if span_id == self.current:
                self.current = None
        self._update_extra()

    def replace_span(self, span: Span, layer: str | None = None) -> None:
        self.remove_spans([span.id])
        self.add_spans([span], layer)

    def find_span(self, span_id: int) -> Span | None:
        """The span of any shown layer."""
        for index in (self.index, *self.layers.values()):
            span = index.get(span_id)
            if span is not None:
                return span
        return None

    def _invalidate(self, start: int, end: int) -> None:
        doc = self.document()
        first = doc.findBlock(self.offsets.to_utf16(start)).blockNumber()
        last = doc.findBlock(self.offsets.to_utf16(max(start, end - 1))).blockNumber()
        self.blocks.forget(first, last)
        self.viewport().update()
        self.marksChanged.emit()

    # -- positions -----------------------------------------------------------------

    def selected_range(self) -> tuple[int, int]:
        """The selection in code points (start == end when nothing is selected)."""
        cursor = self.textCursor()
        a = self.offsets.to_codepoint(cursor.selectionStart())
        b = self.offsets.to_codepoint(cursor.selectionEnd(), round_up=True)
        return a, b

    def select_range(self, start: int, end: int, *, ensure_visible: bool = True) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16_end(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        if ensure_visible:
            self.ensureCursorVisible()

    def position_at(self, point: QPoint) -> int:
        return self.offsets.to_codepoint(self.cursorForPosition(point).position())

    def spans_at(self, position: int) -> list[Span]:
        return self.index.touching(position, position)

    def set_current(self, span_id: int | None, *, reveal: bool = False) -> None:
        self.current = span_id
        if reveal and span_id is not None:
            span = self.find_span(span_id)
            if span is not None:
                cursor = QTextCursor(self.document())
                cursor.setPosition(self.offsets.to_utf16(span.start))
                self.setTextCursor(cursor)
                self.centerCursor()
        self._update_extra()
        self.marksChanged.emit()

    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        self.hits = hits
        self._update_extra()

    # -- painting ------------------------------------------------------------------

    def set_relations(self, relations: list[tuple[int, int, str]]) -> None:
        """Links to draw as arcs (gui/marks/arcs.py): (from id, to id, type)."""
        self.relations = relations
        self.marksChanged.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        self.blocks.before_paint()
        super().paintEvent(event)
        for paint in self.overlays:
            paint()
        self.blocks.after_paint()
        self.painted.emit()

    @property
    def formatted_chars(self) -> int:
        """UTF-16 units of blocks given span formats so far (for tests)."""
        return self.blocks.formatted_chars

    @formatted_chars.setter
    def formatted_chars(self, value: int) -> None:
        self.blocks.formatted_chars = value

    def _update_extra(self) -> None:
        extras = []
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        for a, b in self.hits[:5000]:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(a))
            cursor.setPosition(self.offsets.to_utf16_end(b), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            sel.format = self.reading.hit_format  # type: ignore[attr-defined]
            extras.append(sel)
        span = self.find_span(self.current) if self.current is not None else None
        if span is not None:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(span.start))
            cursor.setPosition(self.offsets.to_utf16_end(span.end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            fmt = QTextCharFormat()
            colour = self.colours.get(span.label, highlight)
            fmt.setBackground(blend(self.palette().color(QPalette.ColorRole.Base), colour, 0.75))
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(self.palette().color(QPalette.ColorRole.Text))
            sel.format = fmt  # type: ignore[attr-defined]
            extras.append(sel)
        self.setExtraSelections(extras)

    # -- interaction ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        moved = (
            self._press is not None
            and (event.position().toPoint() - self._press).manhattanLength() > 3
        )
        self._press = None
        if event.button() != Qt.MouseButton.LeftButton or moved or self.textCursor().hasSelection():
            return
        spans = self.spans_at(self.position_at(event.position().toPoint()))
        if not spans:
            self.spanClicked.emit(-1)
            return
        innermost_first = sorted(spans, key=lambda s: (s.end - s.start, s.id))
        ids = [s.id for s in innermost_first]
        # clicking again cycles through nested spans
        chosen = ids[(ids.index(self.current) + 1) % len(ids)] if self.current in ids else ids[0]
        self.spanClicked.emit(chosen)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        spans = self.spans_at(self.position_at(event.pos()))
        self.contextMenuWanted.emit(event.globalPos(), spans)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            pos = self.viewport().mapFromGlobal(e.globalPos())  # type: ignore[attr-defined]
            position = self.position_at(pos)
            spans = self.spans_at(position)
            others = [
                (c, s) for c, i in self.layers.items() for s in i.touching(position, position)
            ]
            if spans or others:
                text = self.describe(spans, others)
                QToolTip.showText(e.globalPos(), text, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(e)

    def describe(self, spans: list[Span], others: Sequence[tuple[str, Span]] = ()) -> str:
        """The tooltip: each span's label and text; with other coders' layers shown,
        whose each span is."""
        coded = [(self.coder, s) for s in spans] + list(others)
        parts = []
        for coder, s in sorted(coded, key=lambda c: (c[1].start, -(c[1].end - c[1].start))):
            excerpt = self.text[s.start : s.end]
            if len(excerpt) > 60:
                excerpt = excerpt[:57] + "…"
            who = f" — {coder}" if self.layers and coder else ""
            parts.append(f"{self.label_names.get(s.label, '?')}: “{excerpt}”{who}")
            note = self.note_of(s.id)
            if note:
                parts.append(f"    {self.tr('Note')}: {note}")
        return "\n".join(parts)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.current is not None:
            self.spanClicked.emit(-1)
            return
        super().keyPressEvent(event)

    def _announce_cursor(self) -> None:
        position = self.offsets.to_codepoint(self.textCursor().position())
        self.spansUnderCursor.emit(self.spans_at(position))

    def set_zoom_font(self, family: str, points: float) -> None:
        font = QFont(self.font())
        if family:
            font.fromString(family)
        font.setPointSizeF(max(4.0, points))
        self.setFont(font)
        self.reading.format_blocks(self)  # the spacers' height follows the font
        self.refresh_all()

    # -- reading -------------------------------------------------------------------

    def apply_reading_settings(
        self, *, paragraph_spacing: float | None = None, max_line_chars: int | None = None
    ) -> None:
        """Paragraph spacing (in lines, 0 for none) and the longest line (in average
        characters, 0 for the window's width); the text and spans stay where they are."""
        old = self.reading
        self.reading = old.changed(paragraph_spacing, max_line_chars)
        if (self.reading.paragraph_spacing > 0) != (old.paragraph_spacing > 0):
            first = self.offsets.to_codepoint(self.firstVisibleBlock().position())
            a, b = self.selected_range()
            self._show_text()
            self.select_range(a, b, ensure_visible=False)
            self.scroll_to(first)
            self._update_extra()
        else:
            self.reading.format_blocks(self)
        self.reading.fit_width(self)
        self.refresh_all()

    def scroll_to(self, position: int) -> None:
        """Put the line holding code point *position* at the top of the view."""
        block = self.document().findBlock(self.offsets.to_utf16(position))
        self.verticalScrollBar().setValue(block.firstLineNumber())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.reading.fit_width(self)

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy gives the stored text (no display-only breaks)."""
        a, b = self.selected_range()
        return text_mime(self.text[a:b])

    def selected_text(self) -> str:
        a, b = self.selected_range()
        return self.text[a:b]
