"""Coding measures of many units at once, from label codes in NumPy arrays.

The report holds the coders' labels of ``U`` units as a ``(U, C)`` array of codes
(indexes into a list of values; -1 where a coder has no span in the unit). These
functions compute the same figures as :mod:`annotator.core.agreement.coding` from
counts over the codes: a confusion matrix (``np.bincount``) for two coders, the
number of agreeing coder pairs per unit for Fleiss' kappa and nominal alpha, and the
distinct patterns of codes (with their counts) for the other levels of alpha. The
public functions of :mod:`~annotator.core.agreement.coding` stay the reference; the
tests check these against them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

import numpy as np

from annotator.core.agreement.coding import (
    ONE_CATEGORY,
    _alpha_of,
    _chance_corrected,
    _coincidences,
    _Paired,
    _percent,
)
from annotator.core.agreement.result import Agreement, Label, undefined
from annotator.core.agreement.table import Ints

NO_PAIRABLE = "no unit coded by two or more coders"


def paired(x: Ints, y: Ints, values: Sequence[Label]) -> _Paired:
    """Two coders' codes of the same units, as the coding measures pair them."""
    both = (x >= 0) & (y >= 0)
    k = len(values)
    if not k:
        return _Paired(0, 0, Counter(), Counter())
    table = np.bincount(x[both] * k + y[both], minlength=k * k).reshape(k, k)
    first = Counter({values[i]: int(v) for i, v in enumerate(table.sum(axis=1).tolist()) if v})
    second = Counter({values[i]: int(v) for i, v in enumerate(table.sum(axis=0).tolist()) if v})
    return _Paired(int(both.sum()), int(np.trace(table)), first, second)


def percent_of_codes(x: Ints, y: Ints) -> Agreement:
    """Percent agreement of two coders' codes (units both coded)."""
    both = (x >= 0) & (y >= 0)
    return _percent(int(both.sum()), int((both & (x == y)).sum()))


def _agreeing_pairs(codes: Ints) -> Ints:
    """Per unit: the pairs of coders that gave it the same value."""
    same = np.zeros(len(codes), dtype=np.int64)
    for i, j in combinations(range(codes.shape[1]), 2):
        same += (codes[:, i] == codes[:, j]) & (codes[:, i] >= 0)
    return same


def fleiss_of_codes(codes: Ints, values: Sequence[Label]) -> tuple[int, Agreement]:
    """Fleiss' kappa on the units every coder coded, and their number (as
    :func:`~annotator.core.agreement.coding.fleiss_kappa_of_units`)."""
    name = "Fleiss' kappa"
    complete = codes[(codes >= 0).all(axis=1)] if codes.size else codes[:0]
    n_items = len(complete)
    if not n_items:
        return 0, undefined(name, "no items", 0, "items")
    m = codes.shape[1]
    if m < 2:
        return n_items, undefined(name, "fewer than two ratings per item", n_items, "items")
    totals = np.bincount(complete.ravel(), minlength=len(values)).tolist()
    if sum(1 for t in totals if t) < 2:
        return n_items, undefined(name, ONE_CATEGORY, n_items, "items")
    same = np.bincount(_agreeing_pairs(complete))
    # sum_k n_k^2 = m + 2 (agreeing pairs); fsum of the per-item values, exactly
    exact = sum(
        (
            Fraction((m + 2 * k - m) / (m * (m - 1))) * times
            for k, times in enumerate(same.tolist())
        ),
        Fraction(0),
    )
    observed = float(exact) / n_items
    expected = math.fsum((t / (n_items * m)) ** 2 for t in totals if t)
    return n_items, _chance_corrected(name, observed, expected, n_items)


def nominal_alphas(codes: Ints, group: Ints, groups: int, kinds: int) -> list[Agreement]:
    """Nominal Krippendorff's alpha of the units of each group (e.g. document): the
    figure of :func:`~annotator.core.agreement.coding.krippendorff_alpha` on each
    group's units, from counts (``kinds`` values, codes below it)."""
    name = "Krippendorff's alpha (nominal)"
    present = codes >= 0
    m = present.sum(axis=1)
    pairable = m >= 2
    codes, group, m, present = codes[pairable], group[pairable], m[pairable], present[pairable]
    same = _agreeing_pairs(codes)
    n = np.bincount(group, weights=m, minlength=groups)
    # n D_o = sum over units of (m (m - 1) - 2 agreeing pairs) / (m - 1)
    disagreeing = np.zeros(groups, dtype=np.float64)
    width = codes.shape[1]
    for size in range(2, width + 1):
        these = m == size
        if these.any():
            counts = np.bincount(
                group[these], weights=size * (size - 1) - 2 * same[these], minlength=groups
            )
            disagreeing += counts / (size - 1)
    k = max(kinds, 1)
    flat = (np.repeat(group, width) * k + codes.ravel())[present.ravel()]
    values = np.bincount(flat, minlength=groups * k).reshape(groups, k).astype(np.float64)
    squares = (values * values).sum(axis=1)
    kinds_used = (values > 0).sum(axis=1)
    out = []
    for total, dis, sq, used in zip(
        n.tolist(), disagreeing.tolist(), squares.tolist(), kinds_used.tolist(), strict=True
    ):
        count = int(total)
        if not count:
            out.append(undefined(name, NO_PAIRABLE, 0, "pairable values"))
        elif used < 2:
            out.append(undefined(name, ONE_CATEGORY, count, "pairable values"))
        else:
            observed = dis / total
            expected = (total * total - sq) / (total * (total - 1))
            value = 1.0 - observed / expected
            out.append(
                Agreement(
                    name, value, count, "pairable values", observed=observed, expected=expected
                )
            )
    return out


def alpha_of_codes(
    codes: Ints, values: Sequence[Label | None], level: str, order: Sequence[Label] | None = None
) -> Agreement:
    """Krippendorff's alpha at ``level`` of the coded units (``values[code]``, where a
    value of None is missing too), computed on the distinct patterns of codes."""
    patterns: Counter[tuple[Label, ...]] = Counter()
    if codes.size:
        k = len(values) + 1
        width = codes.shape[1]
        lookup = [None, *values]
        if k**width < 2**62:
            packed = np.zeros(len(codes), dtype=np.int64)
            for column in range(width):
                packed = packed * k + (codes[:, column] + 1)
            found, times = np.unique(packed, return_counts=True)
            for key, count in zip(found.tolist(), times.tolist(), strict=True):
                digits = []
                for _ in range(width):
                    key, digit = divmod(key, k)
                    digits.append(lookup[digit])
                patterns[tuple(reversed(digits))] += count
        else:
            rows, times = np.unique(codes, axis=0, return_counts=True)
            for row, count in zip(rows.tolist(), times.tolist(), strict=True):
                patterns[tuple(lookup[c + 1] for c in row)] += count
    return _alpha_of(_coincidences(patterns), level, order)
