"""Annotations that keep the stable id and the modification time they came with.

An import of a file Annotator (or another program) wrote with stable ids, such as a
REFI-QDA selection's GUID, gives each new annotation that id, so exporting again
writes the same GUIDs and merging the two projects later recognises them as one. An id
another annotation of the project already has is not taken (two annotations never
share one): that annotation keeps the fresh id it was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.store.project import Project


def adopt_ids(project: Project, rows: Iterable[tuple[int, str | None, str | None]]) -> int:
    """For each ``(annotation id, uuid hex, modified)``: give the annotation that uuid
    (when no other annotation has it) and that modification time (when given). In the
    caller's transaction; returns how many ids were taken."""
    taken = 0
    seen: set[str] = set()
    with project.transaction():
        for annotation_id, uid, modified in rows:
            if modified:
                project.execute(
                    "UPDATE annotations SET modified = ? WHERE id = ? AND created <= ?",
                    (modified, annotation_id, modified),
                )
            if not uid or uid in seen:
                continue
            seen.add(uid)
            used = project.execute(
                "SELECT 1 FROM annotations WHERE uuid = ? AND id != ?", (uid, annotation_id)
            ).fetchone()
            if used is None:
                project.execute(
                    "UPDATE annotations SET uuid = ? WHERE id = ?", (uid, annotation_id)
                )
                taken += 1
    return taken
