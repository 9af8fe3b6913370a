"""The network view in the real window: opened by its keys, options change the graph
(nodes and edges counted in the scene against core's matrix), hover shows a node's
statements, a double-click lists them and Enter jumps to the text, PNG and SVG export,
the time slider moves the window."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.dna_network import NetworkOptions, networks
from annotator.gui.main_window import MainWindow
from annotator.gui.network.scene import PREVIEW_EDGES, NodeItem, start_positions
from annotator.gui.network.window import NetworkWindow
from annotator.store import Project
from annotator.store.queries.dna_queries import dna_statements
from tests.cli.test_cli_network import claims_project
from tests.gui.helpers import key, open_window, settle


def _open(qtbot: QtBot, window: MainWindow) -> NetworkWindow:
    key(qtbot, window, "Ctrl+Alt+N")
    found = window.findChild(NetworkWindow, "networkView")
    assert isinstance(found, NetworkWindow)
    qtbot.waitUntil(found.isVisible)
    qtbot.waitUntil(lambda: found.laid_out > 0, timeout=60_000)
    return found


def _core(path: Path, **kw: object) -> tuple[int, int]:
    with Project.open(path, read_only=True) as project:
        statements = dna_statements(project)
    o = NetworkOptions(qualifier_boolean=False, levels=(-1, 1), **kw)  # type: ignore[arg-type]
    m = networks(statements, o)[0]
    if o.network_type == "onemode":
        return len(m.rows), int(np.count_nonzero(np.triu(m.values, 1)))
    return len(m.rows) + len(m.columns), int(np.count_nonzero(m.values))


def _scene_counts(view: NetworkWindow) -> tuple[int, int]:
    nodes = [i for i in view.scene.items() if isinstance(i, NodeItem)]
    lines = sum(p.elementCount() // 2 for _, p in view.scene.edges.paths)
    return len(nodes), lines


def _node_point(view: NetworkWindow, name: str) -> QPoint:
    assert view.graph is not None
    item = view.scene.nodes[view.graph.names.index(name)]
    return view.canvas.mapFromScene(item.scenePos())


def test_open_by_keys_and_options_change_the_graph(qtbot: QtBot, tmp_path: Path) -> None:
    path = claims_project(tmp_path / "p.annot")
    window = open_window(qtbot, path)
    keys = [a for a in window.actions() if "Ctrl+Alt+N" in [k.toString() for k in a.shortcuts()]]
    assert [a.objectName() for a in keys] == ["action-network"]  # no other action has them
    view = _open(qtbot, window)
    assert _scene_counts(view) == _core(path) == (4, 4)  # Greens, Unions x coal, wind
    # choose one-mode congruence with the keyboard: Alt+T focuses the type box
    view.activateWindow()
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is view.type_box
    qtbot.keyClick(view.type_box, Qt.Key.Key_Down)
    settle()
    assert view.type_box.currentText() == "onemode"
    view.aggregation.setFocus()
    qtbot.keyClick(view.aggregation, Qt.Key.Key_Down)  # ignore -> congruence
    settle()
    assert view.aggregation.currentText() == "congruence"
    expected = _core(path, network_type="onemode", aggregation="congruence")
    assert _scene_counts(view) == expected == (2, 1)
    assert view.graph is not None and view.graph.weights.tolist() == [1.0]  # they agree on wind


def _hover(view: NetworkWindow, point: QPoint) -> None:
    """A real mouse move without a button over the canvas (QTest's moves do not hover)."""
    viewport = view.canvas.viewport()
    event = QMouseEvent(
        QEvent.Type.MouseMove, QPointF(point), QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(viewport, event)
    settle()


def test_hover_double_click_and_enter_jumps(qtbot: QtBot, tmp_path: Path) -> None:
    path = claims_project(tmp_path / "p.annot")
    window = open_window(qtbot, path)
    view = _open(qtbot, window)
    point = _node_point(view, "Greens")
    _hover(view, point + QPoint(8, 8))
    _hover(view, point)
    assert view.graph is not None
    item = view.scene.nodes[view.graph.names.index("Greens")]
    qtbot.waitUntil(lambda: bool(item.toolTip()))
    tip = item.toolTip()
    assert tip.startswith("Greens (organization): 2 statement(s)")
    assert "said something about coal" in tip and "said something about wind" in tip
    qtbot.mouseDClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
    settle()
    segments = view.segments
    assert segments is not None and segments.isVisible()
    assert segments.model.rowCount() == 2
    segments.activateWindow()
    segments.table.setFocus()
    qtbot.keyClick(segments.table, Qt.Key.Key_Return)
    settle()
    first = segments.segment_at(segments.table.currentIndex().row())
    assert window.view.current == first.id


def test_export_png_and_svg(qtbot: QtBot, tmp_path: Path) -> None:
    path = claims_project(tmp_path / "p.annot")
    window = open_window(qtbot, path)
    view = _open(qtbot, window)
    png, svg = tmp_path / "net.png", tmp_path / "net.svg"
    assert view.export("png", png) == png
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 100
    assert view.export("svg", svg) == svg
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Greens" in text
    for kind in ("png", "svg"):  # a folder that is not there: one line, no file
        assert view.export(kind, tmp_path / "gone" / f"net.{kind}") is None
        assert (
            window.statusBar().currentMessage()
            == f"net.{kind}: could not be written (no such folder)"
        )
    assert not (tmp_path / "gone").exists()


def test_time_slider_moves_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    path = claims_project(tmp_path / "p.annot")  # statements on 1, 2 and 3 March
    window = open_window(qtbot, path)
    view = _open(qtbot, window)
    assert not view.slider.isEnabled() and view.slider.maximum() == 2  # the whole period
    view.window_size.setFocus()
    qtbot.keyClick(view.window_size, Qt.Key.Key_Up)  # one day
    assert view.slider.isEnabled()
    settle()
    assert view.graph is not None and view.graph.statements == 1  # 3 March: Unions on wind
    view.slider.setFocus()
    qtbot.keyClick(view.slider, Qt.Key.Key_Home)  # 1 March: Greens and Unions on coal
    settle()
    assert view.time_label.text() == "2024-03-01 – 2024-03-01"
    assert view.graph.statements == 2
    assert sorted(view.graph.names) == ["Greens", "Unions", "coal"]
    QApplication.processEvents()


def test_exclusions_and_a_bad_one(qtbot: QtBot, tmp_path: Path) -> None:
    path = claims_project(tmp_path / "p.annot")
    window = open_window(qtbot, path)
    view = _open(qtbot, window)
    assert view.variable1.findText("person") >= 0 and view.variable2.findText("issue") >= 0
    view.exclude.setFocus()
    qtbot.keyClicks(view.exclude, "organization=Unions")
    qtbot.keyClick(view.exclude, Qt.Key.Key_Return)
    settle()
    expected = _core(path, exclude={"organization": frozenset({"Unions"})})
    assert _scene_counts(view) == expected == (3, 2)
    before = view.graph
    view.exclude.clear()
    qtbot.keyClicks(view.exclude, "nonsense")
    qtbot.keyClick(view.exclude, Qt.Key.Key_Return)
    settle()
    assert "is no assignment" in view.summary.text() and "\n" not in view.summary.text()
    assert view.graph is before and _scene_counts(view) == (3, 2)  # nothing changed


def test_a_zoom_draws_the_strongest_edges_then_all(qtbot: QtBot, tmp_path: Path) -> None:
    from benchmarks.network_view import _graph

    path = claims_project(tmp_path / "p.annot")
    window = open_window(qtbot, path)
    view = _open(qtbot, window)
    graph = _graph(600, 4_000)  # more edges than the preview draws
    view.graph = graph
    view.scene.show_graph(graph, start_positions(graph, {}), view.colours(graph))
    edges = view.scene.edges
    drawn = sum(p.elementCount() // 2 for _, p in edges.preview_paths)
    assert drawn == PREVIEW_EDGES
    strongest = np.sort(np.abs(graph.weights))[-PREVIEW_EDGES:].min()
    assert np.count_nonzero(np.abs(graph.weights) > strongest) <= PREVIEW_EDGES
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Plus)
    assert edges.previewing
    qtbot.waitUntil(lambda: not edges.previewing, timeout=5_000)  # 150 ms after the zoom
