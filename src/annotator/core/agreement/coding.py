"""Coding measures: agreement on labels that coders gave to the same units.

Two coders (each a sequence with one label per unit, ``None`` where a coder gave none):
:func:`percent_agreement`, :func:`cohen_kappa`, :func:`scott_pi`, :func:`bennett_s`.
Units that one of the two left empty are left out; ``n`` counts the units both coded.

Several coders: :func:`fleiss_kappa` on an items x categories table of counts (every
item rated the same number of times; :func:`fleiss_table` builds it), and
:func:`krippendorff_alpha` on coders x units with missing values, built on the
coincidence matrix (Krippendorff 2004, ch. 11; 2011) at the nominal, ordinal, interval
and ratio levels. Formulas and references: docs/agreement.md.
"""

from __future__ import annotations

import contextlib
import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import Any, Literal, NamedTuple, cast

from annotator.core.agreement.result import (
    Agreement,
    Label,
    as_list,
    check_label,
    is_missing,
    undefined,
    whole_number,
)
from annotator.core.errors import InputError

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")

NO_COMMON_UNIT = "no unit coded by both"
ONE_CATEGORY = "only one category"


# --- two coders -----------------------------------------------------------------------


def _pairs(a: Iterable[Label], b: Iterable[Label]) -> list[tuple[Label, Label]]:
    """The (label of A, label of B) pairs of the units both coders coded."""
    first = as_list(a, "the first coder's labels")
    second = as_list(b, "the second coder's labels")
    if len(first) != len(second):
        raise InputError(
            f"the two coders' label lists differ in length ({len(first)} and {len(second)}): "
            "give one label per unit for each coder, None where a coder gave none"
        )
    if _hashable(first) and _hashable(second):  # every label can be counted: no message
        both = zip(first, second, strict=True)
        if not _has_float(first) and not _has_float(second):  # missing is only None
            return [(x, y) for x, y in both if x is not None and y is not None]
        return [(x, y) for x, y in both if not (is_missing(x) or is_missing(y))]
    pairs = []
    for unit, (x, y) in enumerate(zip(first, second, strict=True), start=1):
        if is_missing(x) or is_missing(y):
            continue
        check_label(x, f"unit {unit}")
        check_label(y, f"unit {unit}")
        pairs.append((x, y))
    return pairs


def _has_float(values: list[object]) -> bool:
    """True when a value is a float (which may be NaN, a missing value); by type, at C speed."""
    return any(issubclass(kind, float) for kind in set(map(type, values)))


def _hashable(values: list[object]) -> bool:
    """True when every value can be hashed (checked at C speed, in one call)."""
    try:
        hash(tuple(values))
    except TypeError:
        return False
    return True


def percent_agreement(a: Iterable[Label], b: Iterable[Label]) -> Agreement:
    """The share of units (coded by both) that the two coders gave the same label: A_o."""
    pairs = _pairs(a, b)
    return _percent(len(pairs), sum(1 for x, y in pairs if x == y))


class _Paired(NamedTuple):
    """The units two coders both coded: how many, how many alike, each coder's labels."""

    n: int
    same: int
    first: Counter[Label]
    second: Counter[Label]


def _paired(pairs: list[tuple[Label, Label]]) -> _Paired:
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    same = sum(1 for x, y in pairs if x == y)
    return _Paired(len(pairs), same, Counter(xs), Counter(ys))


def _percent(n: int, same: int) -> Agreement:
    name = "percent agreement"
    if not n:
        return undefined(name, NO_COMMON_UNIT, 0, "items")
    value = same / n
    return Agreement(name, value, n, "items", observed=value, expected=None)


def _chance_corrected(name: str, observed: float, expected: float, n: int) -> Agreement:
    value = (observed - expected) / (1.0 - expected)
    return Agreement(name, value, n, "items", observed=observed, expected=expected)


def cohen_kappa(a: Iterable[Label], b: Iterable[Label]) -> Agreement:
    """Cohen's (1960) kappa: chance from each coder's own label distribution.

    ``kappa = (A_o - A_e) / (1 - A_e)`` with ``A_e = sum_k P_A(k) * P_B(k)``. Undefined
    when both coders used one and the same single category (A_e = 1).
    """
    return _cohen(_paired(_pairs(a, b)))


def _cohen(paired: _Paired) -> Agreement:
    name = "Cohen's kappa"
    n, same, first, second = paired
    if not n:
        return undefined(name, NO_COMMON_UNIT, 0, "items")
    chance = sum(count * second[label] for label, count in first.items())
    if chance == n * n:
        return undefined(name, ONE_CATEGORY, n, "items")
    observed = same / n
    return _chance_corrected(name, observed, chance / (n * n), n)


def scott_pi(a: Iterable[Label], b: Iterable[Label]) -> Agreement:
    """Scott's (1955) pi: chance from the two coders' pooled label distribution.

    ``pi = (A_o - A_e) / (1 - A_e)`` with ``A_e = sum_k ((n_A(k) + n_B(k)) / 2n)^2``.
    Undefined when only one category was used.
    """
    return _scott(_paired(_pairs(a, b)))


def _scott(paired: _Paired) -> Agreement:
    name = "Scott's pi"
    n, same, first, second = paired
    if not n:
        return undefined(name, NO_COMMON_UNIT, 0, "items")
    pooled = first + second
    if len(pooled) < 2:
        return undefined(name, ONE_CATEGORY, n, "items")
    expected = math.fsum((count / (2 * n)) ** 2 for count in pooled.values())
    observed = same / n
    return _chance_corrected(name, observed, expected, n)


def bennett_s(
    a: Iterable[Label], b: Iterable[Label], categories: Iterable[Label] | None = None
) -> Agreement:
    """Bennett, Alpert and Goldstein's (1954) S (Brennan and Prediger's kappa_n).

    Chance is uniform over ``q`` categories: ``S = (A_o - 1/q) / (1 - 1/q)``. ``q`` is
    the number of ``categories`` (e.g. the codebook's labels) when given, otherwise the
    number of categories the two coders used. Undefined when ``q < 2``.
    """
    return _bennett(_paired(_pairs(a, b)), categories)


def _bennett(paired: _Paired, categories: Iterable[Label] | None) -> Agreement:
    name = "Bennett's S"
    n, same, first, second = paired
    if not n:
        return undefined(name, NO_COMMON_UNIT, 0, "items")
    used = set(first) | set(second)
    if categories is None:
        q = len(used)
    else:
        allowed = set(as_list(categories, "categories"))
        unknown = used - allowed
        if unknown:
            shown = ", ".join(sorted(repr(label) for label in unknown))
            raise InputError(f"labels outside the given categories: {shown}")
        q = len(allowed)
    if q < 2:
        return undefined(name, ONE_CATEGORY, n, "items")
    observed = same / n
    return _chance_corrected(name, observed, 1.0 / q, n)


def pair_measures(
    a: Iterable[Label], b: Iterable[Label], categories: Iterable[Label] | None = None
) -> tuple[Agreement, Agreement, Agreement, Agreement]:
    """:func:`percent_agreement`, :func:`cohen_kappa`, :func:`scott_pi` and
    :func:`bennett_s` of two coders, pairing their labels once."""
    paired = _paired(_pairs(a, b))
    return (
        _percent(paired.n, paired.same),
        _cohen(paired),
        _scott(paired),
        _bennett(paired, categories),
    )


# --- several coders ---------------------------------------------------------------------


def fleiss_kappa(table: Iterable[Iterable[int]]) -> Agreement:
    """Fleiss' (1971) kappa on an items x categories table of rating counts.

    Row ``i`` holds, per category, how many raters put item ``i`` there; every row
    must sum to the same number of raters ``m`` (Fleiss' design; with missing ratings
    use :func:`krippendorff_alpha`). ``P_i = (sum_j n_ij^2 - m) / (m (m - 1))``,
    ``P = mean P_i``, ``p_j = sum_i n_ij / (N m)``, ``P_e = sum_j p_j^2``,
    ``kappa = (P - P_e) / (1 - P_e)``. This is Fleiss' 1971 kappa (Artstein and Poesio's
    multi-pi), not the Davies-Fleiss (1982) variant.
    """
    name = "Fleiss' kappa"
    rows = [as_list(row, f"row {i} of the table") for i, row in enumerate(table, start=1)]
    if not rows:
        return undefined(name, "no items", 0, "items")
    width = len(rows[0])
    raters = None
    counted: list[list[int]] = []
    for i, row in enumerate(rows, start=1):
        if len(row) != width:
            raise InputError(
                f"row {i} of the table has {len(row)} categories, row 1 has {width}: "
                "give one count per category in every row"
            )
        counts = [whole_number(c, f"the count in row {i}") for c in row]
        if any(c < 0 for c in counts):
            raise InputError(f"row {i} of the table holds a negative count")
        counted.append(counts)
        total = sum(counts)
        if raters is None:
            raters = total
        elif total != raters:
            raise InputError(
                f"Fleiss' kappa needs the same number of ratings for every item: "
                f"item 1 has {raters}, item {i} has {total} "
                "(use Krippendorff's alpha when ratings are missing)"
            )
    m = raters or 0
    n_items = len(rows)
    if m < 2:
        return undefined(name, "fewer than two ratings per item", n_items, "items")
    totals = [sum(row[j] for row in counted) for j in range(width)]
    if sum(1 for t in totals if t) < 2:
        return undefined(name, ONE_CATEGORY, n_items, "items")
    per_item = [(sum(c * c for c in row) - m) / (m * (m - 1)) for row in counted]
    observed = math.fsum(per_item) / n_items
    expected = math.fsum((t / (n_items * m)) ** 2 for t in totals)
    return _chance_corrected(name, observed, expected, n_items)


def fleiss_kappa_of_units(data: Iterable[Iterable[Label]]) -> tuple[int, Agreement]:
    """Fleiss' kappa of coders x units ``data`` on the units every coder coded, and their
    number: the same figure as ``fleiss_kappa(fleiss_table(data)[1])``, computed from the
    distinct patterns of labels (each counted once, weighted by how often it occurs)."""
    name = "Fleiss' kappa"
    coders = _coders(data)
    patterns = Counter(zip(*coders, strict=True)) if coders else Counter()
    complete = {p: k for p, k in patterns.items() if not any(is_missing(v) for v in p)}
    n_items = sum(complete.values())
    if not n_items:
        return 0, undefined(name, "no items", 0, "items")
    m = len(coders)
    if m < 2:
        return n_items, undefined(name, "fewer than two ratings per item", n_items, "items")
    totals: Counter[Label] = Counter()
    per_item: list[float] = []
    for pattern, times in complete.items():
        counts = Counter(pattern)
        for label, count in counts.items():
            totals[label] += count * times
        per_item.extend(repeat((sum(c * c for c in counts.values()) - m) / (m * (m - 1)), times))
    if len(totals) < 2:
        return n_items, undefined(name, ONE_CATEGORY, n_items, "items")
    observed = math.fsum(per_item) / n_items  # fsum: exact, whatever the order
    expected = math.fsum((t / (n_items * m)) ** 2 for t in totals.values())
    return n_items, _chance_corrected(name, observed, expected, n_items)


def fleiss_table(
    data: Iterable[Iterable[Label]],
) -> tuple[list[Label], list[list[int]]]:
    """The categories and the items x categories counts of coders x units ``data``.

    Units that any coder left empty (``None``) are left out, since Fleiss' kappa needs
    every item rated by every coder. Categories are sorted when they can be, otherwise
    kept in the order first seen.
    """
    coders = _coders(data)
    units = list(zip(*coders, strict=True)) if coders else []
    complete = [unit for unit in units if not any(is_missing(v) for v in unit)]
    seen: dict[Label, None] = {}
    for unit in complete:
        for value in unit:
            seen.setdefault(value, None)
    categories = list(seen)
    with contextlib.suppress(TypeError):  # labels of mixed types keep their order
        categories.sort(key=_sort_key)
    column = {label: j for j, label in enumerate(categories)}
    table = []
    for unit in complete:
        row = [0] * len(categories)
        for value in unit:
            row[column[value]] += 1
        table.append(row)
    return categories, table


def _sort_key(value: Label) -> Any:
    return value


def _coders(data: Iterable[Iterable[Label]]) -> list[list[Label]]:
    """Coders x units ``data`` as lists, checked: equal lengths, hashable labels."""
    if isinstance(data, Mapping):
        data = data.values()
    coders = [as_list(row, f"coder {i}'s values") for i, row in enumerate(data, start=1)]
    for i, row in enumerate(coders, start=1):
        if len(row) != len(coders[0]):
            raise InputError(
                f"coder {i} has values for {len(row)} units, coder 1 for {len(coders[0])}: "
                "give one value per unit for every coder, None where a coder gave none"
            )
        if _hashable(row):
            continue
        for unit, value in enumerate(row, start=1):
            if not is_missing(value):
                check_label(value, f"coder {i}, unit {unit}")
    return coders


def coincidences(
    data: Iterable[Iterable[Label]],
) -> tuple[dict[tuple[Label, Label], float], Counter[Label]]:
    """Krippendorff's coincidence matrix ``o[c, k]`` and the value totals ``n_c``.

    Each unit with ``m_u >= 2`` values adds, for every ordered pair of values given by
    two different coders, ``1 / (m_u - 1)`` to ``o[c, k]``. Units with fewer than two
    values are not pairable and add nothing. ``sum n_c`` is the number of pairable values.
    """
    coders = _coders(data)
    # units that got the same values from the same coders count together
    return _coincidences(Counter(zip(*coders, strict=True)) if coders else Counter())


def _coincidences(
    patterns: Counter[tuple[Label, ...]],
) -> tuple[dict[tuple[Label, Label], float], Counter[Label]]:
    """:func:`coincidences` of the distinct units ``patterns`` (unit -> how many)."""
    matrix: dict[tuple[Label, Label], float] = {}
    totals: Counter[Label] = Counter()
    for unit, times in patterns.items():
        values = Counter(v for v in unit if not is_missing(v))
        m = sum(values.values())
        if m < 2:
            continue
        for value, count in values.items():
            totals[value] += count * times
        for c, n_c in values.items():
            for k, n_k in values.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[c, k] = matrix.get((c, k), 0.0) + times * pairs / (m - 1)
    return matrix, totals


def _is_number(value: object) -> bool:
    """A real number (NumPy's too), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _distance(
    level: str, totals: Mapping[Label, int], order: Sequence[Label] | None
) -> dict[tuple[Label, Label], float]:
    """The squared difference ``delta^2(c, k)`` between every two values that occur."""
    values = list(totals)
    if level == "nominal":
        return {(c, k): (0.0 if c == k else 1.0) for c in values for k in values}
    if level == "ordinal":
        if order is not None:
            rank = {label: i for i, label in enumerate(order)}
            outside = [v for v in values if v not in rank]
            if outside:
                raise InputError(f"values outside the given order: {', '.join(map(repr, outside))}")
            ranked = sorted(values, key=rank.__getitem__)
        else:
            try:
                ranked = sorted(values, key=_sort_key)
            except TypeError:
                raise InputError(
                    "ordinal values must be comparable (numbers, or strings with an "
                    "explicit order=[...])"
                ) from None
        # delta(c, k) = (n_c + ... + n_k) - (n_c + n_k) / 2 over the ranked values
        cumulative = [0.0]
        for v in ranked:
            cumulative.append(cumulative[-1] + totals[v])
        out: dict[tuple[Label, Label], float] = {}
        for i, c in enumerate(ranked):
            for j, k in enumerate(ranked):
                lo, hi = min(i, j), max(i, j)
                d = cumulative[hi + 1] - cumulative[lo] - (totals[c] + totals[k]) / 2
                out[c, k] = d * d
        return out
    for v in values:
        if not _is_number(v):
            raise InputError(f"{level} values must be numbers, not {v!r}")
    number = {v: cast(float, v) for v in values}
    if level == "interval":
        return {(c, k): float(number[c] - number[k]) ** 2 for c in values for k in values}
    for v in values:
        if number[v] < 0:
            raise InputError(f"ratio values must not be negative, not {v!r}")
    out = {}
    for c in values:
        for k in values:
            total = number[c] + number[k]
            out[c, k] = 0.0 if total == 0 else ((number[c] - number[k]) / total) ** 2
    return out


def krippendorff_alpha(
    data: Iterable[Iterable[Label]],
    level: Level | str = "nominal",
    *,
    order: Sequence[Label] | None = None,
) -> Agreement:
    """Krippendorff's alpha on coders x units ``data`` (``None`` for a missing value).

    ``alpha = 1 - D_o / D_e`` with ``D_o = sum_ck o_ck delta^2_ck / n`` and
    ``D_e = sum_ck n_c n_k delta^2_ck / (n (n - 1))`` over the coincidence matrix
    (:func:`coincidences`); ``n`` is the number of pairable values. ``level`` chooses
    ``delta^2``: nominal (0 or 1), ordinal (ranks weighted by the values' frequencies;
    values sorted, or ranked by ``order``), interval (``(c - k)^2``) or ratio
    (``((c - k) / (c + k))^2``). Undefined when no unit has two values, or when all
    pairable values are the same ("only one category").
    """
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    return _alpha_of(coincidences(data), level, order)


def alpha_of_rows(rows: Sequence[Sequence[Label]]) -> Agreement:
    """Nominal :func:`krippendorff_alpha` of coders x units ``rows`` that are known
    well-formed (equal lengths, hashable labels, ``None`` for missing): not checked again."""
    patterns = Counter(zip(*rows, strict=True)) if rows else Counter()
    return _alpha_of(_coincidences(patterns), "nominal", None)


def _alpha_of(
    coincided: tuple[dict[tuple[Label, Label], float], Counter[Label]],
    level: str,
    order: Sequence[Label] | None,
) -> Agreement:
    name = f"Krippendorff's alpha ({level})"
    matrix, totals = coincided
    n = sum(totals.values())
    if n == 0:
        return undefined(name, "no unit coded by two or more coders", 0, "pairable values")
    if len(totals) < 2:
        return undefined(name, ONE_CATEGORY, n, "pairable values")
    delta = _distance(level, totals, order)
    observed = math.fsum(count * delta[pair] for pair, count in matrix.items()) / n
    expected = math.fsum(totals[c] * totals[k] * delta[c, k] for c in totals for k in totals) / (
        n * (n - 1)
    )
    value = 1.0 - observed / expected
    return Agreement(name, value, n, "pairable values", observed=observed, expected=expected)
