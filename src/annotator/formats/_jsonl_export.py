"""Writing Annotator JSONL (the format is described in :mod:`annotator.formats.jsonl`):
the whole project, one document a line, the rows streamed in chunks."""

from __future__ import annotations

import json
from typing import Any, TextIO

from annotator.formats._variables import typed_variables
from annotator.formats.registry import Options, Report
from annotator.store.project import Project
from annotator.store.queries.export_queries import (
    actor_link_records,
    count_annotations,
    document_records,
    relation_records,
    span_records,
    uncarried,
)

FORMAT = "jsonl"
VERSION = 1


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_jsonl(project: Project, out: TextIO, options: Options) -> Report:
    """Write the whole project to *out*, one document a line, streaming the rows."""
    header: dict[str, Any] = {
        "annotator": FORMAT,
        "version": VERSION,
        "codebook": project.codebook().to_dict(),
    }
    kinds = project.variables.types()
    if kinds:
        header["variable_types"] = kinds
    if project.memo:
        header["memo"] = project.memo
    groups = project.groups.all()
    if groups:
        header["groups"] = [{"name": g.name, "parent": g.parent} for g in groups]
    out.write(_dumps(header) + "\n")
    variables = typed_variables(project)
    member_of: dict[int, list[str]] = {}
    for group in groups:
        for doc_id in group.document_ids:
            member_of.setdefault(doc_id, []).append(group.name)
    total = count_annotations(project)
    report = Report(dropped=uncarried(project, CARRIED))
    for doc_id, title, source_name, source_path, imported_at, sha256, text in document_records(
        project
    ):
        head: dict[str, Any] = {
            "title": title,
            "source_name": source_name,
            "source_path": source_path,
            "imported_at": imported_at,
            "sha256": sha256,
        }
        if doc_id in variables:
            head["variables"] = variables[doc_id]
        if doc_id in member_of:
            head["groups"] = member_of[doc_id]
        memo = project.document_info(doc_id).memo
        if memo:
            head["memo"] = memo
        head["text"] = text
        out.write(_dumps(head)[:-1] + ', "spans": [')
        local: dict[int, int] = {}  # annotation id -> its place in the line
        sep = ""
        for rows in span_records(project, doc_id):
            parts = []
            for a_id, start, end, a_text, label, note, who, created, modified, attrs in rows:
                local[a_id] = len(local) + 1
                span = {
                    "id": local[a_id],
                    "start": start,
                    "end": end,
                    "text": a_text,
                    "label": label,
                    "note": note,
                    "annotator": who,
                    "created": created,
                    "modified": modified,
                    "attributes": json.loads(attrs) if attrs and attrs != "{}" else {},
                }
                parts.append(_dumps(span))
            out.write(sep + ", ".join(parts))
            sep = ", "
            report.annotations += len(rows)
            options.tick(report.annotations, total)
        out.write('], "relations": [')
        sep = ""
        for rows in relation_records(project, doc_id):
            keys = ("type", "from", "to", "annotator", "created")
            out.write(
                sep
                + ", ".join(
                    _dumps(dict(zip(keys, (k, local[a], local[b], who, at), strict=True)))
                    for k, a, b, who, at in rows
                )
            )
            sep = ", "
            report.relations += len(rows)
        out.write('], "actors": [')
        links = sorted(
            (local[a_id], name, kind)
            for rows in actor_link_records(project, doc_id)
            for a_id, name, kind in rows
        )
        link_keys = ("span", "name", "type")
        out.write(", ".join(_dumps(dict(zip(link_keys, r, strict=True))) for r in links))
        out.write("]}\n")
        report.documents += 1
    return report


CARRIED = (
    "note",
    "attribute value",
    "relation",
    "actor link",
    "document variable",
    "document group",
    "label hierarchy link",
    "document memo",
    "project memo",
)
"""Everything the project holds."""
