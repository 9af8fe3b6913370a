"""The learned model as a coder in the Agreement window (issue 17), by real keys: its
entry checked with Space and F5 gives the figures a real coder layer with the same spans
gives; Enter on a disagreement of the model goes to its suggestion in the text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.agreement.report import agreement_report
from annotator.store import Project
from annotator.store.queries.agreement_queries import MODEL_CODER, agreement_input
from tests.gui.team_fixtures import TEXT, at, press
from tests.gui.test_team_agreement import open_agreement, shown
from tests.store.test_suggestion_agreement import figures, reference, with_suggestions

MODEL = "suggestions: learned"


def test_checking_the_model_and_f5_gives_the_alpha_of_a_coder_layer(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = with_suggestions(tmp_path)
    window, view = open_agreement(qtbot, path)
    assert view.coders.names == ["Ana", "Ben", MODEL, "suggestions: like-before", MODEL_CODER]
    assert view.coders.chosen() == ["Ana", "Ben"]  # the models are not checked at first
    assert view.report is not None and view.report.coders == ("Ana", "Ben")
    press(qtbot, view, "Alt+O")  # the coder list
    assert view.coder_list.hasFocus()
    view.coder_list.setCurrentIndex(view.coders.index(0, 0))
    press(qtbot, view, "Down")
    press(qtbot, view, "Space")  # Ben off
    press(qtbot, view, "Down")
    press(qtbot, view, "Space")  # the learned model on
    assert view.coders.chosen() == ["Ana", MODEL]
    press(qtbot, view, "F5")
    qtbot.waitUntil(lambda: view.report is not None and MODEL in view.report.coders)
    assert view.report is not None and view.report.coders == ("Ana", MODEL)
    with Project.open(reference(tmp_path, path), read_only=True) as project:
        expected = agreement_report(
            agreement_input(project, coders=["Ana", "Model"], documents=["1"])
        )
    assert figures(view.report) == figures(expected)
    alpha = next(
        f
        for f in expected.figures
        if f.section == "characters" and f.label is None and f.document is None
    )
    assert alpha.agreement.value is not None
    cells = shown(view)
    assert f"{alpha.agreement.value:.3f}" in cells.values()
    assert "compared on the 1 document(s) they were made for" in view.summary.text()
    # Enter on a unit only the model marked: its suggestion, in the text, under the cursor
    model = view.disagreement_model
    monday = at("Monday")
    row = next(r for r, d in enumerate(model.rows) if (d.start, d.end) == monday)
    view.disagreements.setFocus()
    view.disagreements.setCurrentIndex(model.index(row, 0))
    press(qtbot, view, "Return")
    layer = window.suggestions.layer
    x = layer.under_cursor()
    assert window.document_id == 1 and x is not None
    assert (x.start, x.end, x.label, x.source) == (*monday, "actor", "learned")
    assert TEXT[x.start : x.end] == "Monday"
    # two sources at once: one line, the figures kept
    before = view.report
    view.coder_list.setFocus()
    view.coder_list.setCurrentIndex(view.coders.index(3, 0))
    press(qtbot, view, "Space")
    press(qtbot, view, "F5")
    assert view.message.text() == "Check one suggestion source at a time"
    assert view.report is before


def test_without_stored_suggestions_the_list_is_the_coders(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.gui.team_fixtures import team_project

    _window, view = open_agreement(qtbot, team_project(tmp_path))
    assert view.coders.names == ["Ana", "Ben", MODEL_CODER]  # and the held-out model
    assert (
        view.coder_list.model().data(view.coders.index(0, 0), Qt.ItemDataRole.DisplayRole) == "Ana"
    )
