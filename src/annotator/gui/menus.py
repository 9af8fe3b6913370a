"""The main window's menus and their keys (built once; the window only calls this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from annotator.gui.actions import add_action
from annotator.gui.codebook.install import add_codebook_editor, add_export_codebook
from annotator.gui.dialogs import AboutDialog
from annotator.gui.editing.label_menu import LabelActions
from annotator.gui.files.web_import import add_web_import
from annotator.gui.marks import install as install_marks
from annotator.gui.network.install import add_network_view
from annotator.gui.panels.docks import add_dock_entries
from annotator.gui.start.install import add_study_actions, start_new_project
from annotator.gui.team.menu import build_team_menu
from annotator.gui.team.review import add_review_actions
from annotator.gui.view.view_reading import ReadingActions

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def build_menus(window: MainWindow) -> None:
    """File, Edit, Annotate, View, Team and Help, with every action's keys."""
    bar = window.menuBar()
    f = bar.addMenu(tr("&File"))
    std = QKeySequence.StandardKey
    add_action(window, f, tr("&New project…"), lambda: start_new_project(window), std.New)
    add_action(window, f, tr("&Open project…"), window.files.open_dialog, std.Open)
    window.recent_menu = f.addMenu(tr("Open &recent"))
    window.recent_menu.aboutToShow.connect(window.files.fill_recent_menu)
    f.addSeparator()
    file_start = len(window.actions())
    window.import_action = add_action(
        window, f, tr("&Import documents…"), window.files.import_dialog, "Ctrl+I"
    )
    add_web_import(window, f)  # File > Import from web address (gui/files/web_import.py)
    window.export_action = add_action(
        window, f, tr("&Export…"), window.files.export_dialog, "Ctrl+E"
    )
    window.report_action = add_action(
        window, f, tr("Repor&t of this document…"), window.show_report, "Ctrl+Shift+P"
    )
    window.save_as_action = add_action(
        window, f, tr("Save a &copy as…"), window.files.save_as, std.SaveAs
    )
    add_action(window, f, tr("Restore a bac&kup…"), window.files.restore_dialog)
    window.close_action = add_action(
        window, f, tr("C&lose project"), window.close_project, "Ctrl+Shift+W"
    )
    add_export_codebook(window, f)  # gui/codebook/install.py
    needs_project(window.actions()[file_start:])
    f.addSeparator()
    add_action(window, f, tr("&Quit"), window.close, std.Quit)

    e = bar.addMenu(tr("&Edit"))
    undo = window.session.undo_stack.createUndoAction(window, tr("&Undo"))
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo = window.session.undo_stack.createRedoAction(window, tr("&Redo"))
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    undo.setObjectName("action-undo")
    redo.setObjectName("action-redo")
    for action in (undo, redo):
        e.addAction(action)
        window.addAction(action)
    e.addSeparator()
    edit_start = len(window.actions())
    add_action(window, e, tr("&Find…"), window.open_find, std.Find)
    add_action(window, e, tr("Search &corpus…"), window.open_corpus_search, "Ctrl+Shift+F")
    add_action(window, e, tr("Find &next"), lambda: window.step_hit(1), std.FindNext)
    add_action(window, e, tr("Find &previous"), lambda: window.step_hit(-1), std.FindPrevious)
    e.addSeparator()
    add_action(
        window,
        e,
        tr("&Delete annotation (or document in the list)"),
        window.edits.delete,
        ["Del", "Backspace"],
    )
    add_action(window, e, tr("Edit no&te…"), window.edits.edit_note, "F2")
    add_action(
        window, e, tr("Widen end by a word"), lambda: window.edits.resize("end", +1), "Alt+Right"
    )
    add_action(
        window, e, tr("Narrow end by a word"), lambda: window.edits.resize("end", -1), "Alt+Left"
    )
    add_action(
        window,
        e,
        tr("Widen start by a word"),
        lambda: window.edits.resize("start", +1),
        "Alt+Up",  # Alt+Shift+arrows switch keyboard layouts on Linux and Windows
    )
    add_action(
        window,
        e,
        tr("Narrow start by a word"),
        lambda: window.edits.resize("start", -1),
        "Alt+Down",
    )
    add_action(window, e, tr("Next annotation"), lambda: window.edits.step(1), "Ctrl+.")
    add_action(window, e, tr("Previous annotation"), lambda: window.edits.step(-1), "Ctrl+,")
    add_action(window, e, tr("Clear selection"), lambda: window.select_annotation(None), None)
    add_action(
        window,
        e,
        tr("&Link selected annotation to…"),
        window.structure_panel.start_linking,
        "Ctrl+L",
    )
    add_codebook_editor(window, e)  # gui/codebook/install.py
    needs_project(window.actions()[edit_start:])

    window.annotate_menu = bar.addMenu(tr("&Annotate"))
    window.snap_action = QAction(tr("&Snap selections to whole words"), window)
    window.snap_action.setCheckable(True)
    window.snap_action.setChecked(window.settings.snap_to_words)
    window.snap_action.toggled.connect(window._set_snap)
    palette, dock = window.palette_widget, window.docks["labels"]
    tail = [window.snap_action]
    window.label_menu = LabelActions(
        window, window.annotate_menu, palette, dock, window.apply_label, tail
    )

    v = bar.addMenu(tr("&View"))
    add_action(
        window, v, tr("Zoom &in"), lambda: window.font_options.zoom(+1), ["Ctrl++", "Ctrl+="]
    )
    add_action(window, v, tr("Zoom &out"), lambda: window.font_options.zoom(-1), "Ctrl+-")
    add_action(window, v, tr("&Reset zoom"), lambda: window.font_options.zoom(0), "Ctrl+0")
    add_action(window, v, tr("&Font…"), window.font_options.choose, None)
    ReadingActions(window, v)  # paragraph spacing, line width (gui/view/view_reading.py)
    install_marks(window, v)  # label tags, coding stripes, link arcs (gui/marks)
    add_study_actions(window, e, v)  # preferences, analysis, start page (gui/start)
    add_network_view(window, v)  # View > Network… (gui/network)
    v.addSeparator()
    add_dock_entries(window, v)  # gui/panels/docks.py
    add_action(
        window, v, tr("Focus document list"), lambda: window.document_list.setFocus(), "Alt+1"
    )
    add_action(window, v, tr("Focus text"), lambda: window.view.setFocus(), "Alt+2")
    add_action(window, v, tr("Focus annotation table"), lambda: window.table.setFocus(), "Alt+3")

    window.team_menu = build_team_menu(window)
    add_review_actions(window, window.team_menu)
    h = bar.addMenu(tr("&Help"))
    add_action(window, h, tr("&Keyboard shortcuts"), window.show_shortcuts, "F1")
    add_action(window, h, tr("&About Annotator"), lambda: AboutDialog(window).exec(), None)


def needs_project(actions: list[QAction]) -> None:
    """Mark *actions* as working only with an open project (see project_actions)."""
    for action in actions:
        action.setProperty("needsProject", True)


def project_actions(window: MainWindow) -> list[QAction]:
    """The window's actions that need an open project: disabled while none is open."""
    return [a for a in window.actions() if a.property("needsProject")]
