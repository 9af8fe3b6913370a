"""doccano JSONL: round trips of what it carries, its UTF-16 offsets, bad input, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from annotator.cli import main
from annotator.core.errors import FormatError
from annotator.formats.doccano import label_key, normalised_offsets
from annotator.formats.registry import detect, export_project, import_paths
from annotator.store import Project
from tests.conftest import MIXED_TEXT
from tests.strategies import DocSpec, build_project, project_contents, snapshot


def carried(project: Project) -> list[dict[str, object]]:
    """What doccano carries: titles, texts, spans and their labels."""
    return [
        {
            "title": doc["title"],
            "text": doc["text"],
            "spans": sorted((s[0], s[1], s[2], s[4]) for s in doc["spans"]),  # type: ignore[attr-defined]
        }
        for doc in snapshot(project)
    ]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=project_contents())
def test_round_trip_keeps_spans_and_labels(
    tmp_path_factory: pytest.TempPathFactory, docs: list[DocSpec]
) -> None:
    folder = tmp_path_factory.mktemp("rt")
    with build_project(folder / "a.annot", docs) as source:
        report = export_project(source, "doccano", folder / "out.jsonl")
        expected = carried(source)
    notes = sum(1 for d in docs for s in d.spans if s.note)
    attributes = sum(len(s.attributes) for d in docs for s in d.spans)
    relations = sum(len(d.relations) for d in docs)
    for what, n in (("note", notes), ("attribute value", attributes), ("relation", relations)):
        assert report.dropped[what] == n, (what, n, report.dropped)
    assert "actor link" not in report.dropped
    with Project.create(folder / "b.annot") as target:
        result = import_paths(target, [folder / "out.jsonl"], "doccano")
        assert result.annotations == sum(len(d.spans) for d in docs)
        assert result.warnings == []  # every label is in the codebook already
        assert carried(target) == expected


def test_structure_of_a_small_export_counts_utf16_units(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(MIXED_TEXT, "Mixed")
        text = project.text(doc)
        hy = text.index("Հայաստանի")
        last = text.index("done")
        a = project.annotate(doc, hy, hy + 9, "actor", note="a note")
        project.annotate(doc, last, last + 4, "claim")
        project.link_actor(a.id, "Armenia", "state")
        report = export_project(project, "doccano", tmp_path / "out.jsonl")
    assert report.warnings == []
    assert report.dropped == {"note": 1, "actor link": 1}
    assert report.assumed == ["positions in UTF-16 units (as doccano counts them)"]
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert set(row) == {"id", "text", "title", "label"}
    assert row["text"] == text and row["title"] == "Mixed"

    # doccano (JavaScript) counts one more unit per astral character before a position
    def astral(upto: int) -> int:
        return sum(1 for ch in text[:upto] if ord(ch) > 0xFFFF)

    assert astral(hy) == 2 and astral(last) > 3  # 👍🏽 is two astral code points
    assert row["label"] == [
        [hy + astral(hy), hy + 9 + astral(hy), "actor"],
        [last + astral(last), last + 4 + astral(last), "claim"],
    ]
    u16 = row["text"].encode("utf-16-le")
    for start, end, _label in row["label"]:
        assert u16[2 * start : 2 * end].decode("utf-16-le") in ("Հայաստանի", "done")


def test_import_of_doccano_data_with_emoji_crlf_and_foreign_labels(tmp_path: Path) -> None:
    src = tmp_path / "doccano.jsonl"
    rows = [
        # from doccano issue #2290: "firetrucks" is [22, 32) in doccano, [19, 29) in Python
        {"id": 7, "text": "👨🏻‍🚒 firemen drive firetrucks", "label": [[22, 32, "Vehicle"]]},
        {"text": "First line\r\nSenate of France", "labels": [[12, 18, "ORG"], [22, 28, "claim"]]},
        {
            "text": "Armenia and France",
            "entities": [
                {"id": 1, "start_offset": 0, "end_offset": 7, "label": "GPE"},
                {"id": 2, "start_offset": 12, "end_offset": 18, "label": "GPE"},
            ],
            "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "and"}],
        },
        {"text": "A sentence to classify.", "label": ["positive"]},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    assert detect(src) == ("importer", "doccano")
    with Project.create(tmp_path / "t.annot") as project:
        report = import_paths(project, [src])
        spans = [(a.text, a.label) for a in project.annotations()]
        titles = [d.title for d in project.documents()]
        sources = [d.source_name for d in project.documents()]
        texts = [project.text(d) for d in project.documents()]
    assert spans == [
        ("firetrucks", "Vehicle"),
        ("Senate", "ORG"),
        ("France", "claim"),
        ("Armenia", "GPE"),
        ("France", "GPE"),
    ]
    assert texts[1] == "First line\nSenate of France"
    assert titles == ["doccano 7", "doccano 2", "doccano 3", "doccano 4"]
    assert sources[0] == "doccano.jsonl#7"
    warnings = " | ".join(report.warnings)
    assert "added to the codebook: Vehicle, ORG, GPE" in warnings
    assert report.dropped["document label (text classification)"] == 1
    assert report.dropped["doccano relation"] == 1


def test_label_keys_and_offset_moves() -> None:
    assert label_key("claim") == "claim"
    assert label_key("Person name") == "Person name"
    assert label_key("B-ORG") == "B-ORG"
    assert label_key("Актор") == "Актор"
    assert label_key(" two\nlines ") == "two lines"
    assert label_key("x" * 100) == "x" * 64
    assert label_key("\x01").startswith("l_") and label_key("\x01") != label_key("\x02")
    text, move = normalised_offsets("\ufeffa\r\nb\r\nc")
    assert text == "a\nb\nc"
    assert [move(i) for i in range(8)] == [0, 0, 1, 2, 2, 3, 4, 4]


BAD = {
    "offsets out of range": ('{"text": "short", "label": [[2, 99, "claim"]]}', "outside the text"),
    "start after end": ('{"text": "short", "label": [[4, 2, "claim"]]}', "outside the text"),
    "offsets are text": ('{"text": "short", "label": [["0", "2", "claim"]]}', "whole numbers"),
    "label not a list": ('{"text": "short", "label": {"a": 1}}', "must be lists"),
    "label of wrong shape": ('{"text": "short", "label": [[0, 2]]}', "each label must be"),
    "label is a number": ('{"text": "short", "label": [[0, 2, 5]]}', "non-empty text"),
    "no text": ('{"label": []}', 'no "text"'),
    "empty text": ('{"text": "  ", "label": []}', "empty"),
    "not an object": ("[1, 2]", "must be an object"),
    "lone surrogate": (r'{"text": "a\ud800b", "label": []}', "unpaired surrogate"),
    "invalid JSON": ('{"text": "short", "label": [[0, 2, "claim"]', "not valid JSON"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_line_3_is_named_and_changes_nothing(tmp_path: Path, case: str) -> None:
    line, message = BAD[case]
    good = '{"text": "Senate of France", "label": [[0, 6, "Actor"]]}'
    src = tmp_path / "bad.jsonl"
    src.write_text(f"{good}\n{good}\n{line}\n{good}\n", "utf-8")
    with Project.create(tmp_path / "t.annot") as project:
        codebook = project.codebook()
        with pytest.raises(FormatError, match=f"bad.jsonl, line 3: .*{message}"):
            import_paths(project, [src], "doccano")
        assert project.documents() == [] and project.annotations() == []
        assert project.codebook() == codebook


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(MIXED_TEXT, "Mixed")
        a = project.annotate(doc, 0, 6, "claim", note="n")
        project.set_attribute(a.id, "position", "+1")
    out = tmp_path / "out.jsonl"
    assert main(["export", str(tmp_path / "p.annot"), "--format", "doccano", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "dropped (the format cannot carry them): 1 note, 1 attribute value" in err
    assert "assumed: positions in UTF-16 units" in err
    assert main(["new", str(tmp_path / "q.annot")]) == 0
    assert main(["import", str(tmp_path / "q.annot"), str(out), "--format", "doccano"]) == 0
    assert "with 1 annotations" in capsys.readouterr().out
    out.write_text('{"text": "x", "label": [[0, 5, "claim"]]}\n', "utf-8")
    assert main(["import", str(tmp_path / "q.annot"), str(out), "--format", "doccano"]) == 2
    assert "line 1" in capsys.readouterr().err


# -- files as doccano writes them (issue 12, item 7) ----------------------------------

# doccano exports one JSON object a line, its spans under "label" (or the name the
# project's column_label gave), offsets in UTF-16 units of the text as it was uploaded
# (CRLF kept); the uploaded line's other fields are the example's metadata, written
# beside the text by doccano 1.6 and later (data_export/models.py: {"id", "text",
# **meta}), under "meta" by earlier versions.
DOCCANO_TEXT = "EU 👍🏽 leaders\r\nask Paris 🇫🇷 to act.\r\n"


def _utf16(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    start = len(text[:at].encode("utf-16-le")) // 2
    return start, start + len(needle.encode("utf-16-le")) // 2


def _doccano_lines(label_key: str = "label", text_key: str = "text") -> list[dict[str, object]]:
    s1, e1 = _utf16(DOCCANO_TEXT, "Paris")
    s2, e2 = _utf16(DOCCANO_TEXT, "to act")
    return [
        {
            "id": 7,
            text_key: DOCCANO_TEXT,
            label_key: [[s1, e1, "GPE"], [s2, e2, "demand"]],
            "meta": {"outlet": "Le Monde", "date": "2024-03-01", "pages": 2, "tags": ["x"]},
            "Comments": [],
        },
        {"id": 8, text_key: "Second 𠀋 text.", label_key: []},
    ]


def _write_jsonl(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def test_meta_comes_in_as_typed_document_variables(tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "all.jsonl", _doccano_lines())
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [src])
        first = report.document_ids[0]
        assert project.variables.of(first) == {
            "outlet": "Le Monde",
            "date": "2024-03-01",
            "pages": "2",
        }
        assert project.variables.types() == {"outlet": "text", "date": "date", "pages": "number"}
        assert report.dropped["nested meta value (a list or an object)"] == 1
        texts = [a.text for a in project.annotations(first)]
        assert texts == ["Paris", "to act"]
        export_project(project, "doccano", tmp_path / "out.jsonl")
    row = json.loads((tmp_path / "out.jsonl").read_text("utf-8").splitlines()[0])
    # written as doccano 1.6 writes metadata: beside the text
    assert {k: row[k] for k in ("outlet", "date", "pages")} == {
        "outlet": "Le Monde",
        "date": "2024-03-01",
        "pages": 2,
    }
    assert "meta" not in row


def test_metadata_beside_the_text_as_doccano_1_6_writes_it(tmp_path: Path) -> None:
    s, e = _utf16(DOCCANO_TEXT, "Paris")
    line = {
        "id": 12,
        "text": DOCCANO_TEXT,
        "outlet": "Le Monde",
        "published": "2024-03-01",
        "label": [[s, e, "GPE"]],
        "Comments": ["check the date"],
        " ": "a name no variable can have",
    }
    src = _write_jsonl(tmp_path / "new.jsonl", [line])
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [src])
        (doc_id,) = report.document_ids
        assert project.variables.of(doc_id) == {"outlet": "Le Monde", "published": "2024-03-01"}
        assert project.variables.types()["published"] == "date"
        assert report.dropped == {"meta value named as no variable can be": 1}


def test_custom_text_and_label_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write_jsonl(tmp_path / "custom.jsonl", _doccano_lines("entities_x", "body"))
    assert main(["new", str(tmp_path / "p.annot")]) == 0
    args = ["import", str(tmp_path / "p.annot"), str(src)]
    assert main([*args, "--format", "doccano"]) == 2
    err = capsys.readouterr().err
    assert 'line 1: there is no "text"' in err and "--text-field" in err
    assert main([*args, "--text-field", "body", "--label-field", "entities_x"]) == 0
    out = capsys.readouterr()
    assert "with 2 annotations" in out.out
    assert "assumed: positions in UTF-16 units (as doccano counts them)" in out.err
    with Project.open(tmp_path / "p.annot", read_only=True) as project:
        assert [a.text for a in project.annotations()] == ["Paris", "to act"]


def test_the_older_entities_shape_of_lists(tmp_path: Path) -> None:
    s, e = _utf16(DOCCANO_TEXT, "Paris")
    line = {"text": DOCCANO_TEXT, "entities": [[s, e, "GPE"]]}
    src = _write_jsonl(tmp_path / "old.jsonl", [line])
    with Project.create(tmp_path / "p.annot") as project:
        import_paths(project, [src], "doccano")
        assert [(a.text, a.label) for a in project.annotations()] == [("Paris", "GPE")]


def test_a_bad_line_is_named_by_its_number(tmp_path: Path) -> None:
    lines = [json.dumps(x, ensure_ascii=False) for x in _doccano_lines()]
    lines.insert(1, "")
    lines.append('{"text": "x y", "label": [[0, 1, "A"], [5]]}')
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(lines) + "\n", "utf-8")
    with Project.create(tmp_path / "p.annot") as project:
        with pytest.raises(FormatError, match=r"^bad\.jsonl, line 4: each label must be"):
            import_paths(project, [src], "doccano")
        assert project.documents() == []
