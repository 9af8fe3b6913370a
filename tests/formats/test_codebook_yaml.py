"""Codebook YAML: export, import (merge) and refusal of unsafe or broken YAML."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.codebook import default_codebook, load_codebook
from annotator.core.errors import CodebookError, FormatError
from annotator.formats.registry import detect, export_project, import_paths
from annotator.store import Project

EXTRA = """\
name: Frames
labels:
  - key: claim
    name: Claim (other colour)
    colour: "#000000"
  - key: frame
    name: Frame
    colour: "#117733"
    hotkey: "1"
    description: An interpretive frame ("security", "human rights").
attributes:
  - key: frame_type
    type: choice
    labels: [frame]
    choices: [security, rights]
relations:
  - key: frames
    from: [frame]
    to: [claim]
"""


def test_export_is_the_codebook_as_yaml(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        report = export_project(project, "codebook", tmp_path / "out.yaml")
        out = io.StringIO()
        export_project(project, "codebook", out)
        codebook = project.codebook()
    text = (tmp_path / "out.yaml").read_text("utf-8")
    assert text == out.getvalue() == codebook.to_yaml()
    assert report.warnings == []
    again = load_codebook(text, "out.yaml")
    assert again == codebook == default_codebook()


def test_import_merges_and_reports_what_was_added(tmp_path: Path) -> None:
    src = tmp_path / "frames.yml"
    src.write_text(EXTRA, "utf-8")
    assert detect(src) == ("importer", "codebook")
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [src])
        codebook = project.codebook()
        assert report.warnings == [
            "frames.yml: added label frame, attribute frame_type, relation type frames"
        ]
        assert codebook.label("claim") == default_codebook().label("claim")  # kept as it was
        frame = codebook.label("frame")
        assert frame is not None and frame.hotkey is None  # "1" is claim's already
        assert frame.colour == "#117733"
        again = import_paths(project, [src])
        assert again.warnings == [
            "frames.yml: the project has every entry of this codebook already"
        ]
        assert project.codebook() == codebook


def test_round_trip_between_projects(tmp_path: Path) -> None:
    src = tmp_path / "frames.yaml"
    src.write_text(EXTRA, "utf-8")
    with Project.create(tmp_path / "a.annot") as a:
        import_paths(a, [src])
        export_project(a, "codebook", tmp_path / "a.yaml")
        expected = a.codebook()
    with Project.create(
        tmp_path / "b.annot", load_codebook(EXTRA.replace("#000000", "#0072b2"))
    ) as b:
        import_paths(b, [tmp_path / "a.yaml"])
        got = b.codebook()
    assert sorted(lab.key for lab in got.labels) == sorted(lab.key for lab in expected.labels)
    assert {a.key for a in got.attributes} == {a.key for a in expected.attributes}
    assert {r.key for r in got.relations} == {r.key for r in expected.relations}


@pytest.mark.parametrize(
    ("yaml_text", "line", "message"),
    [
        (
            "name: x\nlabels:\n  - key: a\n    colour: !!python/object/apply:os.system [echo hi]\n",
            4,
            "tags such as",
        ),
        ("name: x\nlabels:\n  - !!python/name:os.system\n", 3, "tags such as"),
        ("name: x\nlabels:\n  - key: a\n    colour: red\n", 4, "colour must look like"),
        ("name: x\nlabels: [\n", 3, "not a valid codebook"),
        ("name: x\n", 1, "labels"),
    ],
)
def test_bad_codebooks_name_the_line_and_change_nothing(
    tmp_path: Path, yaml_text: str, line: int, message: str
) -> None:
    src = tmp_path / "bad.yaml"
    src.write_text(yaml_text, "utf-8")
    with Project.create(tmp_path / "p.annot") as project:
        before = project.codebook()
        with pytest.raises(CodebookError, match=f"bad.yaml, line {line}: .*{message}") as caught:
            import_paths(project, [src])
        assert caught.value.line == line
        assert project.codebook() == before


def test_not_utf8(tmp_path: Path) -> None:
    src = tmp_path / "latin.yaml"
    src.write_bytes("name: caf\u00e9\nlabels: []\n".encode("latin-1"))
    with Project.create(tmp_path / "p.annot") as project, pytest.raises(FormatError, match="UTF-8"):
        import_paths(project, [src])


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.annot"
    assert main(["new", str(project)]) == 0
    src = tmp_path / "frames.yaml"
    src.write_text(EXTRA, "utf-8")
    assert main(["import", str(project), str(src)]) == 0
    assert "added label frame" in capsys.readouterr().err
    out = tmp_path / "cb.yaml"
    assert main(["export", str(project), "--format", "codebook", "-o", str(out)]) == 0
    assert "key: frame" in out.read_text("utf-8")
    assert main(["export", str(project), "--format", "codebook"]) == 0
    assert "key: frame" in capsys.readouterr().out
    src.write_text("labels:\n  - !!python/object:os.system {}\n", "utf-8")
    assert main(["import", str(project), str(src), "--format", "codebook"]) == 2
    assert "line 2" in capsys.readouterr().err
