"""Accepting and rejecting suggestions, each one undo step on the window's stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.store import Annotation, Removed
from annotator.store.suggestions import StoredSuggestion, Suggestions


def tr(text: str) -> str:
    return QCoreApplication.translate("suggest", text)


class AcceptSuggestions(FirstDoneCommand):
    """Suggestions become ordinary annotations by the current coder (one undo step)."""

    def __init__(
        self, session: Session, chosen: Sequence[StoredSuggestion], changed: Callable[[], None]
    ) -> None:
        if len(chosen) == 1:
            text = tr("Accept the suggested %s") % chosen[0].label
        else:
            text = tr("Accept %d suggestions") % len(chosen)
        super().__init__(session, text)
        self.ids = [x.id for x in chosen]
        self.changed = changed
        self.made: list[Annotation] = []
        self.removed: list[StoredSuggestion] = []
        self._gone: Removed | None = None

    def _layer(self) -> Suggestions:
        return Suggestions(self.session.require())

    def do_first(self) -> None:
        self.made, self.removed = self._layer().accept(self.ids)
        self.session.announce(self.session.annotationsAdded, self.made)
        self.changed()

    def apply(self) -> None:  # redo: the same annotations back, the suggestions gone
        assert self._gone is not None
        self.session.restore(self._gone)
        self._layer().discard(x.id for x in self.removed)
        self.changed()

    def revert(self) -> None:
        self._gone = self.session.remove([a.id for a in self.made])
        self._layer().restore(self.removed)
        self.changed()


class RejectSuggestions(FirstDoneCommand):
    """Suggestions dropped and remembered: no source suggests them again."""

    def __init__(
        self, session: Session, chosen: Sequence[StoredSuggestion], changed: Callable[[], None]
    ) -> None:
        if len(chosen) == 1:
            text = tr("Reject the suggested %s") % chosen[0].label
        else:
            text = tr("Reject %d suggestions") % len(chosen)
        super().__init__(session, text)
        self.ids = [x.id for x in chosen]
        self.changed = changed
        self.removed: list[StoredSuggestion] = []

    def do_first(self) -> None:
        self.removed = Suggestions(self.session.require()).reject(self.ids)
        self.changed()

    def apply(self) -> None:
        Suggestions(self.session.require()).reject(self.ids)
        self.changed()

    def revert(self) -> None:
        Suggestions(self.session.require()).restore(self.removed, unreject=True)
        self.changed()
