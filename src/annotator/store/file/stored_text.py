"""Texts as SQLite hands them back, made sure to be ``str``.

Annotator stores every document text as TEXT; another program (the sqlite3 shell, a
script) may have written one as a BLOB or a number, and then SQLite returns ``bytes``
(or an ``int``), which would fail far from here (``TypeError`` in a search, an export).
:func:`document_text` is the one place that turns such a value into the text or into a
one-line :class:`ProjectError`; every reader of ``documents.text`` goes through it.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import ProjectError


def document_text(value: object, doc_id: int, project: Path) -> str:
    """*value* read from ``documents.text`` of document *doc_id*, as ``str``.

    A BLOB holding UTF-8 is decoded (what the other program meant); anything else is
    refused: ``annotator check PROJECT`` lists every such document.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            kind = "bytes that are not UTF-8 text"
    else:
        kind = f"a value of type {type(value).__name__}"
    raise ProjectError(
        f"document {doc_id} of {project.name} holds {kind} instead of its text (another "
        f"program wrote it); 'annotator check {project}' lists such problems"
    )
