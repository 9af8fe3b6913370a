"""Undo commands for claim structure: attributes, relations, actor links, actor merges."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.gui.wording import quoted
from annotator.store import Actor, Relation


def tr(text: str) -> str:
    return QCoreApplication.translate("structure", text)


class SetAttributes(FirstDoneCommand):
    def __init__(self, session: Session, annotation_id: int, values: dict[str, str | None]) -> None:
        keys = ", ".join(values)
        super().__init__(session, tr("Set %s") % keys)
        self.annotation_id = annotation_id
        self.values = dict(values)
        current = session.require().attributes(annotation_id)
        self.before: dict[str, str | None] = {k: current.get(k) for k in values}

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.session.structure.set_attributes(self.annotation_id, self.values)

    def revert(self) -> None:
        self.session.structure.set_attributes(self.annotation_id, self.before)


class Relate(FirstDoneCommand):
    def __init__(self, session: Session, from_id: int, to_id: int, kind: str) -> None:
        super().__init__(session, tr("Link as %s") % kind)
        self.args = (from_id, to_id, kind)
        self.relation: Relation | None = None

    def do_first(self) -> None:
        self.relation = self.session.structure.relate(*self.args)

    def apply(self) -> None:
        assert self.relation is not None
        self.session.structure.restore_relation(self.relation)

    def revert(self) -> None:
        assert self.relation is not None
        self.session.structure.remove_relation(self.relation.id)


class RemoveRelation(FirstDoneCommand):
    def __init__(self, session: Session, relation: Relation) -> None:
        super().__init__(session, tr("Remove %s link") % relation.type)
        self.relation = relation

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.session.structure.remove_relation(self.relation.id)

    def revert(self) -> None:
        self.session.structure.restore_relation(self.relation)


class LinkActor(FirstDoneCommand):
    """Link an actor mention to a canonical actor (created when new)."""

    def __init__(self, session: Session, annotation_id: int, name: str, kind: str | None) -> None:
        project = session.require()
        mention = quoted(project.annotation(annotation_id).text, 40)
        super().__init__(session, tr("Link %s to the actor %s") % (mention, name))
        self.annotation_id, self.name, self.kind = annotation_id, name, kind
        self.before = project.actor_of(annotation_id)
        self.existed = project.find_actor(name)
        self.actor: Actor | None = None

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.actor = self.session.structure.link_actor(self.annotation_id, self.name, self.kind)

    def revert(self) -> None:
        structure = self.session.structure
        if self.before is not None:
            structure.link_actor(self.annotation_id, self.before.name, self.before.type)
        else:
            structure.unlink_actor(self.annotation_id)
        if self.actor is not None and self.existed is None:
            structure.remove_actor_if_unused(self.actor.id)
        elif self.existed is not None and self.kind is not None and self.existed.type != self.kind:
            structure.set_actor_type(self.existed.id, self.existed.type)


class MergeActors(FirstDoneCommand):
    def __init__(self, session: Session, keep: Actor, gone: Actor) -> None:
        super().__init__(session, tr("Merge %s into %s") % (gone.name, keep.name))
        self.keep, self.gone = keep, gone
        self.moved: list[int] = []

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        _gone, self.moved = self.session.structure.merge_actors(self.keep.id, self.gone.id)

    def revert(self) -> None:
        self.session.structure.unmerge_actors(self.gone, self.moved)


class SetActorType(FirstDoneCommand):
    """Change a canonical actor's type (for all its mentions): its own, explicit step."""

    def __init__(self, session: Session, actor: Actor, kind: str) -> None:
        super().__init__(session, tr("Make “%s” a %s") % (actor.name, kind))
        self.actor, self.kind = actor, kind

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.session.structure.set_actor_type(self.actor.id, self.kind)

    def revert(self) -> None:
        self.session.structure.set_actor_type(self.actor.id, self.actor.type)
