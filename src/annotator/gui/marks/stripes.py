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

import heapq
from bisect import bisect_right
from collections.abc import Callable
from itertools import repeat
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QToolTip, QWidget

from annotator.core.spans import Span, SpanIndex
from annotator.gui.marks.geometry import LineRows, lines_after_page_down, lines_after_page_up

if TYPE_CHECKING:
    from annotator.gui.view.document_view import DocumentView

STRIPE = 4  # px per stripe
GAP = 2
MAX_COLUMNS = 6  # deeper overlaps share the last column
TAG_WIDTH = 64
STRIPE_ROOM = MAX_COLUMNS * (STRIPE + GAP) + 4
LAYOUTS_KEPT = 24
IDLE_RETRY_MS = 5  # the next page's stripes wait while the view formats it
AFTER_EDIT_MS = 60  # ... and this long after an edit


class Stripe(NamedTuple):
    id: int  # the span's
    start: int
    end: int
    label: int
    coder: str
    column: int
    top: int
    bottom: int

    @property
    def span(self) -> Span:
        return Span(self.id, self.start, self.end, self.label)


class Plan(NamedTuple):
    """What the stripes of one layout draw (:meth:`StripeMargin._plan`)."""

    made_for: tuple[object, ...]  # the colours, tag room, coder and palette it used
    fills: list[tuple[QColor, list[QRect]]]  # filled runs of the current coder, by colour
    outlines: list[tuple[QColor, list[QRect]]]  # other layers' stripes, by colour
    dots: list[QPoint]  # the notes' dots


Coded = tuple[int, int, int, int, str]  # start, -end, id, label, coder: sorted as drawn


def coded_rows(index: SpanIndex, coder: str, lo: int, hi: int) -> list[Coded]:
    """The spans of *index* touching ``[lo, hi)``, without a Span object each."""
    if lo >= hi:
        return [(s.start, -s.end, s.id, s.label, coder) for s in index.touching(lo, hi)]
    ids, starts, ends, labels = index.columns(lo, hi)
    return list(zip(starts, map(int.__neg__, ends), ids, labels, repeat(coder), strict=False))


def pack(spans: list[Coded]) -> list[int]:
    """The column of each span (sorted by start): the first column free at a span's
    start, each layer in columns after the previous layer's."""
    out = [0] * len(spans)
    base = 0
    last = MAX_COLUMNS - 1
    layers: dict[str, list[int]] = {}
    for i, row in enumerate(spans):
        layers.setdefault(row[4], []).append(i)
    for layer in layers.values():
        busy: list[tuple[int, int]] = []  # (end, column) of the columns in use
        free: list[int] = []  # the columns whose last span has ended
        used = 0
        for i in layer:
            start, minus_end = spans[i][0], spans[i][1]
            while busy and busy[0][0] <= start:
                heapq.heappush(free, heapq.heappop(busy)[1])
            if free:
                column = heapq.heappop(free)
            else:
                column = used
                used += 1
            heapq.heappush(busy, (-minus_end, column))
            out[i] = min(last, base + column)
        base += used
    return out


class StripeMargin(QWidget):
    """The left margin: stripes (when ``stripes``) and tags (when ``tags``)."""

    def __init__(
        self,
        view: DocumentView,
        note_of: Callable[[int], str | None],
        load_notes: Callable[[list[int]], None] | None = None,
    ) -> None:
        super().__init__(view)
        self.setObjectName("codingStripes")
        self.view = view
        self.note_of = note_of
        self.load_notes = load_notes  # the notes of a paint's spans, in one query
        self.stripes_on = True
        self.tags_on = True
        self.squeezed = False  # a narrow view: the tags give their room to the text
        self.setMouseTracking(True)
        self.drawn: list[Stripe] = []
        # the stripes of the last LAYOUTS_KEPT screens (Page Up over pages seen), by
        # what they depend on; forget() when the spans change
        self.layouts: dict[tuple[object, ...], list[Stripe]] = {}
        self.plans: dict[tuple[object, ...], Plan] = {}  # what a kept layout draws
        self._shown: tuple[object, ...] = ()  # the key of the layout painted last
        self._edited = False  # the spans changed since the last paint
        self.reused = self.missed = self.predicted = 0  # layouts (for tests)
        self._next_page = QTimer(self)
        self._next_page.setSingleShot(True)
        self._next_page.timeout.connect(self._predict)

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
        rows = LineRows(view)
        key, lo, hi, below = self._page(view.firstVisibleBlock().position(), rows)
        kept = self.layouts.pop(key, None)
        if kept is None:
            kept = self._laid_out(key, lo, hi, rows, below)
            self.missed += 1
        else:
            self.layouts[key] = kept  # the latest last
            self.reused += 1
            if self.load_notes is not None and key not in self.plans:
                self.load_notes([s.id for s in kept])  # no plan read them (tags only)
        self._shown = key
        return kept

    def _laid_out(
        self, key: tuple[object, ...], lo: int, hi: int, rows: LineRows, below: int
    ) -> list[Stripe]:
        """Lay out the screen *key*, keep it, and read its spans' notes (one query)."""
        stripes = self._layout(lo, hi, rows, below)
        self._keep(key, stripes)
        if self.load_notes is not None:
            self.load_notes([s.id for s in stripes])
        return stripes

    def plan_of(self, key: tuple[object, ...], stripes: list[Stripe]) -> Plan:
        """The plan of the layout *key*, made now unless it is kept and still holds."""
        plan = self.plans.get(key)
        if plan is None or plan.made_for != self._plan_for():
            plan = self.plans[key] = self._plan(stripes)
        return plan

    def _page(self, first: int, rows: LineRows) -> tuple[tuple[object, ...], int, int, int]:
        """What a screen's stripes depend on (their key), from its first block's Qt
        position and its lines; and the code points laid out: from the first block to
        the first line wholly below the viewport (a span starting there does not
        show; one starting above it packs the same with or without them)."""
        view = self.view
        height = view.viewport().height()
        lo = view.offsets.to_codepoint(first)
        hi = max(lo, rows.below_screen(height))
        below = height + 2
        key = (
            lo,
            hi,
            below,
            view.coder,
            id(view.index),
            len(view.index),
            tuple((c, id(i), len(i)) for c, i in view.layers.items()),
            tuple(rows.top_starts),
            tuple(rows.tops),
            tuple(rows.bottom_starts),
            tuple(rows.bottoms),
        )
        return key, lo, hi, below

    def _keep(self, key: tuple[object, ...], stripes: list[Stripe]) -> None:
        self.layouts[key] = stripes
        while len(self.layouts) > LAYOUTS_KEPT:
            oldest = next(iter(self.layouts))
            del self.layouts[oldest]
            self.plans.pop(oldest, None)

    def after_paint(self) -> None:
        """Lay out the next and the previous page's stripes in idle time (called after
        each paint); after an edit a little later, so that what the edit updates (the
        table, the counts) comes first."""
        self._next_page.start(AFTER_EDIT_MS if self._edited else 0)
        self._edited = False

    def _predict(self) -> None:
        """The stripes Page Down, then Page Up, will show, laid out (and planned)
        before the key is pressed, one page a turn of the event loop: after the view's
        idle formatting of those pages (that may lay their blocks out again)."""
        view = self.view
        if not self.isVisible() or not self.stripes_on or not view.text:
            return
        if view.blocks.idle:
            self._next_page.start(IDLE_RETRY_MS)
            return
        for guess in (lines_after_page_down(view), lines_after_page_up(view)):
            if guess is None:
                continue
            first, lines = guess
            rows = LineRows(view, lines)
            key, lo, hi, below = self._page(first, rows)
            if key in self.layouts:
                continue
            self.plan_of(key, self._laid_out(key, lo, hi, rows, below))
            self.predicted += 1
            self._next_page.start(0)  # one page a turn of the event loop: input first
            return

    def forget(self) -> None:
        """The spans (or their notes) changed: lay the stripes out again."""
        self.layouts.clear()
        self.plans.clear()
        self._edited = True

    def _layout(self, lo: int, hi: int, rows: LineRows, below: int) -> list[Stripe]:
        view = self.view
        coded = coded_rows(view.index, view.coder, lo, hi)
        for coder, index in view.layers.items():
            coded += coded_rows(index, coder, lo, hi)
        coded.sort()
        # LineRows.top and .bottom, inline (a dense page has thousands of spans)
        ts, tops, bs, bottoms = rows.top_starts, rows.tops, rows.bottom_starts, rows.bottoms
        t_lo, t_hi = (ts[0], ts[-1]) if len(ts) > 1 else (0, -1)
        b_lo, b_hi = (bs[0], bs[-1]) if len(bs) > 1 else (0, -1)
        out = []
        for (start, minus_end, span_id, label, coder), column in zip(
            coded, pack(coded), strict=True
        ):
            end = -minus_end
            if start < lo:
                top = -2
            elif t_lo <= start < t_hi:
                top = tops[bisect_right(ts, start) - 1]
            else:
                top = rows.top(start)
            if end > hi:
                bottom = below
            else:
                last = end - 1 if end - 1 > start else start
                if b_lo <= last < b_hi:
                    bottom = bottoms[bisect_right(bs, last) - 1]
                else:
                    bottom = rows.bottom(last)
            out.append(Stripe(span_id, start, end, label, coder, column, top, max(top + 3, bottom)))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.view.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Window))
        self.drawn = stripes = self.layout_stripes()
        if self.stripes_on:
            self._paint_stripes(painter, self.plan_of(self._shown, stripes), stripes)
        if self.tag_room():
            self._paint_tags(painter, stripes)
        painter.end()
        self.after_paint()

    def _plan_for(self) -> tuple[object, ...]:
        """What a plan depends on besides its stripes."""
        view = self.view
        return (id(view.colours), self.tag_room(), view.coder, view.palette().cacheKey())

    def _plan(self, stripes: list[Stripe]) -> Plan:
        """The current coder's stripes filled, a run of one colour touching in a column
        as one rectangle, grouped by colour; other layers outlined; the notes' dots.
        Made once a layout (in idle time for the next pages) and drawn at each paint in
        a few calls."""
        view = self.view
        fallback = view.palette().color(QPalette.ColorRole.Mid)
        colours, coder, note_of = view.colours, view.coder, self.note_of
        xs = [self.stripe_x(c) for c in range(MAX_COLUMNS)]
        runs: dict[int, list[int]] = {}  # column -> [label, top, bottom] being filled
        fills: dict[int, list[QRect]] = {}  # label -> its runs' rectangles
        outlines: dict[int, list[QRect]] = {}
        dots: list[QPoint] = []
        for s in stripes:
            top, bottom, column = s.top, s.bottom, s.column
            x = xs[column]
            if s.coder == coder:
                run = runs.get(column)
                if run is None:
                    runs[column] = [s.label, top, bottom]
                elif run[0] == s.label and top <= run[2]:
                    if bottom > run[2]:
                        run[2] = bottom
                else:
                    # the next span in the column starts on the line where this run
                    # ends: it shows there (drawn by colour, the later must not hide
                    # under the earlier), unless this run goes on below it
                    end = top if top <= run[2] <= bottom else run[2]
                    if end > run[1]:
                        fills.setdefault(run[0], []).append(QRect(x, run[1], STRIPE, end - run[1]))
                    runs[column] = [s.label, top, bottom]
            else:  # another coder's layer: an outlined stripe
                outlines.setdefault(s.label, []).append(QRect(x, top, STRIPE - 1, bottom - top - 1))
            if note_of(s.id):
                dots.append(QPoint(x + STRIPE // 2, top + 4))
        for column, (label, top, bottom) in runs.items():
            fills.setdefault(label, []).append(QRect(xs[column], top, STRIPE, bottom - top))

        def coloured(by_label: dict[int, list[QRect]]) -> list[tuple[QColor, list[QRect]]]:
            return [(colours.get(label, fallback), rects) for label, rects in by_label.items()]

        return Plan(self._plan_for(), coloured(fills), coloured(outlines), dots)

    def _paint_stripes(self, painter: QPainter, plan: Plan, stripes: list[Stripe]) -> None:
        """Draw *plan*: a call per colour, then the current span's frame and the dots."""
        text_colour = self.view.palette().color(QPalette.ColorRole.Text)
        painter.setPen(Qt.PenStyle.NoPen)
        for colour, rects in plan.fills:
            painter.setBrush(colour)
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, rects in plan.outlines:
            painter.setPen(colour)
            painter.drawRects(rects)
        current = self.view.current
        if current is not None:
            painter.setPen(text_colour)
            for s in stripes:
                if s.id == current:
                    x = self.stripe_x(s.column) - 1
                    painter.drawRect(QRect(x, s.top - 1, STRIPE + 1, s.bottom - s.top + 1))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(text_colour)
        for dot in plan.dots:
            painter.drawEllipse(dot, 3, 3)

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
            colour = self.view.colours.get(here[0].label)
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
            name = self.view.label_names.get(s.label, "?")
            names[name] = names.get(name, False) or bool(self.note_of(s.id))
        return [name + ("*" if noted else "") for name, noted in names.items()]

    def tag_of(self, stripe: Stripe) -> str:
        name = self.view.label_names.get(stripe.label, "?")
        note = "*" if self.note_of(stripe.id) else ""
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
            chosen = min(under, key=lambda s: (s.end - s.start, s.id))
            self.view.spanClicked.emit(chosen.id)

    def describe(self, stripes: list[Stripe], row: list[Stripe] | None = None) -> str:
        """Each span's label, text, coder (with other layers shown) and note; first,
        with several labels on the *row* (default: these stripes), which labels meet."""
        view = self.view
        out = []
        meeting = stripes if row is None else row
        if len({s.label for s in meeting}) > 1:
            names = sorted({view.label_names.get(s.label, "?") for s in meeting})
            out.append(self.tr("Overlap: ") + " + ".join(names))
        for s in sorted(stripes, key=lambda s: (s.start, s.start - s.end)):
            excerpt = view.text[s.start : s.end]
            if len(excerpt) > 60:
                excerpt = excerpt[:57] + "…"
            who = f" — {s.coder}" if view.layers and s.coder else ""
            out.append(f"{view.label_names.get(s.label, '?')}: “{excerpt}”{who}")
            note = self.note_of(s.id)
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
