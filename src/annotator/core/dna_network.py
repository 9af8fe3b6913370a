"""Discourse networks computed the way DNA's exporter computes them (pure: rows in, matrices out).

A :class:`Statement` is one coded statement: its variables' values (``organization``,
``person``, ``concept``, and the document's ``author``, ``source``, ``section``,
``type``, ``title``), its qualifier (an integer: DNA's boolean ``agreement`` is 0/1, our
``position`` is -1/0/+1) and its document's time. :func:`networks` turns a list of them
into one :class:`Matrix`, or one per time window, following DNA 3's ``Exporter``:

- filter: exclusions on any value; statements with an empty first or second value are
  left out; duplicates (same statement type, values and qualifier unless the qualifier is
  ignored) are dropped per ``document``, ``week``, ``month``, ``year`` or ``acrossrange``
  (DNA compares only the week, month or year *number*, not the year with it: kept so the
  matrices are DNA's);
- a 3-D count array rows x columns x qualifier levels (levels: the distinct qualifier
  values of all statements, sorted);
- two-mode: ``ignore`` sums the levels, ``combine`` is the lexical rank of the levels
  present (for a boolean qualifier 1 = only agree, 2 = only disagree, 3 = both),
  ``subtract`` adds positive and subtracts negative levels weighted by their value
  (boolean: 1 adds, 0 subtracts); normalisation ``activity`` divides by the row's total,
  ``prominence`` by the column's;
- one-mode (rows x rows through shared columns): ``ignore`` sums c1 * c2, ``congruence``
  weighs each pair of levels by 1 - |q1 - q2| / range, ``conflict`` by |q1 - q2| / range,
  ``subtract`` is congruence minus conflict; normalisation ``average`` divides by the mean
  of the two rows' statement counts, ``jaccard`` by m01 + m10 + m11, ``cosine`` by the
  product of the counts (as DNA computes it);
- time window ``days`` with ``window_size`` w: one matrix per day from the first to the
  last statement's day whose window (the day +- round((w - 1) / 2) days) lies inside
  that range, over the statements in it.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annotator.core.errors import InputError

NETWORK_TYPES = ("twomode", "onemode")
ONEMODE_AGGREGATIONS = ("ignore", "congruence", "conflict", "subtract")
TWOMODE_AGGREGATIONS = ("ignore", "combine", "subtract")
ONEMODE_NORMALISATIONS = ("no", "average", "jaccard", "cosine")
TWOMODE_NORMALISATIONS = ("no", "activity", "prominence")
DUPLICATES = ("include", "document", "week", "month", "year", "acrossrange")
TIME_WINDOWS = ("no", "days")
DOCUMENT_FIELDS = ("author", "source", "section", "type", "title", "id")


@dataclass(frozen=True)
class Statement:
    id: int
    document_id: int
    time: dt.datetime  # the document's date (UTC, naive)
    values: Mapping[str, str]  # variable -> value, document fields included
    qualifier: int | None = None
    statement_type: str = "DNA Statement"


@dataclass(frozen=True)
class NetworkOptions:
    """rDNA's ``dna_network()`` defaults."""

    network_type: str = "twomode"
    variable1: str = "organization"
    variable2: str = "concept"
    qualifier: bool = True  # False: no qualifier at all (one level)
    qualifier_boolean: bool = True  # levels 0/1 always present (DNA's boolean agreement)
    levels: tuple[int, ...] = ()  # further qualifier levels always present (-1, +1 for positions)
    aggregation: str = "ignore"
    normalization: str = "no"
    duplicates: str = "include"
    time_window: str = "no"
    window_size: int = 100
    exclude: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def check(self) -> None:
        if self.network_type not in NETWORK_TYPES:
            raise InputError(
                f"network type '{self.network_type}': one of {', '.join(NETWORK_TYPES)}"
            )
        one = self.network_type == "onemode"
        aggregations = ONEMODE_AGGREGATIONS if one else TWOMODE_AGGREGATIONS
        norms = ONEMODE_NORMALISATIONS if one else TWOMODE_NORMALISATIONS
        for what, value, allowed in (
            ("aggregation", self.aggregation, aggregations),
            ("normalization", self.normalization, norms),
            ("duplicates", self.duplicates, DUPLICATES),
            ("time window", self.time_window, TIME_WINDOWS),
        ):
            if value not in allowed:
                raise InputError(
                    f"{what} '{value}' for a {self.network_type} network: one of {', '.join(allowed)}"
                )
        if self.window_size < 1:
            raise InputError("window size: at least 1 day")


def position_options(**fields: Any) -> NetworkOptions:
    """Options for statements made from claims (store/queries/dna_queries): the qualifier is the
    claim's position, -1, 0 or +1, with -1 and +1 always levels (the CLI, the Network
    window and the ``--format network`` preset all use it)."""
    return NetworkOptions(qualifier_boolean=False, levels=(-1, 1), **fields)


@dataclass(frozen=True, eq=False)
class Matrix:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: np.ndarray  # rows x columns
    statements: int
    start: dt.datetime | None = None
    stop: dt.datetime | None = None
    time: dt.datetime | None = None
    integer: bool = True  # whole numbers (DNA writes them without decimals)
    row_counts: tuple[int, ...] = ()  # statements per row (DNA's node "frequency")
    column_counts: tuple[int, ...] = ()

    def cell(self, row: str, column: str) -> float:
        return float(self.values[self.rows.index(row), self.columns.index(column)])


def _value(s: Statement, variable: str) -> str:
    return s.values.get(variable, "")


def filter_statements(statements: Iterable[Statement], o: NetworkOptions) -> list[Statement]:
    """DNA's statement filter: exclusions, empty values, duplicates (in time order)."""
    ordered = sorted(statements, key=lambda s: (s.time, s.id))
    kept: list[Statement] = []
    seen: set[tuple[object, ...]] = set()
    for s in ordered:
        if any(_value(s, key) in values for key, values in o.exclude.items()):
            continue
        if not _value(s, o.variable1) or not _value(s, o.variable2):
            continue
        if o.duplicates != "include":
            # DNA drops a statement equal to an earlier kept one on all of these
            key = (_range(s, o.duplicates), s.statement_type, _value(s, o.variable1),
                   _value(s, o.variable2),
                   None if o.aggregation == "ignore" or not o.qualifier else s.qualifier)  # fmt: skip
            if key in seen:
                continue
            seen.add(key)
        kept.append(s)
    return kept


def _range(s: Statement, rule: str) -> object:
    """What two statements must share to be duplicates under *rule* (DNA compares the
    week, month or year number alone)."""
    if rule == "document":
        return s.document_id
    if rule == "week":
        return s.time.isocalendar()[1]  # the UK (ISO) week, as DNA's WeekFields of Locale.UK
    if rule == "month":
        return s.time.month
    if rule == "year":
        return s.time.year
    return None  # acrossrange


def qualifier_levels(statements: Iterable[Statement], o: NetworkOptions) -> list[int]:
    if not o.qualifier:
        return [0]
    levels = {s.qualifier if s.qualifier is not None else 0 for s in statements}
    if o.qualifier_boolean:
        levels |= {0, 1}
    levels |= set(o.levels)
    return sorted(levels) or [0]


def _array(
    statements: Sequence[Statement],
    names1: Sequence[str],
    names2: Sequence[str],
    levels: Sequence[int],
    o: NetworkOptions,
) -> np.ndarray:
    """Statement counts: rows x columns x qualifier levels."""
    row = {n: i for i, n in enumerate(names1)}
    col = {n: j for j, n in enumerate(names2)}
    level = {q: k for k, q in enumerate(levels)}
    array = np.zeros((len(names1), len(names2), len(levels)))
    for s in statements:
        q = level.get(s.qualifier if s.qualifier is not None else 0, 0) if o.qualifier else 0
        array[row[_value(s, o.variable1)], col[_value(s, o.variable2)], q] += 1.0
    return array


def _names(statements: Iterable[Statement], variable: str) -> list[str]:
    return sorted({_value(s, variable) for s in statements})


def _counts(array: np.ndarray, axes: tuple[int, int]) -> tuple[int, ...]:
    return tuple(int(c) for c in array.sum(axes))


def _whole(values: np.ndarray) -> bool:
    """Whether every weight is a whole number (written without decimals, as DNA does);
    congruence ties of a neutral position make halves even without normalisation."""
    return bool(np.all(np.equal(np.mod(values, 1), 0)))


def _divide(values: np.ndarray, by: np.ndarray) -> np.ndarray:
    """values / by, 0 where by is 0 (as DNA does)."""
    out = np.zeros_like(values)
    np.divide(values, by, out=out, where=by != 0)
    return out


def two_mode(statements: Sequence[Statement], levels: Sequence[int], o: NetworkOptions) -> Matrix:
    names1, names2 = _names(statements, o.variable1), _names(statements, o.variable2)
    array = _array(statements, names1, names2, levels, o)
    agg = o.aggregation if o.qualifier else "ignore"
    q = np.array(levels, dtype=float)
    n = len(levels)
    if agg == "combine":  # the lexical rank of the levels present
        mat = (array > 0) @ (2.0 ** np.arange(n - 1, -1, -1))
    elif agg == "subtract":
        weights = np.where(q > 0, 1.0, -1.0) if o.qualifier_boolean else q
        mat = array @ weights
    else:
        mat = array.sum(2)
    if o.normalization in ("activity", "prominence"):
        axis = 1 if o.normalization == "activity" else 0
        if agg == "subtract":
            total = array.sum(2).sum(axis, keepdims=True)
        elif agg == "combine":
            total = (mat > 0).sum(axis, keepdims=True).astype(float)
        else:
            total = mat.sum(axis, keepdims=True)
        mat = _divide(mat, np.broadcast_to(total, mat.shape))
    return Matrix(
        tuple(names1), tuple(names2), mat, len(statements),
        integer=o.normalization == "no" and _whole(mat),
        row_counts=_counts(array, (1, 2)), column_counts=_counts(array, (0, 2)),
    )  # fmt: skip


def one_mode(statements: Sequence[Statement], levels: Sequence[int], o: NetworkOptions) -> Matrix:
    names1, names2 = _names(statements, o.variable1), _names(statements, o.variable2)
    array = _array(statements, names1, names2, levels, o)
    agg = o.aggregation if o.qualifier else "ignore"
    n = len(names1)
    if agg == "ignore":
        counts = array.sum(2)
        mat = counts @ counts.T
    else:
        q = np.array(levels, dtype=float)
        span = float(abs(levels[-1] - levels[0])) or 1.0
        distance = np.abs(q[:, None] - q[None, :]) / span  # between levels k1 and k2
        weight = {"congruence": 1.0 - distance, "conflict": distance}.get(agg, 1.0 - 2 * distance)
        mat = np.zeros((n, n))
        for k1 in range(len(levels)):
            for k2 in range(len(levels)):
                if weight[k1, k2]:
                    mat += weight[k1, k2] * (array[:, :, k1] @ array[:, :, k2].T)
    totals = array.sum((1, 2))
    if o.normalization == "average":
        mat = _divide(mat, (totals[:, None] + totals[None, :]) / 2)
    elif o.normalization == "cosine":
        mat = _divide(mat, totals[:, None] * totals[None, :])
    elif o.normalization == "jaccard":
        cells = array.reshape(n, -1)
        empty = (cells == 0).astype(float)
        mat = _divide(mat, cells @ cells.T + cells @ empty.T + empty @ cells.T)
    np.fill_diagonal(mat, 0.0)
    rows = _counts(array, (1, 2))
    return Matrix(
        tuple(names1), tuple(names1), mat, len(statements),
        integer=o.normalization == "no" and _whole(mat),
        row_counts=rows, column_counts=rows,
    )  # fmt: skip


def _matrix(statements: Sequence[Statement], levels: Sequence[int], o: NetworkOptions) -> Matrix:
    return (one_mode if o.network_type == "onemode" else two_mode)(statements, levels, o)


def networks(
    statements: Iterable[Statement], options: NetworkOptions | None = None
) -> list[Matrix]:
    """The network (one matrix), or one matrix per time window, of *statements*."""
    o = options or NetworkOptions()
    o.check()
    every = list(statements)
    levels = qualifier_levels(every, o)
    kept = filter_statements(every, o)
    if o.time_window == "no":
        return [_matrix(kept, levels, o)]
    if not kept:
        return []
    first = dt.datetime.combine(kept[0].time.date(), dt.time())
    last = kept[-1].time
    half = dt.timedelta(days=round((o.window_size - 1) / 2))
    out = []
    day = first
    while day <= last:
        start, stop = day - half, day + half
        if start >= first and stop <= last:
            inside = [s for s in kept if start <= s.time <= stop]
            m = _matrix(inside, levels, o)
            out.append(dc.replace(m, start=start, stop=stop, time=day))
        day += dt.timedelta(days=1)
    return out
