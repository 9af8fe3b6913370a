"""File > Merge coder files… in the real window: two coders' handed-out files merged,
the report shown, one undo step, merging twice changes nothing, conflicts shown."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.core.codebook import Codebook, default_codebook
from annotator.gui.main_window import MainWindow
from annotator.gui.team.label_map_dialog import LabelMapDialog
from annotator.gui.team.merge_dialog import MergeReportDialog, PickCoderFiles
from annotator.store import Project
from annotator.store.team.merge import handout
from tests.gui import helpers
from tests.gui.helpers import key, open_window, settle

TEXT = "The Senate rejected the budget cuts on Monday. The minister promised a tax reform."
OTHER = "Opposition leaders protested in front of the parliament."


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    i = text.index(word)
    return i, i + len(word)


@pytest.fixture
def handed_out(tmp_path: Path) -> tuple[Path, list[Path]]:
    """The lead's project and Ana's and Ben's coded copies of it."""
    lead = tmp_path / "study.annot"
    with Project.create(lead, annotator="Lead") as project:
        project.add_document(TEXT, "Senate vote")
        project.add_document(OTHER, "Protest")
        folder = tmp_path / "out"
        folder.mkdir()
        files = handout(project, ["Ana", "Ben"], folder)
    spans = {
        "Ana": [(*at("Senate"), "actor", None), (*at("budget cuts"), "claim", None)],
        "Ben": [(*at("Senate"), "actor", None), (*at("tax reform"), "demand", "unsure")],
    }
    for path, coder in zip(files, ("Ana", "Ben"), strict=True):
        with Project.open(path) as copy:
            assert copy.coders.current() == coder and copy.coders.blind
            made = copy.annotate_many(1, spans[coder])
            copy.relate(made[0].id, made[1].id, "claimant")
    return lead, files


def when_modal(kind: type[QWidget], act: Callable[[QWidget], None]) -> list[str]:
    """Once a modal *kind* is open, note what it shows (the report's summary and text,
    else the dialog's class), then run *act* on it (as a user)."""
    seen: list[str] = []

    def note_then_act(dialog: QWidget) -> None:
        if isinstance(dialog, MergeReportDialog):
            seen.append(dialog.findChild(QWidget, "mergeSummary").text())  # type: ignore[union-attr]
            seen.append(dialog.text.toPlainText())
        else:
            seen.append(type(dialog).__name__)
        act(dialog)

    helpers.when_modal(note_then_act, kind)
    return seen


def close(qtbot: QtBot) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    return act


def merge_picked(qtbot: QtBot, window: MainWindow, files: list[Path]) -> list[str]:
    """Merge *files* as the picker hands them on (the picker itself, with Ctrl+Shift+M,
    is pressed in the first test: Qt's file dialog now and then keeps the Return that
    accepts it when many windows ran before, and the test hung)."""
    report = when_modal(MergeReportDialog, close(qtbot))
    QTimer.singleShot(0, lambda: window.merge.merge_paths(files))
    qtbot.waitUntil(lambda: len(report) == 2, timeout=60_000)
    settle()
    return report


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def annotations(path: Path) -> list[tuple[object, ...]]:
    return rows(
        path,
        'SELECT annotator, document_id, start, "end", note, uuid FROM annotations '
        "ORDER BY annotator, start",
    )


def layer_ids(window: MainWindow, coder: str) -> set[int]:
    return {s.id for s in window.view.layers.get(coder, [])}


def ids_of(path: Path, coder: str) -> set[int]:
    return {
        int(r[0]) for r in rows(path, "SELECT id FROM annotations WHERE annotator = ?", (coder,))
    }


def test_two_coders_files_merged_by_keys_shown_as_layers_and_undone_in_one_step(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]]
) -> None:
    lead, files = handed_out
    window = open_window(qtbot, lead)
    summary, text = merge_picked(qtbot, window, files)

    assert (
        summary == "4 annotations added, 0 already present; 0 conflicts (Ctrl+Z undoes the merge)"
    )
    assert text.splitlines() == [
        "study-Ana.annot: 2 documents matched, 0 added; 2 annotations added, 0 already "
        "present; 0 attributes, 1 link, 0 actor links, 0 document variables; coders: Ana",
        "study-Ben.annot: 2 documents matched, 0 added; 2 annotations added, 0 already "
        "present; 0 attributes, 1 link, 0 actor links, 0 document variables; coders: Ben",
    ]
    merged = annotations(lead)
    assert [(r[0], r[2], r[3], r[4]) for r in merged] == [
        ("Ana", *at("Senate"), None),
        ("Ana", *at("budget cuts"), None),
        ("Ben", *at("Senate"), None),
        ("Ben", *at("tax reform"), "unsure"),
    ]
    assert rows(lead, "SELECT count(*) FROM relations") == [(2,)]
    # the window shows the merged layers: Lead's own is empty, Ana's and Ben's apart
    assert list(window.view.index) == []
    assert layer_ids(window, "Ana") == ids_of(lead, "Ana")
    assert layer_ids(window, "Ben") == ids_of(lead, "Ben")
    assert window.table_model.rowCount() == 4
    assert window.coders.names == ["Ana", "Ben", "Lead"]
    assert window.session.undo_stack.undoText() == "Merge 2 files"

    key(qtbot, window, "Ctrl+Z")
    assert annotations(lead) == []
    assert rows(lead, "SELECT count(*) FROM relations") == [(0,)]
    assert window.view.layers.get("Ana") is None or layer_ids(window, "Ana") == set()
    assert window.table_model.rowCount() == 0

    key(qtbot, window, "Ctrl+Shift+Z")
    assert annotations(lead) == merged  # the same rows, UUIDs and all
    assert layer_ids(window, "Ben") == ids_of(lead, "Ben")
    assert window.table_model.rowCount() == 4


def test_merging_the_same_files_twice_changes_nothing(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]]
) -> None:
    lead, files = handed_out
    window = open_window(qtbot, lead)
    merge_picked(qtbot, window, files)
    once = annotations(lead)
    summary, _text = merge_picked(qtbot, window, files)
    assert summary.startswith("0 annotations added, 4 already present; 0 conflicts")
    assert annotations(lead) == once
    assert rows(lead, "SELECT count(*) FROM documents") == [(2,)]


def test_a_document_whose_title_matches_but_text_differs_is_shown_as_a_conflict(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    lead, _files = handed_out
    stranger = tmp_path / "out" / "stranger.annot"
    with Project.create(stranger, annotator="Cem") as project:
        doc = project.add_document(TEXT.replace("Monday", "Tuesday"), "Senate vote")
        project.annotate_many(doc, [(*at("Senate"), "actor", None)])
    window = open_window(qtbot, lead)
    summary, text = merge_picked(qtbot, window, [stranger])
    assert summary == "1 annotation added, 0 already present; 1 conflict (Ctrl+Z undoes the merge)"
    assert text.splitlines() == [
        "stranger.annot: 0 documents matched, 1 added; 1 annotation added, 0 already present; "
        "0 attributes, 0 links, 0 actor links, 0 document variables; coders: Cem",
        "",
        "Conflicts:",
        "stranger.annot: document 'Senate vote' has the title of document 1 here but another "
        "text; it was added as document 3, not aligned",
    ]
    assert window.documents.rowCount() == 3

    key(qtbot, window, "Ctrl+Z")  # the added document goes too
    assert rows(lead, "SELECT id FROM documents ORDER BY id") == [(1,), (2,)]
    assert annotations(lead) == []
    assert window.documents.rowCount() == 2


def _odd_coder_file(tmp_path: Path) -> Path:
    """A coder's file whose 'claim' has another name (another definition)."""
    base = default_codebook()
    labels = tuple(
        dataclasses.replace(lab, name="Assertion") if lab.key == "claim" else lab
        for lab in base.labels
    )
    odd = tmp_path / "out" / "odd.annot"
    with Project.create(odd, Codebook(base.name, labels), annotator="Dee") as project:
        project.annotate_many(project.add_document(TEXT, "Senate vote"), [(0, 3, "claim", None)])
    return odd


def test_a_codebook_conflict_asks_for_a_mapping_and_esc_changes_nothing(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    lead, files = handed_out
    odd = _odd_coder_file(tmp_path)
    window = open_window(qtbot, lead)
    asked: list[list[str]] = []

    asked.append(when_modal(LabelMapDialog, close(qtbot)))
    QTimer.singleShot(0, lambda: window.merge.merge_paths([files[0], odd]))
    qtbot.waitUntil(lambda: bool(asked) and bool(asked[0]), timeout=20_000)
    settle()
    assert asked == [["LabelMapDialog"]]
    assert annotations(lead) == []
    assert window.session.undo_stack.count() == 0


def test_a_conflicting_label_mapped_in_the_window_is_merged_into_that_label(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    lead, _files = handed_out
    odd = _odd_coder_file(tmp_path)
    window = open_window(qtbot, lead)
    report: list[list[str]] = []

    def map_to_demand(dialog: QWidget) -> None:
        assert isinstance(dialog, LabelMapDialog)
        combo = dialog.findChild(QComboBox, "mapLabel-claim")
        assert combo is not None and combo.currentData() == "claim"
        combo.setFocus()
        while combo.currentData() != "demand":
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        report.append(when_modal(MergeReportDialog, close(qtbot)))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    helpers.when_modal(map_to_demand, LabelMapDialog)
    QTimer.singleShot(0, lambda: window.merge.merge_paths([odd]))
    qtbot.waitUntil(lambda: bool(report) and len(report[0]) == 2, timeout=60_000)
    settle()
    assert rows(lead, "SELECT l.key FROM annotations a JOIN labels l ON l.id = a.label_id") == [
        ("demand",)
    ]
    key(qtbot, window, "Ctrl+Z")
    assert annotations(lead) == []
    key(qtbot, window, "Ctrl+Shift+Z")  # redo maps the same way
    assert rows(lead, "SELECT l.key FROM annotations a JOIN labels l ON l.id = a.label_id") == [
        ("demand",)
    ]


def test_ctrl_shift_m_asks_for_the_coders_files_and_esc_changes_nothing(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]]
) -> None:
    lead, _files = handed_out
    window = open_window(qtbot, lead)
    picked = when_modal(PickCoderFiles, close(qtbot))
    key(qtbot, window, "Ctrl+Shift+M")
    assert picked == ["PickCoderFiles"]
    assert annotations(lead) == [] and window.session.undo_stack.count() == 0


def test_merge_is_in_the_file_menu_and_the_team_menu(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]]
) -> None:
    window = open_window(qtbot, handed_out[0])
    action = window.merge.action
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()  # type: ignore[union-attr]
    assert action in window.team_menu.actions()
    assert action.text() == "&Merge coder files…"
    assert action.shortcut().toString() == "Ctrl+Shift+M"


@pytest.mark.parametrize("which", ["not a project", "the open project"])
def test_a_file_that_cannot_be_merged_is_one_line_and_changes_nothing(
    qtbot: QtBot, handed_out: tuple[Path, list[Path]], tmp_path: Path, which: str
) -> None:
    lead, _files = handed_out
    if which == "not a project":
        bad = tmp_path / "out" / "notes.annot"
        bad.write_text("just some notes\n", encoding="utf-8")
    else:
        bad = lead
    window = open_window(qtbot, lead)
    QTimer.singleShot(0, lambda: window.merge.merge_paths([bad]))
    qtbot.waitUntil(lambda: window.findChild(QWidget, "errorBox") is not None, timeout=20_000)
    message = window.findChild(QWidget, "errorBox").text()  # type: ignore[union-attr]
    assert "\n" not in message and "Traceback" not in message
    assert str(bad.name) in message
    assert annotations(lead) == []
    assert rows(lead, "SELECT count(*) FROM documents") == [(2,)]
    assert window.session.undo_stack.count() == 0
    box = window.findChild(QWidget, "errorBox")
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_Return)  # read, as a user would, and closed
    settle()
