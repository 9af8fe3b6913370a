"""Undo commands for every annotation change (one QUndoStack, DESIGN.md)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.store import Annotation, Removed
from annotator.store.project import Keep


def tr(text: str) -> str:
    return QCoreApplication.translate("commands", text)


class AddSpans(FirstDoneCommand):
    """Add one or many spans (one undo step)."""

    def __init__(
        self, session: Session, document_id: int, spans: Sequence[tuple[int, int, str, str | None]]
    ) -> None:
        label = spans[0][2] if len(spans) == 1 else ""
        text = tr("Annotate as %s") % label if label else tr("Annotate %d spans") % len(spans)
        super().__init__(session, text)
        self.document_id = document_id
        self.spans = list(spans)
        self.made: list[Annotation] = []
        self._removed: Removed | None = None

    def do_first(self) -> None:
        self.made = self.session.add(self.document_id, self.spans)

    def apply(self) -> None:  # redo after an undo: same ids as before
        assert self._removed is not None
        self.session.restore(self._removed)

    def revert(self) -> None:
        self._removed = self.session.remove([a.id for a in self.made])


class RemoveAnnotations(FirstDoneCommand):
    def __init__(self, session: Session, ids: Sequence[int]) -> None:
        n = len(ids)
        super().__init__(
            session, tr("Delete annotation") if n == 1 else tr("Delete %d annotations") % n
        )
        self.ids = list(ids)
        self._removed: Removed | None = None

    def do_first(self) -> None:
        self._removed = self.session.remove(self.ids)

    def apply(self) -> None:
        self._removed = self.session.remove(self.ids)

    def revert(self) -> None:
        assert self._removed is not None
        self.session.restore(self._removed)


class UpdateAnnotation(FirstDoneCommand):
    """Relabel, resize or re-note one annotation."""

    def __init__(
        self,
        session: Session,
        before: Annotation,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        note: str | Keep | None = Keep.KEEP,
        text: str = "",
    ) -> None:
        super().__init__(session, text or tr("Change annotation"))
        self.before = before
        self.start, self.end, self.label, self.note = start, end, label, note

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.session.update(
            self.before.id, start=self.start, end=self.end, label=self.label, note=self.note
        )

    def revert(self) -> None:
        b = self.before
        self.session.update(b.id, start=b.start, end=b.end, label=b.label, note=b.note)


class AddSpansAcross(FirstDoneCommand):
    """Add spans in several documents as one undo step (corpus-wide annotate-all)."""

    def __init__(
        self, session: Session, spans: dict[int, list[tuple[int, int, str, str | None]]]
    ) -> None:
        total = sum(len(v) for v in spans.values())
        super().__init__(session, tr("Annotate %d hits in %d documents") % (total, len(spans)))
        self.spans = {doc: list(items) for doc, items in spans.items() if items}
        self.made: list[Annotation] = []
        self._removed: Removed | None = None

    def do_first(self) -> None:
        project = self.session.require()
        made: list[Annotation] = []
        for document_id, items in self.spans.items():  # one transaction (Session.guarded)
            made.extend(project.annotate_many(document_id, items))
        self.made = made
        self.session.announce(self.session.annotationsAdded, made)

    def apply(self) -> None:
        assert self._removed is not None
        self.session.restore(self._removed)

    def revert(self) -> None:
        self._removed = self.session.remove([a.id for a in self.made])
