"""The statistics dock's actor x label matrix says which role it counts and counts that
role: chosen with Alt+O and the arrow keys, shown in the tab's title and the heading,
followed by the drill into a cell and by the CSV and XLSX export (issue 15, item 5)."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QTableView
from pytestqt.qtbot import QtBot

from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import choose_file, key, open_window, settle, when_modal
from tests.store.test_actor_role_queries import TEXT


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "roles.annot"
    with Project.create(path, annotator="ana") as project:
        doc = project.add_document(TEXT, "One").id
        paris, berlin = project.annotate(doc, 0, 5, "actor"), project.annotate(doc, 11, 17, "actor")
        demand = project.annotate(doc, 6, 17, "demand")  # Paris asks Berlin
        project.relate(paris.id, demand.id, "claimant")
        project.relate(demand.id, berlin.id, "addressee")
        rome = project.annotate(doc, 31, 35, "actor")
        claim = project.annotate(doc, 26, 46, "claim")  # (Berlin) asks Rome about Oslo
        project.relate(claim.id, rome.id, "addressee")
        project.link_actor(berlin.id, "Germany")
        accuser, accused = (
            project.annotate(doc, 48, 52, "actor"),
            project.annotate(doc, 61, 66, "actor"),
        )
        allegation = project.annotate(doc, 53, 66, "allegation")  # Rome accuses Paris
        project.relate(accuser.id, allegation.id, "claimant")
        project.relate(allegation.id, accused.id, "accused")
    return path


def _cells(window: MainWindow) -> dict[tuple[str, str], int]:
    model = window.stats_panel.matrix_model
    out = {}
    for r in range(model.rowCount()):
        for c in range(model.columnCount() - 1):  # not the Total column
            if model.value(r, c):
                row = str(model.headerData(r, Qt.Orientation.Vertical))
                out[(row, str(model.headerData(c, Qt.Orientation.Horizontal)))] = model.value(r, c)
    return out


def _export(qtbot: QtBot, window: MainWindow, keys: str, target: Path) -> None:
    window.activateWindow()
    settle()
    window.stats_panel.matrix_view.setFocus()
    when_modal(lambda dialog: choose_file(dialog, target), QFileDialog, seconds=90)
    key(qtbot, window, keys)
    qtbot.waitUntil(target.exists, timeout=90_000)


def test_choose_the_role_by_keys_and_the_counts_drill_and_export_follow(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(qtbot, _project(tmp_path))
    key(qtbot, window, "Ctrl+Shift+T")  # the statistics dock
    panel = window.stats_panel
    qtbot.waitUntil(lambda: panel.stats is not None and panel.matrix_model.rowCount() > 0)
    bar = panel.tabs.tabBar()
    bar.setFocus()
    bar.setCurrentIndex(0)
    key(qtbot, window, "Right")
    key(qtbot, window, "Right")  # Labels, Actors, Actor × label
    assert panel.tabs.currentWidget().objectName() == "actorLabelTab"
    assert panel.tabs.tabText(2) == "Actor × label (any role)"
    assert _cells(window)[("Paris", "Demand")] == 1 and _cells(window)[("Paris", "Allegation")] == 1

    key(qtbot, window, "Alt+O")  # R&ole counted
    role = QApplication.focusWidget()
    assert isinstance(role, QComboBox) and role.objectName() == "actorRole"
    key(qtbot, window, "Down")  # claimant
    key(qtbot, window, "Down")  # addressee
    assert panel.tabs.tabText(2) == "Actor × label (addressee)"
    heading = panel.actor_tab.heading.text()
    assert heading.startswith("Claims in which each actor is the addressee")
    assert _cells(window) == {("Germany", "Demand"): 1, ("Rome", "Claim"): 1}
    tips = [
        panel.matrix_model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for c in range(2)
    ]
    assert tips == ["claim, the actor as addressee", "demand, the actor as addressee"]

    key(qtbot, window, "Tab")  # to the table
    table = QApplication.focusWidget()
    assert isinstance(table, QTableView) and table.objectName() == "actorLabelTable"
    table.setCurrentIndex(panel.matrix_model.index(0, 0))
    key(qtbot, window, "Right")  # Germany × Demand
    assert table.currentIndex().column() == 1
    key(qtbot, window, "Return")
    segments = window.stats_drill.segments  # type: ignore[attr-defined]
    qtbot.waitUntil(segments.isVisible)
    assert [s.text for s in segments.model.segments] == ["asks Berlin"]
    assert "(addressee)" in segments.windowTitle()
    segments.close()

    out = tmp_path / "addressees.csv"
    _export(qtbot, window, "Alt+C", out)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["actor (addressee)", "claim", "demand", "allegation"],
        ["Germany", "0", "1", "0"],
        ["Rome", "1", "0", "0"],
    ]

    window.activateWindow()  # after the file dialog, offscreen
    settle()
    role.setFocus()
    key(qtbot, window, "Down")  # object: nobody
    assert _cells(window) == {} and not panel.actor_tab.csv_button.isEnabled()
    key(qtbot, window, "Down")  # accused
    assert _cells(window) == {("Paris", "Allegation"): 1}
    book = tmp_path / "accused.xlsx"
    _export(qtbot, window, "Alt+X", book)
    from openpyxl import load_workbook

    sheet = load_workbook(book).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["actor (accused)", "claim", "demand", "allegation"],
        ["Paris", 0, 0, 1],
    ]


def test_export_never_runs_a_name_as_a_formula_and_a_missing_folder_is_one_line(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "formula.annot"
    with Project.create(path, annotator="ana") as project:
        doc = project.add_document("=SUM(A1) demands a vote.", "One").id
        actor = project.annotate(doc, 0, 8, "actor")
        demand = project.annotate(doc, 9, 23, "demand")
        project.relate(actor.id, demand.id, "claimant")
    window = open_window(qtbot, path)
    key(qtbot, window, "Ctrl+Shift+T")
    tab = window.stats_panel.actor_tab
    qtbot.waitUntil(lambda: window.stats_panel.matrix_model.rowCount() == 1)
    out = tmp_path / "claimants.csv"
    assert tab.export("csv", out) == out
    with open(out, encoding="utf-8", newline="") as f:
        assert list(csv.reader(f))[1] == ["'=SUM(A1)", "0", "1", "0"]

    said: list[str] = []

    def read(box: object) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    when_modal(read, QMessageBox)
    assert tab.export("xlsx", tmp_path / "missing" / "x.xlsx") is None
    assert len(said) == 1 and "x.xlsx" in said[0] and "\n" not in said[0]
    assert not (tmp_path / "missing").exists()
