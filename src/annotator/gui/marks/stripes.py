"""Coding stripes and label tags in a margin left of the text (as MAXQDA and
ATLAS.ti show codings): one stripe per span, a column per overlap depth, the current
coder's layer first and each other shown layer after it; the label's short name
(its tag) beside the line where a span starts, all tags of a line joined so that
overlaps say which labels meet; a dot on a stripe whose span has a note. Hovering
names the spans there (with their notes), a click selects the span.

The margin is a widget of its own in room the view reserves with
``setViewportMargins`` (``DocumentView.mark_margins``), so nothing covers a word
and positions in the text stay exactly what they were."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from annotator.core.spans import Span
from annotator.gui.marks.geometry import span_rows, visible_range

if TYPE_CHECKING:
    from annotator.gui.view.document_view import DocumentView

STRIPE = 4  # px per stripe
GAP = 2
MAX_COLUMNS = 6  # deeper overlaps share the last column
TAG_WIDTH = 64
STRIPE_ROOM = MAX_COLUMNS * (STRIPE + GAP) + 4


@dataclass(frozen=True)
class Stripe:
    span: Span
    coder: str
    column: int
    top: int
    bottom: int


def pack(spans: list[tuple[str, Span]]) -> list[tuple[str, Span, int]]:
    """Columns for spans (sorted by start): the first column free at a span's start,
    each layer in columns after the previous layer's."""
    out: list[tuple[str, Span, int]] = []
    base = 0
    for coder in dict.fromkeys(c for c, _ in spans):
        ends: list[int] = []  # end of the last span in each column
        for _, span in (p for p in spans if p[0] == coder):
            for i, end in enumerate(ends):
                if end <= span.start:
                    ends[i] = span.end
                    column = i
                    break
            else:
                ends.append(span.end)
                column = len(ends) - 1
            out.append((coder, span, min(MAX_COLUMNS - 1, base + column)))
        base += len(ends)
    return out


class StripeMargin(QWidget):
    """The left margin: stripes (when ``stripes``) and tags (when ``tags``)."""

    def __init__(self, view: DocumentView, note_of: Callable[[int], str | None]) -> None:
        super().__init__(view)
        self.setObjectName("codingStripes")
        self.view = view
        self.note_of = note_of
        self.stripes_on = True
        self.tags_on = True
        self.squeezed = False  # a narrow view: the tags give their room to the text
        self.setMouseTracking(True)
        self.drawn: list[Stripe] = []

    def width_wanted(self) -> int:
        return (STRIPE_ROOM if self.stripes_on else 0) + self.tag_room()

    def tag_room(self) -> int:
        return TAG_WIDTH if self.tags_on and not self.squeezed else 0

    def sizeHint(self) -> QSize:
        return QSize(self.width_wanted(), 0)

    def stripe_x(self, column: int) -> int:
        return self.tag_room() + 2 + column * (STRIPE + GAP)

    def layout_stripes(self) -> list[Stripe]:
        view = self.view
        if not view.text:
            return []
        lo, hi = visible_range(view)
        coded = [(view.coder, s) for s in view.index.touching(lo, hi)]
        for coder, index in view.layers.items():
            coded += [(coder, s) for s in index.touching(lo, hi)]
        coded.sort(key=lambda c: (c[1].start, -c[1].end, c[1].id))
        out = []
        for coder, span, column in pack(coded):
            top, bottom = span_rows(view, span.start, span.end, lo, hi)
            out.append(Stripe(span, coder, column, top, bottom))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.view.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Window))
        self.drawn = stripes = self.layout_stripes()
        text_colour = palette.color(QPalette.ColorRole.Text)
        fallback = palette.color(QPalette.ColorRole.Mid)
        if self.stripes_on:
            for s in stripes:
                colour = self.view.colours.get(s.span.label, fallback)
                x = self.stripe_x(s.column)
                rect = QRect(x, s.top, STRIPE, s.bottom - s.top)
                if s.coder == self.view.coder:
                    painter.fillRect(rect, colour)
                else:  # another coder's layer: an outlined stripe
                    painter.setPen(colour)
                    painter.drawRect(rect.adjusted(0, 0, -1, -1))
                if s.span.id == self.view.current:
                    painter.setPen(text_colour)
                    painter.drawRect(rect.adjusted(-1, -1, 0, 0))
                if self.note_of(s.span.id):
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(text_colour)
                    painter.drawEllipse(QPoint(x + STRIPE // 2, s.top + 4), 3, 3)
        if self.tag_room():
            self._paint_tags(painter, stripes)
        painter.end()

    def _paint_tags(self, painter: QPainter, stripes: list[Stripe]) -> None:
        """Each line where spans start gets their labels' names, joined with '+'."""
        lines: dict[int, list[Stripe]] = {}
        for s in stripes:
            if s.top >= 0:
                lines.setdefault(s.top, []).append(s)
        small = QFont(self.view.font())
        small.setPointSizeF(max(6.0, self.view.font().pointSizeF() * 0.72))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        for top, here in lines.items():
            text = fit_tags(self.tags_of(here), metrics.horizontalAdvance, TAG_WIDTH - 6)
            colour = self.view.colours.get(here[0].span.label)
            painter.setPen(
                colour.darker(170) if colour else self.palette().color(QPalette.ColorRole.Text)
            )
            painter.drawText(
                QRect(2, top, TAG_WIDTH - 4, metrics.height() + 2),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                text,
            )

    def tags_of(self, stripes: list[Stripe]) -> list[str]:
        """The labels' names of spans starting on one line, each once ('*': a note)."""
        names: dict[str, bool] = {}
        for s in stripes:
            name = self.view.label_names.get(s.span.label, "?")
            names[name] = names.get(name, False) or bool(self.note_of(s.span.id))
        return [name + ("*" if noted else "") for name, noted in names.items()]

    def tag_of(self, stripe: Stripe) -> str:
        name = self.view.label_names.get(stripe.span.label, "?")
        note = "*" if self.note_of(stripe.span.id) else ""
        return name + note

    def stripes_at(self, point: QPoint) -> list[Stripe]:
        """The stripes under *point*; left of the stripes (on the tags), every span of
        that line."""
        y = point.y()
        on_row = [s for s in self.drawn if s.top <= y <= s.bottom]
        if self.stripes_on and point.x() >= self.stripe_x(0) - 1:
            near = [
                s for s in on_row if abs(point.x() - self.stripe_x(s.column) - STRIPE // 2) <= 3
            ]
            return near or on_row
        return on_row

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        under = self.stripes_at(event.position().toPoint())
        if under:
            chosen = min(under, key=lambda s: (s.span.end - s.span.start, s.span.id))
            self.view.spanClicked.emit(chosen.span.id)

    def describe(self, stripes: list[Stripe], row: list[Stripe] | None = None) -> str:
        """Each span's label, text, coder (with other layers shown) and note; first,
        with several labels on the *row* (default: these stripes), which labels meet."""
        view = self.view
        out = []
        meeting = stripes if row is None else row
        if len({s.span.label for s in meeting}) > 1:
            names = sorted({view.label_names.get(s.span.label, "?") for s in meeting})
            out.append(self.tr("Overlap: ") + " + ".join(names))
        for s in sorted(stripes, key=lambda s: (s.span.start, s.span.start - s.span.end)):
            excerpt = view.text[s.span.start : s.span.end]
            if len(excerpt) > 60:
                excerpt = excerpt[:57] + "…"
            who = f" — {s.coder}" if view.layers and s.coder else ""
            out.append(f"{view.label_names.get(s.span.label, '?')}: “{excerpt}”{who}")
            note = self.note_of(s.span.id)
            if note:
                out.append(f"    {self.tr('Note')}: {note}")
        return "\n".join(out)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            under = self.stripes_at(e.pos())
            if under:
                y = e.pos().y()
                row = [s for s in self.drawn if s.top <= y <= s.bottom]
                QToolTip.showText(e.globalPos(), self.describe(under, row), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(e)


def fit_tags(names: list[str], width_of: Callable[[str], int], room: int) -> str:
    """The names joined with '+', each cut shorter (never below 4 characters) until
    they fit; else the first name and how many more ('Actor*+2'), the tooltip names
    them all."""
    if not names:
        return ""
    longest = max(len(n) for n in names)
    for keep in range(longest, 3, -1):
        text = "+".join(n if len(n) <= keep else n[: keep - 1] + "." for n in names)
        if width_of(text) <= room:
            return text
    first, more = names[0], f"+{len(names) - 1}" if len(names) > 1 else ""
    for keep in range(len(first), 1, -1):
        text = (first if len(first) <= keep else first[: keep - 1] + ".") + more
        if width_of(text) <= room:
            return text
    return text
