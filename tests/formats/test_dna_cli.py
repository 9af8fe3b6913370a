"""A .dna file through the command line: import by its name, export with --password."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.dna import check_password
from tests.formats.test_dna import build_dna


def test_import_and_export_with_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dna = build_dna(tmp_path / "coal.dna")
    project = tmp_path / "p.annot"
    assert main(["new", str(project), "--annotator", "tester"]) == 0
    assert main(["import", str(project), str(dna)]) == 0
    err = capsys.readouterr().err
    assert "UTF-16" in err  # the position unit is said
    out = tmp_path / "out.dna"
    args = ["export", str(project), "--format", "dna", "-o", str(out), "--password", "s3cret"]
    assert main(args) == 0
    conn = sqlite3.connect(out)
    hashes = dict(conn.execute("SELECT Name, Password FROM CODERS").fetchall())
    conn.close()
    assert set(hashes) == {"Admin", "Anna", "Ben"}
    assert all(check_password("s3cret", h) for h in hashes.values())


def test_password_with_another_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.annot"
    assert main(["new", str(project)]) == 0
    code = main(["export", str(project), "--format", "csv", "-o", str(tmp_path / "x.csv"),
                 "--password", "x"])  # fmt: skip
    assert code != 0
    assert capsys.readouterr().err.strip().endswith("--password goes with --format dna")
