"""Matrices you can drill into: label x label co-occurrence and label x document variable.

Pure computation over plain rows (the store reads them: store/queries/cooccurrence_queries.py).
Every cell keeps the ids of the annotations behind it, so a window can show the segments
a count is made of.

Co-occurrence of two spans, per document:

- ``overlap``: the spans share at least one code point (``a.start < b.end`` and
  ``b.start < a.end``);
- ``sentence``: the spans start in the same sentence (sentences end at ``.``, ``!``,
  ``?`` or ``…`` followed by white space, and at every line break).

A cell (A, B) counts the pairs of distinct spans, one of label A and one of label B,
that co-occur; the matrix is symmetric, and its diagonal counts pairs of two spans of
the same label.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MODES = ("overlap", "sentence")
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'»”’)\]]*\s+)|\n+")


@dataclass(frozen=True, slots=True)
class SpanRow:
    id: int
    document_id: int
    start: int
    end: int
    label: str


@dataclass
class Matrix:
    """Counts with the annotation ids behind each cell (rows x columns)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    ids: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    corner: str = ""  # what the rows are, for the header of an export

    def count(self, row: str, column: str) -> int:
        return self.counts.get((row, column), 0)

    def ids_of(self, row: str, column: str) -> list[int]:
        return sorted(self.ids.get((row, column), ()))

    def add(self, row: str, column: str, ids: Iterable[int], n: int = 1) -> None:
        self.counts[(row, column)] = self.counts.get((row, column), 0) + n
        self.ids.setdefault((row, column), set()).update(ids)

    def table(self) -> list[list[str | int]]:
        """Header and rows, as a CSV or a sheet shows them (counts as numbers)."""
        out: list[list[str | int]] = [[self.corner, *self.columns]]
        for r in self.rows:
            out.append([r, *(self.count(r, c) for c in self.columns)])
        return out


def sentence_starts(text: str) -> list[int]:
    """The code point where each sentence of *text* starts (0 first)."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def cooccurrence(
    spans: Iterable[SpanRow],
    labels: Sequence[str],
    mode: str = "overlap",
    texts: Mapping[int, str] | None = None,
) -> Matrix:
    """The label x label co-occurrence matrix of *spans* (see the module's text).

    *texts* (document id -> text) is needed for ``sentence``; labels not in *labels*
    are left out."""
    if mode not in MODES:
        raise ValueError(f"unknown co-occurrence mode {mode!r} (overlap or sentence)")
    known = set(labels)
    matrix = Matrix(tuple(labels), tuple(labels), corner="label")
    by_doc: dict[int, list[SpanRow]] = defaultdict(list)
    for s in spans:
        if s.label in known:
            by_doc[s.document_id].append(s)
    for doc, rows in by_doc.items():
        rows.sort(key=lambda s: (s.start, s.end, s.id))
        if mode == "overlap":
            pairs = _overlapping(rows)
        else:
            text = (texts or {}).get(doc)
            if text is None:
                raise ValueError(f"the text of document {doc} is needed for sentence mode")
            pairs = _same_sentence(rows, sentence_starts(text))
        for a, b in pairs:
            matrix.add(a.label, b.label, (a.id, b.id))
            if a.label != b.label:
                matrix.add(b.label, a.label, (a.id, b.id))
    return matrix


def _overlapping(rows: list[SpanRow]) -> Iterable[tuple[SpanRow, SpanRow]]:
    active: list[SpanRow] = []
    for s in rows:  # sorted by start
        active = [a for a in active if a.end > s.start]
        for a in active:
            yield a, s
        active.append(s)


def _same_sentence(rows: list[SpanRow], starts: list[int]) -> Iterable[tuple[SpanRow, SpanRow]]:
    groups: dict[int, list[SpanRow]] = defaultdict(list)
    for s in rows:
        groups[bisect.bisect_right(starts, s.start) - 1].append(s)
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                yield a, b


def month_of(value: str) -> str:
    """A date variable's value (``YYYY-MM-DD...``) as its month ``YYYY-MM``."""
    return value[:7]


def by_variable(
    spans: Iterable[SpanRow],
    labels: Sequence[str],
    values: Mapping[int, str],
    *,
    key: str = "",
    monthly: bool = False,
) -> Matrix:
    """Label x value of a document variable: how many spans of each label lie in the
    documents with each value (*values*: document id -> value; a document without one
    is counted under the empty value "(none)"). With *monthly*, date values by month."""
    known = set(labels)
    seen: set[str] = set()
    matrix = Matrix(tuple(labels), (), corner=f"label / {key}" if key else "label")
    for s in spans:
        if s.label not in known:
            continue
        value = values.get(s.document_id)
        column = NONE if value is None else (month_of(value) if monthly else value)
        seen.add(column)
        matrix.add(s.label, column, (s.id,))
    ordered = sorted(seen - {NONE}, key=_value_order)
    matrix.columns = tuple(ordered + ([NONE] if NONE in seen else []))
    return matrix


NONE = "(none)"


def _value_order(value: str) -> tuple[int, float, str, str]:
    try:
        return (0, float(value), "", value)
    except ValueError:
        return (1, 0.0, value.casefold(), value)
