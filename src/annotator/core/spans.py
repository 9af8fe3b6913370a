"""Spans in sorted arrays, searched with ``bisect``.

:class:`SpanIndex` answers "which spans touch [a, b)" in time proportional to the
answer: spans are kept sorted by start in compact ``array`` columns (id, start, end,
label), and the search window ``[a - longest, b)`` is exact because no span in the
columns is longer than ``longest``. The rare very long spans (whole paragraphs or
pages) live in a short side list so that they do not widen the window for all.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress

LONG_SPAN = 4096  # code points; spans longer than this go to the side list


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open interval ``[start, end)`` of code points carrying a label id."""

    id: int
    start: int
    end: int
    label: int

    def touches(self, a: int, b: int) -> bool:
        """True when the span overlaps ``[a, b)``; an empty range touches spans around it."""
        if a == b:
            return self.start <= a < self.end
        return self.start < b and self.end > a


class SpanIndex:
    """A mutable set of spans answering overlap queries fast."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._starts = array("q")
        self._ends = array("q")
        self._ids = array("q")
        self._labels = array("q")
        self._longest = 0
        self._long: dict[int, Span] = {}
        self._where: dict[int, int] = {}  # id -> start, to find a span for removal
        short = []
        for s in spans:
            if s.end - s.start > LONG_SPAN:
                self._long[s.id] = s
            else:
                short.append(s)
            self._where[s.id] = s.start
        short.sort(key=lambda s: (s.start, s.end, s.id))
        self._starts.extend(s.start for s in short)
        self._ends.extend(s.end for s in short)
        self._ids.extend(s.id for s in short)
        self._labels.extend(s.label for s in short)
        self._longest = max((s.end - s.start for s in short), default=0)

    @classmethod
    def from_columns(
        cls, ids: array[int], starts: array[int], ends: array[int], labels: array[int]
    ) -> SpanIndex:
        """An index from columns already sorted by (start, end, id) (as the store reads
        them): no sort and no Python object per span."""
        index = cls()
        index._where = dict(zip(ids, starts, strict=True))
        lengths = list(map(operator.sub, ends, starts))
        longest = max(lengths, default=0)
        if longest <= LONG_SPAN:
            index._ids, index._starts, index._ends, index._labels = ids, starts, ends, labels
            index._longest = longest
            return index
        keep = [i for i, n in enumerate(lengths) if n <= LONG_SPAN]
        for i, n in enumerate(lengths):
            if n > LONG_SPAN:
                index._long[ids[i]] = Span(ids[i], starts[i], ends[i], labels[i])
        for column, source in (
            (index._ids, ids),
            (index._starts, starts),
            (index._ends, ends),
            (index._labels, labels),
        ):
            column.extend(source[i] for i in keep)
        index._longest = max((lengths[i] for i in keep), default=0)
        return index

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._where

    def add(self, span: Span) -> None:
        if span.id in self._where:
            raise ValueError(f"span {span.id} is already in the index")
        self._where[span.id] = span.start
        length = span.end - span.start
        if length > LONG_SPAN:
            self._long[span.id] = span
            return
        i = bisect_left(self._starts, span.start)
        while (
            i < len(self._starts)
            and self._starts[i] == span.start
            and (self._ends[i], self._ids[i]) < (span.end, span.id)
        ):
            i += 1
        self._starts.insert(i, span.start)
        self._ends.insert(i, span.end)
        self._ids.insert(i, span.id)
        self._labels.insert(i, span.label)
        self._longest = max(self._longest, length)

    def remove(self, span_id: int) -> Span:
        """Remove the span with *span_id* and return it."""
        start = self._where.pop(span_id)
        if span_id in self._long:
            return self._long.pop(span_id)
        i = bisect_left(self._starts, start)
        while self._ids[i] != span_id:
            i += 1
        span = Span(span_id, self._starts[i], self._ends[i], self._labels[i])
        for column in (self._starts, self._ends, self._ids, self._labels):
            del column[i]
        return span

    def get(self, span_id: int) -> Span | None:
        start = self._where.get(span_id)
        if start is None:
            return None
        if span_id in self._long:
            return self._long[span_id]
        i = bisect_left(self._starts, start)
        while self._ids[i] != span_id:
            i += 1
        return Span(span_id, self._starts[i], self._ends[i], self._labels[i])

    def touching(self, a: int, b: int) -> list[Span]:
        """Spans overlapping ``[a, b)`` (or containing ``a`` when ``a == b``), by start."""
        point = a == b
        lo = bisect_left(self._starts, a - self._longest)
        hi = bisect_right(self._starts, a) if point else bisect_left(self._starts, b)
        starts, ends, ids, labels = self._starts, self._ends, self._ids, self._labels
        found = [
            Span(ids[i], starts[i], ends[i], labels[i])
            for i in range(lo, hi)
            if ends[i] > a and (not point or starts[i] <= a)
        ]
        if self._long:
            found.extend(s for s in self._long.values() if s.touches(a, b))
            found.sort(key=lambda s: (s.start, s.end, s.id))
        return found

    def columns(self, a: int, b: int) -> tuple[list[int], list[int], list[int], list[int]]:
        """``(ids, starts, ends, labels)`` of the spans overlapping ``[a, b)`` (``a < b``),
        in no particular order: the spans of :meth:`touching` without an object each
        (the document view's per-block sweep reads thousands per paint)."""
        lo = bisect_left(self._starts, a - self._longest)
        hi = bisect_left(self._starts, b)
        keep = list(map(a.__lt__, self._ends[lo:hi]))  # the window's spans that end after a
        ids = list(compress(self._ids[lo:hi], keep))
        starts = list(compress(self._starts[lo:hi], keep))
        ends = list(compress(self._ends[lo:hi], keep))
        labels = list(compress(self._labels[lo:hi], keep))
        for s in self._long.values():
            if s.start < b and s.end > a:
                ids.append(s.id)
                starts.append(s.start)
                ends.append(s.end)
                labels.append(s.label)
        return ids, starts, ends, labels

    def __iter__(self) -> Iterator[Span]:
        spans = [
            Span(self._ids[i], self._starts[i], self._ends[i], self._labels[i])
            for i in range(len(self._ids))
        ]
        spans.extend(self._long.values())
        spans.sort(key=lambda s: (s.start, s.end, s.id))
        return iter(spans)
