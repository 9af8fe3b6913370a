"""The open project and the one place its changes are announced (the signal hub).

Undo commands call the session; the session calls the store and emits what changed;
views listen and refresh only that (DESIGN.md, house style 2 and 3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError, ProjectDamagedError, ProjectMovedError
from annotator.store import Actor, Annotation, Project, Relation, Removed
from annotator.store.project import Keep

# write failures after which the project takes no more changes (gui/files/file_guard.py)
FILE_PROBLEMS = (ProjectMovedError, ProjectDamagedError)


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
    fileProblem = Signal(object)  # ProjectMovedError or ProjectDamagedError: writing stopped

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(self._index_changed)
        self.structure = StructureSession(self)
        self._held: list[tuple[SignalInstance, tuple[Any, ...]]] | None = None
        self._halted_at: tuple[int, AnnotatorError | None] | None = None
        self._replaying = False

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
        self._halted_at = None
        self.undo_stack.clear()
        self.project.close()
        self.project = None
        self.projectClosed.emit()

    def require(self) -> Project:
        if self.project is None:
            raise AnnotatorError("open or create a project first (File > Open)")
        return self.project

    # -- running commands: the one guarded path of every change -------------------

    def run(self, command: FirstDoneCommand) -> bool:
        """Do *command* once now; on success push it for undo, else report the error."""
        error = self.guarded(command.do_first)
        if error is not None:
            self.report(error)
            return False
        self.undo_stack.push(command)  # its redo() does nothing this once
        return True

    def guarded(self, change: Callable[[], object]) -> AnnotatorError | None:
        """Run *change* as one transaction; return the error that stopped it, if any.

        The views hear of the change only once it is in the file: what the session
        would announce meanwhile is held back, and dropped when the transaction is
        rolled back, so the views always show what the file holds.
        """
        held: list[tuple[SignalInstance, tuple[Any, ...]]] = []
        self._held = held
        try:
            with self.require().transaction():
                change()
        except AnnotatorError as exc:
            return exc
        finally:
            self._held = None
        for signal, args in held:
            signal.emit(*args)
        return None

    def report(self, error: AnnotatorError) -> None:
        """Tell the user why a change was not saved (one dialog, or the file guard's)."""
        if isinstance(error, FILE_PROBLEMS):
            self.fileProblem.emit(error)
        else:
            self.failed.emit(str(error))

    def announce(self, signal: SignalInstance, *args: Any) -> None:
        if self._held is None:
            signal.emit(*args)
        else:
            self._held.append((signal, args))

    def step(self, command: FirstDoneCommand, change: Callable[[], object], *, undo: bool) -> None:
        """Undo or redo *command* for the stack (QUndoStack.undo/redo/setIndex, the
        undo actions, the history view): through :meth:`guarded`, like the first do.

        The stack moves its index whatever a command does, so when the change fails
        the stack is put back where the file is (:meth:`_index_changed`): the failed
        command, and every later step of the same move, stay as they were.
        """
        if self._replaying or self._halted_at is not None:
            return  # putting the stack back, or an earlier step of this move failed
        try:
            error = self.guarded(change)
        except BaseException:  # a bug: it reaches sys.excepthook, the stack stays right
            self._halted_at = (self._position(command) + (1 if undo else 0), None)
            raise
        if error is not None:
            # undoing command i failed: it is still done, so the index stays above it
            self._halted_at = (self._position(command) + (1 if undo else 0), error)

    def _position(self, command: QUndoCommand) -> int:
        stack = self.undo_stack
        near = stack.index()
        for i in sorted(range(stack.count()), key=lambda i: abs(i - near)):
            if stack.command(i) is command:
                return i
        raise AssertionError("an undo step that is not on the stack")

    def _index_changed(self, _index: int) -> None:
        if self._halted_at is None:
            return
        (position, error), self._halted_at = self._halted_at, None
        self._replaying = True
        try:
            self.undo_stack.setIndex(position)  # every step is a no-op meanwhile
        finally:
            self._replaying = False
        if error is not None:
            self.report(error)

    # -- changes (called by undo commands) -----------------------------------------

    def add(
        self, document_id: int, spans: Sequence[tuple[int, int, str, str | None]]
    ) -> list[Annotation]:
        made = self.require().annotate_many(document_id, spans)
        self.announce(self.annotationsAdded, made)
        return made

    def remove(self, ids: Iterable[int]) -> Removed:
        removed = self.require().remove_annotations(ids)
        self.announce(self.annotationsRemoved, list(removed.annotations))
        if removed.relations or removed.attributes or removed.actor_links:
            self.announce(self.structureChanged)
        return removed

    def restore(self, removed: Removed) -> None:
        self.require().restore(removed)
        self.announce(self.annotationsAdded, list(removed.annotations))
        if removed.relations or removed.attributes or removed.actor_links:
            self.announce(self.structureChanged)

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
        self.announce(self.annotationChanged, old, new)
        return new


class FirstDoneCommand(QUndoCommand):
    """An undo command whose first ``redo`` was already done by :meth:`Session.run`.

    Subclasses give :meth:`do_first`, :meth:`apply` (redo) and :meth:`revert` (undo);
    the stack's ``undo``/``redo`` run those through the session's guarded path.
    """

    def __init__(self, session: Session, text: str) -> None:
        super().__init__(text)
        self.session = session
        self._fresh = True

    def do_first(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.session.step(self, self.apply, undo=False)

    def undo(self) -> None:
        self.session.step(self, self.revert, undo=True)


class StructureSession:
    """Attribute, relation and actor changes of a :class:`Session` (undo commands call these)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _done(self) -> None:
        self.session.announce(self.session.structureChanged)

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
