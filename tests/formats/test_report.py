"""Nothing dropped in silence: every exporter and importer counts, in one shared way
(:class:`Report`'s ``dropped`` and ``assumed``), what it could not carry and what it
took for granted, and the CLI and the window print it with one rendering."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.codebook import default_codebook_text, load_codebook
from annotator.formats.registry import Report, counted, export_project, report_lines
from annotator.store import Project
from tests.conftest import MIXED_TEXT

SUPPORTS = """
  - key: supports
    name: Supports
    from: [claim]
    to: [claim]
"""


def rich_project(path: Path) -> Path:
    """One document with emoji and CRLF: a claim with a note and attributes, its
    claimant (an actor linked to a canonical actor), a second claim it supports; a
    document variable."""
    text = default_codebook_text().replace("relations:\n", "relations:\n" + SUPPORTS.lstrip("\n"))
    with Project.create(path, load_codebook(text)) as project:
        doc = project.add_document(MIXED_TEXT, "Mixed")
        body = project.text(doc)
        at = body.index("Հայաստանի")
        actor = project.annotate(doc, at, at + 9, "actor")
        project.link_actor(actor.id, "Armenia", "state")
        claim = project.annotate(doc, 0, 6, "claim", note="a note")
        project.set_attribute(claim.id, "position", "+1")
        project.set_attribute(claim.id, "issue", "talks 👍🏽")
        other = project.annotate(doc, body.index("done"), body.index("done") + 4, "claim")
        project.relate(actor.id, claim.id, "claimant")
        project.relate(claim.id, other.id, "supports")
        project.variables.set(doc.id, "outlet", "Le Monde")
    return path


def test_counted_makes_the_last_word_plural() -> None:
    assert counted(1, "relation") == "1 relation"
    assert counted(3, "actor link") == "3 actor links"
    assert counted(2, "label hierarchy link") == "2 label hierarchy links"
    assert counted(2, "entity") == "2 entities"
    assert counted(2, "key") == "2 keys"
    assert counted(4, "box") == "4 boxes"
    assert counted(2, "relation of an event") == "2 relations of an event"
    assert counted(3, "relation the codebook does not allow") == (
        "3 relations the codebook does not allow"
    )
    assert counted(2, "document label (text classification)") == (
        "2 document labels (text classification)"
    )


def test_report_lines_render_warnings_drops_assumptions_and_details_on_verbose() -> None:
    report = Report(warnings=["w"], dropped=Counter({"relation": 2, "note": 0, "actor link": 1}))
    report.assumed += ["positions in code points", "line ends as written"]
    report.details.append("line 7: a relation brat rejects")
    assert report_lines(report) == [
        "w",
        "dropped (the format cannot carry them): 2 relations, 1 actor link",
        "assumed: positions in code points; line ends as written",
    ]
    assert report_lines(report, verbose=True)[-1] == "line 7: a relation brat rejects"
    assert report_lines(report, warnings=False)[0].startswith("dropped")
    assert report_lines(Report()) == []


def test_merge_adds_the_counts_and_keeps_each_assumption_once() -> None:
    a = Report(dropped=Counter({"relation": 1}), assumed=["code points"])
    a.merge(Report(dropped=Counter({"relation": 2, "note": 1}), assumed=["code points"]))
    assert a.dropped == {"relation": 3, "note": 1}
    assert a.assumed == ["code points"]


def test_doccano_export_counts_all_it_cannot_carry(tmp_path: Path) -> None:
    with Project.open(rich_project(tmp_path / "p.annot"), read_only=True) as project:
        report = export_project(project, "doccano", tmp_path / "out.jsonl")
    assert report.dropped == {"note": 1, "attribute value": 2, "relation": 2, "actor link": 1}
    assert report.assumed == ["positions in UTF-16 units (as doccano counts them)"]


def test_cli_prints_what_an_export_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = rich_project(tmp_path / "p.annot")
    out = tmp_path / "out.jsonl"
    assert main(["export", str(project), "--format", "doccano", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        "annotator: dropped (the format cannot carry them): 1 note, 2 attribute values, "
        "2 relations, 1 actor link\n" in err
    )
    assert "annotator: assumed: positions in UTF-16 units (as doccano counts them)\n" in err


def test_csv_and_claims_carry_the_claims_structure_and_count_the_rest(tmp_path: Path) -> None:
    with Project.open(rich_project(tmp_path / "p.annot"), read_only=True) as project:
        csv_report = export_project(project, "csv", tmp_path / "out.csv")
        claims_report = export_project(project, "claims", tmp_path / "claims.csv")
        xlsx_report = export_project(project, "xlsx", tmp_path / "out.xlsx")
    # the claim roles are columns; the "supports" relation between two claims is not
    assert csv_report.dropped == xlsx_report.dropped == {"relation": 1}
    assert claims_report.dropped == {"relation": 1, "document variable": 1}
    rows = list(csv.DictReader(io.StringIO((tmp_path / "claims.csv").read_text("utf-8-sig"))))
    assert [(r["text"], r["claimant"], r["note"], r["issue"]) for r in rows] == [
        ("Résumé", "Armenia", "a note", "talks 👍🏽"),
        ("done", "", "", ""),
    ]
