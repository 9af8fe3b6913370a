"""Marks beside the text: coding stripes and label tags in a left margin, link arcs
in a right one (issue 13). :func:`install` puts them on the window's view and adds
View > Label tags, View > Coding stripes and View > Link arcs; with them the note
field of the Annotation panel and Annotate > Document memo… / Project memo…."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QMenu

from annotator.core.errors import InputError
from annotator.gui.actions import add_action
from annotator.gui.marks.arcs import NARROW_ARC_WIDTH, ArcMargin
from annotator.gui.marks.memos import (
    DOCUMENT_MEMO_KEY,
    PROJECT_MEMO_KEY,
    edit_document_memo,
    edit_project_memo,
)
from annotator.gui.marks.note_field import add_note_field
from annotator.gui.marks.stripes import STRIPE_ROOM, TAG_WIDTH, StripeMargin
from annotator.store.queries.export_queries import notes_of as read_notes

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.view.document_view import DocumentView

__all__ = ["ARCS_KEY", "STRIPES_KEY", "TAGS_KEY", "Marks", "install"]
MIN_LINE_CHARS = 70  # the text keeps this many characters a line before the margins
TAGS_KEY = "Ctrl+Alt+G"
STRIPES_KEY = "Ctrl+Alt+I"
ARCS_KEY = "Ctrl+Alt+R"
NOTES_KEPT = 8_000  # notes (or their absence) kept for spans near the view


def chrome_width(view: DocumentView) -> int:
    """The view's frame and vertical scroll bar."""
    return 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()


def line_width(view: DocumentView) -> int:
    """Room for MIN_LINE_CHARS characters of the view's font, with the text's margins."""
    chars = view.fontMetrics().averageCharWidth() * MIN_LINE_CHARS
    return chars + 2 * int(view.document().documentMargin())


class Marks(QObject):
    """Keeps the two margins beside the view's viewport and up to date."""

    def __init__(
        self,
        view: DocumentView,
        note_of: Callable[[int], str | None] | None = None,
        notes_of: Callable[[list[int]], dict[int, str]] | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.on_change: Callable[[], None] | None = None  # the margins' room changed
        self.notes: dict[int, str | None] = {}  # at most NOTES_KEPT, the latest asked
        self._note_source = note_of
        self._notes_source = notes_of
        self.stripes = StripeMargin(view, self.note_of, self.load_notes)
        self.arcs = ArcMargin(view)
        view.note_of = self.note_of
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)
        view.updateRequest.connect(self._update_request)
        view.marksChanged.connect(self._marks_changed)
        self.apply()

    def note_of(self, annotation_id: int) -> str | None:
        if annotation_id not in self.notes:
            source = self._note_source
            self._keep({annotation_id: source(annotation_id) if source is not None else None})
        return self.notes.get(annotation_id)

    def load_notes(self, ids: list[int]) -> None:
        """Read the notes of the spans *ids* not known yet in one query (a paint asks
        for every span on screen before it draws them)."""
        missing = [i for i in ids if i not in self.notes]
        if not missing:
            return
        if self._notes_source is None:
            for annotation_id in missing:
                self.note_of(annotation_id)
            return
        found = self._notes_source(missing)
        self._keep({i: found.get(i) for i in missing})

    def _keep(self, notes: dict[int, str | None]) -> None:
        """Add *notes*; past NOTES_KEPT, the notes asked for longest ago go."""
        kept = self.notes
        kept.update(notes)
        if len(kept) > NOTES_KEPT:
            for stale in list(itertools.islice(kept, len(kept) - NOTES_KEPT // 2)):
                if stale not in notes:
                    del kept[stale]

    def apply(self) -> None:
        """Reserve the margins the switches ask for (Reading.fit_width adds them)."""
        self._squeeze()
        left, right = self.stripes.width_wanted(), self.arcs.width_wanted()
        self.view.mark_margins = (left, right)
        self.stripes.setVisible(left > 0)
        self.arcs.setVisible(right > 0)
        self.view.reading.fit_width(self.view)
        self._place()
        if self.on_change is not None:
            self.on_change()

    def view_width_for_tags(self) -> int:
        """The view's width at which the tags show beside MIN_LINE_CHARS characters a
        line (the arcs narrowed): gui/layout.py keeps the text pane this wide, so the
        docks yield room before the tags step aside."""
        stripes = (STRIPE_ROOM if self.stripes.stripes_on else 0) + (
            TAG_WIDTH if self.stripes.tags_on else 0
        )
        arcs = NARROW_ARC_WIDTH if self.arcs.on else 0
        return chrome_width(self.view) + line_width(self.view) + stripes + arcs

    def _place(self) -> None:
        vp = self.view.viewport().geometry()
        left, right = self.view.mark_margins
        self.stripes.setGeometry(QRect(vp.left() - left, vp.top(), left, vp.height()))
        self.arcs.setGeometry(QRect(vp.right() + 1, vp.top(), right, vp.height()))

    def _squeeze(self) -> bool:
        """In a view too narrow for the margins and MIN_LINE_CHARS characters a line,
        the arcs narrow first (their link types are in the Links panel too), then the
        tags step aside. True when that changed."""
        room = self.view.width() - chrome_width(self.view)
        text = line_width(self.view)
        before = (self.stripes.squeezed, self.arcs.squeezed)
        self.stripes.squeezed = self.arcs.squeezed = False
        if room - self.stripes.width_wanted() - self.arcs.width_wanted() < text:
            self.arcs.squeezed = True
            if room - self.stripes.width_wanted() - self.arcs.width_wanted() < text:
                self.stripes.squeezed = True
        return before != (self.stripes.squeezed, self.arcs.squeezed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view:
            if event.type() == QEvent.Type.Resize and self._squeeze():
                # DocumentView.resizeEvent (next) calls Reading.fit_width with these
                self.view.mark_margins = (
                    self.stripes.width_wanted(),
                    self.arcs.width_wanted(),
                )
                self.stripes.setVisible(self.view.mark_margins[0] > 0)
                self.arcs.setVisible(self.view.mark_margins[1] > 0)
        elif event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._place()
        return False

    def _update_request(self, rect: QRect, dy: int) -> None:
        if dy or rect.contains(self.view.viewport().rect()):
            self.stripes.update()
            self.arcs.scrolled()

    def _marks_changed(self) -> None:
        self.notes.clear()
        self.stripes.forget()
        if self._squeeze():  # the font changed: the margins' room too
            self.apply()
        self.stripes.update()
        self.arcs.changed()

    def set_tags(self, on: bool) -> None:
        self.stripes.tags_on = on
        self.apply()

    def set_stripes(self, on: bool) -> None:
        self.stripes.stripes_on = on
        self.apply()

    def set_arcs(self, on: bool) -> None:
        self.arcs.on = on
        self.apply()


def tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("MainWindow", text)


def install(window: MainWindow, menu: QMenu) -> Marks:
    """The margins on ``window.view`` and their switches in *menu*."""

    def note_of(annotation_id: int) -> str | None:
        project = window.session.project
        if project is None or project.closed:
            return None
        try:
            return project.annotation(annotation_id).note
        except InputError:  # a span just deleted: no note to show
            return None

    def notes_of_many(ids: list[int]) -> dict[int, str]:
        project = window.session.project
        if project is None or project.closed:
            return {}
        return read_notes(project, ids)

    marks = Marks(window.view, note_of, notes_of_many)
    window.marks = marks  # type: ignore[attr-defined]
    marks.on_change = window.window_layout.keep_text_width  # the text pane's minimum
    for text, slot, keys in (
        (tr("Label &tags"), marks.set_tags, TAGS_KEY),
        (tr("Coding &stripes"), marks.set_stripes, STRIPES_KEY),
        (tr("Link &arcs"), marks.set_arcs, ARCS_KEY),
    ):
        action = add_action(window, menu, text, slot, keys, checkable=True)
        action.setChecked(True)
    window.note_field = add_note_field(window)  # type: ignore[attr-defined]
    # the Annotate menu is rebuilt with the codebook: the memos go in File, before Quit
    file_menu = window.menuBar().actions()[0].menu()
    target = file_menu if isinstance(file_menu, QMenu) else menu
    quit_action = next((a for a in target.actions() if "quit" in a.text().lower()), None)
    memos: list[tuple[str, Callable[[], None], str]] = [
        (tr("&Document memo…"), lambda: edit_document_memo(window), DOCUMENT_MEMO_KEY),
        (tr("&Project memo…"), lambda: edit_project_memo(window), PROJECT_MEMO_KEY),
    ]
    for memo_text, memo_slot, memo_keys in memos:
        action = add_action(window, target, memo_text, memo_slot, memo_keys)
        if quit_action is not None:
            target.removeAction(action)
            target.insertAction(quit_action, action)
    return marks
