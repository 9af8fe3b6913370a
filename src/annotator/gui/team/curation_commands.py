"""Undo commands of the curation view: the curated layer changes one step at a time.

The curated layer is ordinary annotations whose coder is the curator ("curation" by
default), so each step is an add and/or a delete of annotations of that coder, done
through the session (the views hear of it as of any other change) and undone on the
window's one undo stack. Relabelling and resizing a curated span reuse
:class:`annotator.gui.commands.UpdateAnnotation`.

A rejection that removes nothing still is a step: the candidate is marked as decided
(:class:`Rejections`), so that the view shows it as done, and undo takes the mark back.
The marks live as long as the window; the file holds only the curated spans.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.store import Annotation, Removed

Spans = Sequence[tuple[int, int, str, str | None]]


def tr(text: str) -> str:
    return QCoreApplication.translate("curation", text)


class Rejections:
    """The candidates the curator rejected in this window: ``(document id, key)``."""

    def __init__(self) -> None:
        self.marked: set[tuple[int, Hashable]] = set()

    def __contains__(self, item: tuple[int, Hashable]) -> bool:
        return item in self.marked


class Curate(FirstDoneCommand):
    """Remove some curated spans and add others, as one undo step.

    *remove* are annotation ids (the curated spans replaced or rejected); *add* are
    ``(start, end, label, note)`` spans stored with *curator* as their coder. With
    *reject*, the candidate ``(document id, key)`` is marked as rejected meanwhile.
    """

    def __init__(
        self,
        session: Session,
        document_id: int,
        curator: str,
        text: str,
        *,
        add: Spans = (),
        remove: Sequence[int] = (),
        rejections: Rejections | None = None,
        reject: tuple[int, Hashable] | None = None,
    ) -> None:
        super().__init__(session, text)
        self.document_id = document_id
        self.curator = curator
        self.add = list(add)
        self.remove = list(remove)
        self.rejections = rejections
        self.reject = reject
        self.made: list[Annotation] = []
        self._removed: Removed | None = None  # the curated spans this step took away
        self._made_removed: Removed | None = None  # what undo took away (redo restores it)

    def do_first(self) -> None:
        if self.remove:
            self._removed = self.session.remove(self.remove)
        if self.add:
            project = self.session.require()
            self.made = project.annotate_many(self.document_id, self.add, annotator=self.curator)
            self.session.announce(self.session.annotationsAdded, self.made)
        self._mark(True)

    def apply(self) -> None:
        if self.remove:
            self._removed = self.session.remove(self.remove)
        if self._made_removed is not None:
            self.session.restore(self._made_removed)
        self._mark(True)

    def revert(self) -> None:
        if self.made:
            self._made_removed = self.session.remove([a.id for a in self.made])
        if self._removed is not None:
            self.session.restore(self._removed)
        self._mark(False)

    def _mark(self, on: bool) -> None:
        if self.rejections is None or self.reject is None:
            return
        if on:
            self.rejections.marked.add(self.reject)
        else:
            self.rejections.marked.discard(self.reject)


def accept_text(coder: str, label: str) -> str:
    return tr("Accept %s's %s") % (coder, label)


def accept_all_text(n: int) -> str:
    return tr("Accept %d complete agreements") % n


def reject_text() -> str:
    return tr("Reject candidate")
