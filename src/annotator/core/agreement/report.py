"""One agreement report of a corpus: every figure ``annotator agree`` prints, pure.

:func:`agreement_report` turns :class:`~annotator.core.agreement.units.AgreementData`
(read by :mod:`annotator.store.queries.agreement_queries`) into an :class:`AgreementReport`:
a flat list of :class:`Figure` (each an :class:`Agreement` with its n, the coders, the
label or document it is about and what it is computed on) and the sequence of
:class:`Disagreement` (document, offsets, coders and their labels, for jump-to; built
as they are read).

Figures are computed on the *shared* documents (those every chosen coder annotated);
the matching rules, in :data:`RULES` and docs/agreement.md, travel with the report.
The spans are taken as columns (:class:`~annotator.core.agreement.table.SpanTable`)
and each section is computed over all shared documents at once
(:mod:`annotator.core.agreement.sections`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from annotator.core.agreement.figures import (
    RULES,
    SECTIONS,
    AgreementReport,
    Coding,
    Disagreement,
    Figure,
    no_shared_reason,
)
from annotator.core.agreement.pause import collector_paused
from annotator.core.agreement.result import Agreement
from annotator.core.agreement.sections import Builder
from annotator.core.agreement.table import SpanTable
from annotator.core.agreement.units import AgreementData
from annotator.core.errors import InputError

__all__ = [
    "RULES",
    "SECTIONS",
    "Agreement",
    "AgreementReport",
    "Coding",
    "Disagreement",
    "Figure",
    "agreement_report",
    "no_shared_reason",
]


def agreement_report(
    data: AgreementData, *, tick: Callable[[int, int], object] | None = None
) -> AgreementReport:
    """The report of ``data`` (see the module docstring).

    ``tick(done, total)`` is called as the work goes on (each step is one document in
    one pass; a window shows it as progress, and cancels by raising from it).
    """
    with collector_paused():
        return _report(data, tick)


def _shared_rows(
    table: SpanTable, shared: list[int], lengths: list[int]
) -> tuple[SpanTable, np.ndarray]:
    """The rows of ``table`` in the shared documents, and each one's document position;
    a span outside its document (``0 <= start < end <= length``) is an InputError."""
    ids = np.array(shared, dtype=np.int64)
    if not len(ids) or not len(table):
        return table.take(np.zeros(0, dtype=np.int64)), np.zeros(0, dtype=np.int64)
    sorter = np.argsort(ids, kind="stable")
    at = np.minimum(np.searchsorted(ids, table.document, sorter=sorter), len(ids) - 1)
    pos = sorter[at]
    keep = ids[pos] == table.document
    if not keep.all():
        table, pos = table.take(keep), pos[keep]
    size = np.array(lengths, dtype=np.int64)
    outside = (table.start < 0) | (table.start >= table.end) | (table.end > size[pos])
    if outside.any():
        bad = table.span(int(np.argmax(outside)))
        raise InputError(
            f"span {bad.id} ({bad.start}, {bad.end}) is outside document {bad.document_id} "
            f"(0 <= start < end <= {lengths[int(pos[np.argmax(outside)])]})"
        )
    return table, pos.astype(np.int64)


def _report(data: AgreementData, tick: Callable[[int, int], object] | None) -> AgreementReport:
    coders = tuple(data.coders)
    if len(set(coders)) != len(coders):
        raise InputError("a coder is named twice")
    if len(coders) < 2:
        raise InputError(f"agreement needs at least two coders, not {len(coders)}")
    shared = data.shared()
    lengths = [data.documents[d][1] for d in shared]
    table = SpanTable.of(data.spans, data.labels, coders)
    table, pos = _shared_rows(table, shared, lengths)
    builder = Builder(data, shared, table, pos, np.array(lengths, dtype=np.int64), tick)
    builder.spans()
    builder.characters()
    builder.coding()
    if data.claim_labels:
        builder.claim_figures()
    else:
        builder.done += len(shared)  # no claim label chosen: no claims section
    if tick is not None:
        tick(builder.total, builder.total)
    titles = {d: data.documents[d][0] for d in shared}
    return AgreementReport(
        coders=coders,
        labels=tuple(data.labels),
        selected=len(data.documents),
        shared=tuple(shared),
        merged=builder.merged,
        units=builder.unit_count,
        claims=builder.claim_count,
        figures=builder.figures,
        document_titles=titles,
        disagreements=builder.disagreements(titles),
    )
