"""The disagreements of a report as a lazy sequence over arrays.

A corpus has hundreds of thousands of places where coders differ; a report finds them
with array operations (:func:`unit_disagreements`, :func:`claim_disagreements`), sorts
them once by document, offsets and kind, and builds each
:class:`~annotator.core.agreement.figures.Disagreement` only when it is read (the CLI
prints the first few; the exports and the window read them in order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from annotator.core.agreement.figures import Coding, Disagreement
from annotator.core.agreement.matching import Units
from annotator.core.agreement.table import Ints, SpanTable, order_by
from annotator.core.agreement.units import CLAIM_ATTRIBUTES

UNIT_KINDS = ("label", "only some coders", "boundaries")
CLAIM_KINDS = tuple(f"claim {attribute}" for attribute in CLAIM_ATTRIBUTES)


class Disagreements(Sequence[Disagreement]):
    """A read-only sequence of ``count`` disagreements, ``make(i)`` building the i-th."""

    __slots__ = ("_count", "_make")

    def __init__(self, count: int, make: Callable[[int], Disagreement]) -> None:
        self._count = count
        self._make = make

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Disagreement: ...

    @overload
    def __getitem__(self, index: slice) -> list[Disagreement]: ...

    def __getitem__(self, index: int | slice) -> Disagreement | list[Disagreement]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError("disagreement index out of range")
        return self._make(index % self._count)

    def __iter__(self) -> Iterator[Disagreement]:
        return map(self._make, range(self._count))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Disagreements({self._count})"


@dataclass(frozen=True)
class Found:
    """Disagreements found (not yet sorted): kind (index into ``UNIT_KINDS +
    CLAIM_KINDS``), unit (of its :class:`Units`), extent."""

    kind: Ints
    unit: Ints
    start: Ints
    end: Ints


def unit_extent(units: Units, table: SpanTable) -> tuple[Ints, Ints]:
    """The first and last character (end exclusive) of each unit."""
    present = units.member >= 0
    rows = np.where(present, units.member, 0)
    big = np.iinfo(np.int64).max
    low = np.where(present, table.start[rows], big).min(axis=1, initial=big)
    high = np.where(present, table.end[rows], -1).max(axis=1, initial=-1)
    return low, high


def unit_disagreements(units: Units, table: SpanTable, coders: int) -> Found:
    """Units whose coders differ: on the label, by leaving it out, or on boundaries."""
    present = units.member >= 0
    rows = np.where(present, units.member, 0)
    first = units.first
    label = table.label[rows]
    start, end = table.start[rows], table.end[rows]
    other_label = (present & (label != table.label[first][:, None])).any(axis=1)
    moved = (
        present & ((start != table.start[first][:, None]) | (end != table.end[first][:, None]))
    ).any(axis=1)
    some = units.size < coders
    kind = np.where(other_label, 0, np.where(some, 1, np.where(moved, 2, -1)))
    keep = np.flatnonzero(kind >= 0)
    low, high = unit_extent(units, table)
    return Found(kind[keep], keep, low[keep], high[keep])


def claim_disagreements(units: Units, table: SpanTable, said: Sequence[Ints]) -> Found:
    """Per matched claim and attribute on which its coders differ (``said[k]`` holds each
    unit's coders' codes of attribute ``k``, -1 where a coder has no claim there)."""
    present = units.member >= 0
    low, high = unit_extent(units, table)
    kinds, which = [], []
    for k, codes in enumerate(said):
        most = np.where(present, codes, -1).max(axis=1, initial=-1)
        least = np.where(present, codes, np.iinfo(np.int64).max).min(axis=1)
        differ = np.flatnonzero(most != least)
        kinds.append(np.full(len(differ), len(UNIT_KINDS) + k, dtype=np.int64))
        which.append(differ * len(said) + k)
    order = np.argsort(np.concatenate(which), kind="stable") if which else np.zeros(0, int)
    kind = np.concatenate(kinds)[order] if kinds else np.zeros(0, dtype=np.int64)
    unit = (np.concatenate(which)[order] // max(len(said), 1)) if which else kind
    return Found(kind, unit, low[unit], high[unit])


def sorted_disagreements(
    table: SpanTable,
    coders: Sequence[str],
    titles: Mapping[int, str],
    found_units: tuple[Found, Units],
    found_claims: tuple[Found, Units, Sequence[Sequence[str | None]], Sequence[Ints]] | None,
) -> Disagreements:
    """Every disagreement, sorted by document id, offsets and kind (found order kept for
    ties: units before claims, each in text order), built on access."""
    kinds = UNIT_KINDS + CLAIM_KINDS
    rank = np.argsort(np.argsort(np.array(kinds, dtype=object)))  # kinds' order as strings
    parts = [found_units[0]] + ([found_claims[0]] if found_claims else [])
    unit_sets = [found_units[1]] + ([found_claims[1]] if found_claims else [])
    source = np.concatenate([np.full(len(f.kind), i, dtype=np.int64) for i, f in enumerate(parts)])
    kind = np.concatenate([f.kind for f in parts])
    unit = np.concatenate([f.unit for f in parts])
    start = np.concatenate([f.start for f in parts])
    end = np.concatenate([f.end for f in parts])
    doc = np.concatenate(
        [table.document[u.first[f.unit]] for f, u in zip(parts, unit_sets, strict=True)]
    )
    reach = int(end.max(initial=0)) + 1
    order = order_by(  # stable: ties keep the order found
        (doc, int(doc.max(initial=0)) + 1), (start, reach), (end, reach), (rank[kind], len(kinds))
    )
    kind, unit, source = kind[order], unit[order], source[order]
    start, end, doc = start[order], end[order], doc[order]
    names = tuple(coders)

    def make(i: int) -> Disagreement:
        u, k = int(unit[i]), int(kind[i])
        units = unit_sets[int(source[i])]
        members = units.member[u].tolist()
        missing = tuple(c for c, row in zip(names, members, strict=True) if row < 0)
        if int(source[i]) == 0:
            codings = tuple(
                Coding(
                    c,
                    int(table.id[r]),
                    int(table.start[r]),
                    int(table.end[r]),
                    table.labels[table.label[r]],
                )
                for c, r in zip(names, members, strict=True)
                if r >= 0
            )
        else:
            assert found_claims is not None
            values, said = found_claims[2], found_claims[3]
            a = k - len(UNIT_KINDS)
            given = [(int(units.position[r]), c, r) for c, r in enumerate(members) if r >= 0]
            given.sort()
            codes = said[a][u]
            codings = tuple(
                Coding(
                    names[c],
                    int(table.id[r]),
                    int(table.start[r]),
                    int(table.end[r]),
                    values[a][int(codes[c])],
                )
                for _, c, r in given
            )
        d = int(doc[i])
        return Disagreement(kinds[k], d, titles[d], int(start[i]), int(end[i]), codings, missing)

    return Disagreements(len(kind), make)
