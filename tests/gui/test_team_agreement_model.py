"""The learned model, held out, as a coder in the Agreement window (issue 17), by real
keys: its entry checked with Space and F5 trains the folds in the worker and gives the
figures a real coder layer with the same spans gives; Escape on the progress dialog
cancels the training; Enter on the model's span selects its text."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from annotator.core.agreement.report import agreement_report
from annotator.core.suggest.sample_corpus import generate
from annotator.store import Project
from annotator.store.queries.agreement_queries import MODEL_CODER, agreement_input, held_out_coder
from tests.gui.team_fixtures import press
from tests.gui.test_team_agreement import open_agreement, shown
from tests.store.test_model_agreement import figures, news_project


def test_checking_the_model_and_f5_gives_the_figures_of_a_coder_layer(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = news_project(tmp_path / "news.annot")
    window, view = open_agreement(qtbot, path)
    assert view.coders.names == ["Ana", "Ben", MODEL_CODER]
    assert view.coders.chosen() == ["Ana", "Ben"]  # the model is not checked at first
    press(qtbot, view, "Alt+O")  # the coder list
    assert view.coder_list.hasFocus()
    view.coder_list.setCurrentIndex(view.coders.index(0, 0))
    press(qtbot, view, "Down")
    press(qtbot, view, "Space")  # Ben off
    press(qtbot, view, "Down")
    press(qtbot, view, "Space")  # the held-out model on
    assert view.coders.chosen() == ["Ana", MODEL_CODER]
    press(qtbot, view, "F5")
    qtbot.waitUntil(lambda: view.report is not None and MODEL_CODER in view.report.coders)
    assert view.report is not None and view.report.coders == ("Ana", MODEL_CODER)
    # the reference: the same held-out spans as a real coder layer in a copy of the file
    copy = tmp_path / "reference.annot"
    shutil.copyfile(path, copy)
    with Project.open(copy) as project:
        model = held_out_coder(project)
        for doc, spans in model.spans.items():
            project.annotate_many(doc, [(s, e, k, None) for s, e, k in spans], annotator="Model")
        expected = agreement_report(
            agreement_input(
                project, coders=["Ana", "Model"], documents=[str(d) for d in model.spans]
            )
        )
    assert figures(view.report) == figures(expected)
    alpha = next(
        f
        for f in expected.figures
        if f.section == "characters" and f.label is None and f.document is None
    )
    assert alpha.agreement.value is not None
    assert f"{alpha.agreement.value:.3f}" in shown(view).values()
    assert "predicted by a model trained on the other folds (5 folds)" in view.summary.text()
    # Enter on a unit only the model marked: its text selected in the main window
    rows = view.disagreement_model.rows
    row = next(r for r, d in enumerate(rows) if d.missing == ("Ana",))
    d = rows[row]
    view.disagreements.setFocus()
    view.disagreements.setCurrentIndex(view.disagreement_model.index(row, 0))
    press(qtbot, view, "Return")
    assert window.document_id == d.document_id
    assert window.view.selected_range() == (d.start, d.end)


def test_escape_on_the_progress_dialog_cancels_the_training(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "big.annot"
    with Project.create(path, annotator="Ana") as project, project.transaction():
        for ex in generate(200):
            doc = project.add_document(ex.text, title=f"news {ex.key}")
            rows = [(s, e, k, None) for s, e, k in ex.spans]
            project.annotate_many(doc, rows)
            if ex.key <= 10:
                project.annotate_many(doc, rows, annotator="Ben")
    _window, view = open_agreement(qtbot, path)
    before = view.report
    view.coder_list.setFocus()
    view.coder_list.setCurrentIndex(view.coders.index(2, 0))
    assert view.coders.names == ["Ana", "Ben", MODEL_CODER]
    press(qtbot, view, "Space")
    seen: list[int] = []

    def cancel() -> None:  # as soon as the dialog shows (training under way): Escape on it
        dialogs = [d for d in view.findChildren(QProgressDialog) if d.objectName()]
        if not dialogs or not dialogs[-1].isVisible():
            QTimer.singleShot(20, cancel)
            return
        seen.append(dialogs[-1].value())
        qtbot.keyClick(dialogs[-1], Qt.Key.Key_Escape)

    QTimer.singleShot(0, cancel)
    press(qtbot, view, "F5")
    qtbot.waitUntil(lambda: view.message.text().startswith("Cancelled"), timeout=60000)
    assert seen and view.report is before
