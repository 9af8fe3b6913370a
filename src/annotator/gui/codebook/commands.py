"""Undo steps of the codebook editor: each one call of apply_codebook (checked by the
YAML loader's rules), undone by applying the codebook from before."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QObject, Signal

from annotator.core.codebook import Codebook
from annotator.gui.codebook.ops import drop_label
from annotator.gui.session import FirstDoneCommand, Session
from annotator.store import Removed
from annotator.store.codebook.codebook_edits import (
    apply_codebook,
    delete_attribute_values,
    move_annotations,
    restore_attribute_values,
    set_label,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("codebook", text)


class CodebookHub(QObject):
    """Announces that the project's codebook changed (the window, the code system and
    the editor refresh their labels); sent through Session.announce, so only once the
    change is in the file."""

    changed = Signal()
    labelsMoved = Signal()  # annotations changed label: views re-read their spans


class CodebookEdit(FirstDoneCommand):
    """Make *new* the codebook (keys renamed on the way); undo applies the old one."""

    def __init__(
        self,
        session: Session,
        hub: CodebookHub,
        new: Codebook,
        text: str,
        *,
        renamed_labels: Mapping[str, str] = {},
        renamed_attributes: Mapping[str, str] = {},
    ) -> None:
        super().__init__(session, text)
        self.hub = hub
        self.new = new
        self.old: Codebook | None = None
        self.renamed_labels = {a: b for a, b in renamed_labels.items() if a != b}
        self.renamed_attributes = {a: b for a, b in renamed_attributes.items() if a != b}

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.old = apply_codebook(
            self.session.require(),
            self.new,
            renamed_labels=self.renamed_labels,
            renamed_attributes=self.renamed_attributes,
        )
        self._announce(bool(self.renamed_labels))

    def revert(self) -> None:
        assert self.old is not None
        apply_codebook(
            self.session.require(),
            self.old,
            renamed_labels={b: a for a, b in self.renamed_labels.items()},
            renamed_attributes={b: a for a, b in self.renamed_attributes.items()},
        )
        self._announce(bool(self.renamed_labels))

    def _announce(self, moved: bool) -> None:
        announce(self.session, self.hub, moved=moved)


def announce(session: Session, hub: CodebookHub, *, moved: bool) -> None:
    session.announce(hub.changed)
    session.announce(session.structureChanged)  # attribute and relation types
    if moved:
        session.announce(hub.labelsMoved)


class MergeLabels(FirstDoneCommand):
    """Label *gone* merged into *into*: its annotations move, then it is dropped (its
    children go up to its parent). One undo step puts all of it back."""

    def __init__(self, session: Session, hub: CodebookHub, gone: str, into: str) -> None:
        super().__init__(session, tr("Merge label %s into %s") % (gone, into))
        self.hub, self.gone, self.into = hub, gone, into
        self.moved: list[int] = []
        self.old: Codebook | None = None

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        project = self.session.require()
        new = drop_label(project.codebook(), self.gone, self.into)
        self.moved = move_annotations(project, self.gone, self.into)
        self.old = apply_codebook(project, new)
        announce(self.session, self.hub, moved=True)

    def revert(self) -> None:
        assert self.old is not None
        project = self.session.require()
        apply_codebook(project, self.old)
        set_label(project, self.moved, self.gone)
        announce(self.session, self.hub, moved=True)


class DeleteLabel(FirstDoneCommand):
    """Label *key* dropped, with its annotations when it has some (the user confirmed)."""

    def __init__(self, session: Session, hub: CodebookHub, key: str, ids: list[int]) -> None:
        text = tr("Delete label %s") % key
        if ids:
            text = tr("Delete label %s and its %d annotation(s)") % (key, len(ids))
        super().__init__(session, text)
        self.hub, self.key, self.ids = hub, key, ids
        self.removed: Removed | None = None
        self.old: Codebook | None = None

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        project = self.session.require()
        new = drop_label(project.codebook(), self.key)
        self.removed = self.session.remove(self.ids) if self.ids else None
        self.old = apply_codebook(project, new)
        announce(self.session, self.hub, moved=False)

    def revert(self) -> None:
        assert self.old is not None
        apply_codebook(self.session.require(), self.old)
        announce(self.session, self.hub, moved=False)  # the label first: its spans come back
        if self.removed is not None:
            self.session.restore(self.removed)


class DeleteAttribute(FirstDoneCommand):
    """Attribute type *key* dropped with its values (the user confirmed)."""

    def __init__(self, session: Session, hub: CodebookHub, new: Codebook, key: str) -> None:
        super().__init__(session, tr("Delete attribute %s") % key)
        self.hub, self.new, self.key = hub, new, key
        self.values: list[tuple[int, str, str]] = []
        self.old: Codebook | None = None

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        project = self.session.require()
        self.values = delete_attribute_values(project, self.key)
        self.old = apply_codebook(project, self.new)
        announce(self.session, self.hub, moved=False)

    def revert(self) -> None:
        assert self.old is not None
        project = self.session.require()
        apply_codebook(project, self.old)
        restore_attribute_values(project, self.values)
        announce(self.session, self.hub, moved=False)
