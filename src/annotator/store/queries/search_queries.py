"""The reads behind corpus-wide search: which documents to search, one text at a time.

The matching is in :mod:`annotator.core.search`. A corpus can be larger than memory
wants, so no function here loads every text at once: :func:`search_corpus` reads one
document's text (``Project.text``, which keeps the last few), searches it and moves on::

    from annotator.core.search import compile_query
    from annotator.store.queries.search_queries import search_corpus

    query = compile_query("Armenia", mode="word")
    for document, spans in search_corpus(project, query):
        print(document.title, len(spans))
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.core.search import MAX_HITS, Query, find_spans
from annotator.store.models import Document
from annotator.store.project import _DOCUMENT_COLUMNS, Project


def candidate_documents(project: Project, query: Query) -> list[Document]:
    """The documents that can hold a hit of *query*, in id order.

    For a plain or whole-word case-sensitive query SQLite keeps only the documents whose
    text contains it (``instr``), so the others are never read into Python. Other
    queries can match text that is not spelled as the query, so every document is a
    candidate.
    """
    if query.mode == "regex" or not query.case_sensitive or not query.text:
        return project.documents()
    try:
        query.text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be in any stored text
        return []
    rows = project.execute(
        f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE instr(text, ?) > 0 ORDER BY id",
        (query.text,),
    )
    return [Document(*row) for row in rows]


def search_corpus(
    project: Project, query: Query, *, limit: int = MAX_HITS
) -> Iterator[tuple[Document, list[tuple[int, int]]]]:
    """Each candidate document with the ``(start, end)`` of its hits (maybe none).

    Stops after *limit* hits in all; documents are read one at a time.
    """
    left = limit
    for document in candidate_documents(project, query):
        if left <= 0:
            return
        spans = list(find_spans(project.text(document.id), query, limit=left))
        left -= len(spans)
        yield document, spans


def label_spans(project: Project, document_id: int, label: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of the annotations of *label* in one document."""
    label_id = project.label_ids().get(label)
    if label_id is None:
        return []
    rows = project.execute(
        'SELECT start, "end" FROM annotations WHERE document_id = ? AND label_id = ?',
        (document_id, label_id),
    )
    return [(int(s), int(e)) for s, e in rows]
