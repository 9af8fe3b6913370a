"""Every export takes --coder: only those coders' layers, through one mechanism."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.registry import Options, export_names, export_project
from annotator.store import Project

TEXT = "France's Senate adopted a resolution calling for the release of detainees.\n"


@pytest.fixture
def two_coders(tmp_path: Path) -> Path:
    path = tmp_path / "team.annot"
    with Project.create(path, annotator="Ana") as project:
        doc = project.add_document(TEXT, "Senate")
        actor = project.annotate(doc, 0, 15, "actor")
        project.link_actor(actor.id, "French Senate", "organisation")
        project.coders.set_current("curation")
        claim = project.annotate(doc, 16, 36, "claim")
        project.set_attributes(claim.id, {"position": "+1"})
        project.relate(actor.id, claim.id, "claimant")  # crosses the two layers
        project.annotate(doc, 0, 15, "actor")
    return path


def test_export_of_one_layer_keeps_only_it_and_what_hangs_on_it(
    two_coders: Path, tmp_path: Path
) -> None:
    before = two_coders.read_bytes()
    out = tmp_path / "curated.jsonl"
    with Project.open(two_coders, read_only=True) as project:
        report = export_project(project, "jsonl", out, Options(coders=("curation",)))
    assert report.annotations == 2
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    (doc,) = [line for line in lines if "spans" in line]
    assert sorted((s["text"], s["annotator"]) for s in doc["spans"]) == [
        ("France's Senate", "curation"),
        ("adopted a resolution", "curation"),
    ]
    assert doc["relations"] == []  # its other end is Ana's, which is not exported
    assert two_coders.read_bytes() == before


@pytest.mark.parametrize("fmt", [n for n in export_names() if n != "codebook"])
def test_every_format_takes_the_coder_filter(two_coders: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out-{fmt}"
    with Project.open(two_coders, read_only=True) as project:
        every = export_project(project, fmt, tmp_path / f"all-{fmt}", Options())
        ana = export_project(project, fmt, target, Options(coders=("Ana",)))
    if every.annotations:
        assert ana.annotations < every.annotations


def test_cli_export_coder(
    two_coders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ana.csv"
    assert main(["export", str(two_coders), "--coder", "Ana", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text("utf-8-sig").splitlines()))
    assert [(r["text"], r["annotator"]) for r in rows] == [("France's Senate", "Ana")]
    assert main(["export", str(two_coders), "--coder", "Nobody", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        "annotator: error: there is no coder 'Nobody' in team.annot (coders: Ana, curation)"
    )
    assert "codebook" in export_names()
