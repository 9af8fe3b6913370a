"""Annotator JSONL: export, import, export again gives the same bytes (issue 12, item
11), with the structure of items 4 and 5: a label tree, typed document variables,
nested document groups, a document memo."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.codebook import default_codebook_text, load_codebook
from annotator.formats.registry import export_project, import_paths
from annotator.store import Project
from tests.conftest import MIXED_TEXT

TREE = default_codebook_text().replace(
    "  - key: actor\n",
    "  - key: party\n    name: Party\n    colour: '#56b4e9'\n    parent: actor\n  - key: actor\n",
    1,
)


def _project(path: Path) -> Path:
    """Spans made out of text order (so the project's ids are not the line's places),
    actor links made in the reverse of text order; CRLF and astral text."""
    with Project.create(path, load_codebook(TREE)) as project:
        first = project.add_document(MIXED_TEXT, "Mixed")
        body = project.text(first)
        late = project.annotate(first, body.index("done"), body.index("done") + 4, "claim")
        at = body.index("Հայաստանի")
        hy = project.annotate(first, at, at + 9, "actor", note="a\nnote")
        he = body.index("שלום")
        project.annotate(first, he, he + 4, "party")
        fr = body.index("🇫🇷")
        flag = project.annotate(first, fr, fr + 2, "actor")
        early = project.annotate(first, 0, 6, "claim")
        project.set_attribute(early.id, "position", "-1")
        project.link_actor(flag.id, "France", "state")
        project.link_actor(hy.id, "Armenia", "state")
        project.relate(hy.id, late.id, "claimant")
        project.relate(flag.id, early.id, "claimant")
        second = project.add_document("Second 𠀋 text\r\nhere.", "Second")
        project.variables.set_many(
            [
                (first.id, "outlet", "Le Monde"),
                (first.id, "date", "2024-03-01"),
                (second.id, "date", "2024-03-02"),
                (second.id, "pages", 3),
                (first.id, "paywall", True),
            ],
            {"outlet": "text", "date": "date", "pages": "number", "paywall": "boolean"},
        )
        project.groups.create("press")
        project.groups.create("France", parent="press")
        project.groups.add("France", [first.id])
        project.groups.add("press", [first.id, second.id])
        project.set_document_info(second.id, memo="read again")
        project.set_memo("The study of 👍🏽 claims")
    return path


def test_export_import_export_is_byte_identical(tmp_path: Path) -> None:
    with Project.open(_project(tmp_path / "a.annot"), read_only=True) as source:
        report = export_project(source, "jsonl", tmp_path / "one.jsonl")
    assert not report.dropped
    with Project.create(tmp_path / "b.annot", load_codebook(TREE)) as target:
        result = import_paths(target, [tmp_path / "one.jsonl"])
        assert result.warnings == [] and not result.dropped
        export_project(target, "jsonl", tmp_path / "two.jsonl")
    one, two = ((tmp_path / name).read_bytes() for name in ("one.jsonl", "two.jsonl"))
    assert one == two


def test_the_structure_comes_back(tmp_path: Path) -> None:
    with Project.open(_project(tmp_path / "a.annot"), read_only=True) as source:
        export_project(source, "jsonl", tmp_path / "one.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "one.jsonl").read_text("utf-8").splitlines()]
    header, first, second = lines
    assert header["variable_types"] == {
        "outlet": "text",
        "date": "date",
        "pages": "number",
        "paywall": "boolean",
    }
    assert header["groups"] == [
        {"name": "press", "parent": None},
        {"name": "France", "parent": "press"},
    ]
    assert first["variables"] == {"outlet": "Le Monde", "date": "2024-03-01", "paywall": True}
    assert second["variables"] == {"date": "2024-03-02", "pages": 3}
    assert second["memo"] == "read again" and "memo" not in first
    assert [a["span"] for a in first["actors"]] == [2, 3]  # in text order
    assert [(s["label"], s["id"]) for s in first["spans"]][1:4] == [
        ("actor", 2),
        ("actor", 3),
        ("party", 4),
    ]
    with Project.create(tmp_path / "b.annot") as target:  # the default codebook: grows
        result = import_paths(target, [tmp_path / "one.jsonl"])
        docs = result.document_ids
        assert target.variables.of(docs[0]) == {
            "outlet": "Le Monde",
            "date": "2024-03-01",
            "paywall": "true",
        }
        assert target.variables.types()["pages"] == "number"
        assert target.groups.of(docs[0]) == ["press", "France"]
        assert [(g.name, g.parent) for g in target.groups.all()] == [
            ("press", None),
            ("France", "press"),
        ]
        assert target.document_info(docs[1]).memo == "read again"
        assert target.memo == "The study of 👍🏽 claims"
        assert target.codebook().label("party").parent == "actor"  # type: ignore[union-attr]
