"""The spans of an agreement report as columns (NumPy arrays), and runs found over them.

:class:`SpanTable` holds one row per span: annotation id, document id, start, end, a
label code (an index into ``labels``) and a coder code (an index into ``coders``). It
is also a read-only sequence of :class:`~annotator.core.agreement.units.CodedSpan`
(built on access), so a table and a list of spans can stand for each other:
:mod:`annotator.store.queries.agreement_queries` reads a project's spans straight into a table,
and :func:`SpanTable.of` turns a list (of a script or a test) into one.

:func:`runs` finds, over every document at once, the runs of spans that overlap
(directly or through others): the report matches spans run by run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import overload

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement.units import ClaimCoding, CodedSpan
from annotator.core.errors import InputError

Ints = NDArray[np.int64]


class SpanTable(Sequence[CodedSpan]):
    """Spans as columns: ``id``, ``document``, ``start``, ``end``, ``label`` (index into
    ``labels``), ``coder`` (index into ``coders``), all int64 arrays of one length."""

    __slots__ = ("coder", "coders", "document", "end", "id", "label", "labels", "start")

    def __init__(
        self,
        id: Ints,
        document: Ints,
        start: Ints,
        end: Ints,
        label: Ints,
        coder: Ints,
        labels: Sequence[str],
        coders: Sequence[str],
    ) -> None:
        self.id = id
        self.document = document
        self.start = start
        self.end = end
        self.label = label
        self.coder = coder
        self.labels = tuple(labels)
        self.coders = tuple(coders)

    @classmethod
    def of(
        cls, spans: Sequence[CodedSpan], labels: Sequence[str], coders: Sequence[str]
    ) -> SpanTable:
        """The table of ``spans`` (CodedSpan or any 6-tuples in its order). Labels outside
        ``labels`` are numbered after them; spans of coders outside ``coders`` are left
        out. A start or end that is not a whole number is an :class:`InputError`."""
        if isinstance(spans, SpanTable):
            return spans.recoded(labels, coders)
        coder_index = {c: i for i, c in enumerate(coders)}
        kept = [s for s in spans if s[5] in coder_index]
        for s in kept:
            if type(s[2]) is not int or type(s[3]) is not int:
                raise InputError(f"span {s[0]}: start and end must be whole numbers")
        label_index = {label: i for i, label in enumerate(labels)}
        label_codes = [label_index.setdefault(s[4], len(label_index)) for s in kept]
        ids, documents, starts, ends = (
            np.array([s[k] for s in kept], dtype=np.int64) for k in range(4)
        )
        return cls(
            ids,
            documents,
            starts,
            ends,
            np.array(label_codes, dtype=np.int64),
            np.array([coder_index[s[5]] for s in kept], dtype=np.int64),
            list(label_index),
            coders,
        )

    def recoded(self, labels: Sequence[str], coders: Sequence[str]) -> SpanTable:
        """The same spans with codes into ``labels`` (others numbered after them) and
        ``coders`` (spans of other coders left out)."""
        if tuple(labels) == self.labels[: len(labels)] and tuple(coders) == self.coders:
            return self
        label_index = {label: i for i, label in enumerate(labels)}
        for label in self.labels:
            label_index.setdefault(label, len(label_index))
        label_map = np.array([label_index[x] for x in self.labels] or [0], dtype=np.int64)
        coder_index = {c: i for i, c in enumerate(coders)}
        coder_map = np.array([coder_index.get(c, -1) for c in self.coders] or [0], dtype=np.int64)
        code = coder_map[self.coder]
        keep = code >= 0
        return SpanTable(
            self.id[keep],
            self.document[keep],
            self.start[keep],
            self.end[keep],
            label_map[self.label[keep]],
            code[keep],
            list(label_index),
            coders,
        )

    def take(self, rows: Ints | NDArray[np.bool_]) -> SpanTable:
        """The table of the rows ``rows`` (indexes or a mask), same codes."""
        return SpanTable(
            self.id[rows],
            self.document[rows],
            self.start[rows],
            self.end[rows],
            self.label[rows],
            self.coder[rows],
            self.labels,
            self.coders,
        )

    def span(self, row: int) -> CodedSpan:
        return CodedSpan(
            int(self.id[row]),
            int(self.document[row]),
            int(self.start[row]),
            int(self.end[row]),
            self.labels[self.label[row]],
            self.coders[self.coder[row]],
        )

    def __len__(self) -> int:
        return len(self.id)

    @overload
    def __getitem__(self, index: int) -> CodedSpan: ...

    @overload
    def __getitem__(self, index: slice) -> list[CodedSpan]: ...

    def __getitem__(self, index: int | slice) -> CodedSpan | list[CodedSpan]:
        if isinstance(index, slice):
            return [self.span(i) for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError("span index out of range")
        return self.span(index % len(self))

    def __iter__(self) -> Iterator[CodedSpan]:
        labels, coders = self.labels, self.coders
        columns = (self.id, self.document, self.start, self.end, self.label, self.coder)
        for i, d, s, e, lab, c in zip(*(col.tolist() for col in columns), strict=True):
            yield CodedSpan(i, d, s, e, labels[lab], coders[c])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SpanTable({len(self)} spans, coders {self.coders}, labels {self.labels})"


def runs(block: Ints, start: Ints, end: Ints, reach_span: int) -> tuple[Ints, Ints]:
    """Runs of overlapping spans, for spans sorted by ``block`` then ``start``.

    ``block`` (non-decreasing; e.g. a document position) separates runs; within a block a
    span opens a new run when it starts at or after the furthest end before it. Ends are
    below ``reach_span``. Returns each span's run number (0, 1, ...) and each run's first
    row.
    """
    count = len(block)
    if not count:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    new_block = np.ones(count, dtype=bool)
    new_block[1:] = block[1:] != block[:-1]
    shift = (np.cumsum(new_block) - 1) * reach_span  # each block above the one before
    reach = np.maximum.accumulate(end + shift) - shift
    new_run = new_block
    new_run[1:] |= start[1:] >= reach[:-1]
    run = np.cumsum(new_run) - 1
    return run, np.flatnonzero(new_run)


class ClaimTable(Mapping[int, ClaimCoding]):
    """Claims' codings as columns: the claim ids (sorted), each one's index into
    ``codings`` (the distinct :class:`~annotator.core.agreement.units.ClaimCoding`);
    a read-only mapping id -> coding, as ``AgreementData.claims`` is."""

    __slots__ = ("coding", "codings", "ids")

    def __init__(self, ids: Ints, coding: Ints, codings: Sequence[ClaimCoding]) -> None:
        order = np.argsort(ids, kind="stable")
        self.ids = ids[order]
        self.coding = coding[order]
        self.codings = list(codings)

    @classmethod
    def of(cls, claims: Mapping[int, ClaimCoding]) -> ClaimTable:
        if isinstance(claims, ClaimTable):
            return claims
        index: dict[ClaimCoding, int] = {}
        codes = [index.setdefault(c, len(index)) for c in claims.values()]
        return cls(
            np.array(list(claims), dtype=np.int64), np.array(codes, dtype=np.int64), list(index)
        )

    def codes_of(self, ids: Ints) -> Ints:
        """The coding index of each id in ``ids``; -1 for an id without a coding."""
        if not len(self.ids):
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return np.where(self.ids[at] == ids, self.coding[at], -1)

    def __getitem__(self, key: int) -> ClaimCoding:
        code = int(self.codes_of(np.array([key], dtype=np.int64))[0])
        if code < 0:
            raise KeyError(key)
        return self.codings[code]

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids.tolist())

    def __len__(self) -> int:
        return len(self.ids)


def order_by(*keys: tuple[Ints, int]) -> Ints:
    """The stable order that sorts rows by ``keys`` (most significant first), each a
    column of values ``0 <= v < bound`` with its bound: packed into one int64 key and
    argsorted when the bounds allow it (much faster than ``np.lexsort``), else lexsort."""
    total = 1
    for _, bound in keys:
        total *= max(bound, 1)
    if total < 2**63:
        packed = np.zeros(len(keys[0][0]), dtype=np.int64)
        for column, bound in keys:
            packed = packed * max(bound, 1) + column
        return np.argsort(packed, kind="stable")
    return np.lexsort(tuple(column for column, _ in reversed(keys)))


def unique_sorted(values: Ints) -> Ints:
    """The distinct values, sorted (``np.unique`` without its hashing)."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]
