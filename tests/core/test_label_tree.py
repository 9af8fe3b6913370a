"""The label hierarchy in codebook YAML: nested children and parent keys."""

from __future__ import annotations

import pytest

from annotator.core.codebook import load_codebook
from annotator.core.errors import CodebookError

NESTED = """
name: Tree
labels:
  - key: actor
    colour: "#0072b2"
    hotkey: a
    children:
      - key: person
        colour: "#56b4e9"
        hotkey: p
      - key: organisation
        colour: "#009e73"
        children:
          - key: party
            colour: "#e69f00"
  - key: claim
    colour: "#d55e00"
  - key: demand
    colour: "#cc79a7"
    parent: claim
"""


def test_nested_children_and_parent_keys_make_one_tree_in_pre_order() -> None:
    book = load_codebook(NESTED)
    assert book.keys() == ["actor", "person", "organisation", "party", "claim", "demand"]
    assert [(lab.key, lab.parent) for lab in book.labels] == [
        ("actor", None),
        ("person", "actor"),
        ("organisation", "actor"),
        ("party", "organisation"),
        ("claim", None),
        ("demand", "claim"),
    ]
    assert [lab.key for lab in book.children()] == ["actor", "claim"]
    assert [lab.key for lab in book.children("actor")] == ["person", "organisation"]
    assert book.ancestors("party") == ["organisation", "actor"]
    assert book.depth("party") == 2 and book.depth("claim") == 0
    assert book.label("person").hotkey == "p"  # hotkeys on any level


def test_a_tree_written_out_reads_back_the_same() -> None:
    book = load_codebook(NESTED)
    again = load_codebook(book.to_yaml())
    assert again.labels == book.labels
    assert "children:" in book.to_yaml() and "parent:" not in book.to_yaml()


def test_a_parent_given_before_its_child_or_after_it_is_found() -> None:
    text = """
labels:
  - {key: b, colour: "#000000", parent: a}
  - {key: a, colour: "#111111"}
"""
    assert [(lab.key, lab.parent) for lab in load_codebook(text).labels] == [
        ("a", None),
        ("b", "a"),
    ]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            'labels:\n  - {key: a, colour: "#000000", parent: nobody}\n',
            "label 'a' names parent 'nobody', which is no label",
            2,
        ),
        (
            'labels:\n  - {key: a, colour: "#000000", parent: b}\n'
            '  - {key: b, colour: "#000000", parent: a}\n',
            "its own ancestor",
            2,
        ),
        (
            'labels:\n  - key: a\n    colour: "#000000"\n    children:\n'
            '      - {key: b, colour: "#000000", parent: c}\n'
            '  - {key: c, colour: "#000000"}\n',
            "label 'b' is nested in 'a' but names parent 'c'",
            5,
        ),
        ('labels:\n  - {key: a, colour: "#000000", children: x}\n', "'children' must be a list", 2),
        (
            'labels:\n  - key: a\n    colour: "#000000"\n    children:\n'
            '      - {key: a, colour: "#000000"}\n',
            "label key 'a' is used twice",
            5,
        ),
    ],
)
def test_a_broken_tree_is_one_line_naming_its_line(text: str, message: str, line: int) -> None:
    with pytest.raises(CodebookError) as caught:
        load_codebook(text)
    assert message in caught.value.message
    assert caught.value.line == line
