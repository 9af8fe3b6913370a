"""The curation view carries the claim structure into the gold layer, keeps its
rejections in the file, relabels with any label (L) and follows the main window's
document: real windows, real keys, the curated layer read back from the file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from annotator.cli import main as cli_main
from annotator.gui.main_window import MainWindow
from annotator.gui.team.curation_view import CurationView
from annotator.gui.team.label_picker import LabelPicker
from annotator.store import Project
from annotator.store.team.curation_marks import SETTING
from tests.gui.helpers import key, open_window, when_modal
from tests.gui.team_fixtures import at, press, team_project

Layer = dict[str, object]


def claims_project(tmp_path: Path) -> Path:
    """The team project, with notes, attributes, actor links and relations on the spans.

    Ana: Senate -claimant-> budget cuts (position -1, issue "budget", note), Senate
    linked to the actor "Senate"; "tax reform" -addressee-> "The minister" (actor
    "Minister"). Ben: Senate -claimant-> budget cuts with position +1 (Ana is first
    in the lanes, so accepting all agreements takes hers).
    """
    path = team_project(tmp_path)
    with Project.open(path) as project:
        spans = {(a.annotator, a.text): a.id for a in project.annotations(1)}
        ana = {text: i for (coder, text), i in spans.items() if coder == "Ana"}
        ben = {text: i for (coder, text), i in spans.items() if coder == "Ben"}
        project.update_annotation(ana["budget cuts"], note="Ana: cuts rejected outright")
        project.set_attributes(ana["budget cuts"], {"position": "-1", "issue": "budget"})
        project.set_attributes(ben["budget cuts"], {"position": "+1"})
        project.link_actor(ana["Senate"], "Senate", "organisation")
        project.link_actor(ana["The minister"], "Minister", "person")
        project.relate(ana["Senate"], ana["budget cuts"], "claimant")
        project.relate(ben["Senate"], ben["budget cuts"], "claimant")
        project.relate(ana["tax reform"], ana["The minister"], "addressee")
    return path


def gold(path: Path, coder: str = "curation") -> Layer:
    """The curated layer in the file: spans, notes, attributes, actor links, relations."""
    with Project.open(path, read_only=True) as project:
        mine = {a.id: a for a in project.annotations(1) if a.annotator == coder}
        links = project.actor_links()
        names = {actor.id: actor.name for actor in project.actors()}
        return {
            "spans": sorted((a.text, a.label) for a in mine.values()),
            "notes": {a.text: a.note for a in mine.values() if a.note},
            "attributes": {
                mine[i].text: values for i, values in project.all_attributes(1).items() if i in mine
            },
            "actors": {mine[i].text: names[links[i]] for i in mine if i in links},
            "relations": sorted(
                (mine[r.from_id].text, r.type, mine[r.to_id].text)
                for r in project.relations(1)
                if r.from_id in mine or r.to_id in mine
            ),
        }


def open_curation(qtbot: QtBot, path: Path) -> tuple[MainWindow, CurationView]:
    window = open_window(qtbot, path)
    key(qtbot, window, "Ctrl+Shift+U")
    view = window.findChild(CurationView)
    assert view is not None and view.isVisible()
    qtbot.waitUntil(view.isActiveWindow)
    return window, view


def go_to(qtbot: QtBot, view: CurationView, row: int, column: int) -> None:
    """Move the cursor with the arrow keys, as a user would."""
    while view.table.currentIndex().column() < column:
        press(qtbot, view, "Right")
    while view.table.currentIndex().column() > column:
        press(qtbot, view, "Left")
    while view.table.currentIndex().row() < row:
        press(qtbot, view, "Down")
    while view.table.currentIndex().row() > row:
        press(qtbot, view, "Up")
    assert (view.table.currentIndex().row(), view.table.currentIndex().column()) == (row, column)


def test_accept_all_copies_note_attributes_actor_link_and_the_relation_in_one_step(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = claims_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    press(qtbot, view, "Ctrl+Shift+A")
    assert view.message.text() == (
        "Accepted 2 complete agreements with Ana's attributes and links; on 2 of them "
        "another coder's differ (see the preview)"
    )
    press(qtbot, view, "Right")  # "budget cuts": the preview lists what each one carries
    lines = view.preview.toPlainText().splitlines()[-3:]
    assert lines == [
        "Ana: claim 24–35 · issue budget · position -1 · claimant ← “Senate” · note “Ana: cuts "
        "rejected outright”",
        "Ben: claim 24–35 · position +1 · claimant ← “Senate”",
        "curation: claim 24–35 · issue budget · position -1 · claimant ← “Senate” · note “Ana: "
        "cuts rejected outright”",
    ]
    assert gold(path) == {
        "spans": [("Senate", "actor"), ("budget cuts", "claim")],
        "notes": {"budget cuts": "Ana: cuts rejected outright"},
        "attributes": {"budget cuts": {"issue": "budget", "position": "-1"}},
        "actors": {"Senate": "Senate"},
        "relations": [("Senate", "claimant", "budget cuts")],
    }
    assert view.session.undo_stack.count() == 1
    press(qtbot, view, "Ctrl+Z")
    assert gold(path) == {"spans": [], "notes": {}, "attributes": {}, "actors": {}, "relations": []}
    press(qtbot, view, "Ctrl+Shift+Z")
    assert gold(path)["relations"] == [("Senate", "claimant", "budget cuts")]
    assert gold(path)["attributes"] == {"budget cuts": {"issue": "budget", "position": "-1"}}
    with Project.open(path, read_only=True) as project:  # the coders' structure stays theirs
        assert len(project.relations(1)) == 4
        assert len(project.actor_links()) == 3


def test_a_relation_appears_when_its_second_end_is_accepted_and_goes_on_undo(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = claims_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    go_to(qtbot, view, 0, 3)  # Ana's "tax reform" (its addressee is not curated yet)
    press(qtbot, view, "Return")
    assert gold(path)["spans"] == [("tax reform", "demand")]
    assert gold(path)["relations"] == []
    go_to(qtbot, view, 0, 2)  # Ana's "The minister": now both ends are curated
    press(qtbot, view, "A")
    layer = gold(path)
    assert layer["relations"] == [("tax reform", "addressee", "The minister")]
    assert layer["actors"] == {"The minister": "Minister"}
    press(qtbot, view, "Ctrl+Z")  # the second accept: its copy and the relation go
    assert gold(path)["relations"] == []
    assert gold(path)["spans"] == [("tax reform", "demand")]
    press(qtbot, view, "Ctrl+Y")
    assert gold(path)["relations"] == [("tax reform", "addressee", "The minister")]


def test_a_relation_is_carried_to_a_span_accepted_before_the_window_was_closed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = claims_project(tmp_path)
    window, view = open_curation(qtbot, path)
    go_to(qtbot, view, 0, 2)  # Ana's "The minister" first
    press(qtbot, view, "Return")
    window.close()
    _window, view = open_curation(qtbot, path)  # a new session: the copy is found again
    go_to(qtbot, view, 0, 3)
    press(qtbot, view, "Return")
    assert gold(path)["relations"] == [("tax reform", "addressee", "The minister")]


def test_rejections_are_kept_in_the_file_and_undone(qtbot: QtBot, tmp_path: Path) -> None:
    path = claims_project(tmp_path)
    window, view = open_curation(qtbot, path)
    go_to(qtbot, view, 0, 3)
    press(qtbot, view, "R")  # reject "tax reform"
    with Project.open(path, read_only=True) as project:
        assert json.loads(project.setting(SETTING) or "{}") == {
            f"1:{project.document(1).sha256}": {"curation": [list(at("tax reform"))]}
        }
    window.close()

    window, view = open_curation(qtbot, path)  # reopened: the rejection is shown
    assert view.model.is_rejected(view.model.candidates[3])
    assert view.model.data(view.model.index(2, 3)) == "✗ rejected"
    assert "1 rejected" in view.summary.text()
    go_to(qtbot, view, 0, 3)
    press(qtbot, view, "Return")  # accepting it after all takes the mark away
    assert gold(path)["spans"] == [("tax reform", "demand")]
    assert not view.model.rejected
    press(qtbot, view, "Ctrl+Z")
    assert view.model.is_rejected(view.model.candidates[3])
    assert gold(path)["spans"] == []
    window.close()

    window, view = open_curation(qtbot, path)  # an undone rejection is gone from the file
    go_to(qtbot, view, 0, 0)
    press(qtbot, view, "R")
    press(qtbot, view, "Ctrl+Z")
    with Project.open(path, read_only=True) as project:
        marks = json.loads(project.setting(SETTING) or "{}")
        sha = project.document(1).sha256
    assert marks == {f"1:{sha}": {"curation": [list(at("tax reform"))]}}
    press(qtbot, view, "Ctrl+Y")  # redone: marked again
    with Project.open(path, read_only=True) as project:
        marks = json.loads(project.setting(SETTING) or "{}")
    assert marks == {f"1:{sha}": {"curation": [list(at("Senate")), list(at("tax reform"))]}}
    assert view.model.is_rejected(view.model.candidates[0])


def test_unreadable_rejection_marks_are_one_line_and_change_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = claims_project(tmp_path)
    with Project.open(path) as project:
        project.set_setting(SETTING, '{"1:abc": {"curation": [[1, "x"]]}}')
    window, view = open_curation(qtbot, path)
    assert view.message.text() == (
        "the curation view's rejection marks in team.annot are unreadable (setting "
        "'curation_rejections' is not the JSON it writes); nothing was changed"
    )
    press(qtbot, view, "R")
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and "unreadable" in box.text()
    box.close()
    assert view.session.undo_stack.count() == 0
    with Project.open(path, read_only=True) as project:
        assert project.setting(SETTING) == '{"1:abc": {"curation": [[1, "x"]]}}'


def test_l_relabels_the_curated_span_with_a_label_that_has_no_hotkey(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = claims_project(tmp_path)
    with Project.open(path) as project:
        assert project.ensure_labels(["source"]) == ["source"]  # a label with no hotkey
        assert next(x for x in project.labels() if x.key == "source").hotkey is None
    window, view = open_curation(qtbot, path)
    press(qtbot, view, "Return")  # accept "Senate"
    press(qtbot, view, "Left")

    def choose(dialog: object) -> None:
        assert isinstance(dialog, LabelPicker)
        qtbot.keyClicks(dialog.search, "sour")
        press(qtbot, dialog, "Return")

    when_modal(choose)
    press(qtbot, view, "L")
    assert gold(path)["spans"] == [("Senate", "source")]
    press(qtbot, view, "Ctrl+Z")
    assert gold(path)["spans"] == [("Senate", "actor")]

    def cancel(dialog: object) -> None:
        assert isinstance(dialog, LabelPicker)
        press(qtbot, dialog, "Down")
        press(qtbot, dialog, "Esc")

    when_modal(cancel)
    press(qtbot, view, "L")
    assert gold(path)["spans"] == [("Senate", "actor")]
    assert window.session.undo_stack.index() == 1


def test_the_view_follows_the_main_windows_document(qtbot: QtBot, tmp_path: Path) -> None:
    path = claims_project(tmp_path)
    with Project.open(path) as project:
        other = project.add_document("Ana and Ben read this too.", "Second").id
        project.annotate_many(other, [(0, 3, "actor", None)], annotator="Ana")
        project.annotate_many(other, [(8, 11, "actor", None)], annotator="Ben")
    window, view = open_curation(qtbot, path)
    assert view.document_id == 1

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.document_list.setFocus()
    press(qtbot, window, "Down")  # "Ana only": one coder, the view stays and says so
    qtbot.waitUntil(lambda: view.follow_note.isVisible())
    assert window.document_id == 2 and view.document_id == 1
    assert view.follow_note.text() == (
        "The main window shows “Ana only” (only Ana's spans): still curating “Senate vote”"
    )
    press(qtbot, window, "Down")  # "Second": two coders, the view curates it
    qtbot.waitUntil(lambda: view.document_id == other)
    assert not view.follow_note.isVisible()
    assert [view.text[c.start : c.end] for c in view.model.candidates] == ["Ana", "Ben"]
    assert "Second" in view.windowTitle()

    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    press(qtbot, view, "Ctrl+Shift+A")  # nothing agrees: a message, no step
    press(qtbot, view, "Return")
    assert gold_of(path, other) == [("Ana", "actor")]


def gold_of(path: Path, document: int) -> list[tuple[str, str]]:
    with Project.open(path, read_only=True) as project:
        return [
            (a.text, a.label) for a in project.annotations(document) if a.annotator == "curation"
        ]


def test_f6_curates_the_main_windows_document_once_it_has_two_coders(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = claims_project(tmp_path)
    window, view = open_curation(qtbot, path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.document_list.setFocus()
    press(qtbot, window, "Down")  # "Ana only"
    qtbot.waitUntil(lambda: view.follow_note.isVisible())
    # Ben's span arrives without the main window changing document (as through a script)
    window.session.require().annotate_many(2, [(5, 8, "actor", None)], annotator="Ben")
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    press(qtbot, view, "F6")
    assert view.document_id == 2
    assert not view.follow_note.isVisible()
    assert view.model.coders == ["Ana", "Ben"]
    assert "Ana only" in view.windowTitle()


def test_the_curated_claims_export_holds_claimants_addressees_and_attributes(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Curate by keys, close, then ``annotator export --format claims --coder curation``."""
    path = claims_project(tmp_path)
    window, view = open_curation(qtbot, path)
    press(qtbot, view, "Ctrl+Shift+A")  # Senate -claimant-> budget cuts
    go_to(qtbot, view, 0, 3)  # Ana's "tax reform", then her "The minister"
    press(qtbot, view, "Return")
    go_to(qtbot, view, 0, 2)
    press(qtbot, view, "Return")
    window.close()
    target = tmp_path / "claims.csv"
    argv = ["export", str(path), "--format", "claims", "--coder", "curation", "-o", str(target)]
    assert cli_main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    got = [
        {k: r[k] for k in ("text", "label", "claimant", "addressee", "position", "issue")}
        for r in rows
    ]
    assert got == [
        {
            "text": "budget cuts",
            "label": "claim",
            "claimant": "Senate",
            "addressee": "",
            "position": "-1",
            "issue": "budget",
        },
        {
            "text": "tax reform",
            "label": "demand",
            "claimant": "",
            "addressee": "Minister",
            "position": "",
            "issue": "",
        },
    ]


def test_taking_another_coders_equal_span_takes_its_attributes_and_keeps_the_relation(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = claims_project(tmp_path)
    _window, view = open_curation(qtbot, path)
    press(qtbot, view, "Ctrl+Shift+A")  # Ana's "budget cuts" (position -1) and "Senate"
    go_to(qtbot, view, 1, 1)  # Ben's "budget cuts": the same span, position +1
    press(qtbot, view, "Return")
    layer = gold(path)
    assert layer["attributes"] == {"budget cuts": {"position": "+1"}}
    assert layer["notes"] == {}
    # Ben's Senate is not curated, but the curated Senate equals it: the claimant stays
    assert layer["relations"] == [("Senate", "claimant", "budget cuts")]
    go_to(qtbot, view, 1, 1)
    press(qtbot, view, "Return")
    assert view.message.text() == "Already accepted"
    assert view.session.undo_stack.count() == 2
    press(qtbot, view, "Ctrl+Z")
    assert gold(path)["attributes"] == {"budget cuts": {"issue": "budget", "position": "-1"}}
    assert gold(path)["relations"] == [("Senate", "claimant", "budget cuts")]
