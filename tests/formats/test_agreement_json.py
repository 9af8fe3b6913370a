"""`annotator agree --json`: the whole report, each figure and disagreement a line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement.report import agreement_report
from annotator.store import Project
from annotator.store.queries.agreement_queries import agreement_input

TEXT = "The Senate said that the government must act on coal before the winter comes."
OTHER = "Unions asked for wind parks near the coast."


def _study(path: Path) -> Path:
    with Project.create(path, annotator="lead") as project:
        one = project.add_document(TEXT, "Senate").id
        two = project.add_document(OTHER, 'Unions, "quoted"\nand a line').id
        for coder, rows in {
            "Ana": [(one, 0, 10, "actor"), (one, 26, 50, "demand"), (two, 0, 6, "actor")],
            "Ben": [(one, 0, 10, "actor"), (one, 26, 50, "claim"), (two, 0, 7, "actor")],
            "Cem": [(one, 4, 10, "actor"), (two, 12, 25, "demand")],
        }.items():
            project.coders.set_current(coder)
            for doc, start, end, label in rows:
                project.annotate(doc, start, end, label)
    return path


def test_json_equals_the_report_with_one_item_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _study(tmp_path / "study.annot")
    capsys.readouterr()
    assert main(["agree", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    with Project.open(path, read_only=True) as project:
        expected = agreement_report(agreement_input(project)).to_dict()
    assert json.loads(out) == expected
    assert expected["disagreements"] and expected["figures"]
    lines = out.splitlines()
    for key in ("figures", "disagreements"):
        first = lines.index(f'  "{key}": [') + 1
        for n, item in enumerate(expected[key]):  # each item whole on its own line
            assert json.loads(lines[first + n].strip().rstrip(",")) == item
