"""One agreement report of a corpus: every figure ``annotator agree`` prints, pure.

:func:`agreement_report` turns :class:`~annotator.core.agreement.units.AgreementData`
(read by :mod:`annotator.store.agreement_queries`) into an :class:`AgreementReport`:
a flat list of :class:`Figure` (each an :class:`Agreement` with its n, the coders, the
label or document it is about and what it is computed on) and a list of
:class:`Disagreement` (document, offsets, coders and their labels, for jump-to).

Figures are computed on the *shared* documents (those every chosen coder annotated);
the matching rules, in :data:`RULES` and docs/agreement.md, travel with the report.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, NamedTuple

from annotator.core.agreement.coding import (
    alpha_of_rows,
    fleiss_kappa_of_units,
    krippendorff_alpha,
    pair_measures,
    percent_agreement,
)
from annotator.core.agreement.corpus import (
    CharacterSums,
    SpanColumns,
    document_alpha,
    pooled_alpha,
    span_columns,
)
from annotator.core.agreement.pause import collector_paused
from annotator.core.agreement.result import Agreement, Label, undefined
from annotator.core.agreement.spans import (
    CharacterAgreement,
    SpanF1,
    f1_of_counts,
    matched_count,
    span_f1,
    span_f1_of_counts,
)
from annotator.core.agreement.units import (
    CLAIM_ATTRIBUTES,
    AgreementData,
    ClaimCoding,
    ClaimValues,
    CodedSpan,
    Unit,
    compared_values,
    matched_units,
    position_number,
    unit_extent,
)
from annotator.core.errors import InputError

SECTIONS: dict[str, str] = {
    "spans-exact": "Spans, exact match",
    "spans-overlap": "Spans, overlap match",
    "characters": "Characters",
    "units": "Coding of matched units",
    "claims": "Claims",
}
"""Section key -> title, in the order a report lists them."""

RULES: dict[str, str] = {
    "spans-exact": "a span of one coder matches a span of the other with the same label, "
    "start and end; each span is in at most one pair; precision = matched / spans of the "
    "second coder, recall = matched / spans of the first, F1 = 2 matched / spans of both",
    "spans-overlap": "a span of one coder matches a span of the other with the same label "
    "that shares at least one character with it; as many one-to-one pairs as possible; "
    "precision, recall and F1 as for exact matching",
    "characters": "every character of the shared documents is a unit: alpha_U (Krippendorff) "
    "on the documents laid end to end, per label and overall; one coder's overlapping "
    "spans of one label are merged into one; per label and pair of coders, NVivo-style "
    "percent agreement and kappa of coded and not coded characters",
    "units": "the coders' spans of each document matched regardless of label, one to one, "
    "largest overlap first (two spans of different coders that share characters join one "
    "unit unless it would hold two spans of one coder); the categories are the labels; a "
    "coder without a span in a unit is missing there; Fleiss' kappa on the units every "
    "coder marked",
    "claims": "claims (spans with a claim label) matched among themselves as units are; "
    "a claim marked by two or more coders is matched; claimant and addressee compared as "
    "the set of canonical actors ('(none)' when none is linked), position and issue as "
    "written (missing when not set); position also as ordinal (-1 < 0 < +1) and interval",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a report.

    ``section`` is a key of :data:`SECTIONS`; ``coders`` the pair (or all the coders)
    it compares; ``label`` the label (or, for claims, the attribute) it is about, None
    over all; ``document`` the document id, None when pooled over the shared
    documents; ``on`` says in words what it is computed on.
    """

    section: str
    coders: tuple[str, ...]
    agreement: Agreement
    on: str
    label: str | None = None
    document: int | None = None

    @property
    def scope(self) -> str:
        """``"document"``, ``"label"`` or ``"pooled"``."""
        if self.document is not None:
            return "document"
        return "label" if self.label is not None else "pooled"

    def to_dict(self) -> dict[str, Any]:
        a = self.agreement
        return {
            "section": self.section,
            "scope": self.scope,
            "coders": list(self.coders),
            "label": self.label,
            "document": self.document,
            "measure": a.measure,
            "value": a.value,
            "n": a.n,
            "counted": a.counted,
            "why": a.why,
            "on": self.on,
        }


class Coding(NamedTuple):
    """What one coder marked in a disagreement: the annotation and its label (or, for a
    claim attribute, its value)."""

    coder: str
    annotation_id: int
    start: int
    end: int
    value: str | None


class Disagreement(NamedTuple):
    """A place where the coders differ, for jump-to.

    ``kind`` is ``label`` (different labels on one unit), ``only some coders`` (a unit
    some coders did not mark; they are in ``missing``), ``boundaries`` (same label,
    different offsets) or ``claim claimant|addressee|position|issue``. ``start`` and
    ``end`` span the whole unit.
    """

    kind: str
    document_id: int
    document: str
    start: int
    end: int
    codings: tuple[Coding, ...]
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "document_id": self.document_id,
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "codings": [c._asdict() for c in self.codings],
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class AgreementReport:
    """Every figure of ``annotator agree`` and the disagreements, for one selection."""

    coders: tuple[str, ...]
    labels: tuple[str, ...]
    selected: int  # documents selected
    shared: tuple[int, ...]  # the documents every chosen coder annotated
    merged: int  # spans merged into an overlapping same-label span of the same coder
    units: int  # matched units of the coding measures (also those of one coder only)
    claims: int  # claims matched across two or more coders
    figures: list[Figure] = field(default_factory=list)
    document_titles: dict[int, str] = field(default_factory=dict)  # of the shared documents
    disagreements: list[Disagreement] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=lambda: dict(RULES))

    def select(
        self,
        section: str | None = None,
        *,
        scope: str | None = None,
        label: str | None = None,
        document: int | None = None,
    ) -> list[Figure]:
        """The figures of a section, scope (pooled, label, document), label or document."""
        return [
            f
            for f in self.figures
            if (section is None or f.section == section)
            and (scope is None or f.scope == scope)
            and (label is None or f.label == label)
            and (document is None or f.document == document)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "coders": list(self.coders),
            "labels": list(self.labels),
            "documents_selected": self.selected,
            "documents_shared": [
                {"id": d, "title": self.document_titles.get(d, "")} for d in self.shared
            ],
            "merged_overlapping_spans": self.merged,
            "units": self.units,
            "matched_claims": self.claims,
            "rules": self.rules,
            "figures": [f.to_dict() for f in self.figures],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


def no_shared_reason(coders: Sequence[str]) -> str:
    """Why a figure is undefined when the coders share no document."""
    if len(coders) == 2:
        return "no document coded by both"
    return f"no document coded by all {len(coders)} coders"


def agreement_report(
    data: AgreementData, *, tick: Callable[[int, int], object] | None = None
) -> AgreementReport:
    """The report of ``data`` (see the module docstring).

    ``tick(done, total)`` is called as the work goes on (each step is one document in
    one pass; a window shows it as progress, and cancels by raising from it).
    """
    with collector_paused():
        return _report(data, tick)


def _report(data: AgreementData, tick: Callable[[int, int], object] | None) -> AgreementReport:
    coders = tuple(data.coders)
    if len(set(coders)) != len(coders):
        raise InputError("a coder is named twice")
    if len(coders) < 2:
        raise InputError(f"agreement needs at least two coders, not {len(coders)}")
    shared = data.shared()
    shared_set = set(shared)
    by_doc: dict[int, list[CodedSpan]] = {d: [] for d in shared}
    for span in data.spans:
        if span.document_id in shared_set:
            by_doc[span.document_id].append(span)
    columns = span_columns(  # checked here, once: the passes below trust the spans
        [by_doc[d] for d in shared], [data.documents[d][1] for d in shared], data.labels, coders
    )
    builder = _Builder(data, shared, by_doc, columns, tick)
    builder.spans()
    builder.characters()
    builder.coding()
    if data.claim_labels:
        builder.claim_figures()
    else:
        builder.done += len(shared)  # no claim label chosen: no claims section
    if tick is not None:
        tick(builder.total, builder.total)
    builder.disagreements.sort(key=lambda d: (d.document_id, d.start, d.end, d.kind))
    return AgreementReport(
        coders=coders,
        labels=tuple(data.labels),
        selected=len(data.documents),
        shared=tuple(shared),
        merged=builder.merged,
        units=builder.unit_count,
        claims=builder.claim_count,
        figures=builder.figures,
        document_titles={d: data.documents[d][0] for d in shared},
        disagreements=builder.disagreements,
    )


def _named(agreement: Agreement, measure: str) -> Agreement:
    """``agreement`` under another name (as ``dataclasses.replace``, without its lookups)."""
    a = agreement
    return Agreement(measure, a.value, a.n, a.counted, a.why, a.observed, a.expected)


_coding = functools.partial(tuple.__new__, Coding)  # Coding._make without its frame
_disagreement = functools.partial(tuple.__new__, Disagreement)


class _Builder:
    """Computes the figures section by section (one pass over the shared documents each)."""

    def __init__(
        self,
        data: AgreementData,
        shared: list[int],
        by_doc: dict[int, list[CodedSpan]],
        columns: SpanColumns,
        tick: Callable[[int, int], object] | None = None,
    ) -> None:
        self.tick = tick
        self.columns = columns
        self.done = 0
        pairs = len(data.coders) * (len(data.coders) - 1) // 2
        self.total = len(shared) * (3 * pairs + 3)  # the passes over the shared documents
        self.data = data
        self.coders = tuple(data.coders)
        self.pairs = list(combinations(self.coders, 2))
        self.shared = shared
        self.by_doc = by_doc
        self.none = no_shared_reason(self.coders)
        self.figures: list[Figure] = []
        self.disagreements: list[Disagreement] = []
        self.merged = 0
        self.unit_count = 0
        self.claim_count = 0
        self.on_shared = f"{len(shared)} shared document{'s' if len(shared) != 1 else ''}"

    def each_document(self) -> Iterator[int]:
        """The shared documents, one pass; every 20 documents say how far the work is."""
        for d in self.shared:
            yield d
            self.done += 1
            if self.tick is not None and self.done % 20 == 0:
                self.tick(self.done, self.total)

    def add(
        self,
        section: str,
        coders: tuple[str, ...],
        agreement: Agreement,
        on: str,
        label: str | None = None,
        document: int | None = None,
    ) -> None:
        self.figures.append(Figure(section, coders, agreement, on, label, document))

    def title(self, document: int) -> str:
        return self.data.documents[document][0]

    def length(self, document: int) -> int:
        return self.data.documents[document][1]

    # -- spans ---------------------------------------------------------------------

    def spans(self) -> None:
        lanes: dict[int, dict[str, dict[str, list[tuple[int, int]]]]] = {}
        for d, spans in self.by_doc.items():
            lane: dict[str, dict[str, list[tuple[int, int]]]] = {c: {} for c in self.coders}
            for s in spans:
                lane[s.coder].setdefault(s.label, []).append((s.start, s.end))
            lanes[d] = lane
        for mode in ("exact", "overlap"):
            section = f"spans-{mode}"
            for pair in self.pairs:
                a, b = pair
                counts: dict[Label, list[int]] = {}
                for d in self.each_document():
                    first, second = lanes[d][a], lanes[d][b]
                    matched = size_a = size_b = 0
                    for label in dict.fromkeys([*first, *second]):
                        spans_a, spans_b = first.get(label, []), second.get(label, [])
                        k = matched_count(spans_a, spans_b, mode)
                        sums = counts.setdefault(label, [0, 0, 0])
                        sums[0] += k
                        sums[1] += len(spans_a)
                        sums[2] += len(spans_b)
                        matched += k
                        size_a += len(spans_a)
                        size_b += len(spans_b)
                    f1 = f1_of_counts(matched, size_a, size_b)
                    self.add(section, pair, f1, f"spans of document {d}", document=d)
                pooled = span_f1_of_counts(mode, counts) if self.shared else None
                empty = span_f1([], [], mode)
                for name in ("precision", "recall", "f1"):
                    self.add(section, pair, self._span_value(pooled, name), self.on_shared)
                for label in self.data.labels:
                    sub = pooled.by_label.get(label, empty) if pooled else None
                    for name in ("precision", "recall", "f1"):
                        value = self._span_value(sub, name)
                        self.add(section, pair, value, self.on_shared, label=label)

    def _span_value(self, result: SpanF1 | None, name: str) -> Agreement:
        if result is None:
            measure = {"precision": "precision", "recall": "recall", "f1": "F1"}[name]
            return undefined(measure, self.none, 0, "spans")
        value: Agreement = getattr(result, name)
        return value

    # -- characters ----------------------------------------------------------------

    def characters(self) -> None:
        section = "characters"
        sums = self.columns.sums()
        self.merged += sums.merged
        m = len(self.coders)
        for pos, d in enumerate(self.each_document()):
            length = self.length(d)
            if length > 0:
                one = document_alpha(sums, pos, length, m)
                self.add(section, self.coders, one, f"characters of document {d}", document=d)
        alpha: tuple[Agreement, dict[int, Agreement]] | None = None
        if self.shared and sums.total:
            alpha = pooled_alpha(sums, m)
        name = "Krippendorff's alpha_U"
        on = f"{self.on_shared} laid end to end"
        overall = alpha[0] if alpha else undefined(name, self.none, 0, "units")
        self.add(section, self.coders, overall, on)
        for index, label in enumerate(self.data.labels):
            if alpha is None:
                value = undefined(name, self.none, 0, "units")
            else:
                value = alpha[1].get(index) or undefined(
                    name, "no coder marked a unit with this label", 0, "units"
                )
            self.add(section, self.coders, value, on, label=label)
        self._nvivo(sums)

    def _nvivo(self, sums: CharacterSums) -> None:
        section = "characters"
        coded, both = sums.coded.tolist(), sums.both.tolist()
        coder_index = {c: i for i, c in enumerate(self.coders)}
        labels = list(enumerate(self.data.labels))
        for k, pair in enumerate(self.pairs):
            a, b = coder_index[pair[0]], coder_index[pair[1]]
            totals = [[0, 0, 0, 0] for _ in labels]
            for pos, d in enumerate(self.each_document()):
                length = self.length(d)
                for index, label in labels:
                    here = coded[pos][index]
                    size_a, size_b, common = here[a], here[b], both[pos][index][k]
                    counts = (common, size_a - common, size_b - common)
                    neither = length - sum(counts)
                    total = totals[index]
                    total[0] += counts[0]
                    total[1] += counts[1]
                    total[2] += counts[2]
                    total[3] += neither
                    if not size_a and not size_b:
                        continue
                    one = CharacterAgreement.from_counts(*counts, neither)
                    on = f"characters of document {d}"
                    agree = _named(one.agreement, "character agreement")
                    self.add(section, pair, agree, on, label, d)
                    self.add(section, pair, _named(one.kappa, "character kappa"), on, label, d)
            for index, label in labels:
                if self.shared:
                    pooled = CharacterAgreement.from_counts(*totals[index])
                    agree, kappa = pooled.agreement, pooled.kappa
                else:
                    agree = undefined("character agreement", self.none, 0, "characters")
                    kappa = undefined("character kappa", self.none, 0, "characters")
                on = f"characters of {self.on_shared}"
                self.add(section, pair, _named(agree, "character agreement"), on, label)
                self.add(section, pair, _named(kappa, "character kappa"), on, label)

    # -- coding of matched units ---------------------------------------------------

    def coding(self) -> None:
        section = "units"
        columns: dict[str, list[Label]] = {c: [] for c in self.coders}
        matched = 0
        for d in self.each_document():
            units = matched_units(self.by_doc[d])
            self.unit_count += len(units)
            rows = [[u[c].label if c in u else None for u in units] for c in self.coders]
            for c, row in zip(self.coders, rows, strict=True):
                columns[c].extend(row)
            matched += sum(1 for u in units if len(u) > 1)
            on = f"{len(units)} units of document {d}"
            self.add(section, self.coders, alpha_of_rows(rows), on, document=d)
            title = self.title(d)
            for unit in units:
                self._unit_disagreement(d, title, unit)
        on = f"{self.unit_count} units ({matched} marked by two or more coders) of {self.on_shared}"
        categories = list(self.data.labels)
        for pair in self.pairs:
            a, b = pair
            for value in pair_measures(columns[a], columns[b], categories):
                self.add(section, pair, self._defined(value), on)
        if len(self.coders) >= 3:
            items, kappa = fleiss_kappa_of_units(list(columns.values()))
            every = f"{items} units every coder marked, of {self.on_shared}"
            self.add(section, self.coders, self._defined(kappa), every)
        alpha = krippendorff_alpha(list(columns.values()), "nominal")
        self.add(section, self.coders, self._defined(alpha), on)

    def _defined(self, value: Agreement) -> Agreement:
        """``value``, saying "no document coded by both" when there is no shared one."""
        if self.shared or value.defined:
            return value
        return dataclasses.replace(value, why=self.none)

    def _unit_disagreement(self, document: int, title: str, unit: Unit) -> None:
        spans = iter(unit.values())
        first = next(spans)
        label, start, end = first.label, first.start, first.end
        low, high = start, end
        kind = None
        moved = False
        for span in spans:
            if span.label != label:
                kind = "label"
            if span.start != start or span.end != end:
                moved = True
                low, high = min(low, span.start), max(high, span.end)
        coders = self.coders
        if kind is None:
            if len(unit) < len(coders):
                kind = "only some coders"
            elif moved:
                kind = "boundaries"
            else:
                return
        codings = tuple(
            _coding((c, s.id, s.start, s.end, s.label))
            for c in coders
            if (s := unit.get(c)) is not None
        )
        missing = tuple(c for c in coders if c not in unit)
        self.disagreements.append(
            _disagreement((kind, document, title, low, high, codings, missing))
        )

    # -- claims --------------------------------------------------------------------

    def claim_figures(self) -> None:
        section = "claims"
        claim_labels = set(self.data.claim_labels)
        claims = self.data.claims
        values: dict[str, dict[str, list[Label]]] = {
            attribute: {c: [] for c in self.coders} for attribute in CLAIM_ATTRIBUTES
        }
        numbers: dict[str, list[Label]] = {c: [] for c in self.coders}
        ranks: dict[str, list[Label]] = {c: [] for c in self.coders}
        order = {v: i for i, v in enumerate(self.data.position_order)}
        memo: dict[ClaimCoding, ClaimValues] = {}
        for coding in claims.values():
            if coding not in memo:
                memo[coding] = compared_values(coding)
        said_of = {claim_id: memo[coding] for claim_id, coding in claims.items()}
        empty = compared_values(ClaimCoding())
        rows: list[tuple[ClaimValues | None, ...]] = []
        for d in self.each_document():
            title = self.title(d)
            spans = [s for s in self.by_doc[d] if s.label in claim_labels]
            for unit in matched_units(spans):
                if len(unit) < 2:
                    continue
                given = {c: said_of.get(s.id, empty) for c, s in unit.items()}
                rows.append(tuple(map(given.get, self.coders)))
                first, *others = given.values()
                if any(v != first for v in others):
                    self._claim_disagreements(d, title, unit, given)
        self.claim_count = len(rows)
        for i, c in enumerate(self.coders):
            mine = [row[i] for row in rows]
            for k, attribute in enumerate(CLAIM_ATTRIBUTES):
                values[attribute][c] = [None if v is None else v[k] for v in mine]
            positions = [None if v is None else v[2] for v in mine]
            numbers[c] = [position_number(p) for p in positions]
            ranks[c] = [None if p is None else order.get(p) for p in positions]
        on = f"{self.claim_count} claims matched across coders in {self.on_shared}"
        for attribute in CLAIM_ATTRIBUTES:
            for pair in self.pairs:
                a, b = pair
                value = percent_agreement(values[attribute][a], values[attribute][b])
                self.add(section, pair, self._defined(value), on, label=attribute)
            alpha = krippendorff_alpha(list(values[attribute].values()), "nominal")
            self.add(section, self.coders, self._defined(alpha), on, label=attribute)
        given_positions = {v for row in values["position"].values() for v in row if v is not None}
        numeric = all(position_number(v) is not None for v in given_positions)
        ordinal = krippendorff_alpha(list((numbers if numeric else ranks).values()), "ordinal")
        self.add(section, self.coders, self._defined(ordinal), on, label="position")
        interval = krippendorff_alpha(list(numbers.values()), "interval")
        self.add(section, self.coders, self._defined(interval), on, label="position")

    def _claim_disagreements(
        self, document: int, title: str, unit: Unit, given: dict[str, ClaimValues]
    ) -> None:
        """One disagreement per attribute on which the coders of a matched claim differ."""
        start, end = unit_extent(unit)
        missing = tuple(c for c in self.coders if c not in unit)
        items = list(unit.items())
        for kind, column in zip(_CLAIM_KINDS, zip(*given.values(), strict=True), strict=True):
            if column.count(column[0]) == len(column):  # every coder said the same
                continue
            codings = tuple(
                _coding((c, s.id, s.start, s.end, v))
                for (c, s), v in zip(items, column, strict=True)
            )
            self.disagreements.append(
                _disagreement((kind, document, title, start, end, codings, missing))
            )


_CLAIM_KINDS = tuple(f"claim {attribute}" for attribute in CLAIM_ATTRIBUTES)
