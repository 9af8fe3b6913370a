"""Memos and notes leave the project in the report, JSONL and REFI-QDA (issue 13
item 6): real files written and read back."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import defusedxml.ElementTree as ET

from annotator.formats.registry import export_project
from annotator.store import Project

TEXT = "The Senate demands <release> now.\nSecond line."
DOC_MEMO = "Read beside the 2025 text.\nSecond <line> & more"
PROJECT_MEMO = "Claims about Artsakh"


def make(tmp_path: Path) -> Path:
    path = tmp_path / "e.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
        project.annotate(doc, 4, 10, "actor", note="upper house")
        project.set_document_info(doc, memo=DOC_MEMO)
        project.set_memo(PROJECT_MEMO)
    return path


def test_the_report_shows_both_memos_escaped_with_their_line_breaks(tmp_path: Path) -> None:
    path = make(tmp_path)
    with Project.open(path) as project:
        export_project(project, "report-html", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h2>Project memo</h2>" in html and PROJECT_MEMO in html
    assert "<h2>Document memo</h2>" in html
    assert "Second &lt;line&gt; &amp; more" in html and "<line>" not in html
    assert "white-space:pre-wrap" in html
    assert "upper house" in html  # the note, in the annotations table


def test_a_report_without_memos_has_no_memo_headings(tmp_path: Path) -> None:
    path = tmp_path / "plain.annot"
    with Project.create(path) as project:
        project.add_document(TEXT, "resolution")
        export_project(project, "report-html", tmp_path / "r.html")
    assert "memo" not in (tmp_path / "r.html").read_text(encoding="utf-8").lower()


def test_jsonl_carries_the_memos_and_the_note(tmp_path: Path) -> None:
    path = make(tmp_path)
    with Project.open(path) as project:
        export_project(project, "jsonl", tmp_path / "o.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text("utf-8").splitlines()]
    assert lines[0]["memo"] == PROJECT_MEMO  # the header
    (document,) = [x for x in lines[1:] if "text" in x]
    assert document["memo"] == DOC_MEMO
    assert "upper house" in json.dumps(document, ensure_ascii=False)


def test_refi_qda_carries_the_memos_as_descriptions(tmp_path: Path) -> None:
    path = make(tmp_path)
    with Project.open(path) as project:
        export_project(project, "qdpx", tmp_path / "o.qdpx")
    with zipfile.ZipFile(tmp_path / "o.qdpx") as z:
        root = ET.fromstring(z.read("project.qde"))
    descriptions = [e.text for e in root.iter() if e.tag.endswith("Description")]
    assert PROJECT_MEMO in descriptions
    assert DOC_MEMO in descriptions
    assert "upper house" in descriptions  # the note of the coded segment
