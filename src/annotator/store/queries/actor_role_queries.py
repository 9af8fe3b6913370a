"""The actor x label matrix by role: claims per actor and claim label, counting an actor
only where it takes the chosen part in a claim (claimant, addressee, object, accused) or
in any of them. The window's statistics dock, its drill into a cell and its CSV/XLSX
export all read this one query::

    from annotator.store.queries.actor_role_queries import actor_label_matrix

    matrix = actor_label_matrix(project, "addressee")
    matrix.count("Government", "demand")   # demands addressed to the government
    matrix.ids_of("Government", "demand")  # the annotation ids of those demands

Counts agree with :func:`annotator.store.queries.analysis_queries.project_stats` (``any`` is its
``actor_label``): an actor is its canonical actor's name, else its mention's text with
white space folded; an actor reached through several mentions in one claim counts once;
only relations whose two ends are in scope (document, coder) count.
"""

from __future__ import annotations

from collections import defaultdict

from annotator.core.analysis import ROLE_NAMES, claim_labels
from annotator.core.cooccurrence import Matrix
from annotator.core.errors import InputError
from annotator.store.project import Project

ANY = "any"
ACTOR_ROLES = (ANY, *ROLE_NAMES)  # the choices, "any" first
TO_THE_CLAIM = frozenset({"claimant"})  # actor -> claim; the other roles go claim -> actor


def corner(role: str) -> str:
    """What the rows of the matrix are, for its header: ``actor (claimant)``."""
    return f"actor ({'any role' if role == ANY else role})"


def actor_label_matrix(
    project: Project, role: str = ANY, document: int | None = None, coder: str | None = None
) -> Matrix:
    """Claims per actor (rows, most claims first) and claim label (columns, codebook
    order), the actor in *role* (``any``: in any role); of one *document* and one
    *coder*'s layer when given. Each cell keeps the ids of its claims."""
    if role not in ACTOR_ROLES:
        raise InputError(f"there is no role '{role}' (roles: {', '.join(ACTOR_ROLES)})")
    keys = claim_labels(project.codebook())
    roles = ROLE_NAMES if role == ANY else (role,)
    if not keys:
        return Matrix((), (), corner=corner(role))
    scope, params = "", []
    for column, value in (("document_id", document), ("annotator", coder)):
        if value is not None:  # both ends of the relation, as the claims table has it
            scope += f" AND c.{column} = ? AND a.{column} = ?"
            params += [value, value]
    label_marks = ",".join("?" * len(keys))
    selects, args = [], []
    for inward, types in (
        (True, [r for r in roles if r in TO_THE_CLAIM]),
        (False, [r for r in roles if r not in TO_THE_CLAIM]),
    ):
        if not types:
            continue
        claim_end, actor_end = ("to_id", "from_id") if inward else ("from_id", "to_id")
        selects.append(
            "SELECT c.id, l.key, a.text, act.name FROM relations r "
            f"JOIN annotations c ON c.id = r.{claim_end} "
            f"JOIN annotations a ON a.id = r.{actor_end} "
            "JOIN labels l ON l.id = c.label_id "
            "LEFT JOIN actor_mentions m ON m.annotation_id = a.id "
            "LEFT JOIN actors act ON act.id = m.actor_id "
            f"WHERE r.type IN ({','.join('?' * len(types))}) AND l.key IN ({label_marks})" + scope
        )
        args += [*types, *keys, *params]
    claims: dict[tuple[str, str], set[int]] = defaultdict(set)
    for claim_id, key, text, name in project.execute(" UNION ".join(selects), args):
        actor = name if name is not None else " ".join(str(text).split())
        claims[(actor, key)].add(int(claim_id))
    totals: dict[str, int] = defaultdict(int)
    for (actor, _key), ids in claims.items():
        totals[actor] += len(ids)
    rows = tuple(sorted(totals, key=lambda a: (-totals[a], a)))
    matrix = Matrix(rows, tuple(keys), corner=corner(role))
    for (actor, key), ids in claims.items():
        matrix.add(actor, key, ids, len(ids))
    return matrix


def row_ids(matrix: Matrix, row: str) -> list[int]:
    """The claims of every column of *row* (a "Total" cell)."""
    return sorted({i for column in matrix.columns for i in matrix.ids_of(row, column)})
