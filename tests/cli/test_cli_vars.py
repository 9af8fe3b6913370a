"""Document variables from the command line: ``var`` sets them, ``vars`` lists them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.annot"
    with Project.create(path, annotator="lead") as project:
        project.add_document("France's Senate voted.", "Senate")
        project.add_document("=cmd|' /C calc'!A0 said the minister.", "Minister")
        project.groups.add("France", [1])
    return path


def test_var_sets_typed_values_and_vars_lists_them(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["var", str(study), "Senate", "outlet=Le Monde", "date=2024-03-01"]) == 0
    assert capsys.readouterr().out == "document 1 'Senate': outlet=Le Monde, date=2024-03-01\n"
    assert main(["var", str(study), "2", "outlet==SUM(A1)", "pages=3", "--type", "pages=text"]) == 0
    capsys.readouterr()
    with Project.open(study, read_only=True) as project:
        assert project.variables.types() == {"outlet": "text", "date": "date", "pages": "text"}
    assert main(["vars", str(study)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["document_id", "title", "outlet", "date", "pages", "groups"]
    assert table[1].split() == ["1", "Senate", "Le", "Monde", "2024-03-01", "France"]
    assert main(["vars", str(study), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[2] == ["2", "Minister", "'=SUM(A1)", "", "3", ""]  # no formula runs
    assert main(["var", str(study), "1", "outlet="]) == 0  # an empty value removes it
    assert "date=2024-03-01" in capsys.readouterr().out
    with Project.open(study, read_only=True) as project:
        assert project.variables.of(1) == {"date": "2024-03-01"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1", "date=soon"], "variable 'date' (date): 'soon' is no date"),
        (["1", "outlet"], "'outlet' is no assignment: write KEY=VALUE"),
        (["9", "outlet=x"], "no document"),
        (["1", "x=1", "--type", "x=colour"], "--type x: a type is one of text, number"),
    ],
)
def test_bad_values_are_one_line_and_change_nothing(
    study: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    main(["var", str(study), "1", "date=2024-03-01"])
    capsys.readouterr()
    assert main(["var", str(study), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    with Project.open(study, read_only=True) as project:
        assert project.variables.all() == {1: {"date": "2024-03-01"}}
