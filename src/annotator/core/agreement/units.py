"""The rows an agreement report is computed from, and spans matched into units.

:mod:`annotator.store.queries.agreement_queries` reads a project into :class:`AgreementData`;
:func:`matched_units` groups the coders' spans of one document into units so that the
coding measures (kappa, alpha, ...) can compare the labels the coders gave to the same
stretch of text.

Matching rule (one-to-one, largest overlap first): every two spans of *different*
coders that share at least one character are a candidate pair; candidates are taken in
order of the number of characters they share (most first; ties by position), and a pair
joins its two spans' units unless the joined unit would hold two spans of one coder. A
unit is thus at most one span per coder; with two coders, each span of A is paired with
the span of B that overlaps it most, one to one. The label does not matter for
matching (a unit where the coders chose different labels is a disagreement on the label).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple


class CodedSpan(NamedTuple):
    """One annotation as agreement sees it: code points, end exclusive."""

    id: int
    document_id: int
    start: int
    end: int
    label: str
    coder: str


class ClaimCoding(NamedTuple):
    """What a coder said about one claim (an annotation with a claim label).

    ``claimant`` and ``addressee`` are the canonical actors' names (a mention not linked
    to a canonical actor counts as its own text), sorted; ``position`` and ``issue`` are
    the attributes, "" when not set.
    """

    claimant: tuple[str, ...] = ()
    addressee: tuple[str, ...] = ()
    position: str = ""
    issue: str = ""


CLAIM_ATTRIBUTES = ("claimant", "addressee", "position", "issue")
"""What a report compares of two coders' matched claims."""
NONE_LINKED = "(none)"
"""A claimant or addressee no actor is linked to, as compared."""
ClaimValues = tuple[str | None, str | None, str | None, str | None]


def compared_values(coding: ClaimCoding) -> ClaimValues:
    """Claimant, addressee, position and issue as a report compares them: the actors
    joined by "; " (:data:`NONE_LINKED` when none), position and issue stripped (None
    when not set)."""
    return (
        "; ".join(coding.claimant) or NONE_LINKED,
        "; ".join(coding.addressee) or NONE_LINKED,
        coding.position.strip() or None,
        coding.issue.strip() or None,
    )


@functools.lru_cache(maxsize=256)
def position_number(value: str | None) -> float | None:
    """A position as a number (``"+1"`` -> 1.0); None when it is not a finite number."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class AgreementData:
    """Everything :func:`~annotator.core.agreement.report.agreement_report` needs.

    ``documents`` maps each selected document's id to ``(title, length)``; ``coded``
    maps a document id to the chosen coders who made any annotation in it (of any
    label): a document is *shared* when all of them did. ``spans`` are the chosen
    coders' annotations with the chosen labels; ``claims`` maps the id of each span
    with a claim label to its :class:`ClaimCoding`.
    """

    coders: tuple[str, ...]
    labels: tuple[str, ...]
    documents: Mapping[int, tuple[str, int]]
    coded: Mapping[int, frozenset[str]]
    spans: Sequence[CodedSpan]
    claim_labels: tuple[str, ...] = ()
    claims: Mapping[int, ClaimCoding] = field(default_factory=dict)
    position_order: tuple[str, ...] = ("-1", "0", "+1")

    def shared(self) -> list[int]:
        """The selected documents in which every chosen coder made an annotation."""
        everyone = frozenset(self.coders)
        return [d for d in self.documents if self.coded.get(d, frozenset()) >= everyone]


_ORDER = itemgetter(2, 3, 5, 0)  # start, end, coder, id

Unit = dict[str, CodedSpan]
"""One matched unit: coder -> that coder's span (coders who have no span are absent)."""


def matched_units(spans: Sequence[CodedSpan]) -> list[Unit]:
    """The spans of one document grouped into units (see the module docstring).

    Returns every unit, also those of one span only, in text order.
    """
    units: list[Unit] = []
    group: list[CodedSpan] = []
    reach = 0
    # spans that share no character (directly or through others) are never in one unit:
    # each run of overlapping spans is matched on its own, in text order
    for span in sorted(spans, key=_ORDER):
        if group and span.start < reach:
            group.append(span)
            if span.end > reach:
                reach = span.end
            continue
        if group:
            units.extend(_run_units(group))
        group, reach = [span], span.end
    if group:
        units.extend(_run_units(group))
    return units


def _run_units(ordered: list[CodedSpan]) -> list[Unit]:
    """The units of one run of overlapping spans (sorted as :func:`matched_units` sorts)."""
    if len(ordered) == 1:
        return [{ordered[0].coder: ordered[0]}]
    unit = {s.coder: s for s in ordered}
    if len(unit) == len(ordered):  # one span per coder, all joined by overlaps: one unit
        return [unit]
    groups = run_groups(
        [s.start for s in ordered], [s.end for s in ordered], [s.coder for s in ordered]
    )
    return [{ordered[i].coder: ordered[i] for i in group} for group in groups]


def run_groups(
    starts: Sequence[int], ends: Sequence[int], coders: Sequence[object]
) -> list[list[int]]:
    """The units of one run of overlapping spans as lists of their indexes (ascending),
    ordered by their first index; the spans are sorted as :func:`matched_units` sorts
    and given as columns (``coders`` any values that tell the coders apart)."""
    bits: dict[object, int] = {}
    mask: list[int] = []
    for coder in coders:
        bit = bits.get(coder)
        if bit is None:
            bit = bits[coder] = 1 << len(bits)
        mask.append(bit)
    count = len(starts)
    candidates: list[tuple[int, int, int]] = []  # (-shared characters, i, j)
    for i in range(count):
        end, bit = ends[i], mask[i]
        for j in range(i + 1, count):
            if starts[j] >= end:
                break
            if mask[j] != bit:
                other = ends[j]
                candidates.append((starts[j] - (end if end < other else other), i, j))
    candidates.sort()
    parent = list(range(count))
    for _, i, j in candidates:
        while parent[i] != i:  # the roots, halving the paths on the way
            parent[i] = i = parent[parent[i]]
        while parent[j] != j:
            parent[j] = j = parent[parent[j]]
        if i == j or mask[i] & mask[j]:
            continue
        parent[j] = i
        mask[i] |= mask[j]
    groups: dict[int, list[int]] = {}
    for index in range(count):
        top = index
        while parent[top] != top:
            top = parent[top]
        groups.setdefault(top, []).append(index)
    return list(groups.values())


def unit_extent(unit: Unit) -> tuple[int, int]:
    """The first and last character (end exclusive) any span of the unit covers."""
    return min(s.start for s in unit.values()), max(s.end for s in unit.values())
