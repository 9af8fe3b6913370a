"""The label hierarchy: labels form a tree by each label's optional parent key.

A codebook keeps its labels as one flat tuple in tree pre-order (a parent before its
children, siblings in their order), so every list of labels can show them indented
without knowing the tree, and ``Codebook.children`` finds the levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class _Node(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def parent(self) -> str | None: ...


N = TypeVar("N", bound=_Node)


class TreeError(ValueError):
    """A parent that names no label, or labels that are their own ancestors."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key  # the label the problem was found at


def tree_order(labels: Sequence[N]) -> list[N]:
    """*labels* in pre-order (stable: siblings keep their given order).

    Raises :class:`TreeError` for a parent that names no label or for a cycle.
    """
    by_key = {label.key: label for label in labels}
    children: dict[str | None, list[N]] = {}
    for label in labels:
        if label.parent is not None and label.parent not in by_key:
            raise TreeError(
                f"label '{label.key}' names parent '{label.parent}', which is no label", label.key
            )
        children.setdefault(label.parent, []).append(label)
    out: list[N] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        label = stack.pop()
        out.append(label)
        stack.extend(reversed(children.get(label.key, [])))
    if len(out) != len(labels):
        placed = {label.key for label in out}
        stuck = next(label for label in labels if label.key not in placed)
        raise TreeError(
            f"label '{stuck.key}' is its own ancestor (parents form a cycle)", stuck.key
        )
    return out


def ancestors(by_key: dict[str, N], key: str) -> list[str]:
    """The keys above *key*, nearest first."""
    out: list[str] = []
    parent = by_key[key].parent if key in by_key else None
    while parent is not None and parent in by_key and parent not in out:
        out.append(parent)
        parent = by_key[parent].parent
    return out
