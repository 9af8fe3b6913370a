"""The suggestion layer of the window: what the current document's suggestions are,
how they are drawn, and the keys that act on them.

Keys, in the document view, when the text cursor is in a suggestion and nothing is
selected: the label's hotkey (the suggestion's own label, or another one to accept it as
that) or Enter accepts it, Backspace or X rejects it, Shift+Enter accepts every
suggestion of its label that is on the screen. Tab / Shift+Tab move to the next /
previous suggestion (while the document has any; otherwise Tab moves the focus as
usual). Each acceptance or rejection is one undo step.

The keys are taken in the view's ShortcutOverride, so the window's label hotkeys do
their usual work everywhere else (a selection, an annotation).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent

from annotator.gui.suggest.commands import AcceptSuggestions, RejectSuggestions
from annotator.gui.suggest.outlines import Outline, paint_outlines
from annotator.store.suggestions import StoredSuggestion, Suggestions

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("suggest", text)


_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_REJECT = (Qt.Key.Key_Backspace, Qt.Key.Key_X)
RETRAIN_AFTER = 25  # annotation changes before the learned source is trained again


class SuggestionLayer(QObject):
    """Owns the current document's suggestions in the window."""

    changed = Signal()  # the current document's suggestions changed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.session = window.session
        self.document_id: int | None = None
        self.items: list[StoredSuggestion] = []
        self.current: int | None = None  # the suggestion id the cursor is on
        self.enabled_sources: set[str] = {"like-before", "learned", "pretrained"}
        self.changes = 0  # annotation changes since the learned model was trained
        self.view.overlays.append(self._paint)
        self.view.installEventFilter(self)
        self.view.textChanged.connect(self._document_shown)
        self.view.cursorPositionChanged.connect(self._cursor_moved)
        s = self.session
        s.projectClosed.connect(self._clear)
        s.annotationsAdded.connect(self._annotations_changed)
        s.annotationsRemoved.connect(self._annotations_changed)
        self._reload_soon = QTimer(self)
        self._reload_soon.setSingleShot(True)
        self._reload_soon.setInterval(0)
        self._reload_soon.timeout.connect(self.reload)

    # -- which suggestions ---------------------------------------------------------

    def _document_shown(self) -> None:
        self._reload_soon.start()

    def _clear(self) -> None:
        self.document_id, self.items, self.current = None, [], None
        self.view.viewport().update()
        self.changed.emit()

    def _annotations_changed(self, annotations: list[object]) -> None:
        self.changes += len(annotations)
        self._reload_soon.start()

    def reload(self) -> None:
        """Read the current document's suggestions (enabled sources, not annotated)."""
        project = self.session.project
        doc = self.window.document_id
        if project is None or doc is None:
            self._clear()
            return
        self.document_id = doc
        layer = Suggestions(project)
        shown = [x for x in layer.of(doc) if x.source in self.enabled_sources]
        annotated = layer.annotated(doc) if shown else set()  # none: no read of the spans
        self.items = [x for x in shown if (x.start, x.end, x.label) not in annotated]
        self._cursor_moved()
        self.view.viewport().update()
        self.changed.emit()

    def _paint(self) -> None:
        colours = {key: self.view.colours.get(i) for key, i in self.window.label_ids.items()}
        fallback = self.view.palette().color(self.view.foregroundRole())
        outlines: list[Outline] = [
            (x.start, x.end, colours.get(x.label) or QColor(fallback), x.id == self.current)
            for x in self.items
        ]
        paint_outlines(self.view, outlines)

    # -- the cursor ----------------------------------------------------------------

    def _position(self) -> int:
        return self.view.offsets.to_codepoint(self.view.textCursor().position())

    def under_cursor(self) -> StoredSuggestion | None:
        if self.view.textCursor().hasSelection():
            return None
        pos = self._position()
        here = [x for x in self.items if x.start <= pos <= x.end]
        if not here:
            return None
        if self.current is not None:
            for x in here:
                if x.id == self.current:
                    return x
        return min(here, key=lambda x: (x.start != pos, x.end - x.start, -x.score))

    def _cursor_moved(self) -> None:
        x = self.under_cursor()
        current = x.id if x is not None else None
        if current != self.current:
            self.current = current
            self.view.viewport().update()
            if x is not None:
                self._say(x)

    def _say(self, x: StoredSuggestion) -> None:
        self.window.show_status(
            tr(
                "Suggested %s (%s, score %.2f): Enter accepts, Backspace rejects, Tab goes to the next"
            )
            % (x.label, x.source, x.score)
        )

    def step(self, forward: bool) -> bool:
        """Move the cursor to the next (previous) suggestion; False when there is none."""
        if not self.items:
            return False
        pos = self._position()
        starts = [x.start for x in self.items]
        if forward:
            i = bisect.bisect_right(starts, pos)
            if i >= len(self.items):
                i = 0  # wrap around
        else:
            i = bisect.bisect_left(starts, pos) - 1
            if i < 0:
                i = len(self.items) - 1
        target = self.items[i]
        self.current = target.id
        self.view.select_range(target.start, target.start)
        self.view.viewport().update()
        self._cursor_moved()
        return True

    def go_to(self, document_id: int, suggestion_id: int) -> bool:
        """Show the suggestion in the text with the cursor in it (where Enter accepts it
        and Backspace rejects it); False when it is not there (any more, or its source is
        switched off)."""
        window = self.window
        if window.document_id != document_id:
            window.show_document(document_id)
        self.reload()  # now, not after the show's timer: the keys need the items
        target = next((x for x in self.items if x.id == suggestion_id), None)
        if target is None:
            window.show_status(tr("That suggestion is no longer there"))
            return False
        window.select_annotation(None)
        self.current = target.id  # (of overlapping suggestions, this one is under the cursor)
        self.view.select_range(target.start, target.start)
        self.view.setFocus()
        self.view.viewport().update()
        self._say(target)
        return True

    # -- acting ----------------------------------------------------------------------

    def _refresh(self) -> None:
        self.reload()

    def accept(self, chosen: Sequence[StoredSuggestion], label: str | None = None) -> bool:
        if not chosen or self.session.project is None:
            return False
        if label is not None and any(x.label != label for x in chosen):
            # accepted as another label: the suggestion goes, the annotation has *label*
            return self._accept_as(chosen, label)
        return self.session.run(AcceptSuggestions(self.session, chosen, self._refresh))

    def _accept_as(self, chosen: Sequence[StoredSuggestion], label: str) -> bool:
        from annotator.gui.editing.commands import AddSpans

        doc = chosen[0].document_id
        stack = self.session.undo_stack
        stack.beginMacro(tr("Accept as %s") % label)
        try:
            done = self.session.run(
                AddSpans(self.session, doc, [(x.start, x.end, label, None) for x in chosen])
            )
            if done:
                self.session.run(RejectSuggestions(self.session, chosen, self._refresh))
        finally:
            stack.endMacro()
        return done

    def reject(self, chosen: Sequence[StoredSuggestion]) -> bool:
        if not chosen or self.session.project is None:
            return False
        return self.session.run(RejectSuggestions(self.session, chosen, self._refresh))

    def accept_label_in_view(self, label: str | None = None) -> int:
        """Accept every suggestion of *label* (the one under the cursor's if None) that is
        on the screen; return how many."""
        if label is None:
            x = self.under_cursor()
            if x is None:
                return 0
            label = x.label
        top = self.view.cursorForPosition(self.view.viewport().rect().topLeft()).position()
        bottom = self.view.cursorForPosition(self.view.viewport().rect().bottomRight()).position()
        lo = self.view.offsets.to_codepoint(top)
        hi = self.view.offsets.to_codepoint(bottom, round_up=True)
        chosen = [x for x in self.items if x.label == label and x.start >= lo and x.end <= hi]
        return len(chosen) if self.accept(chosen) else 0

    # -- keys ----------------------------------------------------------------------

    def _label_for_key(self, event: QKeyEvent) -> str | None:
        project = self.session.project
        if project is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return None
        text = event.text()
        if not text:
            return None
        for label in project.labels():
            if label.hotkey and label.hotkey == text:
                return label.key
        return None

    def _wanted(self, event: QKeyEvent) -> str | None:
        """What the key does here: accept, accept-all, reject, next, previous, label:KEY."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier and self.items:
            return "next"
        shift_tab = key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.ShiftModifier
        if (key == Qt.Key.Key_Backtab or shift_tab) and self.items:
            return "previous"
        if self.under_cursor() is None:
            return None
        if key in _ENTER and mods == Qt.KeyboardModifier.NoModifier:
            return "accept"
        if key in _ENTER and mods == Qt.KeyboardModifier.ShiftModifier:
            return "accept-all"
        if key in _REJECT and mods == Qt.KeyboardModifier.NoModifier:
            return "reject"
        label = self._label_for_key(event)
        return f"label:{label}" if label is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.view and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            what = self._wanted(event)
            if what is None:
                return False
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to the view, not to a window shortcut
                return True
            self._do(what)
            return True
        return False

    def _do(self, what: str) -> None:
        if what == "next":
            self.step(True)
        elif what == "previous":
            self.step(False)
        elif what == "accept-all":
            n = self.accept_label_in_view()
            self.window.show_status(tr("Accepted %d suggestions") % n)
        else:
            x = self.under_cursor()
            if x is None:
                return
            if what == "accept":
                self.accept([x])
            elif what == "reject":
                self.reject([x])
            elif what.startswith("label:"):
                self.accept([x], what.split(":", 1)[1])
