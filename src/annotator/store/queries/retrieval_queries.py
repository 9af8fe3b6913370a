"""Queries behind the code system: counts per label and retrieved segments.

Counts are one grouped query each (this document, every document), read through the
covering indexes ``annotations_position`` and ``annotations_by_label``. Retrieval reads
every span of some labels across the corpus with its document, coder, note and
attributes, and its surrounding context cut at words: each document's text is read once,
however many of its spans are retrieved (a substring in SQL would read the whole text
again for each span). Offsets are code points, as everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.snapping import cluster_start, excerpt
from annotator.store.project import Project

CONTEXT = 60  # code points of context on each side of a retrieved span (about)


@dataclass(frozen=True, slots=True)
class Segment:
    """One retrieved span with what surrounds it."""

    id: int
    document_id: int
    document: str
    start: int
    end: int
    text: str
    label: str
    note: str
    coder: str
    attributes: str  # "key=value key=value", in key order
    before: str  # the context before, cut at a word ("…" when cut)
    after: str  # the context after


def label_counts(
    project: Project, *, document_id: int | None = None, coder: str | None = None
) -> dict[str, int]:
    """Label key -> number of annotations (of one document and/or one coder; None: all).

    Labels without annotations are left out."""
    clauses: list[str] = []
    params: list[object] = []
    if document_id is not None:
        clauses.append("a.document_id = ?")
        params.append(document_id)
    if coder is not None:
        clauses.append("a.annotator = ?")
        params.append(coder)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = project.execute(
        "SELECT l.key, n FROM (SELECT a.label_id, count(*) AS n FROM annotations a"
        f"{where} GROUP BY a.label_id) c JOIN labels l ON l.id = c.label_id",
        params,
    )
    return {key: int(n) for key, n in rows}


def with_descendants(project: Project, keys: Iterable[str]) -> list[str]:
    """*keys* and every label below them in the codebook's tree, in codebook order."""
    wanted = set(keys)
    out: list[str] = []
    for label in project.codebook().labels:  # tree (pre-)order: parents come first
        if label.key in wanted or (label.parent is not None and label.parent in wanted):
            wanted.add(label.key)
            out.append(label.key)
    return out


def retrieve_segments(
    project: Project,
    labels: Sequence[str],
    *,
    coder: str | None = None,
    context: int = CONTEXT,
) -> list[Segment]:
    """Every span of *labels* across the corpus (of *coder* only, when given), in
    document order then position, each with about *context* code points either side."""
    if not labels:
        return []
    params: list[object] = [*labels]
    marks = ", ".join("?" for _ in labels)
    sql = (
        'SELECT a.id, a.document_id, d.title, a.start, a."end", a.text, l.key, '
        "coalesce(a.note, ''), a.annotator, "
        "coalesce((SELECT group_concat(key || '=' || value, ' ') FROM "
        "(SELECT key, value FROM annotation_attributes t WHERE t.annotation_id = a.id "
        "ORDER BY key)), '') "
        "FROM annotations a JOIN labels l ON l.id = a.label_id "
        f"JOIN documents d ON d.id = a.document_id WHERE l.key IN ({marks})"
    )
    if coder is not None:
        sql += " AND a.annotator = ?"
        params.append(coder)
    sql += ' ORDER BY d.title COLLATE NOCASE, a.document_id, a.start, a."end", a.id'
    rows = project.execute(sql, params).fetchall()
    out: list[Segment] = []
    text, text_of = "", -1
    for row in rows:
        doc = int(row[1])
        if doc != text_of:
            text, text_of = project.text(doc), doc
        start, end = int(row[3]), int(row[4])
        out.append(
            Segment(
                int(row[0]),
                doc,
                row[2],
                start,
                end,
                row[5],
                row[6],
                row[7],
                row[8],
                row[9],
                context_before(text, start, context),
                context_after(text, end, context),
            )
        )
    return out


def context_before(text: str, start: int, limit: int = CONTEXT) -> str:
    """The text before *start* on one line, at most about *limit* code points, cut at
    a word with a leading ellipsis when there is more before it."""
    piece = text[max(0, start - 2 * limit) : start]
    flat = " ".join(piece.split())
    if flat and piece[-1].isspace():
        flat += " "  # the space before the span stays
    if len(flat) > limit:
        offset = len(flat) - (limit - 1)
        space = flat.find(" ", offset - 1)
        if 0 <= space - offset <= limit // 2:
            offset = space + 1
        flat = "…" + flat[cluster_start(flat, offset) :].lstrip(" ,;:")
    elif start > 2 * limit and flat:
        flat = "…" + flat
    return flat


def context_after(text: str, end: int, limit: int = CONTEXT) -> str:
    """The text after *end* on one line, at most about *limit* code points, cut at a
    word with an ellipsis when there is more after it."""
    piece = text[end : end + 2 * limit]
    cut = excerpt(piece, limit)
    if cut and not cut.endswith("…") and end + 2 * limit < len(text):
        cut += "…"
    return (" " + cut) if cut and piece[0].isspace() else cut


def relation_type_usage(project: Project) -> dict[str, int]:
    """Relation type key -> number of relations of it."""
    return {
        k: int(n) for k, n in project.execute("SELECT type, count(*) FROM relations GROUP BY type")
    }


def label_annotation_ids(project: Project, key: str) -> list[int]:
    """The ids of every annotation of label *key* (every coder)."""
    rows = project.execute(
        "SELECT a.id FROM annotations a JOIN labels l ON l.id = a.label_id WHERE l.key = ? "
        "ORDER BY a.id",
        (key,),
    )
    return [int(r[0]) for r in rows]
