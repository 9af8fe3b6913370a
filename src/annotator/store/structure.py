"""Claim structure on top of annotations: attributes, relations and canonical actors.

:class:`StructureMixin` is part of :class:`~annotator.store.project.Project`; it is kept
apart so that each module has one job. Every value is checked against the codebook.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from annotator.core.codebook import AttributeDef, Codebook
from annotator.core.errors import InputError
from annotator.store.models import Actor, Annotation, Relation, Removed

if TYPE_CHECKING:
    from pathlib import Path

ACTOR_TYPES = ("person", "organisation", "state", "other")
_TRUE = {"true", "yes", "1", "y", "on"}
_FALSE = {"false", "no", "0", "n", "off"}


def check_attribute_value(definition: AttributeDef, value: str) -> str:
    """The canonical text of *value* for *definition*, or :class:`InputError`."""
    value = str(value).strip()
    if definition.type == "choice":
        if value not in definition.choices:
            raise InputError(
                f"'{value}' is not a choice of {definition.key} "
                f"(choices: {', '.join(definition.choices)})"
            )
        return value
    if definition.type == "number":
        try:
            number = float(value)
        except ValueError:
            raise InputError(f"{definition.key} is a number, not '{value}'") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise InputError(f"{definition.key} must be a finite number")
        return str(int(number)) if number.is_integer() and "." not in value else repr(number)
    if definition.type == "boolean":
        lowered = value.lower()
        if lowered in _TRUE:
            return "true"
        if lowered in _FALSE:
            return "false"
        raise InputError(f"{definition.key} is yes or no, not '{value}'")
    return value


class StructureMixin:
    """Attributes, relations and actors of a project (mixed into ``Project``)."""

    _conn: sqlite3.Connection
    path: Path

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...
        def annotation(self, annotation_id: int) -> Annotation: ...
        def codebook(self) -> Codebook: ...
        def restore_annotations(self, annotations: Sequence[Annotation]) -> list[Annotation]: ...
        @property
        def annotator(self) -> str: ...

    # -- attributes ----------------------------------------------------------------

    def _attribute_def(self, annotation: Annotation, key: str) -> AttributeDef:
        codebook = self.codebook()
        for definition in codebook.attributes:
            if definition.key == key:
                if not definition.applies_to(annotation.label):
                    raise InputError(
                        f"attribute '{key}' does not apply to {annotation.label} annotations "
                        f"(only to {', '.join(definition.labels)})"
                    )
                return definition
        known = ", ".join(a.key for a in codebook.attributes) or "none"
        raise InputError(f"there is no attribute '{key}' in the codebook (attributes: {known})")

    def set_attributes(self, annotation_id: int, values: dict[str, str | None]) -> dict[str, str]:
        """Set (or with None, clear) attributes of an annotation in one transaction."""
        annotation = self.annotation(annotation_id)
        checked: dict[str, str | None] = {}
        for key, value in values.items():
            definition = self._attribute_def(annotation, key)
            checked[key] = None if value is None else check_attribute_value(definition, value)
        with self.transaction():
            for key, text in checked.items():
                if text is None:
                    self._conn.execute(
                        "DELETE FROM annotation_attributes WHERE annotation_id = ? AND key = ?",
                        (annotation_id, key),
                    )
                else:
                    self._conn.execute(
                        "INSERT INTO annotation_attributes(annotation_id, key, value) "
                        "VALUES (?, ?, ?) ON CONFLICT(annotation_id, key) "
                        "DO UPDATE SET value = excluded.value",
                        (annotation_id, key, text),
                    )
        return self.attributes(annotation_id)

    def set_attribute(self, annotation_id: int, key: str, value: str | None) -> dict[str, str]:
        return self.set_attributes(annotation_id, {key: value})

    def attributes(self, annotation_id: int) -> dict[str, str]:
        rows = self._conn.execute(
            "SELECT key, value FROM annotation_attributes WHERE annotation_id = ? ORDER BY key",
            (annotation_id,),
        )
        return dict(rows.fetchall())

    def all_attributes(self, document: int | None = None) -> dict[int, dict[str, str]]:
        """Attributes of every annotation (of one document), by annotation id."""
        sql = "SELECT t.annotation_id, t.key, t.value FROM annotation_attributes t"
        params: tuple[Any, ...] = ()
        if document is not None:
            sql += " JOIN annotations a ON a.id = t.annotation_id WHERE a.document_id = ?"
            params = (document,)
        out: dict[int, dict[str, str]] = {}
        for annotation_id, key, value in self._conn.execute(sql, params):
            out.setdefault(annotation_id, {})[key] = value
        return out

    def attribute_values(self, key: str) -> list[str]:
        """Values already used for an attribute, most frequent first (for completion)."""
        rows = self._conn.execute(
            "SELECT value FROM annotation_attributes WHERE key = ? "
            "GROUP BY value ORDER BY count(*) DESC, value",
            (key,),
        )
        return [r[0] for r in rows]

    # -- relations -----------------------------------------------------------------

    def relate(self, from_id: int, to_id: int, type: str) -> Relation:
        """Link two annotations with a relation type of the codebook."""
        if from_id == to_id:
            raise InputError("an annotation cannot be related to itself")
        source, target = self.annotation(from_id), self.annotation(to_id)
        codebook = self.codebook()
        kind = next((r for r in codebook.relations if r.key == type), None)
        if kind is None:
            known = ", ".join(r.key for r in codebook.relations) or "none"
            raise InputError(f"there is no relation type '{type}' (types: {known})")
        if not kind.fits(source.label, target.label):
            raise InputError(
                f"a {type} relation goes from {' or '.join(kind.from_labels) or 'any label'} "
                f"to {' or '.join(kind.to_labels) or 'any label'}, not from "
                f"{source.label} to {target.label}"
            )
        if source.document_id != target.document_id:
            raise InputError("related annotations must be in the same document")
        exists = self._conn.execute(
            "SELECT id FROM relations WHERE type = ? AND from_id = ? AND to_id = ?",
            (type, from_id, to_id),
        ).fetchone()
        if exists:
            raise InputError(f"annotations {from_id} and {to_id} are already linked as {type}")
        from annotator.store.project import now

        stamp, who = now(), self.annotator
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO relations(type, from_id, to_id, annotator, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (type, from_id, to_id, who, stamp),
            )
        assert cur.lastrowid is not None
        return Relation(cur.lastrowid, type, from_id, to_id, who, stamp)

    def relations(self, document: int | None = None) -> list[Relation]:
        sql = "SELECT r.id, r.type, r.from_id, r.to_id, r.annotator, r.created FROM relations r"
        params: tuple[Any, ...] = ()
        if document is not None:
            # CROSS JOIN keeps relations as the outer loop: a document has far more
            # annotations than the project has relations
            sql += " CROSS JOIN annotations a ON a.id = r.from_id WHERE a.document_id = ?"
            params = (document,)
        return [Relation(*r) for r in self._conn.execute(sql + " ORDER BY r.id", params)]

    def relations_of(self, annotation_id: int) -> list[Relation]:
        """The relations from or to one annotation."""
        rows = self._conn.execute(
            "SELECT id, type, from_id, to_id, annotator, created FROM relations "
            "WHERE from_id = ? OR to_id = ? ORDER BY id",
            (annotation_id, annotation_id),
        )
        return [Relation(*r) for r in rows]

    def remove_relation(self, relation_id: int) -> Relation:
        row = self._conn.execute(
            "SELECT id, type, from_id, to_id, annotator, created FROM relations WHERE id = ?",
            (relation_id,),
        ).fetchone()
        if row is None:
            raise InputError(f"there is no relation {relation_id}")
        with self.transaction():
            self._conn.execute("DELETE FROM relations WHERE id = ?", (relation_id,))
        return Relation(*row)

    def restore_relations(self, relations: Iterable[Relation]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO relations(id, type, from_id, to_id, annotator, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(r.id, r.type, r.from_id, r.to_id, r.annotator, r.created) for r in relations],
            )

    # -- actors --------------------------------------------------------------------

    def actors(self) -> list[Actor]:
        return [
            Actor(*r) for r in self._conn.execute("SELECT id, name, type FROM actors ORDER BY name")
        ]

    def find_actor(self, name: str) -> Actor | None:
        row = self._conn.execute(
            "SELECT id, name, type FROM actors WHERE name = ?", (name.strip(),)
        ).fetchone()
        return Actor(*row) if row else None

    def link_actor(self, annotation_id: int, name: str, type: str | None = None) -> Actor:
        """Link an actor mention to the canonical actor *name*, creating it when new."""
        name = name.strip()
        if not name:
            raise InputError("an actor needs a name")
        if type is not None and type not in ACTOR_TYPES:
            raise InputError(f"an actor's type is one of {', '.join(ACTOR_TYPES)}, not '{type}'")
        annotation = self.annotation(annotation_id)
        if annotation.label != "actor":
            raise InputError(f"annotation {annotation_id} is a {annotation.label}, not an actor")
        with self.transaction():
            actor = self.find_actor(name)
            if actor is None:
                cur = self._conn.execute(
                    "INSERT INTO actors(name, type) VALUES (?, ?)", (name, type or "other")
                )
                assert cur.lastrowid is not None
                actor = Actor(cur.lastrowid, name, type or "other")
            elif type is not None and type != actor.type:
                self._conn.execute("UPDATE actors SET type = ? WHERE id = ?", (type, actor.id))
                actor = Actor(actor.id, actor.name, type)
            self._conn.execute(
                "INSERT INTO actor_mentions(annotation_id, actor_id) VALUES (?, ?) "
                "ON CONFLICT(annotation_id) DO UPDATE SET actor_id = excluded.actor_id",
                (annotation_id, actor.id),
            )
        return actor

    def set_actor_type(self, actor_id: int, type: str) -> None:
        if type not in ACTOR_TYPES:
            raise InputError(f"an actor's type is one of {', '.join(ACTOR_TYPES)}, not '{type}'")
        with self.transaction():
            self._conn.execute("UPDATE actors SET type = ? WHERE id = ?", (type, actor_id))

    def remove_actor_if_unused(self, actor_id: int) -> bool:
        """Delete an actor that no mention links to any more (undo of its creation)."""
        if self.mentions(actor_id):
            return False
        with self.transaction():
            self._conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
        return True

    def unlink_actor(self, annotation_id: int) -> None:
        with self.transaction():
            self._conn.execute(
                "DELETE FROM actor_mentions WHERE annotation_id = ?", (annotation_id,)
            )

    def actor_of(self, annotation_id: int) -> Actor | None:
        row = self._conn.execute(
            "SELECT c.id, c.name, c.type FROM actor_mentions m JOIN actors c ON c.id = m.actor_id "
            "WHERE m.annotation_id = ?",
            (annotation_id,),
        ).fetchone()
        return Actor(*row) if row else None

    def actor_links(self) -> dict[int, int]:
        """Annotation id -> actor id for every linked mention."""
        return dict(self._conn.execute("SELECT annotation_id, actor_id FROM actor_mentions"))

    def mentions(self, actor_id: int) -> list[int]:
        rows = self._conn.execute(
            "SELECT annotation_id FROM actor_mentions WHERE actor_id = ? ORDER BY annotation_id",
            (actor_id,),
        )
        return [r[0] for r in rows]

    def merge_actors(self, keep_id: int, gone_id: int) -> tuple[Actor, list[int]]:
        """Move every mention of actor *gone_id* to *keep_id* and delete *gone_id*.

        Returns the removed actor and the mentions moved, for undo.
        """
        if keep_id == gone_id:
            raise InputError("an actor cannot be merged with itself")
        rows = {
            r[0]: Actor(*r)
            for r in self._conn.execute(
                "SELECT id, name, type FROM actors WHERE id IN (?, ?)", (keep_id, gone_id)
            )
        }
        for actor_id in (keep_id, gone_id):
            if actor_id not in rows:
                raise InputError(f"there is no actor {actor_id}")
        moved = self.mentions(gone_id)
        with self.transaction():
            self._conn.execute(
                "UPDATE actor_mentions SET actor_id = ? WHERE actor_id = ?", (keep_id, gone_id)
            )
            self._conn.execute("DELETE FROM actors WHERE id = ?", (gone_id,))
        return rows[gone_id], moved

    def unmerge_actors(self, gone: Actor, moved: Iterable[int]) -> None:
        """Undo :meth:`merge_actors`."""
        with self.transaction():
            self._conn.execute(
                "INSERT INTO actors(id, name, type) VALUES (?, ?, ?)",
                (gone.id, gone.name, gone.type),
            )
            self._conn.executemany(
                "UPDATE actor_mentions SET actor_id = ? WHERE annotation_id = ?",
                [(gone.id, m) for m in moved],
            )

    # -- deletion and its undo -----------------------------------------------------

    def remove_annotations(self, annotation_ids: Iterable[int]) -> Removed:
        """Delete annotations with their attributes, relations and actor links."""
        ids = list(dict.fromkeys(annotation_ids))
        gone = tuple(self.annotation(i) for i in ids)
        marks = ",".join("?" * len(ids))
        attributes = tuple(
            self._conn.execute(
                f"SELECT annotation_id, key, value FROM annotation_attributes "
                f"WHERE annotation_id IN ({marks})",
                ids,
            )
        )
        relations = tuple(
            Relation(*r)
            for r in self._conn.execute(
                f"SELECT id, type, from_id, to_id, annotator, created FROM relations "
                f"WHERE from_id IN ({marks}) OR to_id IN ({marks}) ORDER BY id",
                ids + ids,
            )
        )
        links = tuple(
            self._conn.execute(
                f"SELECT annotation_id, actor_id FROM actor_mentions WHERE annotation_id IN ({marks})",
                ids,
            )
        )
        with self.transaction():
            self._conn.executemany("DELETE FROM annotations WHERE id = ?", [(i,) for i in ids])
        return Removed(gone, attributes, relations, links)

    def restore(self, removed: Removed) -> None:
        """Put back what :meth:`remove_annotations` took, with the same ids."""
        with self.transaction():
            self.restore_annotations(removed.annotations)
            self._conn.executemany(
                "INSERT INTO annotation_attributes(annotation_id, key, value) VALUES (?, ?, ?)",
                removed.attributes,
            )
            self.restore_relations(removed.relations)
            self._conn.executemany(
                "INSERT INTO actor_mentions(annotation_id, actor_id) VALUES (?, ?)",
                removed.actor_links,
            )
