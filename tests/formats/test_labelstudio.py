"""Label Studio JSON: round trips, the file's structure, foreign files, bad input, the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from annotator.cli import main
from annotator.core.errors import FormatError
from annotator.formats.registry import detect, export_project, import_paths
from annotator.store import Project
from tests.conftest import MIXED_TEXT
from tests.strategies import DocSpec, build_project, project_contents, snapshot


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=project_contents())
def test_round_trip_keeps_spans_notes_attributes_relations(
    tmp_path_factory: pytest.TempPathFactory, docs: list[DocSpec]
) -> None:
    folder = tmp_path_factory.mktemp("rt")
    with build_project(folder / "a.annot", docs) as source:
        report = export_project(source, "labelstudio", folder / "out.json")
        expected = snapshot(source)
    assert report.warnings == []
    assert detect(folder / "out.json") == ("importer", "labelstudio")
    with Project.create(folder / "b.annot") as target:
        result = import_paths(target, [folder / "out.json"])
        assert result.warnings == []
        assert result.annotations == sum(len(d.spans) for d in docs)
        assert result.relations == sum(len(d.relations) for d in docs)
        assert snapshot(target) == expected


def small_export(tmp_path: Path) -> tuple[dict[str, Any], list[str], str]:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(MIXED_TEXT, "Mixed")
        text = project.text(doc)
        e = text.index("👍🏽")
        emoji = project.annotate(doc, e, e + 2, "actor")
        c = text.index("Ազգային")
        claim = project.annotate(doc, c, c + 7, "claim", note='two\nlines "q"')
        project.set_attributes(claim.id, {"position": "-1", "issue": "Հայ issue"})
        project.relate(emoji.id, claim.id, "claimant")
        project.link_actor(emoji.id, "Thumbs", "other")
        report = export_project(project, "labelstudio", tmp_path / "out.json")
    tasks = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert isinstance(tasks, list) and len(tasks) == 1
    return (
        tasks[0],
        [*report.warnings, *(f"dropped {k}: {n}" for k, n in report.dropped.items())],
        text,
    )


def test_structure_of_a_small_export(tmp_path: Path) -> None:
    task, warnings, text = small_export(tmp_path)
    assert warnings == ["dropped actor link: 1"]
    assert task["data"] == {"text": text, "title": "Mixed"}
    results = task["annotations"][0]["result"]
    by_kind: dict[tuple[str, str], dict[str, Any]] = {}
    for r in results:
        by_kind[(r["type"], r.get("from_name", ""))] = r
    assert sorted(by_kind) == [
        ("choices", "position"),
        ("labels", "label"),
        ("relation", ""),
        ("textarea", "issue"),
        ("textarea", "note"),
    ]
    labels = [r for r in results if r["type"] == "labels"]
    for r in labels:
        v = r["value"]
        assert r["to_name"] == "text"
        # code points: a Python slice of data.text gives the region's text
        assert text[v["start"] : v["end"]] == v["text"]
    thumbs = next(r for r in labels if r["value"]["labels"] == ["actor"])
    assert (
        thumbs["value"]["text"] == "👍🏽" and thumbs["value"]["end"] - thumbs["value"]["start"] == 2
    )
    claim = next(r for r in labels if r["value"]["labels"] == ["claim"])
    assert by_kind[("textarea", "note")]["id"] == claim["id"]
    assert by_kind[("textarea", "note")]["value"]["text"] == ['two\nlines "q"']
    assert by_kind[("choices", "position")]["value"]["choices"] == ["-1"]
    assert by_kind[("textarea", "issue")]["value"]["text"] == ["Հայ issue"]
    assert by_kind[("relation", "")] == {
        "type": "relation",
        "from_id": thumbs["id"],
        "to_id": claim["id"],
        "direction": "right",
        "labels": ["claimant"],
    }


def region(rid: str, start: int, end: int, text: str | None, labels: list[str]) -> dict[str, Any]:
    value: dict[str, Any] = {"start": start, "end": end, "labels": labels}
    if text is not None:
        value["text"] = text
    return {"id": rid, "type": "labels", "value": value}  # from_name and to_name left out


def test_import_of_a_foreign_file(tmp_path: Path) -> None:
    old_emoji = "💩This is an annotation."  # Label Studio issue #1347: UTF-16 offsets
    tasks = [
        {
            "data": {"text": "Senate of France\r\nsaid Armenia"},
            "annotations": [
                {
                    "completed_by": {"id": 3, "email": "ana@example.org"},
                    "created_at": "2024-05-01T10:00:00.123456Z",
                    "result": [region("x1", 0, 6, "Senate", ["Organization"])],
                },
                {
                    "completed_by": 7,
                    "result": [
                        region("y1", 10, 16, "France", ["actor"]),
                        region("y2", 23, 30, None, ["claim"]),
                        {
                            "type": "relation",
                            "from_id": "y2",
                            "to_id": "y1",
                            "direction": "left",
                            "labels": ["claimant"],
                        },
                        {
                            "type": "relation",
                            "from_id": "y1",
                            "to_id": "nowhere",
                            "labels": ["claimant"],
                        },
                        {
                            "type": "choices",
                            "from_name": "sentiment",
                            "value": {"choices": ["pos"]},
                        },
                        {
                            "id": "y2",
                            "type": "textarea",
                            "from_name": "note",
                            "value": {"text": ["line one", "line two"]},
                        },
                        {
                            "id": "y2",
                            "type": "choices",
                            "from_name": "position",
                            "value": {"choices": ["+1"]},
                        },
                        {
                            "id": "y2",
                            "type": "choices",
                            "from_name": "position2",
                            "value": {"choices": ["+1"]},
                        },
                    ],
                },
            ],
            "predictions": [{"result": [region("p1", 0, 6, "Senate", ["actor"])]}],
        },
        {
            "id": 12,
            "data": {"text": old_emoji, "title": "Old"},
            "annotations": [{"result": [region("z", 13, 23, "annotation", ["claim"])]}],
        },
        {"id": 13, "data": {"text": "Nobody annotated this."}},
    ]
    src = tmp_path / "ls.json"
    src.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), "utf-8")
    assert detect(src) == ("importer", "labelstudio")
    with Project.create(tmp_path / "t.annot") as project:
        report = import_paths(project, [src])
        docs = project.documents()
        spans = [(a.document_id, a.text, a.label, a.note) for a in project.annotations()]
        coders = [(a.text, a.annotator) for a in project.annotations()]
        first = project.annotations()[0]
        importer = project.annotator
        rels = [
            (project.annotation(r.from_id).text, r.type, project.annotation(r.to_id).text)
            for r in project.relations()
        ]
        attrs = project.all_attributes()
    assert [d.title for d in docs] == ["ls 1", "Old", "ls 13"]
    assert spans == [
        (docs[0].id, "Senate", "Organization", None),
        (docs[0].id, "France", "actor", None),
        (docs[0].id, "Armenia", "claim", "line one\nline two"),
        (docs[1].id, "annotation", "claim", None),
    ]
    # each annotation set is one coder's layer, with its own time when it has one
    assert coders == [
        ("Senate", "ana@example.org"),
        ("France", "Label Studio user 7"),
        ("Armenia", "Label Studio user 7"),
        ("annotation", importer),
    ]
    assert first.created == "2024-05-01T10:00:00+00:00"
    assert rels == [("France", "claimant", "Armenia")]  # "left" turns the arrow round
    assert list(attrs.values()) == [{"position": "+1"}]
    warnings = "\n".join(report.warnings)
    for expected in (
        "1 prediction results were left out",
        "1 regions counted UTF-16 units (an older Label Studio) and were converted",
        "1 relations between unknown regions were left out",
        "1 'choices' results that belong to no labelled region were left out",
        "'position2', which is not an attribute of the codebook",
        "added to the codebook: Organization",
    ):
        assert expected in warnings, expected


BAD: dict[str, tuple[Any, str]] = {
    "offsets out of range": ([region("r", 0, 999, None, ["claim"])], r"'r': \[0, 999\) is outside"),
    "text mismatch": (
        [region("r", 0, 6, "France", ["claim"])],
        "its text 'France' is not the text",
    ),
    "start is text": ([region("r", "0", 6, None, ["claim"])], "whole numbers"),  # type: ignore[arg-type]
    "labels not a list": ([region("r", 0, 6, None, "claim")], "'labels' must be a list"),  # type: ignore[arg-type]
    "result not a list": ({"r": 1}, "'result' must be a list"),
    "value not an object": ([{"type": "labels", "value": [1]}], "'value' object"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_tasks_change_nothing(tmp_path: Path, case: str) -> None:
    result, message = BAD[case]
    good = {"data": {"text": "Senate of France"}, "annotations": [{"result": []}]}
    bad = {"id": 3, "data": {"text": "Senate of France"}, "annotations": [{"result": result}]}
    src = tmp_path / "bad.json"
    src.write_text(json.dumps([good, good, bad]), "utf-8")
    with Project.create(tmp_path / "t.annot") as project:
        with pytest.raises(FormatError, match=f"bad.json, task 3, annotation 1: .*{message}"):
            import_paths(project, [src], "labelstudio")
        assert project.documents() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[\n  {"data": {"text": "a"}},\n  {"data": {"text": "b"},,}\n]', "line 3: not valid JSON"),
        ('{"tasks": 1}', "task 1: there is no data.text"),
        ('[{"data": {"text": "  "}}]', "data.text is empty"),
        ("[]", "holds no tasks"),
        (r'[{"data": {"text": "a\udc00"}}]', "unpaired surrogate"),
        ('"text"', "a list of tasks"),
        ('[{"data": {"text": "a"}, "annotations": {}}]', "'annotations' must be a list"),
    ],
)
def test_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    src = tmp_path / "bad.json"
    src.write_text(content, "utf-8")
    with Project.create(tmp_path / "t.annot") as project:
        with pytest.raises(FormatError, match=message):
            import_paths(project, [src], "labelstudio")
        assert project.documents() == []


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_export(tmp_path)  # makes p.annot
    out = tmp_path / "cli.json"
    assert (
        main(["export", str(tmp_path / "p.annot"), "--format", "labelstudio", "-o", str(out)]) == 0
    )
    assert "dropped (the format cannot carry them): 1 actor link\n" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "q.annot")]) == 0
    assert main(["import", str(tmp_path / "q.annot"), str(out)]) == 0
    assert "with 2 annotations, 1 relations" in capsys.readouterr().out
    with Project.open(tmp_path / "p.annot") as a, Project.open(tmp_path / "q.annot") as b:
        assert snapshot(a) == snapshot(b)
    out.write_text("[{]", "utf-8")
    assert main(["import", str(tmp_path / "q.annot"), str(out), "--format", "labelstudio"]) == 2
    assert "not valid JSON" in capsys.readouterr().err


# -- document variables as data fields (issue 12, item 5) ---------------------------

LS_TEXT = "EU 👍🏽 leaders\r\nask Paris 🇫🇷 to act.\r\n"


def _ls_task() -> dict[str, object]:
    """One task as Label Studio 1.x's JSON export writes it (code-point offsets into
    data.text as uploaded, CRLF kept; the upload's other columns beside text)."""
    at = LS_TEXT.index("Paris")
    return {
        "id": 41,
        "annotations": [
            {
                "id": 9,
                "completed_by": 1,
                "result": [
                    {
                        "value": {"start": at, "end": at + 5, "text": "Paris", "labels": ["actor"]},
                        "id": "Xy12",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "origin": "manual",
                    }
                ],
                "was_cancelled": False,
                "ground_truth": False,
                "created_at": "2024-03-02T09:00:00.123456Z",
                "updated_at": "2024-03-02T09:00:00.123456Z",
                "lead_time": 4.2,
                "prediction": {},
                "result_count": 0,
                "task": 41,
                "project": 3,
            }
        ],
        "drafts": [],
        "predictions": [],
        "data": {
            "text": LS_TEXT,
            "outlet": "Le Monde",
            "published": "2024-03-01",
            "words": 312,
            "paywall": False,
            "authors": ["A", "B"],
        },
        "meta": {},
        "created_at": "2024-03-01T12:00:00.000000Z",
        "updated_at": "2024-03-02T09:00:00.000000Z",
        "inner_id": 1,
        "total_annotations": 1,
        "cancelled_annotations": 0,
        "total_predictions": 0,
        "project": 3,
        "updated_by": 1,
    }


def test_data_fields_are_document_variables_both_ways(tmp_path: Path) -> None:
    src = tmp_path / "ls.json"
    src.write_text(json.dumps([_ls_task()], ensure_ascii=False), "utf-8")
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [src])
        doc_id = report.document_ids[0]
        assert project.variables.of(doc_id) == {
            "outlet": "Le Monde",
            "published": "2024-03-01",
            "words": "312",
            "paywall": "false",
        }
        assert project.variables.types()["published"] == "date"
        assert report.dropped == {"nested data field (a list or an object)": 1}
        assert report.assumed and report.assumed[0].startswith("positions in code points")
        assert [a.text for a in project.annotations()] == ["Paris"]
        export_project(project, "labelstudio", tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text("utf-8"))[0]["data"]
    assert data == {
        "text": LS_TEXT.replace("\r\n", "\n"),
        "title": "ls 41",
        "outlet": "Le Monde",
        "published": "2024-03-01",
        "words": 312,
        "paywall": False,
    }


def test_the_label_tree_travels_as_per_region_taxonomies(tmp_path: Path) -> None:
    from annotator.core.codebook import default_codebook_text, load_codebook

    tree = default_codebook_text().replace(
        "  - key: actor\n",
        "  - key: party\n    name: Party\n    colour: '#56b4e9'\n    parent: actor\n"
        "  - key: actor\n",
        1,
    )
    with Project.create(tmp_path / "p.annot", load_codebook(tree)) as project:
        doc = project.add_document(LS_TEXT, "Doc")
        at = project.text(doc).index("Paris")
        project.annotate(doc, at, at + 5, "party")
        report = export_project(project, "labelstudio", tmp_path / "out.json")
    assert "label hierarchy link" not in report.dropped
    results = json.loads((tmp_path / "out.json").read_text("utf-8"))[0]["annotations"][0]
    taxonomy = [r for r in results["result"] if r["type"] == "taxonomy"]
    assert [(r["from_name"], r["value"]["taxonomy"]) for r in taxonomy] == [
        ("code", [["actor", "party"]])
    ]
    with Project.create(tmp_path / "q.annot") as target:  # no "party" label yet
        import_paths(target, [tmp_path / "out.json"])
        party = target.codebook().label("party")
        assert party is not None and party.parent == "actor"
