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
gives one pair, one where a coder has exactly two gives two or one by Hall's condition;
only runs where both have three or more go through the greedy walk).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement.spans import _overlap_matching
from annotator.core.agreement.table import Ints, order_by, runs, unique_sorted
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
    own = ids[rows]
    keys = [
        (pos[rows], int(pos.max(initial=0)) + 1),
        (start[rows], reach_span),
        (end[rows], reach_span),
        (rank[coder[rows]], coders),
    ]
    if len(own) > 1 and not (own[1:] > own[:-1]).all():  # rows not in id order
        keys.append((np.argsort(np.argsort(own, kind="stable"), kind="stable"), len(own)))
    order = rows[order_by(*keys)]
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
            at, to = _crowded_heads(crowded, first, size, s, e, c, coders)
            head[at] = to
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


_ROUNDS_WIDE = 64  # below this many runs still matching, the rest are matched in Python


def _crowded_heads(
    crowded: Ints, first: Ints, size: Ints, s: Ints, e: Ints, c: Ints, coders: int
) -> tuple[Ints, Ints]:
    """The units of the runs ``crowded`` (rows sorted, each run ``first[r]`` to
    ``first[r] + size[r]``): for each of their rows, the sorted position of its unit's
    first row.

    The rule of :func:`~annotator.core.agreement.units.run_groups` for all these runs
    at once: the candidate pairs (two overlapping spans of different coders) of every
    run, sorted as that function sorts them, are taken in rounds, the k-th candidate of
    every run in round k (runs share no span, so their unions do not interfere), with
    a union-find over arrays. Which sets are joined depends only on the order of each
    run's candidates, so the units are those of the one-run function. When fewer than
    a few dozen runs are left, the rest are matched by that function.
    """
    lo, count = first[crowded], size[crowded]
    rows = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    run_of = np.repeat(np.arange(len(crowded)), count)
    if coders > 62:  # coder bits do not fit: every run in Python
        return _python_heads(crowded.tolist(), first, size, s, e, c)
    # candidates: i < j in one run with start_j < end_i (then they overlap), other coder
    key_s = run_of * (int(e.max()) + 1) + s[rows]
    stop = np.searchsorted(key_s, run_of * (int(e.max()) + 1) + e[rows], side="left")
    local = np.arange(len(rows))
    width = stop - local - 1
    ci = np.repeat(local, width)
    cj = np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width) + ci + 1
    other = c[rows[ci]] != c[rows[cj]]
    ci, cj = ci[other], cj[other]
    gi, gj = rows[ci], rows[cj]
    negative_shared = s[gj] - np.minimum(e[gi], e[gj])
    cand_run = run_of[ci]
    reach = int(e.max()) + 1
    # (ci, cj) are generated in ascending order: a stable sort keeps them for ties
    order = order_by((cand_run, len(crowded)), (negative_shared + reach, 2 * reach))
    ci, cj, cand_run = ci[order], cj[order], cand_run[order]
    per_run = np.bincount(cand_run, minlength=len(crowded))
    rank = np.arange(len(ci)) - np.repeat(np.cumsum(per_run) - per_run, per_run)
    parent = np.arange(len(rows))
    mask = np.left_shift(np.int64(1), c[rows].astype(np.int64))
    by_rank = np.argsort(rank, kind="stable")
    rounds = np.bincount(rank) if len(rank) else np.zeros(0, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(rounds)))
    left: list[int] = []
    for k in range(len(rounds)):
        if rounds[k] < _ROUNDS_WIDE:
            left = unique_sorted(cand_run[by_rank[starts[k] : starts[-1]]]).tolist()
            break
        pick = by_rank[starts[k] : starts[k + 1]]
        ri, rj = _roots(parent, ci[pick]), _roots(parent, cj[pick])
        join = (ri != rj) & ((mask[ri] & mask[rj]) == 0)
        ri, rj = ri[join], rj[join]
        parent[rj] = ri
        mask[ri] |= mask[rj]
    root = _roots(parent, local)
    head = np.full(len(rows), len(rows), dtype=np.int64)
    np.minimum.at(head, root, local)
    at, to = rows, rows[head[root]]
    if left:
        in_left = np.isin(run_of, left)
        more_at, more_to = _python_heads(crowded[left].tolist(), first, size, s, e, c)
        at = np.concatenate((at[~in_left], more_at))
        to = np.concatenate((to[~in_left], more_to))
    return at, to


def _roots(parent: Ints, nodes: Ints) -> Ints:
    """The root of each node (following ``parent``), shortening the paths on the way."""
    x = nodes
    while True:
        up = parent[x]
        if (up == x).all():
            return x
        parent[x] = parent[up]
        x = up


def _python_heads(
    crowded: list[int], first: Ints, size: Ints, s: Ints, e: Ints, c: Ints
) -> tuple[Ints, Ints]:
    """As :func:`_crowded_heads`, run by run with
    :func:`~annotator.core.agreement.units.run_groups`."""
    runs_at = np.array(crowded, dtype=np.int64)
    lo_all, count = first[runs_at], size[runs_at]
    rows = np.repeat(lo_all - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    s_l, e_l, c_l = s[rows].tolist(), e[rows].tolist(), c[rows].tolist()
    at: list[int] = []
    to: list[int] = []
    offset = 0
    for lo, n in zip(lo_all.tolist(), count.tolist(), strict=True):
        hi = offset + n
        for group in run_groups(s_l[offset:hi], e_l[offset:hi], c_l[offset:hi]):
            h = lo + group[0]
            at.extend(lo + i for i in group)
            to.extend([h] * len(group))
        offset = hi
    return np.array(at, dtype=np.int64), np.array(to, dtype=np.int64)


def _two_on_a_side(
    two: Ints, first: Ints, n_x: Ints, n_y: Ints, s: Ints, e: Ints, side: NDArray[np.bool_]
) -> Ints:
    """The matching of the runs ``two``, where one coder has exactly two spans (p1, p2)
    and the other two or more: 2 when p1 and p2 each overlap a span of the other coder
    and together overlap two of them (Hall's condition), else 1 (a run holds both
    coders' spans joined by overlaps, so one pair always exists)."""
    count = (n_x + n_y)[two]
    lo = first[two]
    rows = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    local_run = np.repeat(np.arange(len(two)), count)
    pair_side = n_y[two] == 2  # the side with two spans (y when both have two)
    on_pair = side[rows] == pair_side[local_run]
    p_rows = rows[on_pair].reshape(-1, 2)  # each run's two spans, in order
    q_rows, q_run = rows[~on_pair], local_run[~on_pair]
    p1, p2 = p_rows[q_run, 0], p_rows[q_run, 1]
    o1 = (s[p1] < e[q_rows]) & (s[q_rows] < e[p1])
    o2 = (s[p2] < e[q_rows]) & (s[q_rows] < e[p2])
    runs_count = len(two)
    deg1 = np.bincount(q_run, weights=o1, minlength=runs_count)
    deg2 = np.bincount(q_run, weights=o2, minlength=runs_count)
    either = np.bincount(q_run, weights=o1 | o2, minlength=runs_count)
    return np.where((deg1 >= 1) & (deg2 >= 1) & (either >= 2), 2, 1).astype(np.int64)


def exact_matched(
    order: Ints,
    block: Ints,
    start: Ints,
    end: Ints,
    coder: Ints,
    pairs: list[tuple[int, int]],
    blocks: int,
) -> list[Ints]:
    """Per pair of coder codes: per block (document and label), the number of one-to-one
    pairs of identical spans (the smaller count of each identical span). ``order``
    sorts the rows by block, start and end."""
    out = []
    if not len(block):
        return [np.zeros(blocks, dtype=np.int64) for _ in pairs]
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
    order: Ints,
    block: Ints,
    start: Ints,
    end: Ints,
    coder: Ints,
    pair: tuple[int, int],
    blocks: int,
    reach: int,
) -> Ints:
    """Per block (document and label): the size of a maximum one-to-one matching of the
    two coders' spans (``pair`` of coder codes) that share a character. ``order``
    sorts the rows by block and start."""
    x, y = pair
    sorted_coder = coder[order]
    order = order[(sorted_coder == x) | (sorted_coder == y)]
    out = np.zeros(blocks, dtype=np.int64)
    if not len(order):
        return out
    b, s, e = block[order], start[order], end[order]
    side = coder[order] == y
    run, first = runs(b, s, e, reach)
    runs_count = len(first)
    n_y = np.bincount(run, weights=side, minlength=runs_count).astype(np.int64)
    n_x = np.bincount(run, minlength=runs_count) - n_y
    matched = np.minimum(np.minimum(n_x, n_y), 1)  # one span on a side: one pair
    two = np.flatnonzero(np.minimum(n_x, n_y) == 2)
    if len(two):
        matched[two] = _two_on_a_side(two, first, n_x, n_y, s, e, side)
    hard = np.flatnonzero(np.minimum(n_x, n_y) > 2)
    if len(hard):
        count = (n_x + n_y)[hard]
        lo_all = first[hard]
        rows = np.repeat(lo_all - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
        s_l, e_l, side_l = s[rows].tolist(), e[rows].tolist(), side[rows].tolist()
        spans = list(zip(s_l, e_l, strict=True))
        offset = 0
        found = []
        for n in count.tolist():
            hi = offset + n
            a = [spans[i] for i in range(offset, hi) if not side_l[i]]
            other = [spans[i] for i in range(offset, hi) if side_l[i]]
            found.append(_overlap_matching(a, other))
            offset = hi
        matched[hard] = found
    np.add.at(out, b[first], matched)
    return out
