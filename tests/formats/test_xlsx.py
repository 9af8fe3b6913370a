"""XLSX export: the same rows as CSV plus attributes, inert formulas, the codebook sheet."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from annotator.cli import main
from annotator.formats.csv_table import COLUMNS
from annotator.formats.registry import Cancelled, Options, export_project
from annotator.store import Project
from tests.conftest import MIXED_TEXT
from tests.strategies import DocSpec, build_project, project_contents

NUMBER_COLUMNS = {"document_id", "annotation_id", "start", "end"}


def read_sheet(path: Path, name: str) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book[name].iter_rows()]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=project_contents())
def test_rows_are_the_csv_rows_plus_attributes(
    tmp_path_factory: pytest.TempPathFactory, docs: list[DocSpec]
) -> None:
    folder = tmp_path_factory.mktemp("x")
    with build_project(folder / "a.annot", docs) as project:
        export_project(project, "xlsx", folder / "out.xlsx")
        buffer = io.StringIO()
        export_project(project, "csv", buffer, Options(raw=True))
        attributes = project.all_attributes()
        keys = [a.key for a in project.codebook().attributes]
    expected_rows = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff"))))
    rows = read_sheet(folder / "out.xlsx", "Annotations")
    header = expected_rows[0]
    assert rows[0] == header
    assert header[: len(COLUMNS)] == list(COLUMNS) and header[-len(keys) :] == keys
    assert len(rows) == len(expected_rows)
    for got, want in zip(rows[1:], expected_rows[1:], strict=True):
        for column, cell, text in zip(header, got, want, strict=True):
            if column in NUMBER_COLUMNS:
                assert cell == int(text)
            else:  # empty cells read back as None; control characters became U+FFFD
                assert (cell or "") == ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
        values = attributes.get(int(want[2]), {})
        assert [c or "" for c in got[-len(keys) :]] == [values.get(k, "") for k in keys]


def test_text_that_looks_like_a_formula_stays_a_string(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document("=SUM(A1) is what the cell says.\n", '=HYPERLINK("x")')
        a = project.annotate(doc, 0, 8, "claim", note="=1+1")
        project.set_attribute(a.id, "issue", "=cmd|' /C calc'!A0")
        report = export_project(project, "xlsx", tmp_path / "out.xlsx")
    assert report.annotations == 1 and report.warnings == []
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = book["Annotations"]
    header = [c.value for c in sheet[1]]
    row = sheet[2]
    text_cell = row[header.index("text")]
    assert text_cell.value == "=SUM(A1)" and text_cell.data_type == "s"
    for column in ("document", "note", "issue"):
        cell = row[header.index(column)]
        assert cell.data_type == "s" and str(cell.value).startswith("="), column
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml


def test_codebook_sheet_has_labels_with_their_colour(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        labels = project.labels()
        export_project(project, "xlsx", tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["Annotations", "Codebook"]
    sheet = book["Codebook"]
    rows = list(sheet.iter_rows())
    header = ["key", "name", "parent", "colour", "hotkey", "description"]
    assert [c.value for c in rows[0]] == header
    assert len(rows) == len(labels) + 1
    for label, row in zip(labels, rows[1:], strict=True):
        assert [c.value for c in row[:5]] == [
            label.key,
            label.name,
            None,
            label.colour,
            label.hotkey,
        ]
        assert row[5].value == label.description
        assert row[3].fill.fgColor.rgb[-6:] == label.colour[1:].upper()
        assert row[3].fill.fill_type == "solid"


def test_control_characters_are_replaced_with_a_warning(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(MIXED_TEXT, "Mixed")
        project.annotate(doc, 0, 6, "claim", note="bell\x07here")
        report = export_project(project, "xlsx", tmp_path / "out.xlsx")
    assert report.warnings == [
        "1 cells held control characters that XLSX cannot store; they were replaced with \ufffd"
    ]
    rows = read_sheet(tmp_path / "out.xlsx", "Annotations")
    assert rows[1][COLUMNS.index("note")] == "bell\ufffdhere"
    assert rows[1][COLUMNS.index("text")] == "Résumé"


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(MIXED_TEXT, "Mixed")
        project.annotate(doc, 0, 6, "claim")
    out = tmp_path / "out.xlsx"
    assert main(["export", str(tmp_path / "p.annot"), "--format", "xlsx", "-o", str(out)]) == 0
    assert "wrote 1 annotations" in capsys.readouterr().err
    assert read_sheet(out, "Annotations")[1][COLUMNS.index("text")] == "Résumé"
    assert main(["export", str(tmp_path / "p.annot"), "--format", "xlsx"]) == 2
    assert "-o PATH" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "out.xlsx"
    assert main(["export", str(tmp_path / "p.annot"), "--format", "xlsx", "-o", str(missing)]) == 2
    assert not missing.parent.exists()


def test_cancelled_export_leaves_no_file(tmp_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        raise Cancelled("stop")

    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(MIXED_TEXT, "Mixed")
        project.annotate(doc, 0, 6, "claim")
        with pytest.raises(Cancelled):
            export_project(project, "xlsx", tmp_path / "out.xlsx", Options(progress=cancel))
    assert sorted(p.name for p in tmp_path.iterdir() if "out" in p.name) == []
