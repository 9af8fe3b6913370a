"""Undo commands for claim structure: attributes, relations, actor links, actor merges."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from annotator.gui.session import FirstDoneCommand, Session
from annotator.gui.wording import quoted
from annotator.store import Actor, Relation

SPAN_CHARS = 40  # of a span's text in an undo step's name
PAIR_CHARS = 28  # of each span's text when a step names two


def tr(text: str) -> str:
    return QCoreApplication.translate("structure", text)


def span_of(session: Session, annotation_id: int, limit: int = SPAN_CHARS) -> str:
    """The quoted excerpt of an annotation's text, for an undo step's name."""
    return quoted(session.require().annotation(annotation_id).text, limit)


def link_name(session: Session, from_id: int, to_id: int, kind: str) -> str:
    """“France’s Senate” —claimant→ “calling for…”, as the Links list shows a link."""
    source, target = span_of(session, from_id, PAIR_CHARS), span_of(session, to_id, PAIR_CHARS)
    return f"{source} —{kind}→ {target}"


class SetAttributes(FirstDoneCommand):
    def __init__(self, session: Session, annotation_id: int, values: dict[str, str | None]) -> None:
        span = span_of(session, annotation_id)
        if len(values) == 1:
            ((key, value),) = values.items()
            if value in (None, ""):
                text = tr("Clear %s of %s") % (key, span)
            else:
                text = tr("Set %s of %s to %s") % (key, span, quoted(value, PAIR_CHARS))
        else:
            text = tr("Set %s of %s") % (", ".join(values), span)
        super().__init__(session, text)
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
        super().__init__(session, tr("Link %s") % link_name(session, from_id, to_id, kind))
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
        r = relation
        super().__init__(
            session, tr("Remove the link %s") % link_name(session, r.from_id, r.to_id, r.type)
        )
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
        mention = quoted(project.annotation(annotation_id).text, SPAN_CHARS)
        named = quoted(name, SPAN_CHARS)
        super().__init__(session, tr("Link %s to the actor %s") % (mention, named))
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
        names = (quoted(gone.name, SPAN_CHARS), quoted(keep.name, SPAN_CHARS))
        super().__init__(session, tr("Merge the actor %s into %s") % names)
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
        super().__init__(session, tr("Make %s a %s") % (quoted(actor.name, SPAN_CHARS), kind))
        self.actor, self.kind = actor, kind

    def do_first(self) -> None:
        self.apply()

    def apply(self) -> None:
        self.session.structure.set_actor_type(self.actor.id, self.kind)

    def revert(self) -> None:
        self.session.structure.set_actor_type(self.actor.id, self.actor.type)
