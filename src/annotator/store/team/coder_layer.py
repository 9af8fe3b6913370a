"""One or some coders' layers of a project, as a project of their own (for exports).

``annotator export --coder NAME`` (and the window's export of the curated layer)
exports only those coders' annotations. Rather than teach every exporter a filter,
the export runs on a private copy of the project (SQLite's backup API) from which
every other coder's annotations were deleted, with what hangs on them (attributes,
links, actor mentions: ``ON DELETE CASCADE``). Every format is covered by this one
mechanism, and links never point at an annotation that is not exported.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from annotator.core.errors import InputError
from annotator.store.project import Project


@contextmanager
def coder_layer(project: Project, coders: Sequence[str]) -> Iterator[Project]:
    """A read-only project holding only *coders*' annotations (removed afterwards)."""
    wanted = list(dict.fromkeys(c.strip() for c in coders))
    known = {c.name for c in project.coders.all()}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise InputError(
            f"there is no coder {unknown[0]!r} in {project.path.name} "
            f"(coders: {', '.join(sorted(known)) or 'none'})"
        )
    with tempfile.TemporaryDirectory(prefix="annotator-layer-") as folder:
        copy = project.backup_to(Path(folder) / project.path.name)
        conn = sqlite3.connect(copy)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            marks = ",".join("?" * len(wanted))
            with conn:
                conn.execute(f"DELETE FROM annotations WHERE annotator NOT IN ({marks})", wanted)
        finally:
            conn.close()
        layer = Project.open(copy, read_only=True)
        try:
            yield layer
        finally:
            layer.close()
