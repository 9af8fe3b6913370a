"""The team subcommands from the command line: handout, merge (twice), coders."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Project

TEXT = "France's Senate adopted a resolution calling for the release of detainees.\n"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.annot"
    with Project.create(path, annotator="lead") as project:
        project.add_document(TEXT, "Senate")
    return path


def test_handout_code_merge_twice(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["handout", str(study), "--coders", "Ana", "Ben", "-o", str(out)]) == 0
    ana, ben = out / "study-Ana.annot", out / "study-Ben.annot"
    assert capsys.readouterr().out.splitlines() == [f"wrote {ana}", f"wrote {ben}"]
    for path, (start, end) in ((ana, (0, 15)), (ben, (0, 8))):
        assert main(["annotate", str(path), "--document", "1", "--start", str(start),
                     "--end", str(end), "--label", "actor"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["merge", str(study), str(ana), str(ben)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("study-Ana.annot: 1 document matched, 0 added; 1 annotation added")
    assert lines[1].endswith("coders: Ben")
    assert main(["merge", str(study), str(ana)]) == 0
    assert "0 annotations added, 1 already present" in capsys.readouterr().out
    with Project.open(study, read_only=True) as project:
        assert sorted((a.annotator, a.text) for a in project.annotations()) == [
            ("Ana", "France's Senate"),
            ("Ben", "France's"),
        ]
    assert main(["coders", str(study), "--current", "Cem", "--blind", "on"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "  Ana  1 annotations",
        "  Ben  1 annotations",
        "* Cem  0 annotations",
        "blind mode: on",
    ]


def test_merge_mistakes_are_one_line(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = study.read_bytes()
    assert main(["merge", str(study), str(study)]) == 2
    assert main(["merge", str(study), str(tmp_path / "nope.annot")]) == 2
    assert main(["merge", str(study), str(study), "--map", "claim"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("annotator: error: ") for line in err)
    assert "being merged into" in err[0] and "no project" in err[1]
    assert study.read_bytes() == before
