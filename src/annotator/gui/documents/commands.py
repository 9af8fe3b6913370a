"""Undo steps of the documents dock: each calls the store and announces documentsChanged."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.gui.wording import quoted
from annotator.store.documents.document_edits import rename_document, set_document_order

HISTORY_CHARS = 40


def tr(text: str) -> str:
    return QCoreApplication.translate("documents", text)


class _DocumentsCommand(FirstDoneCommand):
    def do_first(self) -> None:
        self.apply()

    def _announce(self) -> None:
        self.session.announce(self.session.documentsChanged)


class RenameDocument(_DocumentsCommand):
    def __init__(self, session: Session, document_id: int, title: str) -> None:
        super().__init__(session, tr("Rename document to %s") % quoted(title, HISTORY_CHARS))
        self.document_id, self.title, self.old = document_id, title, ""

    def apply(self) -> None:
        self.old = rename_document(self.session.require(), self.document_id, self.title)
        self._announce()

    def revert(self) -> None:
        rename_document(self.session.require(), self.document_id, self.old)
        self._announce()


class ReorderDocuments(_DocumentsCommand):
    def __init__(self, session: Session, order: Sequence[int], text: str) -> None:
        super().__init__(session, text)
        self.order, self.old = list(order), list[int]()

    def apply(self) -> None:
        self.old = set_document_order(self.session.require(), self.order)
        self._announce()

    def revert(self) -> None:
        set_document_order(self.session.require(), self.old)
        self._announce()


class SetVariable(_DocumentsCommand):
    """One document's value of one variable (None removes it); an undefined variable is
    defined with *kind* (and undefined again by the undo)."""

    def __init__(
        self,
        session: Session,
        document_id: int,
        key: str,
        value: str | None,
        kind: str | None = None,
    ) -> None:
        shown = tr("(none)") if value is None else quoted(value, HISTORY_CHARS)
        super().__init__(session, tr("Set %s to %s") % (key, shown))
        self.document_id, self.key, self.value, self.kind = document_id, key, value, kind
        self.old: str | None = None
        self.defined = False

    def apply(self) -> None:
        variables = self.session.require().variables
        self.defined = self.key not in variables.types()
        self.old = variables.of(self.document_id).get(self.key)
        if self.defined and self.kind:
            variables.define(self.key, self.kind)
        variables.set(self.document_id, self.key, self.value)
        self._announce()

    def revert(self) -> None:
        variables = self.session.require().variables
        variables.set(self.document_id, self.key, self.old)
        if self.defined:
            variables.remove(self.key)
        self._announce()


class DefineVariable(_DocumentsCommand):
    def __init__(self, session: Session, key: str, kind: str) -> None:
        super().__init__(session, tr("Add variable %s (%s)") % (key, kind))
        self.key, self.kind = key, kind

    def apply(self) -> None:
        self.session.require().variables.define(self.key, self.kind)
        self._announce()

    def revert(self) -> None:
        self.session.require().variables.remove(self.key)
        self._announce()


class CreateGroup(_DocumentsCommand):
    def __init__(self, session: Session, name: str, parent: str | None) -> None:
        super().__init__(session, tr("New document group %s") % quoted(name, HISTORY_CHARS))
        self.name, self.parent = name, parent

    def do_first(self) -> None:
        groups = self.session.require().groups
        if any(g.name == self.name.strip() for g in groups.all()):
            from annotator.core.errors import InputError

            raise InputError(f"there is a document group '{self.name.strip()}' already")
        self.apply()

    def apply(self) -> None:
        self.session.require().groups.create(self.name, self.parent)
        self._announce()

    def revert(self) -> None:
        self.session.require().groups.delete(self.name.strip())
        self._announce()


class GroupMembers(_DocumentsCommand):
    """Put documents in a group (*add*) or take them out; only those that changed are
    changed back, and a group the adding made is deleted again by the undo."""

    def __init__(self, session: Session, group: str, ids: Sequence[int], *, add: bool) -> None:
        text = tr("Add to group %s") if add else tr("Remove from group %s")
        super().__init__(session, text % quoted(group, HISTORY_CHARS))
        self.group, self.ids, self.add = group, list(ids), add
        self.changed: list[int] = []
        self.created = False

    def apply(self) -> None:
        groups = self.session.require().groups
        before = set(next((g.document_ids for g in groups.all() if g.name == self.group), ()))
        if self.add:
            self.changed = [d for d in self.ids if d not in before]
            self.created = groups.add(self.group, self.changed)
        else:
            self.changed = [d for d in self.ids if d in before]
            groups.remove(self.group, self.changed)
        self._announce()

    def revert(self) -> None:
        groups = self.session.require().groups
        if self.add and self.created:
            groups.delete(self.group)  # its members go with it
        elif self.add:
            groups.remove(self.group, self.changed)
        else:
            groups.add(self.group, self.changed)
        self._announce()
