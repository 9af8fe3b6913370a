"""Annotator JSONL: lossless round trips, the file's structure, bad input, the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from annotator.cli import main
from annotator.core.errors import FormatError
from annotator.formats import jsonl
from annotator.formats.registry import detect, export_project, import_paths
from annotator.store import Project
from tests.conftest import MIXED_TEXT
from tests.strategies import DocSpec, build_project, project_contents, snapshot


def full_snapshot(project: Project) -> list[dict[str, object]]:
    """Everything JSONL promises to carry, independent of ids."""
    out = snapshot(project)
    for item, doc in zip(out, project.documents(), strict=True):
        anns = project.annotations(doc)
        index = {a.id: (a.start, a.end, a.label) for a in anns}
        actors = {}
        for a in anns:
            actor = project.actor_of(a.id)
            if actor is not None:
                actors[index[a.id]] = (actor.name, actor.type)
        item.update(
            source_name=doc.source_name,
            source_path=doc.source_path,
            sha256=doc.sha256,
            imported_at=doc.imported_at,
            exact=sorted(
                (a.start, a.end, a.label, repr(a.note), a.annotator, a.created, a.modified)
                for a in anns
            ),
            relation_meta=sorted(
                (r.type, index[r.from_id], index[r.to_id], r.annotator, r.created)
                for r in project.relations(doc.id)
            ),
            actors=sorted(actors.items()),
        )
    return out


def link_actors(project: Project) -> None:
    """Give every actor span a canonical actor (two names, so some share one)."""
    for n, a in enumerate(project.annotations(label="actor")):
        project.link_actor(a.id, f"Actor {n % 2}", "state" if n % 2 else "person")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=project_contents())
def test_round_trip_is_lossless(
    tmp_path_factory: pytest.TempPathFactory, docs: list[DocSpec]
) -> None:
    folder = tmp_path_factory.mktemp("rt")
    with build_project(folder / "a.annot", docs) as source:
        link_actors(source)
        # an annotation by someone else, with its own times, must keep them
        source.annotate_many(
            source.documents()[0],
            [(0, 1, "demand", "by someone else")],
            annotator="Ani",
            created="2020-01-02T03:04:05+00:00",
        )
        report = export_project(source, "jsonl", folder / "out.jsonl")
        assert report.documents == len(docs)
        expected = full_snapshot(source)
    with Project.create(folder / "b.annot", annotator="other") as target:
        result = import_paths(target, [folder / "out.jsonl"])
        assert result.documents == len(docs)
        assert result.annotations == sum(len(d.spans) for d in docs) + 1
        assert full_snapshot(target) == expected
    # the new project, reopened from disk, is the same
    with Project.open(folder / "b.annot") as reopened:
        assert full_snapshot(reopened) == expected


def small_project(path: Path) -> Project:
    project = Project.create(path, annotator="tester")
    doc = project.add_document(MIXED_TEXT, "Mixed", source_name="mixed.txt")
    text = project.text(doc)
    s = text.index("Հայաստանի")
    actor = project.annotate(doc, s, s + len("Հայաստանի Ազգային ժողովը"), "actor")
    c = text.index("قال")
    claim = project.annotate(doc, c, c + 20, "claim", note='two\nlines "quoted"')
    project.set_attributes(claim.id, {"position": "+1", "issue": "Հայ issue"})
    project.relate(actor.id, claim.id, "claimant")
    project.link_actor(actor.id, "National Assembly of Armenia", "organisation")
    e = text.index("👍🏽")
    project.annotate(doc, e, e + 2, "allegation")
    return project


def test_structure_of_a_small_export(tmp_path: Path) -> None:
    with small_project(tmp_path / "p.annot") as project:
        export_project(project, "jsonl", tmp_path / "out.jsonl")
        text = project.text(1)
        ids = {a.label: a.id for a in project.annotations()}
    lines = (tmp_path / "out.jsonl").read_text("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 3
    header, doc = json.loads(lines[0]), json.loads(lines[1])
    assert list(header)[:2] == ["annotator", "version"]
    assert header["annotator"] == "jsonl" and header["version"] == 1
    assert [lab["key"] for lab in header["codebook"]["labels"]] == [
        "claim",
        "demand",
        "actor",
        "allegation",
    ]
    assert doc["title"] == "Mixed" and doc["source_name"] == "mixed.txt"
    assert doc["text"] == text and "\r" not in doc["text"]
    spans = {s["label"]: s for s in doc["spans"]}
    # span ids are the spans' places in the line, in text order (not the project's ids)
    assert [s["id"] for s in doc["spans"]] == list(range(1, len(doc["spans"]) + 1))
    ids = {s["label"]: s["id"] for s in doc["spans"]}
    for span in doc["spans"]:
        assert span["text"] == text[span["start"] : span["end"]]
        assert span["annotator"] == "tester"
        assert set(span) == {
            "id",
            "start",
            "end",
            "text",
            "label",
            "note",
            "annotator",
            "created",
            "modified",
            "attributes",
        }
    assert spans["allegation"]["text"] == "👍🏽"  # two code points
    assert spans["allegation"]["end"] - spans["allegation"]["start"] == 2
    assert spans["claim"]["note"] == 'two\nlines "quoted"'
    assert spans["claim"]["attributes"] == {"issue": "Հայ issue", "position": "+1"}
    assert doc["relations"] == [
        {
            "type": "claimant",
            "from": ids["actor"],
            "to": ids["claim"],
            "annotator": "tester",
            "created": doc["relations"][0]["created"],
        }
    ]
    assert doc["actors"] == [
        {"span": ids["actor"], "name": "National Assembly of Armenia", "type": "organisation"}
    ]


def test_export_streams_to_a_text_stream(tmp_path: Path) -> None:
    with small_project(tmp_path / "p.annot") as project:
        out = io.StringIO()
        report = export_project(project, "jsonl", out)
    assert report.annotations == 3 and report.relations == 1
    assert out.getvalue().count("\n") == 2


def test_sniffing_tells_jsonl_from_other_json(tmp_path: Path) -> None:
    with small_project(tmp_path / "p.annot") as project:
        export_project(project, "jsonl", tmp_path / "out.jsonl")
    assert detect(tmp_path / "out.jsonl") == ("importer", "jsonl")


def test_import_merges_a_custom_codebook(tmp_path: Path) -> None:
    with small_project(tmp_path / "p.annot") as project:
        project.ensure_labels(["frame"])
        doc = project.documents()[0]
        project.annotate(doc, 0, 6, "frame")
        export_project(project, "jsonl", tmp_path / "out.jsonl")
    with Project.create(tmp_path / "new.annot") as target:
        report = import_paths(target, [tmp_path / "out.jsonl"])
        assert target.codebook().label("frame") is not None
        assert any("label frame" in w for w in report.warnings)
        assert [a.label for a in target.annotations(label="frame")] == ["frame"]


# -- bad input ----------------------------------------------------------------------


def exported_lines(tmp_path: Path) -> list[str]:
    with small_project(tmp_path / "p.annot") as project:
        doc = project.add_document("A second document.", "Second")
        project.annotate(doc, 2, 8, "claim")
        export_project(project, "jsonl", tmp_path / "good.jsonl")
    return (tmp_path / "good.jsonl").read_text("utf-8").splitlines()


def corrupt(lines: list[str], number: int, change: object) -> list[str]:
    """*lines* with line *number* (1-based) parsed, changed by *change*, written back."""
    out = list(lines)
    obj = json.loads(out[number - 1])
    change(obj)  # type: ignore[operator]
    out[number - 1] = json.dumps(obj, ensure_ascii=False)
    return out


def first_span(key: str, value: object) -> object:
    def change(obj: dict) -> None:  # type: ignore[type-arg]
        obj["spans"][0][key] = value

    return change


BAD_LINES = {
    "offsets out of range": (2, first_span("end", 10_000), "outside the text"),
    "negative start": (2, first_span("start", -1), "outside the text"),
    "text mismatch": (2, first_span("text", "not this"), "is not the text at"),
    "offset is text": (2, first_span("start", "3"), "whole numbers"),
    "offset is a float": (2, first_span("end", 5.0), "whole numbers"),
    "label unknown": (2, first_span("label", "nope"), "not in the codebook"),
    "label is a list": (2, first_span("label", ["claim"]), "not in the codebook"),
    "note is a number": (2, first_span("note", 3), "'note'"),
    "bad attribute value": (
        2,
        lambda o: next(s for s in o["spans"] if s["attributes"])["attributes"].update(position="9"),
        "choice",
    ),
    "sha256 mismatch": (3, lambda o: o.update(sha256="0" * 64), "sha256"),
    "text not normalised": (3, lambda o: o.update(text="A\r\nsecond document."), "normalised"),
    "title missing": (3, lambda o: o.pop("title"), "no 'title'"),
    "spans not a list": (3, lambda o: o.update(spans={}), "'spans' must be a list"),
    "relation to nowhere": (2, lambda o: o["relations"][0].update(to=999_999), "'from' and 'to'"),
    "relation type unknown": (
        2,
        lambda o: o["relations"][0].update(type="x"),
        "not in the codebook",
    ),
    "actor link on a claim": (
        2,
        lambda o: o["actors"][0].update(span=o["relations"][0]["to"]),
        "only an actor span",
    ),
    "header version": (1, lambda o: o.update(version=99), "version"),
    "header codebook": (1, lambda o: o["codebook"]["labels"][0].update(colour="red"), "codebook"),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_bad_lines_name_the_line_and_change_nothing(tmp_path: Path, case: str) -> None:
    number, change, message = BAD_LINES[case]
    lines = exported_lines(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(corrupt(lines, number, change)) + "\n", "utf-8")
    with small_project(tmp_path / "target.annot") as target:
        before = full_snapshot(target)
        codebook = target.codebook()
        with pytest.raises(FormatError, match=f"line {number}: .*{message}"):
            import_paths(target, [bad], "jsonl")
        assert full_snapshot(target) == before
        assert target.codebook() == codebook
        # the project still works after the rolled-back import
        target.annotate(1, 0, 3, "claim")


@pytest.fixture(params=["json", "orjson"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the standard library's JSON parser and with orjson (if present)."""
    if request.param == "orjson":
        monkeypatch.setattr(jsonl, "_loads", pytest.importorskip("orjson").loads)
    else:
        monkeypatch.setattr(jsonl, "_loads", json.loads)
    return str(request.param)


def test_invalid_json_on_line_3(tmp_path: Path, parser: str) -> None:
    lines = exported_lines(tmp_path)
    lines[2] = lines[2][:-5]  # cut off the end of the second document
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", "utf-8")
    with Project.create(tmp_path / "t.annot") as target:
        with pytest.raises(FormatError, match=r"bad\.jsonl, line 3: not valid JSON"):
            import_paths(target, [bad], "jsonl")
        assert target.documents() == [] and target.annotations() == []


def test_not_a_jsonl_file(tmp_path: Path, parser: str) -> None:
    bad = tmp_path / "plain.jsonl"
    bad.write_text('{"text": "hello", "label": []}\n', "utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", "utf-8")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b'{"annotator": "jsonl", "version": 1}\n{"title": "\xff\xfe"}\n')
    with Project.create(tmp_path / "t.annot") as target:
        with pytest.raises(FormatError, match="line 1: not an Annotator JSONL file"):
            import_paths(target, [bad], "jsonl")
        with pytest.raises(FormatError, match="empty"):
            import_paths(target, [empty], "jsonl")
        with pytest.raises(FormatError, match="line 2: not valid UTF-8"):
            import_paths(target, [binary], "jsonl")
        lines = exported_lines(tmp_path)
        surrogate = tmp_path / "surrogate.jsonl"
        surrogate.write_text("\n".join([lines[0], lines[1].replace("Mixed", "M\\ud800")]), "utf-8")
        with pytest.raises(FormatError, match=r"line 2: (not valid JSON|.*unpaired surrogate)"):
            import_paths(target, [surrogate], "jsonl")
        assert target.documents() == []


# -- the command line ---------------------------------------------------------------


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_project(tmp_path / "p.annot").close()
    out = tmp_path / "p.jsonl"
    assert main(["export", str(tmp_path / "p.annot"), "--format", "jsonl", "-o", str(out)]) == 0
    assert main(["new", str(tmp_path / "q.annot")]) == 0
    assert main(["import", str(tmp_path / "q.annot"), str(out)]) == 0
    assert "with 3 annotations, 1 relations" in capsys.readouterr().out
    with Project.open(tmp_path / "p.annot") as a, Project.open(tmp_path / "q.annot") as b:
        assert snapshot(a) == snapshot(b)
    out.write_text(out.read_text("utf-8").replace('"start": ', '"start": -', 1), "utf-8")
    assert main(["import", str(tmp_path / "q.annot"), str(out), "--format", "jsonl"]) == 2
    assert "line 2" in capsys.readouterr().err
