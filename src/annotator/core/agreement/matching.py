"""Spans matched over a whole corpus at once, as arrays: units, and span-matching counts.

:func:`match_units` applies the matching rule of :mod:`annotator.core.agreement.units`
(:func:`~annotator.core.agreement.units.matched_units`) to every shared document at
once: the spans are sorted, the runs of overlapping spans found with one running
maximum of the ends (:func:`~annotator.core.agreement.table.runs`); a run with at most
one span per coder is one unit as it is, and only the runs in which a coder has two
spans go through the greedy matching in Python
(:func:`~annotator.core.agreement.units.run_groups`).

:func:`exact_matched` and :func:`overlap_matched` count the one-to-one pairs of
:func:`~annotator.core.agreement.spans.span_f1` per document and label: identical spans
by counting, overlapping ones run by run (a run in which one coder has a single span
gives one pair; only runs where both have two or more go through the greedy walk).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.core.agreement.spans import _overlap_matching
from annotator.core.agreement.table import Ints, runs
from annotator.core.agreement.units import run_groups


@dataclass(frozen=True)
class Units:
    """Matched units of a set of table rows, in text order (document, then run, then
    first span): ``member`` ``(U, C)`` holds each coder's table row in the unit (-1 for
    none), ``first`` the table row of the unit's first span (in the order of
    :func:`~annotator.core.agreement.units.matched_units`), ``doc`` its document
    position, ``size`` its number of spans; ``position`` gives each table row its place
    in that sorted order (-1 for rows not matched)."""

    member: Ints
    first: Ints
    doc: Ints
    size: Ints
    position: Ints

    def __len__(self) -> int:
        return len(self.first)


def match_units(
    rows: Ints,
    pos: Ints,
    start: Ints,
    end: Ints,
    coder: Ints,
    ids: Ints,
    rank: Ints,
    coders: int,
    reach_span: int,
    table_size: int,
) -> Units:
    """The units of the table rows ``rows``; the other arguments are the table's whole
    columns (``pos`` the document position, ``rank`` each coder code's rank by name, as
    :func:`~annotator.core.agreement.units.matched_units` sorts by coder name)."""
    order = rows[np.lexsort((ids[rows], rank[coder[rows]], end[rows], start[rows], pos[rows]))]
    p, s, e, c = pos[order], start[order], end[order], coder[order]
    n = len(order)
    run, first = runs(p, s, e, reach_span)
    head = first[run]  # each row's unit, as the sorted position of its first span
    if n:
        size = np.diff(np.append(first, n))
        seen = np.zeros(len(first) * coders, dtype=bool)
        seen[run * coders + c] = True
        distinct = seen.reshape(-1, coders).sum(axis=1)
        crowded = np.flatnonzero(size > distinct)  # a coder has two spans in the run
        if len(crowded):
            s_l, e_l, c_l = s.tolist(), e.tolist(), c.tolist()
            at: list[int] = []
            to: list[int] = []
            for r in crowded.tolist():
                lo = int(first[r])
                hi = lo + int(size[r])
                for group in run_groups(s_l[lo:hi], e_l[lo:hi], c_l[lo:hi]):
                    h = lo + group[0]
                    at.extend(lo + i for i in group)
                    to.extend([h] * len(group))
            head[np.array(at, dtype=np.int64)] = np.array(to, dtype=np.int64)
    is_head = np.zeros(n, dtype=bool)
    is_head[head] = True
    unit = (np.cumsum(is_head) - 1)[head]
    units = int(is_head.sum())
    member = np.full((units, coders), -1, dtype=np.int64)
    member[unit, c] = order
    position = np.full(table_size, -1, dtype=np.int64)
    position[order] = np.arange(n, dtype=np.int64)
    return Units(
        member=member,
        first=order[is_head],
        doc=p[is_head],
        size=np.bincount(unit, minlength=units).astype(np.int64),
        position=position,
    )


def exact_matched(
    block: Ints, start: Ints, end: Ints, coder: Ints, pairs: list[tuple[int, int]], blocks: int
) -> list[Ints]:
    """Per pair of coder codes: per block (document and label), the number of one-to-one
    pairs of identical spans (the smaller count of each identical span)."""
    out = []
    if not len(block):
        return [np.zeros(blocks, dtype=np.int64) for _ in pairs]
    order = np.lexsort((end, start, block))
    b, s, e = block[order], start[order], end[order]
    new = np.ones(len(b), dtype=bool)
    new[1:] = (b[1:] != b[:-1]) | (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    group = np.cumsum(new) - 1
    groups = int(group[-1]) + 1
    coders = int(coder.max()) + 1
    counts = np.bincount(group * coders + coder[order], minlength=groups * coders)
    counts = counts.reshape(groups, coders)
    group_block = b[new]
    for x, y in pairs:
        both = np.minimum(counts[:, x], counts[:, y])
        out.append(np.bincount(group_block, weights=both, minlength=blocks).astype(np.int64))
    return out


def overlap_matched(
    block: Ints, start: Ints, end: Ints, coder: Ints, pair: tuple[int, int], blocks: int, reach: int
) -> Ints:
    """Per block (document and label): the size of a maximum one-to-one matching of the
    two coders' spans (``pair`` of coder codes) that share a character."""
    x, y = pair
    rows = np.flatnonzero((coder == x) | (coder == y))
    out = np.zeros(blocks, dtype=np.int64)
    if not len(rows):
        return out
    order = rows[np.lexsort((end[rows], start[rows], block[rows]))]
    b, s, e = block[order], start[order], end[order]
    side = coder[order] == y
    run, first = runs(b, s, e, reach)
    runs_count = len(first)
    n_y = np.bincount(run, weights=side, minlength=runs_count).astype(np.int64)
    n_x = np.bincount(run, minlength=runs_count) - n_y
    matched = np.minimum(np.minimum(n_x, n_y), 1)  # one span on a side: one pair
    hard = np.flatnonzero((n_x > 1) & (n_y > 1))
    if len(hard):
        s_l, e_l, side_l = s.tolist(), e.tolist(), side.tolist()
        size = n_x + n_y
        for r in hard.tolist():
            lo = int(first[r])
            hi = lo + int(size[r])
            a = [(s_l[i], e_l[i]) for i in range(lo, hi) if not side_l[i]]
            other = [(s_l[i], e_l[i]) for i in range(lo, hi) if side_l[i]]
            matched[r] = _overlap_matching(a, other)
    np.add.at(out, b[first], matched)
    return out
