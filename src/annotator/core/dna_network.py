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

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Matrix:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    statements: int
    start: dt.datetime | None = None
    stop: dt.datetime | None = None
    time: dt.datetime | None = None
    integer: bool = True  # whole numbers (DNA writes them without decimals)

    def cell(self, row: str, column: str) -> float:
        return self.values[self.rows.index(row)][self.columns.index(column)]


def _value(s: Statement, variable: str) -> str:
    return s.values.get(variable, "")


def _week(t: dt.datetime) -> int:
    return t.isocalendar()[1]  # the UK (ISO) week as DNA's WeekFields of Locale.UK


def filter_statements(statements: Iterable[Statement], o: NetworkOptions) -> list[Statement]:
    """DNA's statement filter: exclusions, empty values, duplicates (in time order)."""
    ordered = sorted(statements, key=lambda s: (s.time, s.id))
    kept: list[Statement] = []
    for s in ordered:
        if any(_value(s, key) in values for key, values in o.exclude.items()):
            continue
        if not _value(s, o.variable1) or not _value(s, o.variable2):
            continue
        if o.duplicates != "include" and any(_duplicate(s, p, o) for p in reversed(kept)):
            continue
        kept.append(s)
    return kept


def _duplicate(s: Statement, p: Statement, o: NetworkOptions) -> bool:
    same_range = (
        (o.duplicates == "document" and s.document_id == p.document_id)
        or o.duplicates == "acrossrange"
        or (o.duplicates == "year" and s.time.year == p.time.year)
        or (o.duplicates == "month" and s.time.month == p.time.month)
        or (o.duplicates == "week" and _week(s.time) == _week(p.time))
    )
    return (
        same_range
        and s.statement_type == p.statement_type
        and _value(s, o.variable1) == _value(p, o.variable1)
        and _value(s, o.variable2) == _value(p, o.variable2)
        and (o.aggregation == "ignore" or not o.qualifier or s.qualifier == p.qualifier)
    )


def qualifier_levels(statements: Iterable[Statement], o: NetworkOptions) -> list[int]:
    if not o.qualifier:
        return [0]
    levels = {s.qualifier if s.qualifier is not None else 0 for s in statements}
    if o.qualifier_boolean:
        levels |= {0, 1}
    return sorted(levels) or [0]


Array = list[list[list[float]]]


def _array(
    statements: Sequence[Statement],
    names1: Sequence[str],
    names2: Sequence[str],
    levels: Sequence[int],
    o: NetworkOptions,
) -> Array:
    row = {n: i for i, n in enumerate(names1)}
    col = {n: j for j, n in enumerate(names2)}
    level = {q: k for k, q in enumerate(levels)}
    array = [[[0.0] * len(levels) for _ in names2] for _ in names1]
    for s in statements:
        q = level.get(s.qualifier if s.qualifier is not None else 0, 0) if o.qualifier else 0
        array[row[_value(s, o.variable1)]][col[_value(s, o.variable2)]][q] += 1.0
    return array


def _names(statements: Iterable[Statement], variable: str) -> list[str]:
    return sorted({_value(s, variable) for s in statements})


def two_mode(statements: Sequence[Statement], levels: Sequence[int], o: NetworkOptions) -> Matrix:
    names1, names2 = _names(statements, o.variable1), _names(statements, o.variable2)
    array = _array(statements, names1, names2, levels, o)
    agg = o.aggregation if o.qualifier else "ignore"
    mat = [[0.0] * len(names2) for _ in names1]
    for i, r in enumerate(array):
        for j, cell in enumerate(r):
            if agg == "combine":
                n = len(cell)
                mat[i][j] = float(sum(2 ** (n - k - 1) for k in range(n) if cell[k] > 0))
            elif agg == "subtract":
                if o.qualifier_boolean:
                    mat[i][j] = sum(c if q > 0 else -c for q, c in zip(levels, cell, strict=True))
                else:
                    mat[i][j] = sum(q * c for q, c in zip(levels, cell, strict=True))
            else:
                mat[i][j] = sum(cell)
    if o.normalization in ("activity", "prominence"):
        by_row = o.normalization == "activity"
        outer = range(len(names1)) if by_row else range(len(names2))
        inner = range(len(names2)) if by_row else range(len(names1))
        for a in outer:

            def at(b: int) -> tuple[int, int]:
                return (a, b) if by_row else (b, a)  # noqa: B023

            if agg == "subtract":
                total = sum(sum(array[at(b)[0]][at(b)[1]]) for b in inner)
            elif agg == "combine":
                total = float(sum(1 for b in inner if mat[at(b)[0]][at(b)[1]] > 0))
            else:
                total = sum(mat[at(b)[0]][at(b)[1]] for b in inner)
            for b in inner:
                i, j = at(b)
                mat[i][j] = 0.0 if total == 0 else mat[i][j] / total
    return Matrix(
        tuple(names1), tuple(names2), tuple(map(tuple, mat)), len(statements),
        integer=o.normalization == "no",
    )  # fmt: skip


def one_mode(statements: Sequence[Statement], levels: Sequence[int], o: NetworkOptions) -> Matrix:
    names1, names2 = _names(statements, o.variable1), _names(statements, o.variable2)
    array = _array(statements, names1, names2, levels, o)
    agg = o.aggregation if o.qualifier else "ignore"
    span = float(abs(levels[-1] - levels[0])) or 1.0
    n = len(names1)
    mat = [[0.0] * n for _ in range(n)]
    totals = [sum(sum(cell) for cell in r) for r in array]
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            value = 0.0
            for j in range(len(names2)):
                ca, cb = array[a][j], array[b][j]
                if agg == "ignore":
                    value += sum(ca) * sum(cb)
                    continue
                for k1, q1 in enumerate(levels):
                    for k2, q2 in enumerate(levels):
                        distance = abs(q1 - q2) / span
                        both = ca[k1] * cb[k2]
                        if agg == "congruence":
                            value += both * (1.0 - distance)
                        elif agg == "conflict":
                            value += both * distance
                        else:  # subtract
                            value += both * (1.0 - distance) - both * distance
            norm = 1.0
            if o.normalization == "average":
                norm = (totals[a] + totals[b]) / 2
            elif o.normalization == "cosine":
                norm = totals[a] * totals[b]
            elif o.normalization == "jaccard":
                m10 = m01 = m11 = 0.0
                for j in range(len(names2)):
                    for k in range(len(levels)):
                        x, y = array[a][j][k], array[b][j][k]
                        if y == 0:
                            m10 += x
                        if x == 0:
                            m01 += y
                        if x > 0 and y > 0:
                            m11 += x * y
                norm = m01 + m10 + m11
            mat[a][b] = 0.0 if norm == 0 else value / norm
    return Matrix(
        tuple(names1), tuple(names1), tuple(map(tuple, mat)), len(statements),
        integer=o.normalization == "no",
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
            out.append(
                Matrix(m.rows, m.columns, m.values, m.statements, start, stop, day, m.integer)
            )
        day += dt.timedelta(days=1)
    return out
