"""Where every importer adds labels to the project's codebook: bounded, and always told.

A file meant for another project (or made to harm) can name thousands of labels; the
window then builds a palette entry and a menu item for each. An import adds at most
``Options.max_new_labels`` (``annotator import --max-new-labels N``) new labels: more
are refused by :meth:`~annotator.store.project.Project.merge_codebook` before anything
changes, with the count and the option named. What is added is always warned.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.codebook import Codebook
from annotator.core.errors import InputError
from annotator.formats.registry import Options
from annotator.store.project import Project

LISTED = 50  # labels named in the warning; the rest are counted


def grow_codebook(
    project: Project,
    options: Options,
    source: str,
    codebook: Codebook | None = None,
    keys: Iterable[str] = (),
) -> list[str]:
    """Add what *codebook* has and the project lacks, and a plain label for each of
    *keys* it lacks (in the caller's transaction); return the warnings naming what was
    added. *source* (the file's name) starts the refusal's message."""
    try:
        added = project.merge_codebook(
            codebook or Codebook("imported", ()),
            plain_keys=keys,
            max_new_labels=options.max_new_labels,
        )
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    return added_warnings(added)


def added_warnings(added: list[str]) -> list[str]:
    """The warning for what :meth:`Project.merge_codebook` returned ([] for nothing)."""
    if not added:
        return []
    labels = [entry.removeprefix("label ") for entry in added if entry.startswith("label ")]
    others = [entry for entry in added if not entry.startswith("label ")]
    shown = labels[:LISTED]
    more = f" and {len(labels) - LISTED} more" if len(labels) > LISTED else ""
    out = []
    if labels:
        out.append(f"added to the codebook: {', '.join(shown)}{more}")
    if others:
        out.append(f"added to the codebook: {', '.join(others)}")
    return out
