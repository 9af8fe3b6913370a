"""Team > Curate this document…: the real window, real keys, the curated layer read back
from the project file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from annotator.cli import main as cli_main
from annotator.core.agreement import span_f1
from annotator.core.agreement.units import CodedSpan
from annotator.core.curation import AGREE, CURATED_ONLY, DISAGREE, SOME, candidates
from annotator.gui.main_window import MainWindow
from annotator.gui.team.agreement_window import AgreementWindow
from annotator.gui.team.curation_view import CurationView
from annotator.store import Project
from annotator.store.team.merge import handout, merge_files
from tests.gui.helpers import key, open_window
from tests.gui.team_fixtures import ANA, BEN, TEXT, at, press, team_project


def curated(path: Path, coder: str = "curation") -> list[tuple[str, str]]:
    """The curated layer in the file: (text, label) in text order."""
    with Project.open(path, read_only=True) as project:
        return [(a.text, a.label) for a in project.annotations() if a.annotator == coder]


def open_curation(qtbot: QtBot, path: Path) -> tuple[MainWindow, CurationView]:
    window = open_window(qtbot, path)
    key(qtbot, window, "Ctrl+Shift+U")
    view = window.findChild(CurationView)
    assert view is not None and view.isVisible()
    qtbot.waitUntil(view.isActiveWindow)
    QAbstractItemModelTester(view.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return window, view


def cursor(view: CurationView) -> tuple[int, int]:
    index = view.table.currentIndex()
    return index.row(), index.column()


def test_lanes_show_each_coder_and_the_status_of_each_candidate(
    qtbot: QtBot, tmp_path: Path
) -> None:
    _window, view = open_curation(qtbot, team_project(tmp_path))
    model = view.model
    assert model.coders == ["Ana", "Ben"]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(3)] == [
        "Ana",
        "Ben",
        "curation (curated)",
    ]
    assert [c.status for c in model.candidates] == [AGREE, AGREE, DISAGREE, SOME, DISAGREE]
    assert [TEXT[c.start : c.end] for c in model.candidates] == [
        "Senate",
        "budget cuts",
        "The minister",
        "tax reform",
        "opposition leaders",
    ]
    # Ben did not mark "tax reform": his cell says so, and the header names the status
    assert model.data(model.index(1, 3)) == "—"
    assert "only some coders" in str(model.headerData(3, Qt.Orientation.Horizontal))
    assert str(model.data(model.index(0, 2))).startswith("actor ")
    assert str(model.data(model.index(1, 2))).startswith("allegation ")
    assert "5 candidates" in view.summary.text()


def test_keys_accept_all_agreements_accept_reject_edit_and_undo(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    assert cursor(view) == (0, 0)

    press(qtbot, view, "Ctrl+Shift+A")
    assert curated(path) == [("Senate", "actor"), ("budget cuts", "claim")]
    press(qtbot, view, "Ctrl+Z")
    assert curated(path) == []
    press(qtbot, view, "Ctrl+Shift+Z")
    assert curated(path) == [("Senate", "actor"), ("budget cuts", "claim")]
    press(qtbot, view, "Ctrl+Shift+A")  # nothing left: no step, a message
    assert "No complete agreement" in view.message.text()
    assert view.session.undo_stack.count() == 1

    press(qtbot, view, "Right")
    press(qtbot, view, "Tab")
    press(qtbot, view, "Down")
    assert cursor(view) == (1, 2)  # Ben's lane, "The minister"
    press(qtbot, view, "Return")  # accept Ben's allegation; the cursor goes on
    assert curated(path)[-1] == ("The minister", "allegation")
    assert cursor(view) == (1, 3)
    press(qtbot, view, "R")  # reject "tax reform" (only Ana marked it)
    assert ("tax reform", "demand") not in curated(path)
    assert view.model.is_rejected(view.model.candidates[3])
    assert cursor(view) == (1, 4)
    press(qtbot, view, "Up")
    press(qtbot, view, "A")  # accept Ana's "opposition leaders"
    assert curated(path)[-1] == ("opposition leaders", "actor")
    assert cursor(view) == (0, 4)  # the last candidate: the cursor stays
    press(qtbot, view, "Alt+Left")  # the main window's key: narrow the end by a word
    press(qtbot, view, "2")  # relabel: the codebook's hotkey of "demand"
    assert curated(path) == [
        ("Senate", "actor"),
        ("budget cuts", "claim"),
        ("The minister", "allegation"),
        ("opposition", "demand"),
    ]
    with Project.open(path, read_only=True) as project:  # the coders' layers are untouched
        layers = {
            coder: sorted(
                (a.start, a.end, a.label) for a in project.annotations(1) if a.annotator == coder
            )
            for coder in ("Ana", "Ben")
        }
    assert layers == {"Ana": sorted(ANA), "Ben": sorted(BEN)}

    for _ in range(3):  # relabel, resize, accept
        press(qtbot, view, "Ctrl+Z")
    assert curated(path) == [
        ("Senate", "actor"),
        ("budget cuts", "claim"),
        ("The minister", "allegation"),
    ]
    assert view.model.is_rejected(view.model.candidates[3])
    press(qtbot, view, "Ctrl+Z")  # the rejection
    assert not view.model.rejected
    press(qtbot, view, "Ctrl+Z")
    press(qtbot, view, "Ctrl+Z")
    assert curated(path) == []
    assert view.session.undo_stack.index() == 0


def test_reject_removes_the_curated_span_and_delete_rejects_too(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    press(qtbot, view, "Return")  # accept Ana's "Senate"
    press(qtbot, view, "Left")
    press(qtbot, view, "Del")
    assert curated(path) == []
    assert "1 rejected" in view.summary.text()
    press(qtbot, view, "Ctrl+Z")
    assert curated(path) == [("Senate", "actor")]


def test_enter_on_the_curated_lane_or_a_missing_span_explains_and_changes_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    press(qtbot, view, "Down")
    press(qtbot, view, "Down")
    press(qtbot, view, "Return")
    assert "curated layer" in view.message.text()
    for _ in range(3):
        press(qtbot, view, "Right")
    press(qtbot, view, "Up")  # Ben, "tax reform": he did not mark it
    press(qtbot, view, "A")
    assert view.message.text() == "Ben did not mark this candidate"
    assert curated(path) == []
    assert view.session.undo_stack.count() == 0


def test_double_click_accepts_the_span_of_that_lane(qtbot: QtBot, tmp_path: Path) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    rect = view.table.visualRect(view.model.index(1, 2))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert curated(path) == [("The minister", "allegation")]


def test_n_goes_to_the_next_undecided_candidate(qtbot: QtBot, tmp_path: Path) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    press(qtbot, view, "Ctrl+Shift+A")
    press(qtbot, view, "N")
    assert cursor(view) == (0, 2)


def test_another_curator_name_makes_another_layer(qtbot: QtBot, tmp_path: Path) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    view.curator_edit.setFocus()
    view.curator_edit.selectAll()
    qtbot.keyClicks(view.curator_edit, "gold")
    press(qtbot, view, "Tab")  # editing finished: the lanes are rebuilt for "gold"
    assert view.model.headerData(2, Qt.Orientation.Vertical) == "gold (curated)"
    view.table.setFocus()
    press(qtbot, view, "Ctrl+Shift+A")
    assert curated(path, "gold") == [("Senate", "actor"), ("budget cuts", "claim")]
    assert curated(path) == []


def test_a_document_of_one_coder_is_refused_in_one_line(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, team_project(tmp_path))
    window.show_document(2)  # only Ana coded it
    key(qtbot, window, "Ctrl+Shift+U")
    assert window.findChild(CurationView) is None or not window.findChild(CurationView).isVisible()
    assert "only Ana's" in window.statusBar().currentMessage()


def test_blind_mode_refuses_the_curation_view(qtbot: QtBot, tmp_path: Path) -> None:
    path = team_project(tmp_path)
    with Project.open(path) as project:
        project.coders.set_blind(True)
    window = open_window(qtbot, path)
    key(qtbot, window, "Ctrl+Shift+U")
    view = window.findChild(CurationView)
    assert view is None or not view.isVisible()
    assert "Blind mode is on" in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("curated_span", "status"),
    [((*at("Senate"), "actor"), AGREE), ((*at("Monday"), "claim"), CURATED_ONLY)],
)
def test_a_curated_span_belongs_to_the_candidate_it_overlaps(
    curated_span: tuple[int, int, str], status: str
) -> None:
    spans = [CodedSpan(i + 1, 1, a, b, k, "Ana") for i, (a, b, k) in enumerate(ANA_SPANS)]
    spans += [CodedSpan(i + 10, 1, a, b, k, "Ben") for i, (a, b, k) in enumerate(BEN_SPANS)]
    spans.append(CodedSpan(99, 1, *curated_span, "curation"))
    found = candidates(spans, ["Ana", "Ben"], "curation")
    owner = next(c for c in found if any(s.id == 99 for s in c.curated))
    assert owner.status == status
    assert sum(len(c.curated) for c in found) == 1


ANA_SPANS = [(*at("Senate"), "actor"), (*at("tax reform"), "demand")]
BEN_SPANS = [(*at("Senate"), "actor")]


@pytest.mark.parametrize("name", ["Ana", "   "])
def test_a_curator_name_that_is_a_coder_or_empty_is_one_line(
    qtbot: QtBot, tmp_path: Path, name: str
) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    view.curator_edit.setFocus()
    view.curator_edit.selectAll()
    qtbot.keyClicks(view.curator_edit, name)
    press(qtbot, view, "Return")
    assert view.curator_edit.text() == "curation"
    assert view.message.text() in (
        "'Ana' is one of the coders being curated: choose another name for the curated layer",
        "the curated layer needs a coder name (for example 'curation')",
    )
    view.table.setFocus()
    press(qtbot, view, "Ctrl+Shift+A")
    assert curated(path) == [("Senate", "actor"), ("budget cuts", "claim")]


def test_the_other_resize_keys_backspace_ctrl_y_and_esc(qtbot: QtBot, tmp_path: Path) -> None:
    path = team_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    for _ in range(4):
        press(qtbot, view, "Tab")
    press(qtbot, view, "Shift+Tab")
    press(qtbot, view, "Tab")
    assert cursor(view) == (0, 4)
    press(qtbot, view, "A")  # "opposition leaders"
    press(qtbot, view, "Alt+Down")  # narrow the start: "leaders"
    assert curated(path) == [("leaders", "actor")]
    press(qtbot, view, "Alt+Up")  # widen the start again
    press(qtbot, view, "Alt+Right")  # widen the end: "opposition leaders protested"
    assert curated(path) == [("opposition leaders protested", "actor")]
    press(qtbot, view, "Backspace")  # reject
    assert curated(path) == []
    press(qtbot, view, "Ctrl+Z")
    press(qtbot, view, "Ctrl+Z")
    assert curated(path) == [("opposition leaders", "actor")]
    press(qtbot, view, "Ctrl+Y")
    assert curated(path) == [("opposition leaders protested", "actor")]
    press(qtbot, view, "Esc")
    assert not view.isVisible()


def test_two_coders_files_merged_then_agreement_curation_undo_and_the_curated_export(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The issue's end to end: hand out, code, merge; agree; curate by key; undo; export."""
    lead = tmp_path / "study.annot"
    with Project.create(lead, annotator="Cem") as project:
        project.add_document(TEXT, "Senate vote")
        folder = tmp_path / "out"
        folder.mkdir()
        files = handout(project, ["Ana", "Ben"], folder)
    for file, spans in zip(files, (ANA, BEN), strict=True):
        with Project.open(file) as coder_file:  # each coder codes blind in their own file
            coder_file.annotate_many(1, [(a, b, k, None) for a, b, k in spans])
    with Project.open(lead) as project:
        merge_files(project, files)

    window = open_window(qtbot, lead)
    key(qtbot, window, "Ctrl+Shift+G")
    agreement = window.findChild(AgreementWindow)
    assert agreement is not None
    qtbot.waitUntil(lambda: agreement.report is not None)
    model = agreement.figure_model
    f1 = next(
        model.data(model.index(r, 5))
        for r in range(model.rowCount())
        if model.figures[r].section == "spans-exact"
        and model.figures[r].label is None
        and model.figures[r].agreement.measure == "F1"
    )
    assert f1 == f"{span_f1(ANA, BEN, 'exact').f1.value:.3f}"
    press(qtbot, agreement, "Esc")

    window.activateWindow()
    key(qtbot, window, "Ctrl+Shift+U")
    view = window.findChild(CurationView)
    assert view is not None
    qtbot.waitUntil(view.isActiveWindow)
    press(qtbot, view, "Ctrl+Shift+A")
    press(qtbot, view, "Ctrl+Z")
    assert curated(lead) == []
    press(qtbot, view, "Ctrl+Shift+Z")
    press(qtbot, view, "N")  # "The minister": take Ben's label
    press(qtbot, view, "Down")
    press(qtbot, view, "Return")
    window.close()  # the file alone holds the curated layer

    target = tmp_path / "curated.csv"
    assert (
        cli_main(["export", str(lead), "--format", "csv", "--coder", "curation", "-o", str(target)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    assert [
        (int(r["start"]), int(r["end"]), r["text"], r["label"], r["annotator"]) for r in rows
    ] == [
        (*at("Senate"), "Senate", "actor", "curation"),
        (*at("budget cuts"), "budget cuts", "claim", "curation"),
        (*at("The minister"), "The minister", "allegation", "curation"),
    ]


def test_closing_the_project_closes_the_view(qtbot: QtBot, tmp_path: Path) -> None:
    window, view = open_curation(qtbot, team_project(tmp_path))
    press(qtbot, view, "R")
    assert view.model.rejected
    window.activateWindow()
    key(qtbot, window, "Ctrl+Shift+W")  # File > Close project
    assert not view.isVisible()
    assert view.document_id is None
