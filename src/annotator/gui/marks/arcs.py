"""Link arcs in a margin right of the text: the current annotation's links, each an
arc from its source's line to its target's line with an arrow head and the link's
type. Drawn in room the view reserves (never over words, never clipped above the
first line: an end out of view is drawn to the margin's edge with an arrow pointing
off); a change of the current annotation or its links repaints only the rectangle
the old and the new arcs cover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPainterPath, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from annotator.gui.marks.geometry import LineRows, span_rows, visible_range

if TYPE_CHECKING:
    from annotator.gui.view.document_view import DocumentView

ARC_WIDTH = 80
NARROW_ARC_WIDTH = 36  # in a narrow view (the type is then in the Links panel only)
Arc = tuple[int, int, str]  # y of the source, y of the target, type


class ArcMargin(QWidget):
    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.setObjectName("linkArcs")
        self.view = view
        self.on = True
        self.squeezed = False
        self.arcs: list[Arc] = []
        self.last_update = QRect()  # the region asked for by the last change (for tests)

    def width_wanted(self) -> int:
        if not self.on:
            return 0
        return NARROW_ARC_WIDTH if self.squeezed else ARC_WIDTH

    def compute(self) -> list[Arc]:
        view = self.view
        if not view.relations or view.current is None or not view.text:
            return []
        lo, hi = visible_range(view)
        rows = LineRows(view)
        out = []
        for from_id, to_id, kind in view.relations:
            if view.current not in (from_id, to_id):
                continue
            a, b = view.find_span(from_id), view.find_span(to_id)
            if a is None or b is None:
                continue
            ya = sum(span_rows(view, a.start, min(a.end, a.start + 1), lo, hi, rows)) // 2
            yb = sum(span_rows(view, b.start, min(b.end, b.start + 1), lo, hi, rows)) // 2
            out.append((ya, yb, kind))
        return out

    def bounds(self, arcs: list[Arc]) -> QRect:
        rect = QRect()
        for ya, yb, _ in arcs:
            rect = rect.united(QRect(0, min(ya, yb) - 10, self.width(), abs(yb - ya) + 20))
        return rect

    def changed(self) -> None:
        """The current annotation or its links changed: repaint the old and new arcs'
        rectangle only."""
        new = self.compute()
        if new == self.arcs:
            return
        region = self.bounds(self.arcs).united(self.bounds(new))
        self.arcs = new
        self.last_update = region
        if not region.isEmpty():
            self.update(region)

    def scrolled(self) -> None:
        self.arcs = self.compute()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.view.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Window))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        strong = palette.color(QPalette.ColorRole.Highlight)
        small = QFont(self.view.font())
        small.setPointSizeF(max(6.0, self.view.font().pointSizeF() * 0.7))
        painter.setFont(small)
        height = self.height()
        for ya, yb, kind in self.arcs:
            y1, y2 = max(-4, min(height + 4, ya)), max(-4, min(height + 4, yb))
            bulge = min(self.width() - 8, 14 + abs(y2 - y1) // 6)
            path = QPainterPath(QPointF(0, y1))
            path.cubicTo(QPointF(bulge, y1), QPointF(bulge, y2), QPointF(4, y2))
            pen = QPen(strong, 2.0)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(strong)
            tip = QPointF(1, y2)
            painter.drawPolygon(
                QPolygonF([tip, QPointF(tip.x() + 7, y2 - 4), QPointF(tip.x() + 7, y2 + 4)])
            )
            if self.squeezed:
                continue
            middle = path.pointAtPercent(0.5)
            label = QRectF(middle.x() + 2, middle.y() - 8, self.width() - middle.x() - 2, 16)
            painter.setPen(strong)
            painter.drawText(
                label, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), kind
            )
        painter.end()
