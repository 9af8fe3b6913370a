"""CSV export: every cell exact, through both the fast (printf) and the exact path."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from annotator.cli import main
from annotator.core.analysis import ROLE_NAMES
from annotator.formats.registry import Options, export_project
from annotator.store import Project
from annotator.store.queries.analysis_queries import claims as analysis_claims
from tests.strategies import DocSpec, build_project, project_contents


def exported(project: Project, raw: bool = True) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    export_project(project, "csv", out, Options(raw=raw))
    text = out.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def expected(project: Project) -> list[dict[str, str]]:
    """Every cell, read through the Project API and the claims table (not the export's
    SQL): the flat columns, the canonical actor, the claim roles, each attribute."""
    titles = {d.id: d.title for d in project.documents()}
    names = {label.key: label.name for label in project.labels()}
    claims = {c.item.id: c for c in analysis_claims(project)}
    keys = [a.key for a in project.codebook().attributes]
    rows = []
    for a in project.annotations():
        actor = project.actor_of(a.id)
        claim = claims.get(a.id)
        row = {
            "document": titles[a.document_id],
            "document_id": str(a.document_id),
            "annotation_id": str(a.id),
            "start": str(a.start),
            "end": str(a.end),
            "text": a.text,
            "label": a.label,
            "label_name": names[a.label],
            "note": a.note or "",
            "annotator": a.annotator,
            "created": a.created,
            "modified": a.modified,
            "actor": actor.name if actor else "",
        }
        for role in ROLE_NAMES:
            refs = claim.role(role) if claim else ()
            row[role] = "; ".join(ref.name for ref in refs)
        values = project.attributes(a.id)
        row.update({k: values.get(k, "") for k in keys})
        rows.append(row)
    return rows


@settings(max_examples=30)
@given(project_contents())
def test_every_cell_is_exact(docs: list[DocSpec]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = build_project(Path(folder) / "p.annot", docs)
        try:
            assert exported(project) == expected(project)
        finally:
            project.close()


def test_nul_characters_take_the_exact_path(tmp_project: Project) -> None:
    text = 'The Senate, "quoted" and =SUM(A1)'
    doc = tmp_project.add_document(text, "doc")
    tmp_project.annotate(doc, 4, 10, "actor", note="before\x00after")
    tmp_project.annotate(doc, text.index("="), len(text), "claim", note="=1+1")
    assert exported(tmp_project) == expected(tmp_project)
    inert = exported(tmp_project, raw=False)
    assert [r["note"] for r in inert] == ["before\x00after", "'=1+1"]
    assert inert[1]["text"] == "'=SUM(A1)"


def _claims_project(path: Path) -> Project:
    """Claims structure built through the API: two mentions of one canonical actor (one
    of them a formula), a mention linked to none, a claim with both as claimants and an
    addressee, attributes, a note; CRLF and astral text."""
    project = Project.create(path)
    text = "EU 👍🏽 says\r\nthe Union and =cmd ask Paris to act.\r\n"
    doc = project.add_document(text, "Claims")
    body = project.text(doc)

    def span(needle: str, label: str, note: str | None = None) -> int:
        at = body.index(needle)
        return project.annotate(doc, at, at + len(needle), label, note).id

    eu, union, cmd, paris = (span(n, "actor") for n in ("EU", "the Union", "=cmd", "Paris"))
    project.link_actor(eu, "European Union", "organisation")
    project.link_actor(union, "European Union")
    project.link_actor(cmd, "=HYPERLINK(1)")
    claim = span("ask Paris to act", "demand", "a note")
    project.set_attribute(claim, "position", "+1")
    project.set_attribute(claim, "issue", "-rule of law")
    for actor in (union, eu, cmd):
        project.relate(actor, claim, "claimant")
    project.relate(claim, paris, "addressee")
    return project


def test_the_default_csv_holds_the_claims_structure(tmp_path: Path) -> None:
    with _claims_project(tmp_path / "p.annot") as project:
        rows = {r["text"]: r for r in exported(project, raw=False)}
    demand = rows["ask Paris to act"]
    # canonical names, each once, in text order; the formula rule on every text cell
    assert demand["claimant"] == "European Union; =HYPERLINK(1)"  # (starts as no formula)
    assert demand["addressee"] == "Paris"  # a mention without canonical actor: its text
    assert (demand["object"], demand["accused"], demand["actor"]) == ("", "", "")
    assert (demand["position"], demand["issue"], demand["note"]) == (
        "+1",
        "'-rule of law",
        "a note",
    )
    assert rows["EU"]["actor"] == rows["the Union"]["actor"] == "European Union"
    assert rows["'=cmd"]["actor"] == "'=HYPERLINK(1)"
    assert rows["EU"]["claimant"] == ""  # roles only on claims


def test_columns_picks_and_orders_and_names_what_is_left_out(tmp_path: Path) -> None:
    with _claims_project(tmp_path / "p.annot") as project:
        out = io.StringIO(newline="")
        report = export_project(project, "csv", out, Options(columns=("claimant", "text")))
    lines = out.getvalue().lstrip("\ufeff").split("\r\n")
    assert lines[:2] == ["claimant,text", '"","EU"']
    assert '"European Union; =HYPERLINK(1)","ask Paris to act"' in lines
    # the addressee relation, 3 actor links, 2 attribute values, the note: not carried
    assert report.dropped == {"note": 1, "attribute value": 2, "relation": 1, "actor link": 3}


def test_an_unknown_column_is_one_line_naming_the_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _claims_project(tmp_path / "p.annot").close()
    out = tmp_path / "out.csv"
    args = ["export", str(tmp_path / "p.annot"), "-o", str(out), "--columns", "text,colour"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "there is no column 'colour'" in err and "claimant" in err
    assert not out.exists()
    assert main([*args[:-1], "text,start,text"]) == 2
    assert "named twice" in capsys.readouterr().err
    assert main([*args[:-1], "start, text"]) == 0
    assert out.read_text("utf-8-sig").splitlines()[0] == "start,text"
    capsys.readouterr()
    assert main([*args, "--format", "jsonl"]) == 2
    assert "--columns goes with --format csv or xlsx" in capsys.readouterr().err
