"""Named document groups, nested like folders (``project.groups``): MAXQDA's document
groups, REFI-QDA's Sets, the outlets or waves of a study. A document may be in several."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.variables import check_key

if TYPE_CHECKING:
    from annotator.store.project import Project


@dataclass(frozen=True, slots=True)
class DocumentGroup:
    name: str
    parent: str | None
    document_ids: tuple[int, ...]


class DocumentGroups:
    """The project's document groups (a part of :class:`~annotator.store.project.Project`)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def _id(self, name: str) -> int:
        row = self._project.execute(
            "SELECT id FROM document_groups WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise InputError(f"there is no document group '{name}'")
        return int(row[0])

    def create(self, name: str, parent: str | None = None) -> int:
        """A new empty group *name* (under *parent*); an existing one is returned as is."""
        name = _check_name(name)
        row = self._project.execute(
            "SELECT id FROM document_groups WHERE name = ?", (name,)
        ).fetchone()
        if row is not None:
            return int(row[0])
        parent_id = None if parent is None else self._id(parent)
        with self._project.transaction():
            cursor = self._project.execute(
                "INSERT INTO document_groups(name, parent_id, position) VALUES (?, ?, "
                "(SELECT coalesce(max(position) + 1, 0) FROM document_groups))",
                (name, parent_id),
            )
        return int(cursor.lastrowid or 0)

    def add(self, name: str, document_ids: Iterable[int]) -> bool:
        """Put the documents in group *name* (made when missing); True when this made
        the group (its undo then deletes it, not only empties it)."""
        name = _check_name(name)
        found = self._project.execute("SELECT 1 FROM document_groups WHERE name = ?", (name,))
        new = found.fetchone() is None
        with self._project.transaction():  # the new group and its members: one change
            group = self.create(name)
            self._project._conn.executemany(
                "INSERT OR IGNORE INTO document_group_members(group_id, document_id) "
                "SELECT ?, id FROM documents WHERE id = ?",
                [(group, doc) for doc in document_ids],
            )
        return new

    def remove(self, name: str, document_ids: Iterable[int]) -> None:
        group = self._id(name)
        with self._project.transaction():
            self._project._conn.executemany(
                "DELETE FROM document_group_members WHERE group_id = ? AND document_id = ?",
                [(group, doc) for doc in document_ids],
            )

    def delete(self, name: str) -> None:
        """Delete the group and the groups under it (their documents stay)."""
        group = self._id(name)
        with self._project.transaction():
            self._project.execute("DELETE FROM document_groups WHERE id = ?", (group,))

    def rename(self, old: str, new: str) -> None:
        group = self._id(old)
        new = _check_name(new)
        if self._project.execute("SELECT 1 FROM document_groups WHERE name = ?", (new,)).fetchone():
            raise InputError(f"there is a document group '{new}' already")
        with self._project.transaction():
            self._project.execute("UPDATE document_groups SET name = ? WHERE id = ?", (new, group))

    def move(self, name: str, parent: str | None) -> None:
        """Put group *name* under *parent* (None: top level); never under itself."""
        group = self._id(name)
        parent_id = None if parent is None else self._id(parent)
        walk = parent_id
        while walk is not None:
            if walk == group:
                raise InputError(f"group '{name}' cannot be put inside itself")
            row = self._project.execute(
                "SELECT parent_id FROM document_groups WHERE id = ?", (walk,)
            ).fetchone()
            walk = row[0] if row else None
        with self._project.transaction():
            self._project.execute(
                "UPDATE document_groups SET parent_id = ? WHERE id = ?", (parent_id, group)
            )

    def all(self) -> list[DocumentGroup]:
        """Every group, in their order, with its documents."""
        members: dict[int, list[int]] = {}
        for group, doc in self._project.execute(
            "SELECT group_id, document_id FROM document_group_members ORDER BY document_id"
        ):
            members.setdefault(group, []).append(doc)
        rows = self._project.execute(
            "SELECT g.id, g.name, p.name FROM document_groups g "
            "LEFT JOIN document_groups p ON p.id = g.parent_id ORDER BY g.position"
        ).fetchall()
        return [
            DocumentGroup(name, parent, tuple(members.get(gid, ()))) for gid, name, parent in rows
        ]

    def of(self, document_id: int) -> list[str]:
        """The names of the groups document *document_id* is in."""
        rows = self._project.execute(
            "SELECT g.name FROM document_groups g JOIN document_group_members m "
            "ON m.group_id = g.id WHERE m.document_id = ? ORDER BY g.position",
            (document_id,),
        )
        return [row[0] for row in rows]


def _check_name(name: str) -> str:
    try:
        return check_key(name.strip() if isinstance(name, str) else name)
    except InputError:
        raise InputError(
            f"'{name}' cannot be a group name (1 to 64 characters on one line)"
        ) from None
