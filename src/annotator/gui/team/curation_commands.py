"""Undo commands of the curation view: the curated layer changes one step at a time.

The curated layer is ordinary annotations whose coder is the curator ("curation" by
default), so each step is an add and/or a delete of annotations of that coder, done
through the session (the views hear of it as of any other change) and undone on the
window's one undo stack. Relabelling and resizing a curated span reuse
:class:`annotator.gui.editing.commands.UpdateAnnotation`.

An accepted span is copied with its claim structure (note, attributes, actor link, and
its relations to other curated spans: :mod:`annotator.store.team.curation_copy`) in the same
step. A rejection that removes nothing still is a step: the candidate's range is marked
as rejected in the project file (:mod:`annotator.store.team.curation_marks`), and undo takes
the mark back; accepting a span of a rejected candidate takes its mark away.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.store import Annotation, Removed
from annotator.store.team.curation_copy import Copied, copy_structure
from annotator.store.team.curation_marks import set_rejected

Range = tuple[int, int]


def tr(text: str) -> str:
    return QCoreApplication.translate("curation", text)


class Curate(FirstDoneCommand):
    """Remove some curated spans and copy some coders' spans in, as one undo step.

    *remove* are annotation ids (the curated spans replaced or rejected); *accept* are
    ids of coders' spans, copied into the layer of *curator* with their note,
    attributes, actor link and relations to curated spans. *mark* is a candidate's
    range, set to rejected (*rejected* True) or not; undo puts its mark back as it was.
    """

    def __init__(
        self,
        session: Session,
        document_id: int,
        curator: str,
        text: str,
        *,
        accept: Sequence[int] = (),
        remove: Sequence[int] = (),
        mark: Range | None = None,
        rejected: bool = True,
    ) -> None:
        super().__init__(session, text)
        self.document_id = document_id
        self.curator = curator
        self.accept = list(dict.fromkeys(accept))
        self.remove = list(remove)
        self.mark = mark
        self.rejected = rejected
        self.made: list[Annotation] = []
        self.copied = Copied()
        self._was_marked: bool | None = None  # the mark before this step
        self._removed: Removed | None = None  # the curated spans this step took away
        self._made_removed: Removed | None = None  # what undo took away (redo restores it)

    def do_first(self) -> None:
        if self.remove:
            self._removed = self.session.remove(self.remove)
        if self.accept:
            project = self.session.require()
            sources = [project.annotation(i) for i in self.accept]
            made = project.annotate_many(
                self.document_id,
                [(s.start, s.end, s.label, None) for s in sources],
                annotator=self.curator,
            )
            pairs = [(s.id, m.id) for s, m in zip(sources, made, strict=True)]
            self.copied = copy_structure(project, self.curator, pairs)
            self.made = [project.annotation(m.id) for m in made]  # with note and UUID
            self.session.announce(self.session.annotationsAdded, self.made)
            if self.copied.structure:
                self.session.announce(self.session.structureChanged)
        self._set_mark(undo=False)

    def apply(self) -> None:
        if self.remove:
            self._removed = self.session.remove(self.remove)
        if self._made_removed is not None:
            self.session.restore(self._made_removed)
        self._set_mark(undo=False)

    def revert(self) -> None:
        if self.made:
            self._made_removed = self.session.remove([a.id for a in self.made])
        if self._removed is not None:
            self.session.restore(self._removed)
        self._set_mark(undo=True)

    def _set_mark(self, *, undo: bool) -> None:
        if self.mark is None:
            return
        project = self.session.require()
        if undo:
            if self._was_marked is not None and self._was_marked != self.rejected:
                set_rejected(project, self.document_id, self.curator, self.mark, self._was_marked)
            return
        was = set_rejected(project, self.document_id, self.curator, self.mark, self.rejected)
        if self._was_marked is None:
            self._was_marked = was


def accept_text(coder: str, label: str) -> str:
    return tr("Accept %s's %s") % (coder, label)


def accept_all_text(n: int) -> str:
    return tr("Accept %d complete agreements") % n


def reject_text() -> str:
    return tr("Reject candidate")
