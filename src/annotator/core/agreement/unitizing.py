"""Krippendorff's alpha for unitizing, alpha_U (Krippendorff 1995; 2004, sec. 12.4).

Coders mark units ``(start, length, category)`` on one continuum (here: the code points
of a text, or of several texts laid end to end with :func:`join_continua`). For each
category ``c`` every coder's continuum is cut into that coder's ``c`` units and the gaps
between them; alpha_U compares the coders' cuts position by position:

* observed disagreement ``D_o(c) = 2 / (m (m - 1) L^2) * sum over coder pairs, over
  pairs of overlapping segments, of delta^2`` where ``delta^2`` of two units is
  ``(begin difference)^2 + (end difference)^2``, of a unit inside the other coder's gap
  its ``length^2``, and 0 otherwise (two gaps; a unit and a gap it is not inside);
* expected disagreement ``D_e(c)`` over all the ways the same units and gaps could have
  been placed (the closed form of Krippendorff 1995, as DKPro Agreement computes it;
  see docs/agreement.md);
* ``alpha_U(c) = 1 - D_o(c) / D_e(c)`` and, over all categories,
  ``alpha_U = 1 - sum_c D_o(c) / sum_c D_e(c)``.

Sums are exact (whole numbers and fractions); a float is made only at the end.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import accumulate, combinations
from typing import cast

from annotator.core.agreement.result import Agreement, as_list, undefined, whole_number
from annotator.core.errors import InputError

Unit = tuple[int, int, Hashable]
"""A coded unit ``(start, length, category)``; start is absolute (it counts from 0)."""

NAME = "Krippendorff's alpha_U"
ZERO_LENGTH_ONLY = "units of zero length only"
NO_UNIT = "no coder marked a unit"
FEWER_THAN_TWO = "fewer than two coders"
NO_VARIATION = "every coder marked every character as this category (no variation)"


@dataclass(frozen=True, slots=True)
class UnitizedAlpha:
    """alpha_U over all categories and per category, on a continuum of ``length``."""

    overall: Agreement
    by_category: dict[Hashable, Agreement] = field(default_factory=dict)
    length: int = 0
    coders: int = 0


def _prepare(
    units_by_coder: Mapping[Hashable, Iterable[Unit]] | Sequence[Iterable[Unit]],
    begin: int,
    end: int,
    merge_overlaps: bool,
) -> tuple[list[Hashable], dict[Hashable, list[list[tuple[int, int]]]], int]:
    """Per category, per coder: the sorted ``(start, end)`` of its units of length > 0.

    Also returns the coders' names and how many units had length 0.
    """
    if isinstance(units_by_coder, Mapping):
        names = list(units_by_coder)
        lists = [units_by_coder[name] for name in names]
    else:
        lists = cast("list[Iterable[Unit]]", as_list(units_by_coder, "the units by coder"))
        names = list(range(1, len(lists) + 1))
    per_category: dict[Hashable, list[list[tuple[int, int]]]] = {}
    zero = 0
    for index, (name, units) in enumerate(zip(names, lists, strict=True)):
        for unit in as_list(units, f"the units of coder {name}"):
            if not isinstance(unit, tuple | list) or len(unit) != 3:
                raise InputError(
                    f"coder {name}: a unit must be (start, length, category), not {unit!r}"
                )
            start, length, category = unit
            if type(start) is not int:  # (the common case skips building the message)
                start = whole_number(start, f"coder {name}: the start of a unit")
            if type(length) is not int:
                length = whole_number(length, f"coder {name}: the length of a unit")
            try:
                hash(category)
            except TypeError:
                raise InputError(
                    f"coder {name}: a category must be a plain value, not {category!r}"
                ) from None
            if length < 0:
                raise InputError(f"coder {name}: the unit {tuple(unit)!r} has a negative length")
            if start < begin or start + length > end:
                raise InputError(
                    f"coder {name}: the unit {tuple(unit)!r} is outside the continuum "
                    f"({begin} to {end})"
                )
            lanes = per_category.setdefault(category, [[] for _ in lists])
            if length == 0:
                zero += 1
                continue
            lanes[index].append((start, start + length))
    for category, lanes in per_category.items():
        for index, lane in enumerate(lanes):
            lane.sort()
            kept: list[tuple[int, int]] = []
            for s, e in lane:
                if kept and s < kept[-1][1]:
                    if not merge_overlaps:
                        ps, pe = kept[-1]
                        raise InputError(
                            f"coder {names[index]} has two overlapping {category!r} units, "
                            f"({ps}, {pe - ps}) and ({s}, {e - s}); alpha_U needs one "
                            "coder's units of one category apart (or merge_overlaps=True)"
                        )
                    kept[-1] = (kept[-1][0], max(kept[-1][1], e))
                else:
                    kept.append((s, e))
            lanes[index] = kept
    return names, per_category, zero


def _segments(lane: list[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int, bool]]:
    """The coder's continuum cut into units (True) and the gaps between them (False)."""
    out: list[tuple[int, int, bool]] = []
    pos = begin
    for s, e in lane:
        if s > pos:
            out.append((pos, s, False))
        out.append((s, e, True))
        pos = e
    if pos < end:
        out.append((pos, end, False))
    return out


def _delta(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """delta^2 of two segments ``(start, end, is_unit)`` of two coders."""
    gs, ge, g_unit = g
    hs, he, h_unit = h
    if g_unit and h_unit:
        return (gs - hs) ** 2 + (ge - he) ** 2 if gs < he and hs < ge else 0
    if g_unit and not h_unit and hs <= gs and ge <= he:
        return (ge - gs) ** 2
    if h_unit and not g_unit and gs <= hs and he <= ge:
        return (he - hs) ** 2
    return 0


def _observed_sum(lanes: list[list[tuple[int, int]]], begin: int, end: int) -> int:
    """The sum of delta^2 over every pair of coders and their overlapping segments."""
    cut = [_segments(lane, begin, end) for lane in lanes]
    total = 0
    for first, second in combinations(cut, 2):
        i = j = 0
        size_first, size_second = len(first), len(second)
        while i < size_first and j < size_second:
            gs, ge, g_unit = first[i]
            hs, he, h_unit = second[j]
            if gs < he and hs < ge:  # overlapping segments: delta^2 as in _delta
                if g_unit:
                    if h_unit:
                        total += (gs - hs) ** 2 + (ge - he) ** 2
                    elif hs <= gs and ge <= he:
                        total += (ge - gs) ** 2
                elif h_unit and gs <= hs and he <= ge:
                    total += (he - hs) ** 2
            if ge <= he:
                i += 1
            else:
                j += 1
    return total


def _expected(lanes: list[list[tuple[int, int]]], begin: int, end: int, coders: int) -> Fraction:
    """D_e(c): the disagreement expected when units and gaps fall anywhere."""
    length = end - begin
    units = [e - s for lane in lanes for s, e in lane]
    gaps = sorted(e - s for lane in lanes for s, e, unit in _segments(lane, begin, end) if not unit)
    suffix = [*list(accumulate(reversed(gaps)))[::-1], 0]  # sum of gaps[i:]
    n_c = len(units)
    numerator = 0
    for ell in units:
        # (N_c - 1) * (2 l^3 - 3 l^2 + l) / 3, a whole number: l (l - 1) (2l - 1) / 3
        numerator += (n_c - 1) * ell * (ell - 1) * (2 * ell - 1) // 3
        first = bisect_left(gaps, ell)  # gaps long enough to hold the unit
        fits = len(gaps) - first
        numerator += ell * ell * (suffix[first] - fits * (ell - 1))
    denominator = coders * length * (coders * length - 1) - sum(ell * (ell - 1) for ell in units)
    return Fraction(2 * numerator, length * denominator)


def unitized_alpha(
    length: int,
    units_by_coder: Mapping[Hashable, Iterable[Unit]] | Sequence[Iterable[Unit]],
    *,
    begin: int = 0,
    merge_overlaps: bool = False,
) -> UnitizedAlpha:
    """alpha_U of the coders' units on the continuum ``[begin, begin + length)``.

    ``units_by_coder`` maps each coder (or lists, one per coder) to units
    ``(start, length, category)``. One coder's units of one category must not overlap
    (alpha_U is undefined for that); pass ``merge_overlaps=True`` to count overlapping
    ones as their union. Units of length 0 cover nothing and are left out; ``n`` counts
    the units of length > 0.

    Returns the overall figure and one per category. Undefined (never 1.0): with fewer
    than two coders, when no coder marked a unit, when a category has only units of
    length 0, and when every coder marked the whole continuum (nothing to expect).
    """
    length = whole_number(length, "the length of the continuum")
    begin = whole_number(begin, "the start of the continuum")
    if length < 1:
        raise InputError(f"the continuum must be at least 1 long, not {length}")
    end = begin + length
    names, per_category, zero = _prepare(units_by_coder, begin, end, merge_overlaps)
    coders = len(names)
    by_category: dict[Hashable, Agreement] = {}
    observed_total = Fraction(0)
    expected_total = Fraction(0)
    n_total = 0
    for category, lanes in per_category.items():
        n = sum(len(lane) for lane in lanes)
        n_total += n
        if coders < 2:
            by_category[category] = undefined(NAME, FEWER_THAN_TWO, n, "units")
            continue
        if n == 0:
            by_category[category] = undefined(NAME, ZERO_LENGTH_ONLY, 0, "units")
            continue
        observed = Fraction(2 * _observed_sum(lanes, begin, end), coders * (coders - 1) * length**2)
        expected = _expected(lanes, begin, end, coders)
        observed_total += observed
        expected_total += expected
        by_category[category] = unitized_value(observed, expected, n, NO_VARIATION)
    if coders < 2:
        overall = undefined(NAME, FEWER_THAN_TWO, n_total, "units")
    elif not per_category:
        overall = undefined(NAME, NO_UNIT, 0, "units")
    elif n_total == 0 and zero:
        overall = undefined(NAME, ZERO_LENGTH_ONLY, 0, "units")
    else:
        overall = unitized_value(observed_total, expected_total, n_total, NO_VARIATION)
    return UnitizedAlpha(overall, by_category, length, coders)


def unitized_value(observed: Fraction, expected: Fraction, n: int, why: str) -> Agreement:
    """alpha_U = 1 - D_o / D_e as an :class:`Agreement`; undefined (``why``) when D_e = 0."""
    if expected == 0:
        return Agreement(NAME, None, n, "units", why, float(observed), 0.0)
    value = 1 - observed / expected
    return Agreement(NAME, float(value), n, "units", None, float(observed), float(expected))


def join_continua(
    parts: Iterable[tuple[int, Mapping[Hashable, Iterable[Unit]]]],
) -> tuple[int, dict[Hashable, list[Unit]]]:
    """Lay several continua (e.g. documents) end to end, as Krippendorff does for a corpus.

    ``parts`` holds ``(length, units_by_coder)`` per document, each with offsets from 0.
    Returns the total length and every coder's units shifted onto the joined continuum,
    ready for :func:`unitized_alpha`. A coder absent from a document has no units there.
    """
    offset = 0
    joined: dict[Hashable, list[Unit]] = {}
    for length, units_by_coder in parts:
        length = whole_number(length, "the length of a document")
        if length < 0:
            raise InputError(f"a document cannot have a negative length ({length})")
        for coder, units in units_by_coder.items():
            lane = joined.setdefault(coder, [])
            for unit in as_list(units, f"the units of coder {coder}"):
                if not isinstance(unit, tuple | list) or len(unit) != 3:
                    raise InputError(
                        f"coder {coder}: a unit must be (start, length, category), not {unit!r}"
                    )
                start = whole_number(unit[0], f"coder {coder}: the start of a unit")
                size = whole_number(unit[1], f"coder {coder}: the length of a unit")
                if start < 0 or size < 0 or start + size > length:
                    raise InputError(
                        f"coder {coder}: the unit {tuple(unit)!r} is outside its document "
                        f"(0 to {length})"
                    )
                lane.append((start + offset, size, unit[2]))
        offset += length
    return offset, joined
