"""The Statistics dock's actor x label matrix and documents table drilled into with
Enter; the matrix's tab says which role it counts (gui/analysis/stats_drill.py); its
numbers are read only while the dock is in front."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.store import Project
from tests.gui.helpers import drag_select, key, open_window, settle

TEXT = "The minister said the plan works. Critics said it fails."


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "stats.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "One").id
        claim = project.annotate(doc, 0, 33, "claim")
        actor = project.annotate(doc, 4, 12, "actor")
        project.annotate(doc, 34, 56, "claim")
        project.relate(actor.id, claim.id, "claimant")
    return path


def test_enter_on_a_matrix_cell_lists_the_claims_behind_it(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    key(qtbot, window, "Ctrl+Shift+T")
    panel = window.stats_panel
    qtbot.waitUntil(lambda: panel.stats is not None and panel.matrix_model.rowCount() > 0)
    assert "any role" in panel.tabs.tabText(2)
    panel.tabs.setCurrentIndex(2)
    view = panel.matrix_view
    view.setFocus()
    view.setCurrentIndex(panel.matrix_model.index(0, 0))
    settle()
    assert panel.matrix_model.value(0, 0) == 1
    qtbot.keyClick(view, Qt.Key.Key_Return)
    segments = window.stats_drill.segments  # type: ignore[attr-defined]
    qtbot.waitUntil(segments.isVisible)
    assert [s.text for s in segments.model.segments] == [TEXT[0:33]]

    panel.tabs.setCurrentIndex(3)
    docs = panel.document_view
    docs.setFocus()
    claim_column = next(
        c
        for c in range(panel.document_model.columnCount())
        if panel.document_model._tips[c] == "claim"
    )
    docs.setCurrentIndex(panel.document_model.index(0, claim_column))
    qtbot.keyClick(docs, Qt.Key.Key_Return)
    settle()
    assert [s.text for s in segments.model.segments] == [TEXT[0:33], TEXT[34:56]]


def test_the_label_chart_names_are_whole_in_a_narrow_dock(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCharts import QBarCategoryAxis

    window = open_window(qtbot, _project(tmp_path))
    key(qtbot, window, "Ctrl+Shift+T")
    panel = window.stats_panel
    qtbot.waitUntil(lambda: panel.stats is not None)
    dock = window.docks["statistics"]
    window.resizeDocks([dock], [260], Qt.Orientation.Horizontal)
    settle()
    chart = panel.label_chart.chart()
    axes = [a for a in chart.axes(Qt.Orientation.Horizontal) if isinstance(a, QBarCategoryAxis)]
    assert axes and "Claim (2)" in axes[0].categories()
    qtbot.waitUntil(lambda: not axes[0].truncateLabels())
    assert axes[0].labelsAngle() == -90  # four names do not fit side by side in 260 px


def test_numbers_wait_while_the_dock_is_behind_a_tab(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    key(qtbot, window, "Ctrl+Shift+T")
    panel, dock = window.stats_panel, window.docks["statistics"]
    qtbot.waitUntil(lambda: panel.stats is not None)
    assert panel.stats is not None and panel.stats.per_label["actor"] == 1
    window.tabifyDockWidget(window.docks["relations"], dock)  # as a drag onto its tab
    window.docks["relations"].raise_()
    qtbot.waitUntil(lambda: dock.visibleRegion().isEmpty())
    assert panel.isVisible()  # Qt still calls a tab behind another visible

    kept = panel.stats
    drag_select(qtbot, window.view, 34, 41)
    key(qtbot, window, "3")  # an actor, coded while the numbers are behind a tab
    qtbot.wait(400)  # past the panel's coalescing pause
    assert [a.label for a in window.session.require().annotations(1)].count("actor") == 2
    assert panel.stats is kept  # not read again: nobody sees them

    window.view.setFocus()
    key(qtbot, window, "Ctrl+Shift+T")  # its keys bring it to the front ...
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    assert panel.stats.per_label["actor"] == 2  # ... and it reads what changed meanwhile
