"""Document variables as stored: typed values per document (``project.variables``).

Each variable has one type for the whole project (``variable_types``); each document
has at most one value per variable (``document_variables``), kept as canonical text
(:mod:`annotator.core.variables`). Imports write them in bulk inside their own
transaction with :meth:`DocumentVariables.set_many`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.variables import VARIABLE_TYPES, check_key, guess_type, normalise

if TYPE_CHECKING:
    from annotator.store.project import Project


class DocumentVariables:
    """The project's document variables (a part of :class:`~annotator.store.project.Project`)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def types(self) -> dict[str, str]:
        """Variable name -> type, in their order."""
        rows = self._project.execute("SELECT key, type FROM variable_types ORDER BY position")
        return dict(rows.fetchall())

    def define(self, key: str, kind: str) -> None:
        """Define *key* as a *kind* variable, or change its type (every value it has
        must fit the new type; they are rewritten in its canonical form)."""
        check_key(key)
        if kind not in VARIABLE_TYPES:
            raise InputError(f"a variable type is one of {', '.join(VARIABLE_TYPES)}, not '{kind}'")
        with self._project.transaction():
            self._define(key, kind)

    def _define(self, key: str, kind: str) -> None:
        execute = self._project.execute
        have = execute("SELECT type FROM variable_types WHERE key = ?", (key,)).fetchone()
        if have is None:
            execute(
                "INSERT INTO variable_types(key, type, position) "
                "VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM variable_types))",
                (key, kind),
            )
            return
        if have[0] == kind:
            return
        rows = execute(
            "SELECT document_id, value FROM document_variables WHERE key = ?", (key,)
        ).fetchall()
        try:
            new = [(normalise(kind, value), doc, key) for doc, value in rows]
        except InputError as exc:
            raise InputError(f"variable '{key}' cannot become {kind}: {exc}") from None
        execute("UPDATE variable_types SET type = ? WHERE key = ?", (kind, key))
        self._project._conn.executemany(
            "UPDATE document_variables SET value = ? WHERE document_id = ? AND key = ?", new
        )

    def set(self, document_id: int, key: str, value: object, kind: str | None = None) -> None:
        """Give document *document_id* the value *value* of *key* (None: remove it). An
        undefined *key* is defined with *kind*, or the type guessed from *value*."""
        self.set_many([(document_id, key, value)], {key: kind} if kind else {})

    def set_many(
        self, rows: Iterable[tuple[int, str, object]], types: Mapping[str, str] = {}
    ) -> int:
        """Set many values at once (None removes one); undefined keys are defined with
        the type in *types* or the one that fits all their values. One transaction (or
        the caller's). Returns how many values were written."""
        items = list(rows)
        known = self.types()
        values_by_key: dict[str, list[object]] = {}
        for _doc, key, value in items:
            if key not in known and value is not None:
                values_by_key.setdefault(check_key(key), []).append(value)
        documents = {doc for doc, _k, _v in items}
        present = {
            row[0]
            for row in self._project.execute("SELECT id FROM documents").fetchall()
            if row[0] in documents
        }
        missing = documents - present
        if missing:
            raise InputError(f"there is no document {min(missing)} in the project")
        with self._project.transaction():
            for key, values in values_by_key.items():
                kind = types.get(key) or guess_type(values)
                self._define(key, kind)
                known[key] = kind
            write: list[tuple[int, str, str]] = []
            remove: list[tuple[int, str]] = []
            for doc, key, value in items:
                if value is None:
                    remove.append((doc, key))
                    continue
                try:
                    write.append((doc, key, normalise(known[key], value)))
                except InputError as exc:
                    raise InputError(f"variable '{key}' ({known[key]}): {exc}") from None
            conn = self._project._conn
            conn.executemany(
                "DELETE FROM document_variables WHERE document_id = ? AND key = ?", remove
            )
            conn.executemany(
                "INSERT INTO document_variables(document_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT(document_id, key) DO UPDATE SET value = excluded.value",
                write,
            )
        return len(write)

    def of(self, document_id: int) -> dict[str, str]:
        """One document's variables, in the variables' order."""
        rows = self._project.execute(
            "SELECT v.key, v.value FROM document_variables v "
            "JOIN variable_types t ON t.key = v.key WHERE v.document_id = ? ORDER BY t.position",
            (document_id,),
        )
        return dict(rows.fetchall())

    def all(self) -> dict[int, dict[str, str]]:
        """Every document's variables (documents without any are left out)."""
        out: dict[int, dict[str, str]] = {}
        rows = self._project.execute(
            "SELECT v.document_id, v.key, v.value FROM document_variables v "
            "JOIN variable_types t ON t.key = v.key ORDER BY v.document_id, t.position"
        )
        for doc, key, value in rows:
            out.setdefault(doc, {})[key] = value
        return out

    def rename(self, old: str, new: str) -> None:
        check_key(new)
        if old not in self.types():
            raise InputError(f"there is no variable '{old}'")
        if new in self.types():
            raise InputError(f"there is a variable '{new}' already")
        with self._project.transaction():
            self._project.execute("UPDATE variable_types SET key = ? WHERE key = ?", (new, old))

    def remove(self, key: str) -> None:
        """Remove the variable *key* and every document's value of it."""
        if key not in self.types():
            raise InputError(f"there is no variable '{key}'")
        with self._project.transaction():
            self._project.execute("DELETE FROM variable_types WHERE key = ?", (key,))
