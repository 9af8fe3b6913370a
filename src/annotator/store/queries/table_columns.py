"""The columns of the annotation table (the CSV and XLSX exports): one SQL expression
over the ``annotations_flat`` view per column, so the CSV's lines are still built by
SQLite's ``printf`` in one query.

Besides the flat columns the table carries the claims structure: ``actor`` (the
canonical actor an actor mention is linked to), one column per claim role
(``claimant``, ``addressee``, ``object``, ``accused``: for a claim, the canonical names of
the actors at the other end of its role relations, else the mention's own text, in text
order, each once, joined with "; "), one column per attribute (codebook order, then any
other key the annotations hold; ``attribute KEY`` when KEY is taken) and one per
document variable (``document KEY``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.analysis import JOIN, ROLES, claim_labels
from annotator.core.errors import InputError
from annotator.store.project import Project

FLAT = (
    "document",
    "document_id",
    "annotation_id",
    "start",
    "end",
    "text",
    "label",
    "label_name",
    "note",
    "annotator",
    "created",
    "modified",
)
_NUMBERS = frozenset({"document_id", "annotation_id", "start", "end"})
_GUARDED = frozenset({"document", "text", "label", "label_name", "note", "annotator"})


@dataclass(frozen=True)
class Column:
    name: str
    sql: str  # an expression over annotations_flat (aliased f) and the joins it needs
    number: bool = False  # written as %d, never quoted
    guarded: bool = True  # text a spreadsheet might run: the formula rule applies
    attribute: str | None = None  # the attribute key whose values it holds
    variable: str | None = None  # the document variable whose values it holds
    needs: str | None = None  # the join it reads: "actor", "roles", "attributes", "variables"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _flat(name: str) -> Column:
    sql = "coalesce(f.note, '')" if name == "note" else f'f."{name}"'
    return Column(name, sql, name in _NUMBERS, name in _GUARDED)


WORDS_SQL_FUNCTION = "annotator_words"
NAMES_SQL_FUNCTION = "annotator_names"


def _words(text: str | None) -> str | None:
    return " ".join(text.split()) if isinstance(text, str) else text


def register_functions(project: Project) -> None:
    """Make the Python helpers of the column expressions callable from SQL on
    *project*'s connection: the words of a mention, as the claims table names an actor
    mention that is linked to no canonical actor, and the names of a role in text order."""
    project.db.conn.create_function(WORDS_SQL_FUNCTION, 1, _words, deterministic=True)
    # (typeshed knows one-argument aggregates only)
    project.db.conn.create_aggregate(NAMES_SQL_FUNCTION, 3, _NamesInOrder)  # type: ignore[arg-type]


def _unique(name: str, taken: set[str], prefix: str) -> str:
    out = name if name not in taken else f"{prefix} {name}"
    taken.add(out)
    return out


_EMPTY = "''"  # a column the project has nothing for: no join, no lookup per row


def _holds(project: Project, sql: str) -> bool:
    return bool(project.execute(f"SELECT EXISTS({sql})").fetchone()[0])


def table_columns(project: Project) -> list[Column]:
    """Every column of the annotation table, in the default order. A kind of column
    the project holds nothing for (no actor links, no role relations, no attribute
    values) is the empty text, so a project without them exports as fast as the flat
    table."""
    codebook = project.codebook()
    columns = [_flat(name) for name in FLAT]
    if _holds(project, "SELECT 1 FROM actor_mentions"):
        columns.append(Column("actor", "coalesce(ac.name, '')", needs="actor"))
    else:
        columns.append(Column("actor", _EMPTY, guarded=False))
    roles = ", ".join(_literal(role) for role, _ in ROLES)
    with_roles = _holds(project, f"SELECT 1 FROM relations WHERE type IN ({roles})")
    labels = ", ".join(map(_literal, claim_labels(codebook))) or "NULL"
    for n, (role, _inward) in enumerate(ROLES):
        if with_roles:
            sql = f"CASE WHEN f.label IN ({labels}) THEN coalesce(ro.r{n}, '') ELSE '' END"
            columns.append(Column(role, sql, needs="roles"))
        else:
            columns.append(Column(role, _EMPTY, guarded=False))
    taken = {c.name for c in columns}
    keys = [a.key for a in codebook.attributes]
    used = project.execute("SELECT DISTINCT key FROM annotation_attributes ORDER BY key")
    found = [k for (k,) in used]
    keys += [k for k in found if k not in keys]
    for n, key in enumerate(keys):
        name = _unique(key, taken, "attribute")
        if found:
            sql = f"coalesce(av.a{n}, '')"
            columns.append(Column(name, sql, attribute=key, needs="attributes"))
        else:
            columns.append(Column(name, _EMPTY, guarded=False, attribute=key))
    for n, key in enumerate(_variable_keys(project)):
        name = _unique(f"document {key}", taken, "variable")
        columns.append(Column(name, f"coalesce(dv.v{n}, '')", variable=key, needs="variables"))
    return columns


def _pivot(table: str, id_column: str, keys: Sequence[str], prefix: str) -> str:
    cells = ", ".join(
        f"max(CASE WHEN key = {_literal(k)} THEN value END) AS {prefix}{n}"
        for n, k in enumerate(keys)
    )
    return f"SELECT {id_column} AS id, {cells} FROM {table} GROUP BY {id_column}"


class _NamesInOrder:
    """SQL aggregate ``annotator_names(name, start, id)``: the distinct names, each at
    its first mention in the text, joined with "; " (SQLite's group_concat has no order)."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[int, int]] = {}

    def step(self, name: str, start: int, ident: int) -> None:
        seen = self.first.get(name)
        if seen is None or (start, ident) < seen:
            self.first[name] = (start, ident)

    def finalize(self) -> str:
        return JOIN.join(sorted(self.first, key=self.first.__getitem__))


def _roles_sql() -> str:
    """Per claim, the names at the other end of each role relation (``r0``... in the
    order of :data:`ROLES`): canonical names, else the mention's words, each once, in
    the order of their first mention in the text."""
    roles = ", ".join(_literal(role) for role, _ in ROLES)
    inward = ", ".join(_literal(role) for role, into in ROLES if into) or "NULL"
    ends = (
        f"SELECT CAST(iif(r.type IN ({inward}), r.to_id, r.from_id) AS INTEGER) AS claim, "
        f"r.type AS role, coalesce(c.name, {WORDS_SQL_FUNCTION}(x.text)) AS name, "
        "x.start AS s, x.id AS i FROM relations r JOIN annotations x "
        f"ON x.id = iif(r.type IN ({inward}), r.from_id, r.to_id) "
        "LEFT JOIN actor_mentions m ON m.annotation_id = x.id "
        f"LEFT JOIN actors c ON c.id = m.actor_id WHERE r.type IN ({roles})"
    )
    lists = (
        f"SELECT claim, role, {NAMES_SQL_FUNCTION}(name, s, i) AS names FROM ({ends}) "
        "GROUP BY claim, role"
    )
    cells = ", ".join(
        f"max(CASE WHEN role = {_literal(role)} THEN names END) AS r{n}"
        for n, (role, _) in enumerate(ROLES)
    )
    return f"SELECT claim, {cells} FROM ({lists}) GROUP BY claim"


def table_from(project: Project, columns: Sequence[Column]) -> tuple[str, str]:
    """``(WITH clause, joins)`` that the expressions of *columns* read, for a query
    ``{with} SELECT ... FROM annotations_flat f {joins}``. Each is computed once over
    its own table (relations, attribute values, variables), not once per row."""
    needs = {c.needs for c in columns}
    ctes, joins = [], []
    if "actor" in needs:
        joins.append(
            "LEFT JOIN actor_mentions am ON am.annotation_id = f.annotation_id "
            "LEFT JOIN actors ac ON ac.id = am.actor_id"
        )
    if "roles" in needs:
        ctes.append(f"ro AS MATERIALIZED ({_roles_sql()})")
        joins.append("LEFT JOIN ro ON ro.claim = f.annotation_id")
    if "attributes" in needs:
        keys = [c.attribute for c in table_columns(project) if c.attribute is not None]
        ctes.append(
            f"av AS MATERIALIZED ({_pivot('annotation_attributes', 'annotation_id', keys, 'a')})"
        )
        joins.append("LEFT JOIN av ON av.id = f.annotation_id")
    if "variables" in needs:
        keys = [c.variable for c in table_columns(project) if c.variable is not None]
        ctes.append(
            f"dv AS MATERIALIZED ({_pivot('document_variables', 'document_id', keys, 'v')})"
        )
        joins.append("LEFT JOIN dv ON dv.id = f.document_id")
    return ("WITH " + ", ".join(ctes) if ctes else ""), " ".join(joins)


def _variable_keys(project: Project) -> list[str]:
    found = project.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'variable_types'"
    ).fetchone()
    if found is None:
        return []
    return [k for (k,) in project.execute("SELECT key FROM variable_types ORDER BY position, key")]


def pick_columns(columns: Sequence[Column], names: Sequence[str]) -> list[Column]:
    """The *columns* named by *names*, in that order (all of them when *names* is
    empty); an unknown or repeated name is an :class:`InputError` listing the known."""
    if not names:
        return list(columns)
    by_name = {c.name: c for c in columns}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise InputError(
            f"there is no column '{unknown[0]}'; the columns are: "
            + ", ".join(c.name for c in columns)
        )
    twice = next((n for n in names if list(names).count(n) > 1), None)
    if twice is not None:
        raise InputError(f"the column '{twice}' is named twice in --columns")
    return [by_name[n] for n in names]
