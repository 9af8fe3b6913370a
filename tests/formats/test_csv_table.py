"""CSV export: every cell exact, through both the fast (printf) and the exact path."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings

from annotator.formats.registry import Options, export_project
from annotator.store import Project
from tests.strategies import DocSpec, build_project, project_contents


def exported(project: Project, raw: bool = True) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    export_project(project, "csv", out, Options(raw=raw))
    text = out.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def expected(project: Project) -> list[dict[str, str]]:
    titles = {d.id: d.title for d in project.documents()}
    names = {label.key: label.name for label in project.labels()}
    return [
        {
            "document": titles[a.document_id],
            "document_id": str(a.document_id),
            "annotation_id": str(a.id),
            "start": str(a.start),
            "end": str(a.end),
            "text": a.text,
            "label": a.label,
            "label_name": names[a.label],
            "note": a.note or "",
            "annotator": a.annotator,
            "created": a.created,
            "modified": a.modified,
        }
        for a in project.annotations()
    ]


@settings(max_examples=30)
@given(project_contents())
def test_every_cell_is_exact(docs: list[DocSpec]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = build_project(Path(folder) / "p.annot", docs)
        try:
            assert exported(project) == expected(project)
        finally:
            project.close()


def test_nul_characters_take_the_exact_path(tmp_project: Project) -> None:
    text = 'The Senate, "quoted" and =SUM(A1)'
    doc = tmp_project.add_document(text, "doc")
    tmp_project.annotate(doc, 4, 10, "actor", note="before\x00after")
    tmp_project.annotate(doc, text.index("="), len(text), "claim", note="=1+1")
    assert exported(tmp_project) == expected(tmp_project)
    inert = exported(tmp_project, raw=False)
    assert [r["note"] for r in inert] == ["before\x00after", "'=1+1"]
    assert inert[1]["text"] == "'=SUM(A1)"
