"""The character figures of a whole corpus in one pass: alpha_U and NVivo-style counts.

:func:`character_sums` takes every span of the shared documents at once (as columns)
and returns the whole-number sums that :func:`~annotator.core.agreement.unitizing.
unitized_alpha` and :func:`~annotator.core.agreement.spans.character_agreement` build
their figures from, per document and label and pooled over the documents laid end to
end: the units (one coder's overlapping spans of one label merged), the observed
sum of delta^2, the numerator and denominator of the expected disagreement, and the
characters each coder and each pair of coders coded. The per-document and pooled
figures come from the same sums; the pooled observed sum is the documents' sums added
up (no unit crosses a document border, and a unit lies in a gap of the other coder in
the joined continuum exactly when it does in its document).

Everything is exact: int64 where the sums are known to fit, Python integers otherwise.
The input is the report's own (already checked: ``0 <= start < end <= length``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement.result import Agreement, undefined
from annotator.core.agreement.table import order_by
from annotator.core.agreement.unitizing import NAME as UNITIZED
from annotator.core.agreement.unitizing import NO_UNIT, NO_VARIATION, unitized_value
from annotator.core.agreement.units import CodedSpan
from annotator.core.errors import InputError

Ints = NDArray[np.int64]
_SAFE = 2**62  # int64 sums below this cannot overflow


@dataclass(frozen=True)
class CharacterSums:
    """Sums over the shared documents (``D`` of them), ``L`` labels, ``C`` coders.

    Per document and label (arrays of shape ``(D, L)``): ``units`` (merged units of
    every coder), ``observed`` (sum of delta^2 over coder pairs), ``numerator`` and
    ``denominator`` of D_e (0 where no coder marked the label there). Pooled per label
    (lists of ``L`` Python integers, on the continuum of ``total`` characters):
    ``pooled_units``, ``pooled_observed``, ``pooled_numerator``,
    ``pooled_denominator``. ``coded`` ``(D, L, C)``: characters each coder coded;
    ``both`` ``(D, L, P)``: characters both coders of each pair (in
    ``itertools.combinations`` order) coded. ``merged``: spans that overlap an earlier
    span of the same coder and label in their document.
    """

    units: Ints
    observed: list[list[int]]
    numerator: list[list[int]]
    denominator: list[list[int]]
    pooled_units: list[int]
    pooled_observed: list[int]
    pooled_numerator: list[int]
    pooled_denominator: list[int]
    coded: Ints
    both: Ints
    merged: int
    total: int


@dataclass(frozen=True)
class SpanColumns:
    """The spans of the shared documents as columns (checked), for :func:`character_sums`."""

    document: Ints  # position of the span's document among the shared ones
    label: Ints
    coder: Ints
    start: Ints
    end: Ints
    lengths: Ints  # of the shared documents
    labels: int
    coders: int

    def sums(self) -> CharacterSums:
        return character_sums(
            self.document,
            self.label,
            self.coder,
            self.start,
            self.end,
            self.lengths,
            self.labels,
            self.coders,
        )


def span_columns(
    documents: Sequence[Sequence[CodedSpan]],
    lengths: Sequence[int],
    labels: Sequence[str],
    coders: Sequence[str],
) -> SpanColumns:
    """Each document's spans (``documents[i]`` has ``lengths[i]`` characters) as columns;
    labels outside ``labels`` are numbered after them. A span that is not inside its
    document (``0 <= start < end <= length``, whole numbers) is an :class:`InputError`."""
    label_index = {label: i for i, label in enumerate(labels)}
    coder_index = {c: i for i, c in enumerate(coders)}
    document: list[int] = []
    label: list[int] = []
    for pos, spans in enumerate(documents):
        document.extend([pos] * len(spans))
        label.extend([label_index.setdefault(s.label, len(label_index)) for s in spans])
    every = [s for spans in documents for s in spans]
    starts = [s.start for s in every]
    ends = [s.end for s in every]
    if not set(map(type, starts)) | set(map(type, ends)) <= {int}:
        bad = next(s for s in every if type(s.start) is not int or type(s.end) is not int)
        raise InputError(f"span {bad.id}: start and end must be whole numbers")
    doc = np.array(document, dtype=np.int64)
    size = np.array(lengths, dtype=np.int64)
    start = np.array(starts, dtype=np.int64)
    end = np.array(ends, dtype=np.int64)
    outside = (start < 0) | (start >= end) | (end > size[doc])
    if outside.any():
        bad = every[int(np.argmax(outside))]
        raise InputError(
            f"span {bad.id} ({bad.start}, {bad.end}) is outside document {bad.document_id} "
            f"(0 <= start < end <= {lengths[int(doc[np.argmax(outside)])]})"
        )
    coder = np.array([coder_index[s.coder] for s in every], dtype=np.int64)
    return SpanColumns(
        doc, np.array(label, dtype=np.int64), coder, start, end, size, len(label_index), len(coders)
    )


def character_sums(
    document: Ints,
    label: Ints,
    coder: Ints,
    start: Ints,
    end: Ints,
    lengths: Ints,
    labels: int,
    coders: int,
) -> CharacterSums:
    """The sums of :class:`CharacterSums` for spans given as columns.

    ``document`` holds each span's document position (0 to D - 1, an index into
    ``lengths``), ``label`` and ``coder`` indexes (below ``labels`` and ``coders``).
    """
    docs = len(lengths)
    reach_span = int(lengths.max()) + 1 if docs else 1
    run_g, run_c, run_s, run_e, merged = _runs(
        document, label, coder, start, end, reach_span, labels, coders
    )
    groups = docs * labels  # (document, label)
    glen = np.repeat(lengths, labels)  # the continuum length of each group
    size = run_e - run_s
    units = np.bincount(run_g, minlength=groups).astype(np.int64)
    coded = np.zeros(groups * coders, dtype=np.int64)
    np.add.at(coded, run_g * coders + run_c, size)
    observed = np.zeros(groups, dtype=np.int64)
    pairs = list(combinations(range(coders), 2))
    both = np.zeros((groups, max(len(pairs), 1)), dtype=np.int64)
    for k, (p, q) in enumerate(pairs):
        a, b = run_c == p, run_c == q
        squares, shared = _pair_sums(
            run_g[a], run_s[a], run_e[a], run_g[b], run_s[b], run_e[b], groups, reach_span
        )
        observed += squares
        both[:, k] = shared
    present = units > 0
    numerator = _numerators(run_g, run_c, run_s, run_e, glen, present, groups, coders)
    denominator = _denominators(run_g, size, glen, present, groups, coders)
    # pooled: the documents laid end to end
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    total = int(lengths.sum())
    doc_of = run_g // labels
    lab_of = run_g % labels
    joined_s = run_s + offsets[doc_of]
    joined_e = run_e + offsets[doc_of]
    order = order_by((lab_of, labels), (run_c, coders), (joined_s, total + 1))
    p_g, p_c, p_s, p_e = lab_of[order], run_c[order], joined_s[order], joined_e[order]
    p_units = np.bincount(lab_of, minlength=labels).astype(np.int64)
    p_len = np.full(labels, total, dtype=np.int64)
    p_present = p_units > 0
    p_numerator = _numerators(p_g, p_c, p_s, p_e, p_len, p_present, labels, coders)
    p_denominator = _denominators(p_g, p_e - p_s, p_len, p_present, labels, coders)
    by_doc_label = observed.reshape(docs, labels) if docs else observed.reshape(0, labels)
    pooled_observed = [sum(column) for column in zip(*by_doc_label.tolist(), strict=True)]
    if not pooled_observed:
        pooled_observed = [0] * labels
    return CharacterSums(
        units=units.reshape(docs, labels),
        observed=by_doc_label.tolist(),
        numerator=_by_rows(numerator, docs, labels),
        denominator=_by_rows(denominator, docs, labels),
        pooled_units=p_units.tolist(),
        pooled_observed=pooled_observed,
        pooled_numerator=p_numerator,
        pooled_denominator=p_denominator,
        coded=coded.reshape(docs, labels, coders),
        both=both[:, : len(pairs)].reshape(docs, labels, len(pairs)),
        merged=merged,
        total=total,
    )


def _by_rows(values: list[int], rows: int, width: int) -> list[list[int]]:
    return [values[r * width : (r + 1) * width] for r in range(rows)]


def _runs(
    document: Ints,
    label: Ints,
    coder: Ints,
    start: Ints,
    end: Ints,
    reach_span: int,
    labels: int,
    coders: int,
) -> tuple[Ints, Ints, Ints, Ints, int]:
    """One coder's overlapping spans of one label in one document merged into units.

    Returns each unit's group (document * labels + label: the caller's numbering is
    kept by sorting), coder, start and end, sorted by group, coder and start; and the
    number of spans merged into an earlier one (start before the reach of the spans
    before it, as :func:`~annotator.core.agreement.unitizing.unitized_alpha` merges).
    """
    order = order_by(
        (document, int(document.max(initial=0)) + 1),
        (label, labels),
        (coder, coders),
        (start, reach_span),
        (end, reach_span),
    )
    d, lab, c = document[order], label[order], coder[order]
    s, e = start[order], end[order]
    lane = (d * labels + lab) * coders + c
    count = len(lane)
    if not count:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty, 0
    new_lane = np.ones(count, dtype=bool)
    new_lane[1:] = lane[1:] != lane[:-1]
    shift = (np.cumsum(new_lane) - 1) * reach_span  # each lane above the one before
    reach = np.maximum.accumulate(e + shift) - shift
    new_run = new_lane.copy()
    new_run[1:] |= s[1:] >= reach[:-1]
    first = np.flatnonzero(new_run)
    return (
        lane[first] // coders,
        c[first],
        s[first],
        np.maximum.reduceat(e, first),
        int(count - len(first)),
    )


def _pair_sums(
    a_g: Ints, a_s: Ints, a_e: Ints, b_g: Ints, b_s: Ints, b_e: Ints, groups: int, span: int
) -> tuple[Ints, Ints]:
    """Per group: the sum of delta^2 between two coders' units, and their shared characters.

    Each coder's units of a group are disjoint and sorted, so the units of B that
    overlap a unit of A are one run found by bisection. delta^2 of two overlapping
    units is the squared difference of their starts plus that of their ends; a unit
    that overlaps no unit of the other coder lies in one of its gaps: its length squared.
    """
    b_key_s = b_g * span + b_s
    b_key_e = b_g * span + b_e
    lo = np.searchsorted(b_key_e, a_g * span + a_s, side="right")
    hi = np.searchsorted(b_key_s, a_g * span + a_e, side="left")
    count = np.maximum(hi - lo, 0)
    pairs = int(count.sum())
    i = np.repeat(np.arange(len(a_s)), count)
    j = np.arange(pairs) - np.repeat(np.cumsum(count) - count, count) + lo[i]
    squares = (a_s[i] - b_s[j]) ** 2 + (a_e[i] - b_e[j]) ** 2
    shared = np.minimum(a_e[i], b_e[j]) - np.maximum(a_s[i], b_s[j])
    b_count = np.bincount(j, minlength=len(b_s))
    out_sq = np.zeros(groups, dtype=np.int64)
    out_shared = np.zeros(groups, dtype=np.int64)
    np.add.at(out_sq, a_g[i], squares)
    np.add.at(out_shared, a_g[i], shared)
    lone_a = count == 0
    np.add.at(out_sq, a_g[lone_a], (a_e[lone_a] - a_s[lone_a]) ** 2)
    lone_b = b_count == 0
    np.add.at(out_sq, b_g[lone_b], (b_e[lone_b] - b_s[lone_b]) ** 2)
    return out_sq, out_shared


def _gaps(
    g: Ints, c: Ints, s: Ints, e: Ints, glen: Ints, present: NDArray[np.bool_], coders: int
) -> tuple[Ints, Ints]:
    """Every gap (group, length > 0) of every coder's lane in the groups with a unit.

    Units are sorted by group, coder and start; a coder without a unit in such a group
    has one gap, the whole continuum.
    """
    lane = g * coders + c
    count = len(lane)
    first = np.ones(count, dtype=bool)
    last = np.ones(count, dtype=bool)
    if count:
        first[1:] = lane[1:] != lane[:-1]
        last[:-1] = first[1:]
    before = s.copy()
    before[~first] = s[~first] - e[np.flatnonzero(~first) - 1]
    after = glen[g[last]] - e[last]
    has = np.zeros((len(glen), coders), dtype=bool)
    has[g, c] = True
    empty_g, _ = np.nonzero(present[:, None] & ~has)
    gap_g = np.concatenate((g, g[last], empty_g)).astype(np.int64)
    gap_len = np.concatenate((before, after, glen[empty_g])).astype(np.int64)
    keep = gap_len > 0
    return gap_g[keep], gap_len[keep]


def _numerators(
    g: Ints,
    c: Ints,
    s: Ints,
    e: Ints,
    glen: Ints,
    present: NDArray[np.bool_],
    groups: int,
    coders: int,
) -> list[int]:
    """Per group, the numerator of D_e as ``unitizing._expected`` sums it (exactly)."""
    gap_g, gap_len = _gaps(g, c, s, e, glen, present, coders)
    span = int(gap_len.max()) + 2 if len(gap_len) else 2
    order = order_by((gap_g, int(gap_g.max(initial=0)) + 1), (gap_len, span))
    key = gap_g[order] * span + gap_len[order]
    suffix = np.concatenate(([0], np.cumsum(gap_len[order])))
    ell = e - s
    first = np.searchsorted(key, g * span + np.minimum(ell, span - 1), side="left")
    stop = np.searchsorted(key, (g + 1) * span, side="left")
    fits = stop - first
    room = suffix[stop] - suffix[first]
    count = np.bincount(g, minlength=groups)
    n_c = count[g]
    # a group's sum is below n sum(l^3) + (its gaps) sum(l^2): twice that must fit
    widths = ell.astype(np.float64)
    cubes = np.bincount(g, weights=widths**3, minlength=groups)
    squares = np.bincount(g, weights=widths**2, minlength=groups)
    gaps = np.bincount(gap_g, weights=gap_len.astype(np.float64), minlength=groups)
    bound = 2.0 * float(np.max(count * cubes + gaps * squares, initial=0.0))
    if bound >= _SAFE:  # sums that could overflow int64: Python integers
        ells, rooms, fit, ns = (x.tolist() for x in (ell, room, fits, n_c))
        out = [0] * groups
        for group, l_, r, f, n in zip(g.tolist(), ells, rooms, fit, ns, strict=True):
            out[group] += (n - 1) * l_ * (l_ - 1) * (2 * l_ - 1) // 3 + l_ * l_ * (r - f * (l_ - 1))
        return out
    term = (n_c - 1) * (ell * (ell - 1) * (2 * ell - 1) // 3) + ell * ell * (
        room - fits * (ell - 1)
    )
    out_arr = np.zeros(groups, dtype=np.int64)
    if len(g):  # the units are sorted by group: one sum per run of a group
        first_of = np.flatnonzero(np.concatenate(([True], g[1:] != g[:-1])))
        out_arr[g[first_of]] = np.add.reduceat(term, first_of)
    return [int(v) for v in out_arr.tolist()]


def _denominators(
    g: Ints, size: Ints, glen: Ints, present: NDArray[np.bool_], groups: int, coders: int
) -> list[int]:
    """Per group: ``m L (m L - 1) - sum l (l - 1)`` (0 where no unit)."""
    own = np.zeros(groups, dtype=np.int64)
    np.add.at(own, g, size * (size - 1))
    out = []
    for length, taken, has in zip(glen.tolist(), own.tolist(), present.tolist(), strict=True):
        out.append(coders * length * (coders * length - 1) - taken if has else 0)
    return out


def document_alpha(sums: CharacterSums, pos: int, length: int, coders: int) -> Agreement:
    """alpha_U of one document over all its labels, from its sums (as unitized_alpha)."""
    units = sums.units[pos].tolist()
    if not any(units):
        return undefined(UNITIZED, NO_UNIT, 0, "units")
    scale = coders * (coders - 1) * length**2
    numerators, denominators = sums.numerator[pos], sums.denominator[pos]
    squares, top, bottom = 0, 0, 1  # the labels' sums over one common denominator
    for index, count in enumerate(units):
        if count:
            squares += sums.observed[pos][index]
            top, bottom = (
                top * denominators[index] + numerators[index] * bottom,
                bottom * (denominators[index]),
            )
    observed = Fraction(2 * squares, scale)
    expected = Fraction(2 * top, length * bottom)
    return unitized_value(observed, expected, sum(units), NO_VARIATION)


def pooled_alpha(sums: CharacterSums, coders: int) -> tuple[Agreement, dict[int, Agreement]]:
    """alpha_U over the documents laid end to end: overall, and by label index."""
    total = sums.total
    scale = coders * (coders - 1) * total**2
    by_label: dict[int, Agreement] = {}
    observed_total, expected_total = Fraction(0), Fraction(0)
    for index, count in enumerate(sums.pooled_units):
        if not count:
            continue
        observed = Fraction(2 * sums.pooled_observed[index], scale)
        expected = Fraction(
            2 * sums.pooled_numerator[index], total * sums.pooled_denominator[index]
        )
        observed_total += observed
        expected_total += expected
        by_label[index] = unitized_value(observed, expected, count, NO_VARIATION)
    if not by_label:
        return undefined(UNITIZED, NO_UNIT, 0, "units"), by_label
    overall = unitized_value(observed_total, expected_total, sum(sums.pooled_units), NO_VARIATION)
    return overall, by_label
