"""Merging what is known about documents: variables, groups, memos and GUIDs.

A coder may have filled in document variables or memos in their copy. Values the target
lacks are taken; a value that differs from the target's is kept as the target has it and
reported as a conflict (never overwritten in silence). Groups are made when missing and
get the source's members.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.variables import normalise

if TYPE_CHECKING:
    from annotator.store.project import Project


def merge_document_facts(
    target: Project, source: Project, doc_ids: Mapping[int, int], conflicts: list[str]
) -> int:
    """Carry *source*'s document variables, groups and document info into *target*
    (documents mapped by *doc_ids*, source id -> target id); return how many values
    were added. Runs inside the caller's transaction."""
    types = target.variables.types()
    source_types = source.variables.types()
    have = target.variables.all()
    rows: list[tuple[int, str, object]] = []
    for doc, values in source.variables.all().items():
        mine = have.get(doc_ids[doc], {})
        for key, value in values.items():
            kind = types.get(key, source_types[key])
            try:
                value = normalise(kind, value)
            except InputError:
                conflicts.append(
                    f"variable '{key}' of document {doc_ids[doc]} is {kind} here; "
                    f"'{value}' does not fit and was not taken"
                )
                continue
            if key not in mine:
                rows.append((doc_ids[doc], key, value))
            elif mine[key] != value:
                conflicts.append(
                    f"variable '{key}' of document {doc_ids[doc]} is '{mine[key]}' here and "
                    f"'{value}' in the merged file; '{mine[key]}' was kept"
                )
    new_types = {key: kind for key, kind in source_types.items() if key not in types}
    added = target.variables.set_many(rows, new_types) if rows else 0
    for key, kind in new_types.items():  # defined in the source even if it has no values
        if key not in target.variables.types():
            target.variables.define(key, kind)
    groups = {g.name for g in target.groups.all()}
    for group in source.groups.all():
        if group.name not in groups:
            parent = group.parent if group.parent in groups else None
            target.groups.create(group.name, parent)
            groups.add(group.name)
        target.groups.add(group.name, [doc_ids[d] for d in group.document_ids if d in doc_ids])
    for doc, new in doc_ids.items():
        info, here = source.document_info(doc), target.document_info(new)
        changes = {
            name: getattr(info, name)
            for name in ("memo", "guid", "url", "fetched_sha256")
            if getattr(info, name) and not getattr(here, name)
        }
        if info.memo and here.memo and info.memo != here.memo:
            conflicts.append(f"document {new} has another memo here; this one was kept")
        if changes:
            target.set_document_info(new, **changes)
    return added
