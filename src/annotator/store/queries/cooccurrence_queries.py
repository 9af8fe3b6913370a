"""The reads behind the drill-down matrices (core/cooccurrence.py computes them)::

from annotator.store import Project
from annotator.store.queries.cooccurrence_queries import label_matrix, variable_matrix

with Project.open("claims.annot", read_only=True) as project:
    matrix = label_matrix(project, "sentence")
    print(matrix.count("claim", "actor"), matrix.ids_of("claim", "actor"))
    print(variable_matrix(project, "outlet").table())
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.cooccurrence import Matrix, SpanRow, by_variable, cooccurrence
from annotator.store.project import Project
from annotator.store.queries.retrieval_queries import Segment, context_after, context_before

IDS_PER_QUERY = 900  # below SQLite's limit of bound parameters


def span_rows(project: Project, coder: str | None = None) -> list[SpanRow]:
    """Every annotation as (id, document, start, end, label key); *coder*'s only if given."""
    sql = (
        'SELECT a.id, a.document_id, a.start, a."end", l.key FROM annotations a '
        "JOIN labels l ON l.id = a.label_id"
    )
    params: tuple[object, ...] = ()
    if coder is not None:
        sql, params = sql + " WHERE a.annotator = ?", (coder,)
    return [SpanRow(*row) for row in project.execute(sql, params).fetchall()]


def label_matrix(project: Project, mode: str = "overlap", coder: str | None = None) -> Matrix:
    """Label x label co-occurrence over the whole corpus (``overlap`` or ``sentence``)."""
    rows = span_rows(project, coder)
    texts = None
    if mode == "sentence":
        texts = {doc: project.text(doc) for doc in {r.document_id for r in rows}}
    return cooccurrence(rows, tuple(project.codebook().keys()), mode, texts)


def variable_matrix(
    project: Project, key: str, coder: str | None = None, *, monthly: bool | None = None
) -> Matrix:
    """Label x the values of document variable *key* (a date variable by month unless
    *monthly* is False)."""
    kind = project.variables.types().get(key)
    values = {
        int(doc): value
        for doc, value in project.execute(
            "SELECT document_id, value FROM document_variables WHERE key = ?", (key,)
        ).fetchall()
    }
    if monthly is None:
        monthly = kind == "date"
    return by_variable(
        span_rows(project, coder),
        tuple(project.codebook().keys()),
        values,
        key=key,
        monthly=monthly,
    )


def segments_of(project: Project, ids: Sequence[int]) -> list[Segment]:
    """The annotations *ids* as retrieved segments (with context), in document order."""
    found: list[tuple[object, ...]] = []
    for i in range(0, len(ids), IDS_PER_QUERY):
        chunk = list(ids[i : i + IDS_PER_QUERY])
        marks = ", ".join("?" for _ in chunk)
        found += project.execute(
            'SELECT a.id, a.document_id, d.title, a.start, a."end", a.text, l.key, '
            "coalesce(a.note, ''), a.annotator, "
            "coalesce((SELECT group_concat(key || '=' || value, ' ') FROM "
            "(SELECT key, value FROM annotation_attributes t WHERE t.annotation_id = a.id "
            "ORDER BY key)), '') "
            "FROM annotations a JOIN labels l ON l.id = a.label_id "
            f"JOIN documents d ON d.id = a.document_id WHERE a.id IN ({marks})",
            chunk,
        ).fetchall()
    found.sort(key=lambda r: (str(r[2]).casefold(), r[1], r[3], r[4], r[0]))
    out: list[Segment] = []
    text, text_of = "", -1
    for row in found:
        doc, start, end = int(row[1]), int(row[3]), int(row[4])  # type: ignore[call-overload]
        if doc != text_of:
            text, text_of = project.text(doc), doc
        out.append(
            Segment(
                int(row[0]),  # type: ignore[call-overload]
                doc,
                str(row[2]),
                start,
                end,
                str(row[5]),
                str(row[6]),
                str(row[7]),
                str(row[8]),
                str(row[9]),
                context_before(text, start),
                context_after(text, end),
            )
        )
    return out


def label_ids_in(
    project: Project, document_id: int, labels: Sequence[str], coder: str | None = None
) -> list[int]:
    """The ids of the annotations of *labels* in one document (*coder*'s only, if given)."""
    if not labels:
        return []
    marks = ", ".join("?" for _ in labels)
    sql = (
        "SELECT a.id FROM annotations a JOIN labels l ON l.id = a.label_id "
        f"WHERE a.document_id = ? AND l.key IN ({marks})"
    )
    params: list[object] = [document_id, *labels]
    if coder is not None:
        sql += " AND a.annotator = ?"
        params.append(coder)
    return [int(r[0]) for r in project.execute(sql + " ORDER BY a.start, a.id", params)]
