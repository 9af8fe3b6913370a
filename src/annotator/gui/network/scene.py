"""The drawn network: one item paints every edge (a few paths: sign x width class, with
cosmetic pens), nodes are small items that ignore the view's zoom; the layout
(networkx's spring layout) runs in a worker thread, a newer request cancels the older."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from annotator.gui.network.data import Graph

# Okabe-Ito: told apart by colour-blind readers
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#999999")  # fmt: skip
AGREE, CONFLICT = QColor("#1b9e4b"), QColor("#d7301f")
WIDTHS = (0.8, 1.5, 2.5, 4.0)  # pixels, by the weight's quartile class
LABELS_UP_TO = 400  # nodes with a name drawn beside them (more: hover shows it)


PREVIEW_EDGES = 3_000  # drawn during a zoom (all of them once it stops)
SMOOTH_UP_TO = 2_000  # edges drawn antialiased (more: aliased, 10-50 times faster)


def on_white(colour: QColor, alpha: float = 0.75) -> QColor:
    """*colour* at *alpha* over white, opaque: blending 20,000 translucent lines costs
    ten times what opaque ones do in Qt's raster engine (measured)."""
    rgb = (colour.red(), colour.green(), colour.blue())
    mix = [round(alpha * c + (1 - alpha) * 255) for c in rgb]
    return QColor(*mix)


class EdgesItem(QGraphicsItem):
    """Every edge, painted as at most 8 paths (no item per edge), opaque, cached in
    device coordinates: a pan blits the cache, only a zoom paints the lines again."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[tuple[QPen, QPainterPath]] = []
        self.preview_paths: list[tuple[QPen, QPainterPath]] = []
        self.previewing = False
        self._rect = QRectF()
        self.smooth = True
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_edges(self, graph: Graph, xy: np.ndarray) -> None:
        self.prepareGeometryChange()
        w = np.abs(graph.weights)
        klass = np.ones(len(w), dtype=int)
        if len(np.unique(w)) > 1:
            klass = np.searchsorted(np.quantile(w, (0.25, 0.5, 0.75)), w, side="left")
        everything = np.arange(len(w))
        self.paths = _paths(graph, xy, klass, everything)
        # while a zoom goes on: the strongest edges only, all of them once it stops
        strongest = np.sort(np.argsort(-w, kind="stable")[:PREVIEW_EDGES])
        self.preview_paths = _paths(graph, xy, klass, strongest) if len(w) > PREVIEW_EDGES else []
        self.smooth = len(w) <= SMOOTH_UP_TO
        rect = QRectF()
        for _, path in self.paths:
            rect = rect.united(path.boundingRect())
        self._rect = rect.adjusted(-4, -4, 4, 4)
        self.update()

    def set_previewing(self, on: bool) -> None:
        """Draw only the strongest edges (during a zoom), or all of them again."""
        if self.preview_paths and on != self.previewing:
            self.previewing = on
            self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self.smooth)
        for pen, path in self.preview_paths if self.previewing else self.paths:
            painter.setPen(pen)
            painter.drawPath(path)


def _paths(
    graph: Graph, xy: np.ndarray, klass: np.ndarray, edges: np.ndarray
) -> list[tuple[QPen, QPainterPath]]:
    """One path per sign and width class over *edges* (indices into the graph's edges)."""
    out = []
    for negative in (False, True):
        sign = graph.weights[edges] < 0 if negative else graph.weights[edges] >= 0
        for k, width in enumerate(WIDTHS):
            chosen = edges[sign & (klass[edges] == k)]
            if not len(chosen):
                continue
            path = QPainterPath()
            for a, b in zip(graph.sources[chosen], graph.targets[chosen], strict=True):
                path.moveTo(xy[a, 0], xy[a, 1])
                path.lineTo(xy[b, 0], xy[b, 1])
            pen = QPen(on_white(CONFLICT if negative else AGREE), width)
            pen.setCosmetic(True)  # its width in pixels at every zoom
            out.append((pen, path))
    return out


class NodeItem(QGraphicsEllipseItem):
    """One node, its size in pixels whatever the zoom; hover asks for its statements,
    a double-click lists them."""

    def __init__(self, index: int, radius: float, owner: NetworkScene) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.index, self.owner = index, owner
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setPen(QPen(QColor("#333333"), 0.8))

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if not self.toolTip():
            self.setToolTip(self.owner.describe(self.index))
        super().hoverEnterEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.owner.node_activated.emit(self.index)
        event.accept()


class NetworkScene(QGraphicsScene):
    node_activated = Signal(int)  # a node's index in the graph

    def __init__(self, describe: Callable[[int], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.describe = describe
        self.graph: Graph | None = None
        self.edges = EdgesItem()
        self.addItem(self.edges)
        self.nodes: list[NodeItem] = []
        self.xy = np.zeros((0, 2))

    def show_graph(self, graph: Graph, xy: np.ndarray, colours: Sequence[QColor]) -> None:
        """Replace the drawing with *graph* at positions *xy* (n x 2, scene units)."""
        for item in self.nodes:
            self.removeItem(item)
        self.graph, self.xy = graph, xy
        most = max(graph.counts, default=1) or 1
        self.nodes = []
        labels = len(graph.names) <= LABELS_UP_TO
        for i, name in enumerate(graph.names):
            radius = 4.0 + 8.0 * math.sqrt(graph.counts[i] / most)
            item = NodeItem(i, radius, self)
            item.setBrush(QBrush(colours[i]))
            item.setPos(QPointF(xy[i, 0], xy[i, 1]))
            if labels:
                text = QGraphicsSimpleTextItem(name, item)
                text.setPos(radius + 2, -7)
                text.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.addItem(item)
            self.nodes.append(item)
        self.edges.set_edges(graph, xy)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-60, -60, 160, 60))

    def move_nodes(self, xy: np.ndarray) -> None:
        """The layout's positions for the graph shown."""
        if self.graph is None or xy.shape[0] != len(self.nodes):
            return
        self.xy = xy
        for item, (x, y) in zip(self.nodes, xy, strict=True):
            item.setPos(QPointF(float(x), float(y)))
        self.edges.set_edges(self.graph, xy)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-60, -60, 160, 60))


def scale_of(n: int) -> float:
    return max(250.0, 30.0 * math.sqrt(max(n, 1)))


def start_positions(graph: Graph, previous: dict[str, tuple[float, float]]) -> np.ndarray:
    """Where nodes stand before the layout: where they stood, else on a circle."""
    n = len(graph.names)
    r = scale_of(n)
    xy = np.zeros((n, 2))
    for i, name in enumerate(graph.names):
        if name in previous:
            xy[i] = previous[name]
        else:
            angle = 2 * math.pi * i / max(n, 1)
            xy[i] = (r * math.cos(angle), r * math.sin(angle))
    return xy


def spring_layout(
    graph: Graph, start: np.ndarray, cancel: threading.Event, iterations: int = 50
) -> np.ndarray | None:
    """networkx's force-directed layout, in steps of 10 iterations; None when cancelled."""
    import networkx as nx

    n = len(graph.names)
    if n == 0:
        return start
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(
        (int(a), int(b), abs(float(w)) or 1e-9)
        for a, b, w in zip(graph.sources, graph.targets, graph.weights, strict=True)
    )
    r = scale_of(n)
    pos = {i: (start[i] / r) for i in range(n)}
    for _ in range(max(1, iterations // 10)):
        if cancel.is_set():
            return None
        pos = nx.spring_layout(g, pos=pos, iterations=10, seed=7, weight="weight")
    return np.array([pos[i] for i in range(n)]) * r


class LayoutWorker(QObject):
    """Runs one layout at a time in a daemon thread; ``done`` comes on the GUI thread."""

    done = Signal(int, object)  # generation, positions (np.ndarray)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._cancel = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self, graph: Graph, start: np.ndarray) -> int:
        self._cancel.set()  # the previous layout stops at its next step
        self._cancel = cancel = threading.Event()
        self.generation += 1
        generation = self.generation

        def run() -> None:
            xy = spring_layout(graph, start, cancel)
            if xy is not None and not cancel.is_set():
                self.done.emit(generation, xy)

        thread = threading.Thread(target=run, name="network-layout", daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()
        return generation

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, seconds: float = 30.0) -> None:
        for t in self.threads:
            t.join(seconds)
