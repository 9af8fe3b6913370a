"""The open project and the one place its changes are announced (the signal hub).

Undo commands call the session; the session calls the store and emits what changed;
views listen and refresh only that (DESIGN.md, house style 2 and 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.store import Actor, Annotation, Project, Relation, Removed
from annotator.store.project import Keep


class Session(QObject):
    """Holds the open project; every annotation change goes through here."""

    projectOpened = Signal()
    projectClosed = Signal()
    documentsChanged = Signal()
    annotationsAdded = Signal(list)  # list[Annotation]
    annotationsRemoved = Signal(list)  # list[Annotation]
    annotationChanged = Signal(object, object)  # old Annotation, new Annotation
    structureChanged = Signal()  # attributes, relations or actors
    failed = Signal(str)  # a user-facing message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.undo_stack = QUndoStack(self)
        self.structure = StructureSession(self)

    # -- project -------------------------------------------------------------------

    def open(self, path: Path, *, read_only: bool = False) -> Project:
        project = Project.open(path, read_only=read_only)
        self.close()
        self.project = project
        self.projectOpened.emit()
        return project

    def adopt(self, project: Project) -> None:
        self.close()
        self.project = project
        self.projectOpened.emit()

    def close(self) -> None:
        if self.project is None:
            return
        self.undo_stack.clear()
        self.project.close()
        self.project = None
        self.projectClosed.emit()

    def require(self) -> Project:
        if self.project is None:
            raise AnnotatorError("open or create a project first (File > Open)")
        return self.project

    # -- running commands ----------------------------------------------------------

    def run(self, command: FirstDoneCommand) -> bool:
        """Do *command* once now; on success push it for undo, else report the error."""
        try:
            command.do_first()
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return False
        self.undo_stack.push(command)
        return True

    # -- changes (called by undo commands) -----------------------------------------

    def add(
        self, document_id: int, spans: Sequence[tuple[int, int, str, str | None]]
    ) -> list[Annotation]:
        made = self.require().annotate_many(document_id, spans)
        self.annotationsAdded.emit(made)
        return made

    def remove(self, ids: Iterable[int]) -> Removed:
        removed = self.require().remove_annotations(ids)
        self.annotationsRemoved.emit(list(removed.annotations))
        if removed.relations or removed.attributes or removed.actor_links:
            self.structureChanged.emit()
        return removed

    def restore(self, removed: Removed) -> None:
        self.require().restore(removed)
        self.annotationsAdded.emit(list(removed.annotations))
        if removed.relations or removed.attributes or removed.actor_links:
            self.structureChanged.emit()

    def update(
        self,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        note: str | Keep | None = Keep.KEEP,
    ) -> Annotation:
        project = self.require()
        old = project.annotation(annotation_id)
        new = project.update_annotation(annotation_id, start=start, end=end, label=label, note=note)
        self.annotationChanged.emit(old, new)
        return new


class FirstDoneCommand(QUndoCommand):
    """An undo command whose first ``redo`` was already done by :meth:`Session.run`."""

    def __init__(self, session: Session, text: str) -> None:
        super().__init__(text)
        self.session = session
        self._fresh = True

    def do_first(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.apply()

    def apply(self) -> None:
        raise NotImplementedError


class StructureSession:
    """Attribute, relation and actor changes of a :class:`Session` (undo commands call these)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _done(self) -> None:
        self.session.structureChanged.emit()

    def set_attributes(self, annotation_id: int, values: dict[str, str | None]) -> None:
        self.session.require().set_attributes(annotation_id, values)
        self._done()

    def relate(self, from_id: int, to_id: int, kind: str) -> Relation:
        relation = self.session.require().relate(from_id, to_id, kind)
        self._done()
        return relation

    def restore_relation(self, relation: Relation) -> None:
        self.session.require().restore_relations([relation])
        self._done()

    def remove_relation(self, relation_id: int) -> Relation:
        relation = self.session.require().remove_relation(relation_id)
        self._done()
        return relation

    def link_actor(self, annotation_id: int, name: str, kind: str | None) -> Actor:
        actor = self.session.require().link_actor(annotation_id, name, kind)
        self._done()
        return actor

    def unlink_actor(self, annotation_id: int) -> None:
        self.session.require().unlink_actor(annotation_id)
        self._done()

    def set_actor_type(self, actor_id: int, kind: str) -> None:
        self.session.require().set_actor_type(actor_id, kind)
        self._done()

    def remove_actor_if_unused(self, actor_id: int) -> None:
        self.session.require().remove_actor_if_unused(actor_id)
        self._done()

    def merge_actors(self, keep: int, gone: int) -> tuple[Actor, list[int]]:
        result = self.session.require().merge_actors(keep, gone)
        self._done()
        return result

    def unmerge_actors(self, gone: Actor, moved: list[int]) -> None:
        self.session.require().unmerge_actors(gone, moved)
        self._done()
