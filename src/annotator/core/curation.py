"""Curating one document: the coders' spans as candidates, each with its status.

The coders' spans of a document are grouped into candidates by the matching rule of
:func:`annotator.core.agreement.units.matched_units` (one span per coder, largest
overlap first), the same units the agreement report counts. A candidate's status:

- :data:`AGREE`: every coder marked it, with the same label, start and end (a
  *complete agreement*: it can be accepted without looking);
- :data:`DISAGREE`: the coders who marked it differ in label or boundaries;
- :data:`SOME`: the coders who marked it agree, but not every coder marked it;
- :data:`CURATED_ONLY`: a curated span that overlaps no coder's span (made by editing).

The curated layer is the annotations of one coder (``"curation"`` by default); each
curated span belongs to the candidate it overlaps most (ties: the earlier one).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from annotator.core.agreement.units import CodedSpan, matched_units, unit_extent
from annotator.core.errors import InputError

AGREE = "all agree"
DISAGREE = "disagree"
SOME = "only some coders"
CURATED_ONLY = "curated only"
STATUSES = (AGREE, DISAGREE, SOME, CURATED_ONLY)

CURATOR = "curation"
"""The default coder of the curated layer."""


@dataclass(frozen=True)
class Candidate:
    """One stretch of text the coders marked, and what the curated layer holds there.

    ``key`` names the candidate across rebuilds (the ids of its coders' spans);
    ``spans`` maps each coder who marked it to that coder's span.
    """

    key: frozenset[int]
    start: int
    end: int
    status: str
    spans: dict[str, CodedSpan]
    curated: tuple[CodedSpan, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def agreed(self) -> CodedSpan | None:
        """The span every coder gave (a complete agreement), else None."""
        if self.status != AGREE:
            return None
        return next(iter(self.spans.values()))


def check_curator(curator: str, coders: Sequence[str]) -> str:
    """The curated layer's coder name, stripped; empty, or one of the coders, is refused."""
    name = curator.strip()
    if not name:
        raise InputError("the curated layer needs a coder name (for example 'curation')")
    if name in coders:
        raise InputError(
            f"'{name}' is one of the coders being curated: choose another name for the "
            "curated layer"
        )
    return name


def status_of(unit: dict[str, CodedSpan], coders: Sequence[str]) -> str:
    """:data:`AGREE`, :data:`DISAGREE` or :data:`SOME` for one matched unit."""
    marks = {(s.label, s.start, s.end) for s in unit.values()}
    if len(marks) > 1:
        return DISAGREE
    return AGREE if all(c in unit for c in coders) else SOME


def candidates(spans: Sequence[CodedSpan], coders: Sequence[str], curator: str) -> list[Candidate]:
    """The candidates of one document's spans, in text order (see the module docstring).

    *spans* are every span of the document; those of coders other than *coders* and
    *curator* are ignored.
    """
    chosen = set(coders)
    coded = [s for s in spans if s.coder in chosen]
    curated = sorted((s for s in spans if s.coder == curator), key=lambda s: (s.start, s.end, s.id))
    units = sorted(
        matched_units(coded), key=lambda u: (*unit_extent(u), min(s.id for s in u.values()))
    )
    extents = [unit_extent(u) for u in units]
    owned: list[list[CodedSpan]] = [[] for _ in units]
    orphans: list[CodedSpan] = []
    starts = [a for a, _ in extents]
    reach = list(accumulate((b for _, b in extents), max))  # furthest end so far
    for span in curated:
        best, best_overlap = -1, 0
        i = bisect_left(starts, span.end) - 1  # the last unit starting before it ends
        while i >= 0 and reach[i] > span.start:
            a, b = extents[i]
            overlap = min(b, span.end) - max(a, span.start)
            if overlap >= best_overlap and overlap > 0:  # ties: the earlier unit
                best, best_overlap = i, overlap
            i -= 1
        (owned[best] if best >= 0 else orphans).append(span)
    out = [
        Candidate(
            key=frozenset(s.id for s in unit.values()),
            start=extent[0],
            end=extent[1],
            status=status_of(unit, coders),
            spans={c: unit[c] for c in coders if c in unit},
            curated=tuple(mine),
            missing=tuple(c for c in coders if c not in unit),
        )
        for unit, extent, mine in zip(units, extents, owned, strict=True)
    ]
    out += [
        Candidate(
            key=frozenset({-span.id}),
            start=span.start,
            end=span.end,
            status=CURATED_ONLY,
            spans={},
            curated=(span,),
            missing=tuple(coders),
        )
        for span in orphans
    ]
    out.sort(key=lambda c: (c.start, c.end, min(abs(k) for k in c.key)))
    return out
