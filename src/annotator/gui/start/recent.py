"""What the start page says of a recent project: its counts, read read-only, or why not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.store import Project
from annotator.store.queries.export_queries import count_annotations, count_documents


@dataclass(frozen=True, slots=True)
class RecentProject:
    path: Path
    documents: int = 0
    annotations: int = 0
    problem: str | None = None  # "missing", or the one-line reason it cannot be read


def describe(path: Path) -> RecentProject:
    """Open *path* read-only (nothing is written, no backup taken) and count."""
    if not path.is_file():
        return RecentProject(path, problem="missing")
    try:
        with Project.open(path, read_only=True) as project:
            documents = count_documents(project)
            annotations = count_annotations(project)
    except AnnotatorError as exc:
        return RecentProject(path, problem=str(exc))
    except OSError as exc:
        return RecentProject(path, problem=exc.strerror or str(exc))
    return RecentProject(path, int(documents), int(annotations))
