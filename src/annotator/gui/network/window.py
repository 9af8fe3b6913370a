"""The Network window: DNA's network options as controls over the drawn network, a time
slider when documents have a date, hover and double-click on nodes, PNG and SVG export."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QColor, QImage, QKeySequence, QPainter, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core import dna_network as dn
from annotator.core.errors import AnnotatorError
from annotator.core.variables import parse_assignment
from annotator.gui.network.data import Corpus, Graph, graph_of, read_corpus
from annotator.gui.network.scene import (
    AGREE,
    CONFLICT,
    PALETTE,
    LayoutWorker,
    NetworkScene,
    start_positions,
)
from annotator.gui.start.file_dialogs import save_file
from annotator.store.queries.retrieval_queries import Segment

if TYPE_CHECKING:
    from annotator.gui.analysis.window import CellSegments
    from annotator.gui.main_window import MainWindow

TOOLTIP_STATEMENTS = 8


def tr(text: str) -> str:
    return QCoreApplication.translate("network", text)


class NetworkCanvas(QGraphicsView):
    """Pan by dragging or the arrow keys, zoom with the wheel or +/-."""

    def __init__(self, scene: NetworkScene, parent: QWidget) -> None:
        super().__init__(scene, parent)
        self.setObjectName("networkCanvas")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.network_scene = scene
        self.settle_timer = QTimer(self)
        self.settle_timer.setSingleShot(True)
        self.settle_timer.setInterval(150)
        self.settle_timer.timeout.connect(lambda: scene.edges.set_previewing(False))

    def zoom(self, factor: float) -> None:
        """Scale by *factor*; the strongest edges only until the zoom rests 150 ms."""
        self.network_scene.edges.set_previewing(True)
        self.settle_timer.start()
        self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        if event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif event.key() == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def fit(self) -> None:
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)


class NetworkWindow(QWidget):
    """View > Network (a window of its own beside the main window)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.window_ = window
        self.setObjectName("networkView")
        self.setWindowTitle(tr("Network"))
        self.resize(1100, 720)
        self.corpus: Corpus | None = None
        self.graph: Graph | None = None
        self.positions: dict[str, tuple[float, float]] = {}
        self.texts: dict[int, Segment] = {}
        self.segments: CellSegments | None = None
        self.layout_worker = LayoutWorker(self)
        self.layout_worker.done.connect(self._laid_out)
        self.laid_out = 0  # layouts applied (tests wait for it)
        self.dated = False  # the documents have a date variable: the time slider

        self.scene = NetworkScene(self.describe, self)
        self.scene.node_activated.connect(self.list_statements)
        self.canvas = NetworkCanvas(self.scene, self)
        self._build_controls()
        self.summary = QLabel(self)
        self.summary.setObjectName("networkSummary")

        side = QWidget(self)
        side.setLayout(self.form)
        side.setMaximumWidth(330)
        body = QHBoxLayout()
        body.addWidget(side)
        body.addWidget(self.canvas, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.summary)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.layout_worker.cancel()  # a layout under way stops at its next step
        super().closeEvent(event)

    # controls ----------------------------------------------------------------------
    def _combo(self, name: str, items: tuple[str, ...] | list[str]) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName(name)
        box.addItems(list(items))
        box.currentIndexChanged.connect(self.refresh)
        return box

    def _build_controls(self) -> None:
        f = self.form = QFormLayout()
        self.type_box = self._combo("networkType", dn.NETWORK_TYPES)
        self.variable1 = self._combo("networkVariable1", ["organization", "person"])
        self.variable2 = self._combo("networkVariable2", ["concept"])
        self.aggregation = self._combo("networkAggregation", dn.TWOMODE_AGGREGATIONS)
        self.normalization = self._combo("networkNormalization", dn.TWOMODE_NORMALISATIONS)
        self.duplicates = self._combo("networkDuplicates", dn.DUPLICATES)
        self.colour_by = self._combo("networkColour", [tr("variable"), tr("actor type")])
        self.exclude = QLineEdit(self)
        self.exclude.setObjectName("networkExclude")
        self.exclude.setPlaceholderText(tr("VAR=VALUE; VAR=VALUE"))
        self.exclude.editingFinished.connect(self.refresh)
        self.window_size = QSpinBox(self)
        self.window_size.setObjectName("networkWindowSize")
        self.window_size.setRange(0, 36500)
        self.window_size.setSpecialValueText(tr("whole period"))  # 0: no time window
        self.window_size.setValue(0)
        self.window_size.setSuffix(tr(" days"))
        self.window_size.valueChanged.connect(self.refresh)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("networkTimeSlider")
        self.slider.valueChanged.connect(self.refresh)
        self.time_label = QLabel(self)
        self.type_box.currentIndexChanged.connect(self._type_changed)
        for text, widget in (
            (tr("&Type"), self.type_box),
            (tr("Variable &1"), self.variable1),
            (tr("Variable &2"), self.variable2),
            (tr("&Aggregation"), self.aggregation),
            (tr("&Normalisation"), self.normalization),
            (tr("&Duplicates"), self.duplicates),
            (tr("E&xclude"), self.exclude),
            (tr("&Colour by"), self.colour_by),
            (tr("&Window"), self.window_size),
            (tr("T&ime"), self.slider),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            f.addRow(label, widget)
        f.addRow(self.time_label)
        self.legend = QLabel(self)
        self.legend.setObjectName("networkLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        f.addRow(self.legend)
        self.png_button = QPushButton(tr("Export &PNG…"), self)
        self.svg_button = QPushButton(tr("Export &SVG…"), self)
        self.png_button.clicked.connect(lambda: self.export("png"))
        self.svg_button.clicked.connect(lambda: self.export("svg"))
        f.addRow(self.png_button)
        f.addRow(self.svg_button)
        for keys, slot in (("Ctrl+Shift+P", lambda: self.export("png")),
                           ("Ctrl+Shift+S", lambda: self.export("svg")),
                           ("Esc", self.close)):  # fmt: skip
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def _type_changed(self) -> None:
        one = self.type_box.currentText() == "onemode"
        for box, items in (
            (self.aggregation, dn.ONEMODE_AGGREGATIONS if one else dn.TWOMODE_AGGREGATIONS),
            (self.normalization, dn.ONEMODE_NORMALISATIONS if one else dn.TWOMODE_NORMALISATIONS),
        ):
            box.blockSignals(True)
            box.clear()
            box.addItems(list(items))
            box.blockSignals(False)
        self.refresh()

    # data --------------------------------------------------------------------------
    def open(self) -> None:
        project = self.window_.session.require()
        self.corpus = read_corpus(project)
        self.texts = {}
        c = self.corpus
        keys = sorted({k for s in c.statements for k, v in s.values.items() if v})
        for box, default in ((self.variable1, "organization"), (self.variable2, "concept")):
            current = box.currentText() or default
            box.blockSignals(True)
            box.clear()
            box.addItems(sorted({*keys, default}))
            box.setCurrentText(current)
            box.blockSignals(False)
        dated = c.dated and c.first is not None and c.last is not None
        self.slider.blockSignals(True)
        if dated and c.first is not None and c.last is not None:
            self.slider.setRange(0, (c.last - c.first).days)
            self.slider.setValue((c.last - c.first).days)
        self.slider.blockSignals(False)
        self.dated = dated
        self.slider.setEnabled(dated and self.window_size.value() > 0)
        self.window_size.setEnabled(dated)
        self.show()
        self.raise_()
        self.activateWindow()
        self.refresh()
        self.canvas.setFocus()

    def options(self) -> dn.NetworkOptions:
        exclude: dict[str, set[str]] = {}
        for part in filter(None, (p.strip() for p in self.exclude.text().split(";"))):
            k, v = parse_assignment(part)  # InputError: shown on the summary line
            exclude.setdefault(k, set()).add(v)
        return dn.position_options(
            network_type=self.type_box.currentText(),
            variable1=self.variable1.currentText(),
            variable2=self.variable2.currentText(),
            aggregation=self.aggregation.currentText() or "ignore",
            normalization=self.normalization.currentText() or "no",
            duplicates=self.duplicates.currentText(),
            exclude={k: frozenset(v) for k, v in exclude.items()},
        )

    def time_window(self) -> tuple[dt.date, dt.date] | None:
        c = self.corpus
        self.slider.setEnabled(self.dated and self.window_size.value() > 0)
        if c is None or not self.slider.isEnabled() or c.first is None:
            return None
        day = c.first + dt.timedelta(days=self.slider.value())
        half = dt.timedelta(days=round((self.window_size.value() - 1) / 2))
        return day - half, day + half

    def refresh(self) -> None:
        if self.corpus is None:
            return
        window = self.time_window()
        try:
            graph = graph_of(self.corpus, self.options(), window)
        except AnnotatorError as exc:
            self.summary.setText(str(exc))
            return
        self.graph = graph
        xy = start_positions(graph, self.positions)
        self.scene.show_graph(graph, xy, self.colours(graph))
        self.layout_worker.start(graph, xy)
        when = f" · {window[0]} – {window[1]}" if window else ""
        self.time_label.setText(f"{window[0]} – {window[1]}" if window else "")
        self.summary.setText(
            tr("%d nodes, %d edges, %d statements") % (len(graph.names), graph.edge_count,
                                                       graph.statements) + when
        )  # fmt: skip

    def _laid_out(self, generation: int, xy: np.ndarray) -> None:
        if generation != self.layout_worker.generation or self.graph is None:
            return  # an older layout: its graph is gone
        self.scene.move_nodes(xy)
        self.positions.update(
            {n: (float(x), float(y)) for n, (x, y) in zip(self.graph.names, xy, strict=True)}
        )
        self.canvas.fit()
        self.laid_out += 1

    def colours(self, graph: Graph) -> list[QColor]:
        by_type = self.colour_by.currentIndex() == 1 and self.corpus is not None
        keys = [
            (self.corpus.actor_types.get(n, kind) if by_type and self.corpus else kind)
            for n, kind in zip(graph.names, graph.kinds, strict=True)
        ]
        order = {k: i for i, k in enumerate(dict.fromkeys(sorted(keys)))}
        colour = {k: PALETTE[i % len(PALETTE)] for k, i in order.items()}
        self.legend.setText(
            "<br>".join(
                f'<span style="color:{c}">&#9679;</span> {escape(k or tr("(no actor type)"))}'
                for k, c in colour.items()
            )
            + "<br>"
            + tr('<span style="color:%s">&#9473;</span> agreement / positive weight<br>'
                 '<span style="color:%s">&#9473;</span> conflict / negative weight')
            % (AGREE.name(), CONFLICT.name())
        )  # fmt: skip
        return [QColor(colour[k]) for k in keys]

    def _segments(self, ids: tuple[int, ...]) -> list[Segment]:
        from annotator.store.queries.cooccurrence_queries import segments_of

        missing = [i for i in ids if i not in self.texts]
        if missing:
            for s in segments_of(self.window_.session.require(), missing):
                self.texts[s.id] = s
        return [self.texts[i] for i in ids if i in self.texts]

    def describe(self, index: int) -> str:
        """A node's tooltip: its name, kind, statement count and first statements."""
        if self.graph is None:
            return ""
        g = self.graph
        ids = g.statement_ids[index]
        lines = [f"{g.names[index]} ({g.kinds[index]}): {len(ids)} " + tr("statement(s)")]
        for s in self._segments(ids[:TOOLTIP_STATEMENTS]):
            text = s.text if len(s.text) <= 120 else s.text[:117] + "…"
            lines.append(f"• {text}")
        if len(ids) > TOOLTIP_STATEMENTS:
            lines.append(tr("… and %d more") % (len(ids) - TOOLTIP_STATEMENTS))
        return "\n".join(lines)

    def list_statements(self, index: int) -> None:
        """A node's statements in the segments window (Enter jumps to the text)."""
        from annotator.gui.analysis.window import CellSegments

        if self.graph is None:
            return
        if self.segments is None:
            self.segments = CellSegments(self.window_)
            self.segments.setObjectName("networkStatements")
        self.segments.show_ids(list(self.graph.statement_ids[index]), self.graph.names[index])

    # export ------------------------------------------------------------------------
    def export(self, kind: str, path: Path | None = None) -> Path | None:
        if path is None:
            self.window_.session.require()
            pattern = tr("PNG images (*.png)") if kind == "png" else tr("SVG drawings (*.svg)")
            path = save_file(self, tr("Export the network"), "network", pattern, f".{kind}")
            if path is None:
                return None
        try:
            write_picture(self.scene, path, kind)
        except OSError as exc:
            self.window_.show_error(tr("%s: could not be written (%s)") % (path.name, exc.strerror))
            return None
        self.summary.setText(tr("Written to %s") % path)
        return path


def write_picture(scene: NetworkScene, path: Path, kind: str) -> None:
    """The whole scene as a PNG (up to 4,000 pixels wide) or an SVG drawing."""
    rect = scene.sceneRect()
    if not path.parent.is_dir():
        raise OSError(2, "no such folder")
    if kind == "svg":
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(int(rect.width()), int(rect.height())))
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle("Annotator network")
        painter = QPainter(generator)
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
        if not path.exists():
            raise OSError(13, "not writable")
        return
    scale = min(2.0, 4000 / max(rect.width(), 1))
    image = QImage(
        max(1, int(rect.width() * scale)), max(1, int(rect.height() * scale)),
        QImage.Format.Format_ARGB32,
    )  # fmt: skip
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect)
    painter.end()
    if not image.save(str(path)):
        raise OSError(13, "not writable")


def open_network(window: MainWindow) -> NetworkWindow:
    """View > Network…: the one network window of *window*, read again and shown."""
    found = window.findChild(NetworkWindow, "networkView")
    view = found if isinstance(found, NetworkWindow) else NetworkWindow(window)
    view.open()
    return view
