"""Counts per label and retrieved segments (store/queries/retrieval_queries.py), on real files."""

from __future__ import annotations

from pathlib import Path

from annotator.core.codebook import load_codebook
from annotator.store import Project
from annotator.store.queries.retrieval_queries import (
    context_after,
    context_before,
    label_annotation_ids,
    label_counts,
    relation_type_usage,
    retrieve_segments,
    with_descendants,
)

CODEBOOK = """name: Tree
labels:
  - key: claim
    colour: "#0072b2"
    children:
      - {key: demand, colour: "#e69f00"}
      - key: threat
        colour: "#d55e00"
        children:
          - {key: ultimatum, colour: "#cc79a7"}
  - {key: actor, colour: "#009e73"}
attributes:
  - {key: stance, type: choice, choices: ["-1", "0", "+1"]}
relations:
  - {key: claimant, from: [actor], to: [claim, demand]}
"""
WORDS = " ".join(f"word{i:02d}" for i in range(40))  # 40 words of 6 letters


def _project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "r.annot", load_codebook(CODEBOOK), annotator="ana")
    return project


def test_counts_by_document_and_coder(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        a = project.add_document("Paris said no. Berlin said yes.", "a").id
        b = project.add_document("Rome said maybe.", "b").id
        project.annotate_many(a, [(0, 5, "actor", None), (6, 13, "claim", None)])
        project.annotate_many(b, [(0, 4, "actor", None, "bo", None)])
        assert label_counts(project) == {"actor": 2, "claim": 1}
        assert label_counts(project, document_id=a) == {"actor": 1, "claim": 1}
        assert label_counts(project, coder="ana") == {"actor": 1, "claim": 1}
        assert label_counts(project, document_id=b, coder="ana") == {}
        assert label_counts(project, coder="bo") == {"actor": 1}


def test_descendants_in_codebook_order(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        assert with_descendants(project, ["claim"]) == ["claim", "demand", "threat", "ultimatum"]
        assert with_descendants(project, ["threat"]) == ["threat", "ultimatum"]
        assert with_descendants(project, ["actor"]) == ["actor"]


def test_segments_carry_context_note_coder_attributes(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        text = WORDS
        start = text.index("word20")
        doc = project.add_document(text, "words").id
        made = project.annotate_many(
            doc, [(start, start + 6, "claim", "a note"), (0, 6, "ultimatum", None)]
        )
        project.set_attributes(made[0].id, {"stance": "+1"})
        other = project.add_document("👍🏽 Paris 👍🏽 said no", "emoji").id
        paris = "👍🏽 Paris 👍🏽 said no".index("Paris")
        project.annotate_many(other, [(paris, paris + 5, "demand", None, "bo", None)])

        segments = retrieve_segments(project, with_descendants(project, ["claim"]))
        assert [(s.document, s.label) for s in segments] == [
            ("emoji", "demand"),
            ("words", "ultimatum"),
            ("words", "claim"),
        ]
        emoji, first, middle = segments
        assert (emoji.text, emoji.before, emoji.after, emoji.coder) == (
            "Paris",
            "👍🏽 ",
            " 👍🏽 said no",
            "bo",
        )
        assert emoji.start == paris  # code points: the emoji and its skin tone are two
        assert first.before == "" and first.after.endswith("…")
        assert (middle.note, middle.attributes, middle.coder) == ("a note", "stance=+1", "ana")
        # about 60 code points each side, cut at a word, an ellipsis where cut
        assert middle.before.startswith("…word") and middle.before.endswith("word19 ")
        assert middle.after.startswith(" word21") and middle.after.endswith("…")
        assert 50 <= len(middle.before) <= 61 and 50 <= len(middle.after) <= 62
        assert retrieve_segments(project, ["claim"], coder="bo") == []
        assert [s.label for s in retrieve_segments(project, ["demand"], coder="bo")] == ["demand"]
        assert retrieve_segments(project, []) == []


def test_context_at_the_edges_and_in_long_words() -> None:
    assert context_before("Paris said", 0) == ""
    assert context_after("Paris said", 10) == ""
    assert context_before("a  b\n\nc", 6) == "a b "
    long = "x" * 300
    assert context_before(long, 200) == "…" + "x" * 59
    assert context_after(long, 100) == "x" * 59 + "…"
    flags = "🇫🇷" * 100  # a cut never splits a flag's two regional indicators
    cut = context_before(flags, 200).removeprefix("…")
    assert len(cut) % 2 == 0 and cut.startswith("🇫🇷")


def test_usage_of_relation_types_and_labels(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        doc = project.add_document("Paris said no.", "a").id
        actor, claim = project.annotate_many(doc, [(0, 5, "actor", None), (6, 13, "claim", None)])
        project.relate(actor.id, claim.id, "claimant")
        assert relation_type_usage(project) == {"claimant": 1}
        assert label_annotation_ids(project, "claim") == [claim.id]
        assert label_annotation_ids(project, "demand") == []
