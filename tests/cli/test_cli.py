from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import COMMANDS, main
from annotator.demo import sample_text
from annotator.store import Project

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [ANNOTATOR, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=60,
    )


def parse_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "CSV starts with a BOM for Excel"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_the_issue_pipeline_prints_a_row_indexing_the_document(tmp_path: Path) -> None:
    sample = tmp_path / "france-armenia-resolution.txt"
    sample.write_text(sample_text(), encoding="utf-8")
    assert run("new", "p.annot", cwd=tmp_path).returncode == 0
    assert run("import", "p.annot", sample, cwd=tmp_path).returncode == 0
    made = run(
        "annotate",
        "p.annot",
        "--document",
        "1",
        "--match",
        "Laurent Wauquiez",
        "--label",
        "actor",
        cwd=tmp_path,
    )
    assert made.returncode == 0 and made.stdout.strip().isdigit()
    out = run("export", "p.annot", "--format", "csv", cwd=tmp_path)
    assert out.returncode == 0
    rows = parse_csv(out.stdout)
    assert [r["text"] for r in rows] == ["Laurent Wauquiez"]
    row = rows[0]
    assert sample_text()[int(row["start"]) : int(row["end"])] == "Laurent Wauquiez"
    assert (
        row["annotation_id"] == made.stdout.strip()
        and row["label"] == "actor"
        and row["label_name"] == "Actor"
    )
    for column in ("document", "document_id", "note", "annotator", "created", "modified"):
        assert column in row


def test_annotate_by_offsets_all_and_occurrence_print_one_id_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "p.annot"
    src = tmp_path / "doc.txt"
    src.write_text("Senate and Senate and Senate", encoding="utf-8")
    assert main(["new", str(p)]) == 0
    assert main(["import", str(p), str(src)]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "annotate",
                str(p),
                "--document",
                "doc",
                "--match",
                "Senate",
                "--all",
                "--label",
                "actor",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.split() == ["1", "2", "3"]
    assert (
        main(
            [
                "annotate",
                str(p),
                "--document",
                "1",
                "--match",
                "Senate",
                "--occurrence",
                "2",
                "--label",
                "claim",
                "--note",
                "n",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "annotate",
                str(p),
                "--document",
                "1",
                "--start",
                "0",
                "--end",
                "6",
                "--label",
                "demand",
                "--attribute",
                "position=+1",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.split() == ["4", "5"]
    with Project.open(p) as project:
        four = project.annotation(4)
        assert (four.start, four.label, four.note) == (11, "claim", "n")
        assert project.attributes(5) == {"position": "+1"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["annotate", "{p}", "--document", "1", "--match", "Senate", "--label", "actor"],
            "occurs 3 times",
        ),
        (
            ["annotate", "{p}", "--document", "1", "--match", "Nowhere", "--label", "actor"],
            "does not occur",
        ),
        (
            [
                "annotate",
                "{p}",
                "--document",
                "1",
                "--start",
                "0",
                "--end",
                "999",
                "--label",
                "actor",
            ],
            "outside the document",
        ),
        (
            ["annotate", "{p}", "--document", "1", "--start", "0", "--end", "3", "--label", "nope"],
            "no label 'nope'",
        ),
        (
            [
                "annotate",
                "{p}",
                "--document",
                "9",
                "--start",
                "0",
                "--end",
                "3",
                "--label",
                "actor",
            ],
            "no document '9'",
        ),
        (
            [
                "annotate",
                "{p}",
                "--document",
                "1",
                "--match",
                "Senate",
                "--all",
                "--label",
                "demand",
                "--attribute",
                "position=7",
            ],
            "not a choice",
        ),
        (
            ["annotate", "{p}", "--document", "1", "--label", "actor"],
            "either --start and --end, or --match",
        ),
        (["import", "{p}", "{missing}"], "no file"),
        (["export", "{p}", "--format", "nope"], "unknown export format"),
        (["new", "{p}"], "already exists"),
        (["list", "{missing}"], "no project"),
        (["frobnicate"], "not a command"),
        (["annotate", "{p}", "--bogus"], "arguments are required"),
    ],
)
def test_user_mistakes_give_one_line_exit_2_and_change_nothing(
    tmp_path: Path, args: list[str], words: str
) -> None:
    p = tmp_path / "p.annot"
    src = tmp_path / "doc.txt"
    src.write_text("Senate and Senate and Senate", encoding="utf-8")
    main(["new", str(p)])
    main(["import", str(p), str(src)])
    before = Project.open(p, read_only=True)
    counts_before = before.counts()
    before.close()
    argv = [a.format(p=p, missing=tmp_path / "missing.txt") for a in args]
    result = run(*argv, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    with Project.open(p, read_only=True) as after:
        assert after.counts() == counts_before


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: annotator " + command in capsys.readouterr().out


def test_import_reads_common_encodings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "p.annot"
    main(["new", str(p)])
    text = "“Déjà vu” in the café’s naïve façade — 3 × 4 …\r\nsecond line\r\n"
    files = {
        "win.txt": text.encode("cp1252"),
        "utf16.md": "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"),
        "bom.txt": "\ufeff".encode() + text.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert main(["import", str(p), *(str(tmp_path / n) for n in files)]) == 0
    with Project.open(p) as project:
        assert [project.text(d) for d in project.documents()] == [text.replace("\r\n", "\n")] * 3
        assert [d.source_name for d in project.documents()] == list(files)


def test_list_shows_counts_per_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "p.annot"
    src = tmp_path / "doc.txt"
    src.write_text("Senate and Senate", encoding="utf-8")
    main(["new", str(p)])
    main(["import", str(p), str(src)])
    main(["annotate", str(p), "--document", "1", "--match", "Senate", "--all", "--label", "actor"])
    capsys.readouterr()
    assert main(["list", str(p)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == [
        "id",
        "title",
        "characters",
        "claim",
        "demand",
        "actor",
        "allegation",
        "total",
    ]
    assert row.split() == ["1", "doc", "17", "0", "0", "2", "0", "2"]


def test_csv_quotes_newlines_and_neutralises_formulas(tmp_path: Path) -> None:
    p = tmp_path / "p.annot"
    text = '=HYPERLINK("x") said "yes",\nthen -1 and +2 @home\tend'
    with Project.create(p) as project:
        doc = project.add_document(text, "=cmd|' /C calc'!A0")
        project.annotate(doc, 0, len(text), "claim", note='two\nlines, "quoted"')
        project.annotate(doc, text.index("-1"), text.index("-1") + 2, "claim")
    rows = parse_csv(run("export", p, cwd=tmp_path).stdout)
    first = rows[0]
    assert first["text"] == "'" + text and first["document"].startswith("'=cmd")
    assert first["note"] == 'two\nlines, "quoted"'
    assert rows[1]["text"] == "-1"  # plain numbers call nothing: kept as data (export_queries)
    raw = parse_csv(run("export", p, "--raw", cwd=tmp_path).stdout)
    assert raw[0]["text"] == text and raw[1]["text"] == "-1"
    out = tmp_path / "out.csv"
    assert run("export", p, "-o", out, cwd=tmp_path).returncode == 0
    assert parse_csv(out.read_text(encoding="utf-8")) == rows


def test_demo_makes_then_reuses_the_sample_project(tmp_path: Path) -> None:
    first = run("demo", "--no-gui", cwd=tmp_path)
    assert first.returncode == 0
    path = Path(first.stdout.strip().split(": ", 1)[1])
    assert path.exists()
    with Project.open(path) as project:
        (doc,) = project.documents()
        assert project.text(doc) == sample_text()
        assert project.annotations(doc)
        for a in project.annotations(doc):
            assert a.text == sample_text()[a.start : a.end]
    second = run("demo", "--no-gui", cwd=tmp_path)
    assert second.stdout == first.stdout


def test_python_dash_m_and_version(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("annotator ")
