"""The HTML report: every annotation shown and listed, colours, overlaps, escaping.

The expectations are computed from the project through the plain store API; the HTML
is read back with the standard library's HTML parser, as a browser would tokenise it.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annotator.core.errors import ProjectError
from annotator.formats.registry import export_project
from annotator.formats.report_html import blended, document_report_html, project_report_html
from annotator.store import Project
from tests.conftest import MIXED_TEXT
from tests.formats.report_sample import annotate_sample, find


class Page(HTMLParser):
    """Collects the highlighted pieces, the paragraphs of the text, the table rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.marks: list[tuple[dict[str, str | None], str]] = []  # in the text only
        self.paragraphs: list[str] = []
        self.rows: dict[str, str] = {}  # row id -> its text
        self.in_text = 0
        self._mark: dict[str, str | None] | None = None
        self._mark_text: list[str] = []
        self._row: str | None = None
        self._row_text: list[str] = []
        self._para: list[str] | None = None
        self.dirs: list[str | None] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        a = dict(attrs)
        self.attributes.extend(k for k, _ in attrs)
        if tag == "div" and a.get("class") == "text":
            self.in_text = 1
        elif tag == "div" and self.in_text:
            self.in_text += 1
        if self.in_text and tag == "p":
            self._para = []
            self.dirs.append(a.get("dir"))
        if self.in_text and tag == "mark":
            self._mark, self._mark_text = a, []
        if tag == "tr" and (a.get("id") or "").startswith("a"):
            self._row, self._row_text = a["id"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.in_text:
            self.in_text -= 1
        if tag == "p" and self._para is not None:
            self.paragraphs.append("".join(self._para))
            self._para = None
        if tag == "mark" and self._mark is not None:
            self.marks.append((self._mark, "".join(self._mark_text)))
            self._mark = None
        if tag == "tr" and self._row is not None:
            self.rows[self._row] = "".join(self._row_text)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._para is not None:
            self._para.append(data)
        if self._mark is not None:
            self._mark_text.append(data)
        if self._row is not None:
            self._row_text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def check_document(project: Project, doc: int, page: Page) -> None:
    text = project.text(doc)
    shown = "\n".join("" if p == "\xa0" else p for p in page.paragraphs)  # blank lines
    assert shown == text.rstrip("\n")  # the whole text, line by line
    colours = {lab.key: lab.colour for lab in project.labels()}
    for a in project.annotations(doc):
        pieces = [
            (attrs, piece)
            for attrs, piece in page.marks
            if f"#{a.id}" in (attrs.get("title") or "").replace(",", " ").split()
        ]
        # the pieces of an annotation, in order, are its text (lines cut at newlines)
        assert "".join(piece for _, piece in pieces) == a.text.replace("\n", "")
        assert a.label in " ".join(attrs.get("data-labels") or "" for attrs, _ in pieces)
        row = page.rows[f"a{a.id}"]
        assert " ".join(a.text.split()) in " ".join(row.split())
        if a.note:
            assert " ".join(a.note.split()) in " ".join(row.split())
        for attrs, _ in pieces:
            if attrs.get("class") != "layered":
                assert f"background-color:{blended([colours[a.label]])}" in (attrs["style"] or "")


def test_sample_report_shows_and_lists_every_annotation(sample_project: Project) -> None:
    ids = annotate_sample(sample_project, 1)
    page_text = document_report_html(sample_project, 1, today=date(2026, 2, 5))
    page = parse(page_text)
    check_document(sample_project, 1, page)
    assert len(page.rows) == len(sample_project.annotations(1))
    # the header
    assert "France–Armenia resolution" in page_text
    assert "2026-02-05" in page_text
    assert "tester" in page_text  # the annotator
    assert sample_project.name in page_text
    # attributes, actors and relations in the table
    assert "detainees" in page.rows[f"a{ids['release']}"]
    assert "French Senate" in page.rows[f"a{ids['senate']}"]
    relations = sample_project.relations(1)
    for rel in relations:
        assert f"#{rel.to_id}" in page.rows[f"a{rel.from_id}"]
        assert f"#{rel.from_id}" in page.rows[f"a{rel.to_id}"]
    # the legend names every label with its count
    counts = Counter(a.label for a in sample_project.annotations(1))
    for lab in sample_project.labels():
        assert lab.name in page_text
        assert counts[lab.key] > 0


def test_overlaps_are_layered_pieces(tmp_project: Project) -> None:
    doc = tmp_project.add_document("Alpha beta gamma delta", "Overlaps")
    outer = tmp_project.annotate(doc, 0, 16, "claim")  # Alpha beta gamma
    inner = tmp_project.annotate(doc, 6, 22, "actor")  # beta gamma delta
    page = parse(document_report_html(tmp_project, doc))
    check_document(tmp_project, doc, page)
    layered = [(a, t) for a, t in page.marks if a.get("class") == "layered"]
    assert [t for _, t in layered] == ["beta gamma"]
    colours = {lab.key: lab.colour for lab in tmp_project.labels()}
    style = layered[0][0]["style"] or ""
    assert f"background-color:{blended([colours['claim'], colours['actor']])}" in style
    assert f"#{outer.id}" in (layered[0][0]["title"] or "")
    assert f"#{inner.id}" in (layered[0][0]["title"] or "")


def test_hostile_text_is_escaped_everywhere(tmp_project: Project) -> None:
    hostile = (
        'Say <script>alert("x")</script> & \'quoted\' "double" 👍🏽 done\n'
        + MIXED_TEXT.replace("\r\n", "\n")
        + "</p></div><img src=x onerror=alert(1)>\n"
    )
    doc = tmp_project.add_document(hostile, '<b>Title</b> & "co"')
    start, end = find(tmp_project, doc, '<script>alert("x")</script>')
    script = tmp_project.annotate(doc, start, end, "claim", "</td><script>bad()</script>").id
    s, e = find(tmp_project, doc, "Հայաստանի Ազգային")
    armenian = tmp_project.annotate(doc, s, e, "actor").id
    s, e = find(tmp_project, doc, "قال البرلمان")
    arabic = tmp_project.annotate(doc, s, e, "claim").id
    s, e = find(tmp_project, doc, "👍🏽 done\nRésumé")
    across = tmp_project.annotate(doc, s, e, "demand").id  # across a line end
    s, e = find(tmp_project, doc, "<img src=x onerror=alert(1)>")
    img = tmp_project.annotate(doc, s, e, "allegation").id
    tmp_project.set_attribute(script, "issue", '"><img src=x onerror=alert(2)>')
    tmp_project.link_actor(armenian, "Ազգային <ժողով> & co")
    tmp_project.relate(armenian, arabic, "claimant")
    page_text = document_report_html(tmp_project, doc)
    page = parse(page_text)
    assert page.tags["script"] == 0
    assert page.tags["img"] == 0
    assert "onerror" not in page.attributes
    assert "&lt;script&gt;" in page_text
    assert "&lt;b&gt;Title&lt;/b&gt; &amp; &quot;co&quot;" in page_text
    check_document(tmp_project, doc, page)
    for ann in (script, armenian, arabic, across, img):
        assert f"a{ann}" in page.rows
    assert "</td><script>bad()</script>" in page.rows[f"a{script}"]  # shown as text
    assert "Ազգային <ժողով> & co" in page.rows[f"a{armenian}"]
    assert set(page.dirs) == {"auto"}  # Arabic and Hebrew lines find their direction
    assert any("قال البرلمان" in p for p in page.paragraphs)


def test_exporter_writes_every_document(tmp_project: Project, tmp_path: Path) -> None:
    one = tmp_project.add_document("First text with a claim.", "One")
    two = tmp_project.add_document("Second text & an actor.", "Two <2>")
    tmp_project.annotate(one, 17, 24, "claim")
    tmp_project.annotate(two, 17, 22, "actor")
    target = tmp_path / "report.html"
    report = export_project(tmp_project, "report-html", target)
    assert (report.documents, report.annotations) == (2, 2)
    written = target.read_text("utf-8")
    page = parse(written)
    assert written.count('class="document') == 2
    assert "Two &lt;2&gt;" in written
    assert {f"a{a.id}" for a in tmp_project.annotations()} == set(page.rows)
    assert "page-break-before: always" in written  # each document on new pages in print
    stream = io.StringIO()
    export_project(tmp_project, "report-html", stream)
    assert stream.getvalue().replace(date.today().isoformat(), "") == written.replace(
        date.today().isoformat(), ""
    )
    assert project_report_html(tmp_project).startswith("<!DOCTYPE html>")


def test_empty_project_and_unwritable_target(tmp_project: Project, tmp_path: Path) -> None:
    assert "No documents." in project_report_html(tmp_project)
    with pytest.raises(ProjectError, match="cannot write"):
        export_project(tmp_project, "report-html", tmp_path / "missing" / "report.html")
    assert not (tmp_path / "missing").exists()
