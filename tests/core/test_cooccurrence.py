"""Label x label co-occurrence and label x variable matrices (pure computation)."""

from __future__ import annotations

import pytest

from annotator.core.cooccurrence import (
    NONE,
    SpanRow,
    by_variable,
    cooccurrence,
    sentence_starts,
)

LABELS = ("claim", "actor", "demand")


def test_overlap_counts_pairs_symmetrically_with_their_ids() -> None:
    spans = [
        SpanRow(1, 1, 0, 20, "claim"),
        SpanRow(2, 1, 0, 5, "actor"),  # inside the claim
        SpanRow(3, 1, 20, 30, "actor"),  # touches the claim's end: no overlap
        SpanRow(4, 2, 0, 10, "claim"),
        SpanRow(5, 2, 5, 8, "actor"),
        SpanRow(6, 2, 6, 9, "actor"),  # overlaps the actor 5 too
    ]
    m = cooccurrence(spans, LABELS, "overlap")
    assert m.count("claim", "actor") == m.count("actor", "claim") == 3
    assert m.ids_of("claim", "actor") == [1, 2, 4, 5, 6]
    assert m.count("actor", "actor") == 1 and m.ids_of("actor", "actor") == [5, 6]
    assert m.count("claim", "claim") == 0
    assert m.count("demand", "claim") == 0
    assert m.table()[0] == ["label", *LABELS]
    assert m.table()[1] == ["claim", 0, 3, 0]


def test_overlap_never_pairs_spans_of_different_documents() -> None:
    spans = [SpanRow(1, 1, 0, 10, "claim"), SpanRow(2, 2, 0, 10, "actor")]
    assert cooccurrence(spans, LABELS).count("claim", "actor") == 0


def test_sentence_mode_pairs_spans_that_start_in_one_sentence() -> None:
    text = "Ana said yes. Ben said no!\nCem wrote… Then left."
    starts = sentence_starts(text)
    assert [text[s:].split()[0] for s in starts] == ["Ana", "Ben", "Cem", "Then"]
    spans = [
        SpanRow(1, 7, 0, 3, "actor"),  # Ana
        SpanRow(2, 7, 4, 12, "claim"),  # said yes
        SpanRow(3, 7, 14, 17, "actor"),  # Ben
        SpanRow(4, 7, 27, 30, "actor"),  # Cem
        SpanRow(5, 7, 31, 36, "claim"),  # wrote
    ]
    m = cooccurrence(spans, LABELS, "sentence", {7: text})
    assert m.count("actor", "claim") == 2
    assert m.ids_of("claim", "actor") == [1, 2, 4, 5]
    assert m.count("actor", "actor") == 0


def test_sentence_mode_needs_the_text_and_modes_are_checked() -> None:
    with pytest.raises(ValueError, match="text of document 1"):
        cooccurrence([SpanRow(1, 1, 0, 1, "claim")], LABELS, "sentence", {})
    with pytest.raises(ValueError, match="unknown co-occurrence mode"):
        cooccurrence([], LABELS, "paragraph")


def test_by_variable_counts_labels_per_value_and_month() -> None:
    spans = [
        SpanRow(1, 1, 0, 5, "claim"),
        SpanRow(2, 1, 6, 9, "claim"),
        SpanRow(3, 2, 0, 5, "claim"),
        SpanRow(4, 3, 0, 5, "actor"),
        SpanRow(5, 9, 0, 5, "claim"),  # a document without the variable
    ]
    dates = {1: "2024-03-01", 2: "2024-03-30", 3: "2023-12-31T10:00:00Z"}
    m = by_variable(spans, LABELS, dates, key="date", monthly=True)
    assert m.columns == ("2023-12", "2024-03", NONE)
    assert m.count("claim", "2024-03") == 3 and m.ids_of("claim", "2024-03") == [1, 2, 3]
    assert m.count("actor", "2023-12") == 1
    assert m.count("claim", NONE) == 1
    outlets = by_variable(spans, LABELS, {1: "Le Monde", 2: "Guardian", 3: "guardian"})
    assert outlets.columns == ("Guardian", "guardian", "Le Monde", NONE)
    numbers = by_variable(spans, LABELS, {1: "10", 2: "9", 3: "2.5"})
    assert numbers.columns[:3] == ("2.5", "9", "10")  # numbers in number order
