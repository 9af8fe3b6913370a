"""``annotator agree`` from the command line: text, JSON, CSV and HTML, and its mistakes."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement import cohen_kappa, krippendorff_alpha
from annotator.store import Project

TEXT = "France's Senate adopted a resolution calling for the release of detainees.\n"
OTHER = "=Azerbaijan rejected the resolution.\n"


def annotate(path: Path, coder: str, document: str, start: int, end: int, label: str) -> None:
    assert main(["coders", str(path), "--current", coder]) == 0
    argv = ["annotate", str(path), "--document", document, "--start", str(start)]
    assert main([*argv, "--end", str(end), "--label", label]) == 0


@pytest.fixture
def study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Two coders on two documents (the second titled like a formula), a third on one."""
    path = tmp_path / "study.annot"
    assert main(["new", str(path), "--annotator", "lead"]) == 0
    with Project.open(path) as project:
        project.add_document(TEXT, "Senate")
        project.add_document(OTHER, "=HYPERLINK(1)")
    for coder, rows in {
        "Ana": [("1", 0, 15, "actor"), ("1", 26, 74, "demand"), ("2", 1, 11, "actor")],
        "Ben": [("1", 0, 15, "actor"), ("1", 26, 74, "claim"), ("2", 1, 11, "actor")],
    }.items():
        for row in rows:
            annotate(path, coder, *row)
    capsys.readouterr()
    return path


def test_text_output_one_line_per_figure(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agree", str(study)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Agreement of Ana, Ben on 2 shared documents (of 2 selected")
    assert "Spans, exact match" in out and "Claims" in out
    assert "  Ana / Ben: F1 = 0.667 (n = 6 spans)" in out
    assert "  Ana / Ben: Cohen's kappa = 0.400 (n = 3 items)" in out
    assert any(line.startswith("  rule: a span of one coder matches") for line in out)
    assert (
        "  Ana / Ben, allegation: F1: undefined, neither coder marked a span (n = 0 spans)" in out
    )
    assert "Disagreements (1; all with --json or --csv)" in out
    assert (
        out[-1]
        == "  document 1 'Senate' 26-74 label: Ana: 26-74 demand (#2); Ben: 26-74 claim (#5)"
    )


def test_json_is_the_whole_report(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agree", str(study), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coders"] == ["Ana", "Ben"]
    assert [d["id"] for d in data["documents_shared"]] == [1, 2]
    by = {
        (f["section"], f["scope"], f["measure"], f["label"], f["document"]): f
        for f in data["figures"]
        if len(f["coders"]) == 2
    }
    kappa = by["units", "pooled", "Cohen's kappa", None, None]
    expected = cohen_kappa(["actor", "demand", "actor"], ["actor", "claim", "actor"])
    assert kappa["value"] == expected.value and kappa["n"] == 3 and kappa["counted"] == "items"
    alpha = by["units", "pooled", "Krippendorff's alpha (nominal)", None, None]
    assert (
        alpha["value"]
        == krippendorff_alpha([["actor", "demand", "actor"], ["actor", "claim", "actor"]]).value
    )
    assert by["spans-exact", "document", "F1", None, 2]["value"] == 1.0
    position = by["claims", "label", "percent agreement", "position", None]
    assert position["value"] is None and position["why"] == "no unit coded by both"
    assert data["disagreements"] == [
        {
            "kind": "label",
            "document_id": 1,
            "document": "Senate",
            "start": 26,
            "end": 74,
            "codings": [
                {"coder": "Ana", "annotation_id": 2, "start": 26, "end": 74, "value": "demand"},
                {"coder": "Ben", "annotation_id": 5, "start": 26, "end": 74, "value": "claim"},
            ],
            "missing": [],
        }
    ]


def test_csv_read_back(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "agree.csv"
    assert main(["agree", str(study), "--csv", "-o", str(target), "--labels", "actor"]) == 0
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert capsys.readouterr().out.strip() == f"wrote {target} ({len(rows)} rows)"
    figures = [r for r in rows if r["record"] == "figure"]
    assert {r["label"] for r in figures} <= {
        "",
        "actor",
        "claimant",
        "addressee",
        "position",
        "issue",
    }
    f1 = next(
        r
        for r in figures
        if r["section"] == "spans-exact" and r["measure"] == "F1" and r["scope"] == "pooled"
    )
    assert (f1["coders"], float(f1["value"]), f1["n"], f1["on"]) == (
        "Ana / Ben",
        1.0,
        "4",
        "2 shared documents",
    )
    per_document = [r for r in figures if r["document_id"] == "2"]
    assert per_document and {r["document"] for r in per_document} == {"'=HYPERLINK(1)"}
    assert [r for r in rows if r["record"] == "disagreement"] == []  # actor spans agree


def test_html_parsed(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "agree.html"
    assert main(["agree", str(study), "--html", "-o", str(target)]) == 0

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.headings: list[str] = []
            self.cells: list[str] = []
            self._in: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self._in = tag

        def handle_endtag(self, tag: str) -> None:
            self._in = None

        def handle_data(self, data: str) -> None:
            if self._in in ("h1", "h2"):
                self.headings.append(data)
            elif self._in == "td":
                self.cells.append(data)

    page = Page()
    page.feed(target.read_text(encoding="utf-8"))
    assert page.headings[0] == "Agreement: study.annot"
    assert "Coding of matched units" in page.headings and "Disagreements (1)" in page.headings
    assert "Cohen's kappa" in page.cells and "0.400" in page.cells
    assert "1: Senate" in page.cells and "=HYPERLINK(1)" in "".join(page.cells)


def test_three_coders_fleiss(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for row in [("1", 0, 15, "actor"), ("1", 26, 74, "claim"), ("2", 1, 11, "claim")]:
        annotate(study, "Cem", *row)
    capsys.readouterr()
    assert main(["agree", str(study), "--coders", "Ana", "Ben", "Cem"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("  Ana, Ben, Cem: Fleiss' kappa = ") for line in out)
    assert main(["agree", str(study), "--coders", "Ana", "Ben"]) == 0
    assert "Fleiss' kappa =" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--coders", "Ana", "Zed"], "unknown coder 'Zed'"),
        (["--coders", "Ana"], "at least two coders"),
        (["--labels", "nope"], "unknown label 'nope'"),
        (["--documents", "99"], "there is no document '99'"),
        (["--csv"], "--csv needs -o FILE"),
        (["-o", "x.json"], "-o FILE goes with --json, --csv or --html"),
        (["--json", "--csv"], "not allowed with argument"),
    ],
)
def test_mistakes_are_one_line_exit_2(
    study: Path, extra: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = study.read_bytes()
    assert main(["agree", str(study), *extra]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and captured.out == ""
    assert study.read_bytes() == before


def test_no_shared_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "apart.annot"
    assert main(["new", str(path)]) == 0
    with Project.open(path) as project:
        project.add_document(TEXT, "one")
        project.add_document(OTHER, "two")
    annotate(path, "Ana", "1", 0, 15, "actor")
    annotate(path, "Ben", "2", 1, 11, "actor")
    capsys.readouterr()
    assert main(["agree", str(path)]) == 0
    out = capsys.readouterr().out
    assert "on 0 shared documents" in out
    assert "Ana / Ben: Cohen's kappa: undefined, no document coded by both (n = 0 items)" in out
    assert "= 1.000" not in out


def test_krippendorff_unitizing_example_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Krippendorff (2004, p. 254) on the continuum 150-450, as a 300-character document
    (alpha_U does not change when the continuum is moved): alpha_U 0.859, c 0.729, k 1.000,
    from a real project file through ``annotator agree --json``."""
    from annotator.core.codebook import load_codebook

    codebook = load_codebook(
        "name: units\nlabels:\n  - key: c\n    name: C\n    colour: '#0072b2'\n"
        "  - key: k\n    name: K\n    colour: '#e69f00'\n"
    )
    path = tmp_path / "k.annot"
    with Project.create(path, codebook, annotator="lead") as project:
        doc = project.add_document("x" * 299 + "\n", "continuum").id
        units = {
            "A": [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")],
            "B": [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")],
        }
        for coder, rows in units.items():
            spans = [(s - 150, s - 150 + n, label, None) for s, n, label in rows]
            project.annotate_many(doc, spans, annotator=coder)
    assert main(["agree", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["figures"]
    alpha_u = {
        f["label"]: round(f["value"], 3)
        for f in figures
        if f["measure"] == "Krippendorff's alpha_U" and f["document"] is None
    }
    assert alpha_u == {None: 0.859, "c": 0.729, "k": 1.0}


def test_json_to_a_file(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "agree.json"
    assert main(["agree", str(study), "--json", "-o", str(target), "--documents", "Senate"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {target}"
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["documents_selected"] == 1 and data["documents_shared"] == [
        {"id": 1, "title": "Senate"}
    ]


def test_a_folder_as_output_is_one_line(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("--csv", "--html", "--json"):
        assert main(["agree", str(study), fmt, "-o", str(tmp_path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].endswith("it is a folder"), err


def test_no_claim_label_chosen_no_claims_section(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agree", str(study), "--labels", "actor", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["matched_claims"] == 0
    assert {f["section"] for f in data["figures"]} == {
        "spans-exact",
        "spans-overlap",
        "characters",
        "units",
    }
