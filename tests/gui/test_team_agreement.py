"""Team > Agreement…: the real window shows the figures of the core functions on the same
spans, jumps to a disagreement's span, and exports the CLI's report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QProgressDialog
from pytestqt.qtbot import QtBot

from annotator.core.agreement import cohen_kappa, span_f1
from annotator.core.agreement.report import agreement_report
from annotator.core.agreement.units import CodedSpan, matched_units
from annotator.formats.agreement_report import write_agreement_csv
from annotator.gui.main_window import MainWindow
from annotator.gui.team.agreement_window import AgreementWindow
from annotator.store import Project
from annotator.store.queries.agreement_queries import agreement_input
from tests.gui.helpers import key, open_window, when_modal
from tests.gui.team_fixtures import ANA, BEN, TEXT, press, team_project


def open_agreement(qtbot: QtBot, path: Path) -> tuple[MainWindow, AgreementWindow]:
    window = open_window(qtbot, path)
    key(qtbot, window, "Ctrl+Shift+G")
    view = window.findChild(AgreementWindow)
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.report is not None)
    for model in (view.figure_model, view.disagreement_model, view.coders, view.labels):
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return window, view


def shown(view: AgreementWindow) -> dict[tuple[str, str, str], str]:
    """(section, label, measure) -> the Value cell, for the rows on screen."""
    model = view.figure_model
    return {
        (
            str(model.data(model.index(r, 0))),
            str(model.data(model.index(r, 2))),
            str(model.data(model.index(r, 4))),
        ): str(model.data(model.index(r, 5)))
        for r in range(model.rowCount())
    }


def test_the_window_shows_the_figures_of_the_core_functions(qtbot: QtBot, tmp_path: Path) -> None:
    _window, view = open_agreement(qtbot, team_project(tmp_path))
    figures = shown(view)
    exact = span_f1(ANA, BEN, "exact")
    overlap = span_f1(ANA, BEN, "overlap")
    assert figures["Spans, exact match", "all", "F1"] == f"{exact.f1.value:.3f}" == "0.444"
    assert figures["Spans, overlap match", "all", "F1"] == f"{overlap.f1.value:.3f}"
    spans = [CodedSpan(i, 1, a, b, k, "Ana") for i, (a, b, k) in enumerate(ANA)]
    spans += [CodedSpan(10 + i, 1, a, b, k, "Ben") for i, (a, b, k) in enumerate(BEN)]
    both = [u for u in matched_units(spans) if len(u) == 2]
    kappa = cohen_kappa([u["Ana"].label for u in both], [u["Ben"].label for u in both])
    assert kappa.value is not None
    assert figures["Coding of matched units", "all", "Cohen's kappa"] == f"{kappa.value:.3f}"
    # each figure carries its n and what it counts; an undefined one says why
    model = view.figure_model
    rows = {
        (str(model.data(model.index(r, 2))), str(model.data(model.index(r, 4)))): r
        for r in range(model.rowCount())
        if model.data(model.index(r, 0)) == "Spans, exact match"
    }
    assert model.data(model.index(rows["all", "F1"], 6)) == "9 spans"
    undefined = rows["demand", "precision"]
    assert model.data(model.index(undefined, 5)) == "undefined"
    assert model.data(model.index(undefined, 7)) == "coder B marked no span"
    assert "1 shared document(s) of 2 selected" in view.summary.text()


def test_scope_and_section_choose_the_rows_and_show_the_rule(qtbot: QtBot, tmp_path: Path) -> None:
    _window, view = open_agreement(qtbot, team_project(tmp_path))
    view.scope.setFocus()
    press(qtbot, view, "Down")  # "Per document"
    model = view.figure_model
    assert model.rowCount() > 0
    assert {model.data(model.index(r, 3)) for r in range(model.rowCount())} == {"1: Senate vote"}
    view.section.setFocus()
    press(qtbot, view, "Down")  # "Spans, exact match"
    assert {model.data(model.index(r, 0)) for r in range(model.rowCount())} == {
        "Spans, exact match"
    }
    assert view.rule.text().startswith("Rule: a span of one coder matches")


def test_enter_on_a_disagreement_selects_its_span_in_the_main_window(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, view = open_agreement(qtbot, team_project(tmp_path))
    model = view.disagreement_model
    row = next(r for r, d in enumerate(model.rows) if d.kind == "label")
    wanted = model.rows[row].codings[0]
    assert TEXT[wanted.start : wanted.end] == "The minister"
    view.disagreements.setFocus()
    view.disagreements.setCurrentIndex(model.index(row, 0))
    press(qtbot, view, "Return")
    assert window.view.current == wanted.annotation_id
    assert window.document_id == 1


def test_double_click_on_a_disagreement_jumps_too(qtbot: QtBot, tmp_path: Path) -> None:
    window, view = open_agreement(qtbot, team_project(tmp_path))
    model = view.disagreement_model
    row = len(model.rows) - 1
    rect = view.disagreements.visualRect(model.index(row, 1))
    viewport = view.disagreements.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.current == model.rows[row].codings[0].annotation_id


def _save_as(target: Path) -> object:
    def act(dialog: object) -> None:
        assert isinstance(dialog, QFileDialog)
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # typed, as a user would
        name.clear()
        QTest.keyClicks(name, str(target))
        QTest.keyClick(name, Qt.Key.Key_Return)

    return act


def test_ctrl_e_exports_the_cli_report_as_csv(qtbot: QtBot, tmp_path: Path) -> None:
    path = team_project(tmp_path)
    _window, view = open_agreement(qtbot, path)
    target = tmp_path / "window.csv"
    when_modal(_save_as(target))
    press(qtbot, view, "Ctrl+E")
    assert target.exists()
    with Project.open(path, read_only=True) as project:
        report = agreement_report(agreement_input(project))
    write_agreement_csv(report, tmp_path / "cli.csv")
    assert target.read_bytes() == (tmp_path / "cli.csv").read_bytes()
    assert view.message.text().startswith("Wrote ")


def test_ctrl_shift_e_exports_html(qtbot: QtBot, tmp_path: Path) -> None:
    _window, view = open_agreement(qtbot, team_project(tmp_path))
    target = tmp_path / "window.html"
    when_modal(_save_as(target))
    press(qtbot, view, "Ctrl+Shift+E")
    page = target.read_text(encoding="utf-8")
    assert '<h2 id="spans-exact">' in page and "Disagreements (" in page


def test_an_export_that_cannot_be_written_is_one_line(qtbot: QtBot, tmp_path: Path) -> None:
    _window, view = open_agreement(qtbot, team_project(tmp_path))
    folder = tmp_path / "a folder"
    folder.mkdir()
    assert not view.export("csv", folder)
    assert view.message.text() == f"cannot write {folder}: it is a folder"


def test_unchecking_a_coder_and_f5_gives_one_line_not_a_report(
    qtbot: QtBot, tmp_path: Path
) -> None:
    _window, view = open_agreement(qtbot, team_project(tmp_path))
    before = view.report
    view.coder_list.setFocus()
    view.coder_list.setCurrentIndex(view.coders.index(1, 0))
    press(qtbot, view, "Space")  # uncheck Ben
    assert view.coders.chosen() == ["Ana"]
    press(qtbot, view, "F5")
    assert "agreement needs at least two coders" in view.message.text()
    assert view.report is before


def test_cancel_in_the_progress_dialog_keeps_the_figures_shown(
    qtbot: QtBot, tmp_path: Path
) -> None:
    _window, view = open_agreement(qtbot, team_project(tmp_path))
    before = view.report

    def cancel() -> None:  # what the dialog's Cancel button does, while the job runs
        dialogs = [d for d in view.findChildren(QProgressDialog) if d.objectName()]
        if not dialogs:
            QTimer.singleShot(0, cancel)
            return
        dialogs[-1].canceled.emit()

    QTimer.singleShot(0, cancel)
    assert not view.compute()
    assert view.message.text().startswith("Cancelled")
    assert view.report is before
    QApplication.processEvents()


def test_blind_mode_refuses_the_agreement_window(qtbot: QtBot, tmp_path: Path) -> None:
    path = team_project(tmp_path)
    with Project.open(path) as project:
        project.coders.set_blind(True)
    window = open_window(qtbot, path)
    key(qtbot, window, "Ctrl+Shift+G")
    view = window.findChild(AgreementWindow)
    assert view is None or not view.isVisible()
    assert "Blind mode is on" in window.statusBar().currentMessage()


def test_ctrl_return_computes_again_and_esc_closes(qtbot: QtBot, tmp_path: Path) -> None:
    _window, view = open_agreement(qtbot, team_project(tmp_path))
    before = view.report
    view.label_list.setFocus()
    view.label_list.setCurrentIndex(view.labels.index(0, 0))
    press(qtbot, view, "Space")  # uncheck "claim"
    press(qtbot, view, "Ctrl+Return")
    assert view.report is not before and view.report is not None
    assert view.report.labels == ("demand", "actor", "allegation")
    press(qtbot, view, "Esc")
    assert not view.isVisible()
