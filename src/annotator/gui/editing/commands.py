"""Undo commands for every annotation change (one QUndoStack, DESIGN.md)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.gui.wording import plural, quoted
from annotator.store import Annotation, Removed
from annotator.store.documents.document_snapshot import (
    DocumentSnapshot,
    delete_document,
    restore_document,
)
from annotator.store.project import Keep

HISTORY_CHARS = 40  # of the span's text in an undo step's name
NAMED_SPANS = 2  # distinct texts an undo step of many spans names


def tr(text: str) -> str:
    return QCoreApplication.translate("commands", text)


def many_spans(texts: Sequence[str], labels: Sequence[str]) -> str:
    """An undo step's name for annotating many spans: the text when they are all the
    same ("Annotate 5 hits of “France” as actor"), else the first few texts."""
    n = len(texts)
    label = ", ".join(dict.fromkeys(labels))
    distinct = list(dict.fromkeys(" ".join(t.split()) for t in texts))
    if len(distinct) == 1:
        named = quoted(distinct[0], HISTORY_CHARS)
        return tr("Annotate %s of %s as %s") % (
            plural(n, tr("%d hit"), tr("%d hits")),
            named,
            label,
        )
    shown = ", ".join(quoted(t, HISTORY_CHARS // 2) for t in distinct[:NAMED_SPANS])
    if len(distinct) > NAMED_SPANS:
        shown += ", …"
    return tr("Annotate %d spans (%s) as %s") % (n, shown, label)


class AddSpans(FirstDoneCommand):
    """Add one or many spans (one undo step)."""

    def __init__(
        self, session: Session, document_id: int, spans: Sequence[tuple[int, int, str, str | None]]
    ) -> None:
        if len(spans) == 1:
            start, end, label = spans[0][:3]
            covered = session.require().text(document_id)[start:end]
            text = tr("Annotate %s as %s") % (quoted(covered, HISTORY_CHARS), label)
        else:
            text = session.require().text(document_id)
            text = many_spans([text[s[0] : s[1]] for s in spans], [s[2] for s in spans])
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
        if n == 1:
            gone = session.require().annotation(ids[0])
            text = tr("Delete %s (%s)") % (quoted(gone.text, HISTORY_CHARS), gone.label)
        else:
            text = tr("Delete %d annotations") % n
        super().__init__(session, text)
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
        span = quoted(before.text, HISTORY_CHARS)
        if label is not None and label != before.label:
            text = tr("Relabel %s as %s") % (span, label)
        elif (start, end) != (None, None):
            text = tr("Resize %s") % span
        elif note is not Keep.KEEP:
            text = tr("Edit the note of %s") % span
        super().__init__(session, text or tr("Change %s") % span)
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
        project = session.require()
        texts: list[str] = []
        labels: list[str] = []
        for document_id, items in spans.items():
            text = project.text(document_id) if items else ""
            texts.extend(text[s[0] : s[1]] for s in items)
            labels.extend(s[2] for s in items)
        documents = plural(
            sum(1 for v in spans.values() if v), tr("%d document"), tr("%d documents")
        )
        super().__init__(session, tr("%s in %s") % (many_spans(texts, labels), documents))
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


class RemoveDocument(FirstDoneCommand):
    """Delete a document with everything that belongs to it; undo puts it all back
    with the same ids (store/documents/document_snapshot.py)."""

    def __init__(self, session: Session, document_id: int) -> None:
        title = session.require().document(document_id).title
        super().__init__(session, tr("Delete document %s") % quoted(title, HISTORY_CHARS))
        self.document_id = document_id
        self.snapshot: DocumentSnapshot | None = None

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.snapshot = delete_document(self.session.require(), self.document_id)
        self._announce()

    def revert(self) -> None:
        assert self.snapshot is not None
        restore_document(self.session.require(), self.snapshot)
        self._announce()

    def _announce(self) -> None:
        self.session.announce(self.session.documentsChanged)
        self.session.announce(self.session.structureChanged)  # its links and actors
