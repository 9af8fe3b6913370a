"""The suggestion layer (issue 17): stored apart, accepted, rejected, never counted."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import InputError
from annotator.core.suggest import Suggestion
from annotator.store import Project
from annotator.store.suggestions import (
    Suggestions,
    actor_names,
    build_source,
    examples,
    suggest,
)

TEXT = "The Senate voted. Later the Senate met France and the Senate of France agreed."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "s.annot", annotator="ann")
    doc = p.add_document(TEXT, title="Senate")
    senate = p.annotate(doc, 4, 10, "actor")
    p.link_actor(senate.id, "French Senate")
    return p


def test_like_before_suggests_apart_from_annotations(project: Project) -> None:
    counts = project.counts()
    stored = suggest(project, "like-before", build_source(project, "like-before"))
    layer = Suggestions(project)
    found = [(TEXT[x.start : x.end], x.start) for x in layer.of(1)]
    # the annotated span itself is not suggested; the other two "Senate"s are
    assert found == [("Senate", 28), ("Senate", 54)]
    assert stored == {1: 2}
    assert project.counts() == counts  # statistics do not see suggestions
    assert len(project.annotations(1)) == 1


def test_accept_makes_an_annotation_by_the_current_coder_and_undo_restores(
    project: Project,
) -> None:
    suggest(project, "like-before", build_source(project, "like-before"))
    layer = Suggestions(project)
    first = layer.of(1)[0]
    project.annotator = "bea"
    made, removed = layer.accept([first.id])
    assert [(a.start, a.end, a.label, a.annotator) for a in made] == [(28, 34, "actor", "bea")]
    assert [x.id for x in removed] == [first.id]
    assert [x.start for x in layer.of(1)] == [54]
    # undo: the annotation goes, the suggestion comes back with its id
    project.delete_annotations([a.id for a in made])
    layer.restore(removed)
    assert layer.of(1)[0].id == first.id
    # an accepted span is not suggested again (it is annotated)
    layer.accept([first.id])
    suggest(project, "like-before", build_source(project, "like-before"))
    assert [x.start for x in layer.of(1)] == [54]


def test_rejected_suggestions_do_not_come_back_until_the_reject_is_undone(
    project: Project,
) -> None:
    suggest(project, "like-before", build_source(project, "like-before"))
    layer = Suggestions(project)
    gone = layer.reject([layer.of(1)[1].id])
    assert [x.start for x in layer.of(1)] == [28]
    suggest(project, "like-before", build_source(project, "like-before"))
    assert [x.start for x in layer.of(1)] == [28]
    assert layer.rejected(1) == {(54, 60, "actor")}
    layer.restore(gone, unreject=True)
    assert layer.rejected(1) == set()
    assert [x.start for x in layer.of(1)] == [28, 54]


def test_rejected_is_kept_by_text_hash_across_project_files(
    project: Project, tmp_path: Path
) -> None:
    suggest(project, "like-before", build_source(project, "like-before"))
    layer = Suggestions(project)
    layer.reject([layer.of(1)[0].id])
    row = project.execute("SELECT sha256, start FROM suggestions_rejected").fetchone()
    assert row == (project.document(1).sha256, 28)


def test_exports_contain_no_unaccepted_suggestion(project: Project, tmp_path: Path) -> None:
    suggest(project, "like-before", build_source(project, "like-before"))
    assert len(Suggestions(project).all()) == 2
    path = project.path
    project.close()
    out = tmp_path / "out.csv"
    assert main(["export", str(path), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["start"], r["end"]) for r in rows] == [("4", "10")]
    jsonl = tmp_path / "out.jsonl"
    assert main(["export", str(path), "--format", "jsonl", "-o", str(jsonl)]) == 0
    docs = [json.loads(x) for x in jsonl.read_text().splitlines()]
    assert [(sp["start"], sp["end"]) for d in docs for sp in d.get("spans", [])] == [(4, 10)]


def test_replace_keeps_only_spans_inside_the_text_and_known_labels(project: Project) -> None:
    layer = Suggestions(project)
    n = layer.replace(
        1,
        "learned",
        [
            Suggestion(0, 3, "actor", 0.9, "learned"),
            Suggestion(0, 3, "nolabel", 0.9, "learned"),
            Suggestion(70, 999, "actor", 0.9, "learned"),
            Suggestion(4, 10, "actor", 0.9, "learned"),  # already annotated
        ],
    )
    assert n == 1
    assert [(x.start, x.source) for x in layer.all("learned")] == [(0, "learned")]
    with pytest.raises(InputError, match="no suggestion 99"):
        layer.accept([99])


def test_a_read_only_project_without_the_tables_has_no_suggestions(tmp_path: Path) -> None:
    Project.create(tmp_path / "r.annot").close()
    with Project.open(tmp_path / "r.annot", read_only=True) as p:
        assert Suggestions(p).all() == [] and Suggestions(p).rejected(1) == set()


def test_examples_and_actor_aliases(project: Project) -> None:
    assert examples(project)[0].spans == ((4, 10, "actor"),)
    assert actor_names(project) == {"French Senate": ["Senate"]}
    with pytest.raises(InputError, match="a source is one of"):
        build_source(project, "oracle")
