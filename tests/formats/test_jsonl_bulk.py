"""The JSONL import checks a line's spans column by column (the fast path) and falls
back to span by span for any line that is not perfect. The two must agree exactly:
same rows, same attribute rows, same id map, same error message. Checked here on
valid lines and on lines broken in every way a span can be broken; then the bulk
writer's deferred indexes, and a bad line that rolls back whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import FormatError
from annotator.formats import jsonl
from annotator.formats.registry import Options, export_project, import_paths
from annotator.store import Project
from annotator.store.bulk import BulkWriter, bulk_writer
from tests.conftest import MIXED_TEXT

TEXT = MIXED_TEXT
KEYS = (*jsonl._SPAN_KEYS, "attributes")
ODD_VALUES = (-1, 0, 3, len(TEXT), len(TEXT) + 1, True, None, "", "x", "claim", 1.5, [], {})


def _span(n: int, start: int, end: int, label: str) -> dict[str, Any]:
    attributes = {"position": "+1"} if label == "claim" and n % 2 else {}
    return {
        "id": n,
        "start": start,
        "end": end,
        "text": TEXT[start:end],
        "label": label,
        "note": None if n % 3 else f"note {n}",
        "annotator": "ana",
        "created": "2024-01-01T00:00:00+00:00",
        "modified": "2024-01-02T00:00:00+00:00",
        "attributes": attributes,
    }


@st.composite
def span_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Valid spans, then a few of them broken (or fields left out) at random."""
    count = draw(st.integers(1, 12))
    spans = []
    for n in range(1, count + 1):
        start = draw(st.integers(0, len(TEXT) - 1))
        end = draw(st.integers(start + 1, len(TEXT)))
        label = draw(st.sampled_from(["claim", "demand", "actor", "allegation"]))
        spans.append(_span(n, start, end, label))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, count - 1))
        span = spans[i]
        if not isinstance(span, dict):
            continue
        key = draw(st.sampled_from(KEYS))
        action = draw(st.sampled_from(["drop", "odd", "shift", "copy id", "not an object", "text"]))
        if action == "drop":
            span.pop(key, None)
        elif action == "odd":
            span[key] = draw(st.sampled_from(ODD_VALUES))
        elif action == "shift" and isinstance(span.get("start"), int):
            span["start"] = span["start"] + draw(st.sampled_from([-1, 1]))
        elif action == "text" and isinstance(span.get("text"), str):
            covered = span["text"]
            span["text"] = draw(
                st.sampled_from(
                    [covered[:-1], covered + TEXT[:1], covered[1:], "", covered.upper()]
                )
            )
        elif action == "copy id":
            first = spans[0]
            span["id"] = first.get("id") if isinstance(first, dict) else 1
        else:
            spans[i] = draw(st.sampled_from([[1, 2], "span", 7, None]))
    return spans


def _run(project: Project, spans: list[Any], linked: bool, *, bulk: bool) -> tuple[Any, ...] | str:
    """What the loader makes of *spans*: rows, attribute rows and ids, or the error."""
    writer = BulkWriter(project)
    loader = jsonl._Loader(project, writer)
    loader._load_codebook()
    loader.next_id = 100
    copy = json.loads(json.dumps(spans))
    try:
        if bulk:
            ids = loader._spans(1, TEXT, copy, linked)
        else:
            ids = loader._spans_one_by_one(1, TEXT, copy, linked)
    except jsonl._Bad as exc:
        return str(exc)
    return writer._annotations, writer._attributes, ids, loader.next_id


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spans=span_lists(), linked=st.booleans())
def test_column_checks_agree_with_span_by_span(
    tmp_path_factory: pytest.TempPathFactory, spans: list[Any], linked: bool
) -> None:
    path = tmp_path_factory.mktemp("bulk") / "p.annot"
    with Project.create(path, annotator="ana") as project:
        assert _run(project, spans, linked, bulk=True) == _run(project, spans, linked, bulk=False)


def test_valid_spans_take_the_fast_path(tmp_path: Path) -> None:
    spans = [_span(n, n, n + 5, "claim") for n in range(1, 9)]
    with Project.create(tmp_path / "p.annot", annotator="ana") as project:
        loader = jsonl._Loader(project, BulkWriter(project))
        loader._load_codebook()
        assert loader._spans_at_once(1, TEXT, spans, True) is not None
        for span in spans[:4]:
            del span["attributes"]  # optional: still the fast path
        assert loader._spans_at_once(1, TEXT, spans, True) is not None
        spans[2]["start"] = True  # a bool is not an offset
        assert loader._spans_at_once(1, TEXT, spans, True) is None
        spans[2]["start"] = 3
        spans[2]["text"] = spans[2]["text"][:-1]  # shorter: a prefix of the covered text
        spans[3]["text"] += TEXT[spans[3]["end"]]  # longer: the lengths add up again
        assert loader._spans_at_once(1, TEXT, spans, True) is None
        spans[3]["text"] = TEXT[spans[3]["start"] : spans[3]["end"]]
        assert loader._spans_at_once(1, TEXT, spans, True) is None
        spans[2]["text"] = TEXT[3 : spans[2]["end"]]
        assert loader._spans_at_once(1, TEXT, spans, True) is not None


def _indexes(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
    finally:
        conn.close()


def test_bulk_writer_gives_back_every_index(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    Project.create(path, annotator="ana").close()
    before = _indexes(path)
    with Project.open(path) as project, bulk_writer(project) as writer:
        dropped = {n for n, _ in before} - {n for n, _ in _indexes_of(project)}
        assert "annotations_position" in dropped
        assert "relations_unique" not in dropped  # it checks the data: never dropped
        doc = writer.add_document(
            title="t", source_name=None, source_path=None, text=TEXT,
            sha256="0" * 64, imported_at="2024-01-01T00:00:00+00:00",
        )  # fmt: skip
        writer.add_annotations(
            [(writer.next_annotation_id(), doc, 0, 3, TEXT[0:3], 1, None, "a", "c", "m")]
        )
    assert _indexes(path) == before
    with Project.open(path) as project:
        with pytest.raises(RuntimeError), bulk_writer(project):
            raise RuntimeError("an import that fails")
        assert {n for n, _ in _indexes_of(project)} == {n for n, _ in before}
        with bulk_writer(project):  # annotations holds a row now: its indexes stay
            names = {n for n, _ in _indexes_of(project)}
            assert {"annotations_position", "annotations_by_label"} <= names
            assert "relations_from" not in names  # relations is still empty
    assert _indexes(path) == before


def _indexes_of(project: Project) -> list[tuple[str, str]]:
    """The indexes as the project's own connection sees them (inside its transaction)."""
    rows = project.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    return list(rows)


def test_a_bad_line_rolls_back_everything(sample_project: Project, tmp_path: Path) -> None:
    spans = sample_project.annotate_many(1, [(0, 6, "actor", None), (10, 20, "claim", "n")])
    sample_project.set_attribute(spans[1].id, "position", "+1")
    sample_project.relate(spans[0].id, spans[1].id, "claimant")
    sample_project.link_actor(spans[0].id, "France", "state")
    good = tmp_path / "good.jsonl"
    export_project(sample_project, "jsonl", good)
    lines = good.read_text(encoding="utf-8").splitlines()
    doc = json.loads(lines[1])
    doc["spans"][-1]["text"] += "x"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([*lines, json.dumps(doc)]) + "\n", encoding="utf-8")
    path = tmp_path / "target.annot"
    with Project.create(path, annotator="ana") as project:
        with pytest.raises(FormatError, match=rf"line {len(lines) + 1}: span {len(doc['spans'])}"):
            import_paths(project, [bad], "jsonl", Options())
        assert project.documents() == []
        assert project.annotations() == []
    report_path = tmp_path / "again.annot"
    with Project.create(report_path, annotator="ana") as project:
        report = import_paths(project, [good], "jsonl")
        assert report.annotations == len(sample_project.annotations()) == 2
        assert report.relations == 1
        assert project.attributes(project.annotations()[1].id) == {"position": "+1"}
        assert project.actor_of(project.annotations()[0].id) is not None
    assert _indexes(report_path) == _indexes(path)
