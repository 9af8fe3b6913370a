"""The curation view's rejections, kept in the project file (no table of their own).

A rejected candidate removes nothing from the coders' layers, so the file would not
otherwise remember it. The marks are one project setting (the ``meta`` table):
a JSON object ``{document: {curated layer: [[start, end], ...]}}`` where *document* is
``"<id>:<sha256>"`` (an id reused by another text after a deletion does not inherit
the marks) and ``[start, end]`` is the candidate's range in code points. A candidate
whose coders' spans change has another range, and is undecided again.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.errors import ProjectError
from annotator.store.project import Project

SETTING = "curation_rejections"

Range = tuple[int, int]


def _document_key(project: Project, document_id: int) -> str:
    return f"{document_id}:{project.document(document_id).sha256}"


def _read(project: Project) -> dict[str, Any]:
    raw = project.setting(SETTING)
    if raw is None:
        return {}
    try:
        marks = json.loads(raw)
    except ValueError:
        marks = None
    if not isinstance(marks, dict) or not all(
        isinstance(layers, dict)
        and all(
            isinstance(ranges, list)
            and all(
                isinstance(r, list)
                and len(r) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in r)
                for r in ranges
            )
            for ranges in layers.values()
        )
        for layers in marks.values()
    ):
        raise ProjectError(
            f"the curation view's rejection marks in {project.path.name} are unreadable "
            f"(setting '{SETTING}' is not the JSON it writes); nothing was changed"
        )
    return marks


def rejected(project: Project, document_id: int, curator: str) -> set[Range]:
    """The candidate ranges rejected in *document_id* for the *curator* layer."""
    layers = _read(project).get(_document_key(project, document_id), {})
    return {(a, b) for a, b in layers.get(curator, [])}


def set_rejected(
    project: Project, document_id: int, curator: str, candidate: Range, on: bool
) -> bool:
    """Mark (*on*) or unmark a candidate range as rejected; return whether it was marked."""
    marks = _read(project)
    key = _document_key(project, document_id)
    layers = marks.setdefault(key, {})
    ranges = {(a, b) for a, b in layers.get(curator, [])}
    was = tuple(candidate) in ranges
    if on:
        ranges.add((candidate[0], candidate[1]))
    else:
        ranges.discard((candidate[0], candidate[1]))
    if ranges:
        layers[curator] = [list(r) for r in sorted(ranges)]
    else:
        layers.pop(curator, None)
    if not layers:
        marks.pop(key, None)
    project.set_setting(SETTING, json.dumps(marks, sort_keys=True, separators=(",", ":")))
    return was
