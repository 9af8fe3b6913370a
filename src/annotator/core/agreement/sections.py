"""The sections of an agreement report, each computed over every shared document at once.

:class:`Builder` takes the spans of the shared documents as a
:class:`~annotator.core.agreement.table.SpanTable` (with each row's document position)
and adds the figures of each section: span precision/recall/F1 from counts per
document and label (:mod:`~annotator.core.agreement.matching`), the character figures
from whole-number sums (:mod:`~annotator.core.agreement.corpus`), the coding measures
of matched units and of matched claims from label codes
(:mod:`~annotator.core.agreement.codes`); then the disagreements, as arrays
(:mod:`~annotator.core.agreement.disagreements`). Python objects are made only for the
figures, and for a disagreement when it is read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable
from itertools import combinations

import numpy as np

from annotator.core.agreement.codes import (
    alpha_of_codes,
    fleiss_of_codes,
    nominal_alphas,
    paired,
    percent_of_codes,
)
from annotator.core.agreement.coding import _bennett, _cohen, _percent, _scott
from annotator.core.agreement.corpus import character_sums, document_alpha, pooled_alpha
from annotator.core.agreement.disagreements import (
    Disagreements,
    Found,
    claim_disagreements,
    sorted_disagreements,
    unit_disagreements,
)
from annotator.core.agreement.figures import Figure, no_shared_reason
from annotator.core.agreement.matching import Units, exact_matched, match_units, overlap_matched
from annotator.core.agreement.result import Agreement, undefined
from annotator.core.agreement.spans import (
    CharacterAgreement,
    SpanF1,
    f1_of_counts,
    span_f1,
    span_f1_of_counts,
)
from annotator.core.agreement.table import ClaimTable, Ints, SpanTable, order_by, unique_sorted
from annotator.core.agreement.units import (
    CLAIM_ATTRIBUTES,
    AgreementData,
    ClaimCoding,
    compared_values,
    position_number,
)


def _named(agreement: Agreement, measure: str) -> Agreement:
    """``agreement`` under another name (as ``dataclasses.replace``, without its lookups)."""
    a = agreement
    return Agreement(measure, a.value, a.n, a.counted, a.why, a.observed, a.expected)


class Builder:
    """Computes the figures section by section over the shared documents."""

    def __init__(
        self,
        data: AgreementData,
        shared: list[int],
        table: SpanTable,
        pos: Ints,
        lengths: Ints,
        tick: Callable[[int, int], object] | None = None,
    ) -> None:
        self.tick = tick
        self.done = 0
        self.data = data
        self.coders = tuple(data.coders)
        self.pairs = list(combinations(self.coders, 2))
        self.pair_codes = list(combinations(range(len(self.coders)), 2))
        self.total = len(shared) * (3 * len(self.pairs) + 3)  # passes over the documents
        self.shared = shared
        self.table = table
        self.pos = pos
        self.lengths = lengths
        self.kinds = len(table.labels)
        self.reach = int(lengths.max()) + 1 if len(lengths) else 1
        self.none = no_shared_reason(self.coders)
        self.figures: list[Figure] = []
        self.merged = 0
        self.unit_count = 0
        self.claim_count = 0
        self.on_shared = f"{len(shared)} shared document{'s' if len(shared) != 1 else ''}"
        self.found_units: tuple[Found, Units] | None = None
        self.found_claims: tuple[Found, Units, list[list[str | None]], list[Ints]] | None = None

    def advance(self, steps: int) -> None:
        """``steps`` more documents done in a pass; every 20 say how far the work is."""
        before, self.done = self.done, self.done + steps
        if self.tick is not None:
            for mark in range((before // 20 + 1) * 20, self.done + 1, 20):
                self.tick(mark, self.total)

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

    def _defined(self, value: Agreement) -> Agreement:
        """``value``, saying "no document coded by both" when there is no shared one."""
        if self.shared or value.defined:
            return value
        return dataclasses.replace(value, why=self.none)

    # -- spans ---------------------------------------------------------------------

    def spans(self) -> None:
        t, k, docs = self.table, self.kinds, len(self.shared)
        block = self.pos * k + t.label
        blocks = docs * k
        coders = len(self.coders)
        sizes = np.bincount(block * coders + t.coder, minlength=blocks * coders)
        sizes = sizes.reshape(docs, k, coders)
        order = order_by((block, blocks), (t.start, self.reach), (t.end, self.reach))
        exact = exact_matched(order, block, t.start, t.end, t.coder, self.pair_codes, blocks)
        for mode in ("exact", "overlap"):
            section = f"spans-{mode}"
            for n, (pair, (x, y)) in enumerate(zip(self.pairs, self.pair_codes, strict=True)):
                if mode == "exact":
                    matched = exact[n]
                else:
                    matched = overlap_matched(
                        order, block, t.start, t.end, t.coder, (x, y), blocks, self.reach
                    )
                matched = matched.reshape(docs, k)
                size_a, size_b = sizes[:, :, x], sizes[:, :, y]
                per_doc = zip(
                    self.shared,
                    matched.sum(axis=1).tolist(),
                    size_a.sum(axis=1).tolist(),
                    size_b.sum(axis=1).tolist(),
                    strict=True,
                )
                for d, m, a, b in per_doc:
                    self.add(
                        section, pair, f1_of_counts(m, a, b), f"spans of document {d}", None, d
                    )
                self.advance(docs)
                pooled: SpanF1 | None = None
                if self.shared:
                    columns = zip(
                        matched.sum(axis=0).tolist(),
                        size_a.sum(axis=0).tolist(),
                        size_b.sum(axis=0).tolist(),
                        strict=True,
                    )
                    counts: dict[Hashable, list[int]] = {
                        t.labels[i]: list(c) for i, c in enumerate(columns)
                    }
                    pooled = span_f1_of_counts(mode, counts)
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
        t = self.table
        m = len(self.coders)
        sums = character_sums(
            self.pos, t.label, t.coder, t.start, t.end, self.lengths, self.kinds, m
        )
        self.merged += sums.merged
        for pos, (d, length) in enumerate(zip(self.shared, self.lengths.tolist(), strict=True)):
            if length > 0:
                one = document_alpha(sums, pos, length, m)
                self.add(section, self.coders, one, f"characters of document {d}", document=d)
        self.advance(len(self.shared))
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
        self._nvivo(sums.coded, sums.both)

    def _nvivo(self, coded: Ints, both: Ints) -> None:
        section = "characters"
        labels = list(self.data.labels)
        width = len(labels)
        length = self.lengths[:, None].astype(np.int64)
        add = self.figures.append
        for k, (pair, (a, b)) in enumerate(zip(self.pairs, self.pair_codes, strict=True)):
            size_a = coded[:, :width, a]
            size_b = coded[:, :width, b]
            common = both[:, :width, k]
            a_only, b_only = size_a - common, size_b - common
            neither = length - common - a_only - b_only
            totals = [
                [int(x) for x in column]
                for column in zip(
                    common.sum(axis=0),
                    a_only.sum(axis=0),
                    b_only.sum(axis=0),
                    neither.sum(axis=0),
                    strict=True,
                )
            ]
            docs, index = np.nonzero((size_a > 0) | (size_b > 0))
            if len(docs):
                n = length[docs, 0].astype(np.float64)
                c, x, y, z = (v[docs, index] for v in (common, a_only, b_only, neither))
                observed = (c + z) / n
                p_a, p_b = (c + x) / n, (c + y) / n
                expected = p_a * p_b + (1 - p_a) * (1 - p_b)
                every = (z + x + y) == 0
                with np.errstate(divide="ignore", invalid="ignore"):
                    kappa = (observed - expected) / (1 - expected)
                rows = zip(
                    docs.tolist(),
                    index.tolist(),
                    length[docs, 0].tolist(),
                    observed.tolist(),
                    expected.tolist(),
                    kappa.tolist(),
                    every.tolist(),
                    strict=True,
                )
                for pos, i, size, o, e, value, full in rows:
                    d = self.shared[pos]
                    on = f"characters of document {d}"
                    agree = Agreement("character agreement", o, size, "characters", None, o)
                    add(Figure(section, pair, agree, on, labels[i], d))
                    if full:
                        kap = undefined(
                            "character kappa",
                            "both coders coded every character",
                            size,
                            "characters",
                        )
                    else:
                        kap = Agreement("character kappa", value, size, "characters", None, o, e)
                    add(Figure(section, pair, kap, on, labels[i], d))
            self.advance(len(self.shared))
            for index_, label in enumerate(labels):
                if self.shared:
                    pooled = CharacterAgreement.from_counts(*totals[index_])
                    agree_, kappa_ = pooled.agreement, pooled.kappa
                else:
                    agree_ = undefined("character agreement", self.none, 0, "characters")
                    kappa_ = undefined("character kappa", self.none, 0, "characters")
                on = f"characters of {self.on_shared}"
                self.add(section, pair, _named(agree_, "character agreement"), on, label)
                self.add(section, pair, _named(kappa_, "character kappa"), on, label)

    # -- coding of matched units ---------------------------------------------------

    def _units(self, rows: Ints) -> Units:
        t = self.table
        rank = np.argsort(np.argsort(np.array(self.coders, dtype=object)))
        return match_units(
            rows,
            self.pos,
            t.start,
            t.end,
            t.coder,
            t.id,
            rank.astype(np.int64),
            len(self.coders),
            self.reach,
            len(t),
        )

    def coding(self) -> None:
        section = "units"
        t = self.table
        units = self._units(np.arange(len(t), dtype=np.int64))
        present = units.member >= 0
        codes = np.where(present, t.label[np.where(present, units.member, 0)], -1)
        self.unit_count = len(units)
        matched = int((units.size > 1).sum())
        docs = len(self.shared)
        per_doc = np.bincount(units.doc, minlength=docs).tolist()
        alphas = nominal_alphas(codes, units.doc, docs, self.kinds)
        for d, count, alpha in zip(self.shared, per_doc, alphas, strict=True):
            self.add(section, self.coders, alpha, f"{count} units of document {d}", document=d)
        self.advance(docs)
        self.found_units = (unit_disagreements(units, t, len(self.coders)), units)
        on = f"{self.unit_count} units ({matched} marked by two or more coders) of {self.on_shared}"
        categories = list(self.data.labels)
        for pair, (x, y) in zip(self.pairs, self.pair_codes, strict=True):
            both = paired(codes[:, x], codes[:, y], t.labels)
            for value in (
                _percent(both.n, both.same),
                _cohen(both),
                _scott(both),
                _bennett(both, categories),
            ):
                self.add(section, pair, self._defined(value), on)
        if len(self.coders) >= 3:
            items, kappa = fleiss_of_codes(codes, t.labels)
            every = f"{items} units every coder marked, of {self.on_shared}"
            self.add(section, self.coders, self._defined(kappa), every)
        alpha = nominal_alphas(codes, np.zeros(len(codes), dtype=np.int64), 1, self.kinds)[0]
        self.add(section, self.coders, self._defined(alpha), on)

    # -- claims --------------------------------------------------------------------

    def claim_figures(self) -> None:
        section = "claims"
        t = self.table
        claim_codes = [i for i, label in enumerate(t.labels) if label in self.data.claim_labels]
        rows = np.flatnonzero(np.isin(t.label, claim_codes))
        units = self._units(rows)
        keep = units.size >= 2
        units = Units(
            units.member[keep],
            units.first[keep],
            units.doc[keep],
            units.size[keep],
            units.position,
        )
        self.claim_count = len(units)
        claims = ClaimTable.of(self.data.claims)
        compared = [compared_values(c) for c in claims.codings]
        compared.append(compared_values(ClaimCoding()))  # a claim without a coding
        present = units.member >= 0
        member = np.where(present, units.member, 0)
        coding = claims.codes_of(t.id[member.ravel()]).reshape(member.shape)
        coding = np.where(coding < 0, len(compared) - 1, coding)
        said: list[Ints] = []  # per attribute: (units, coders) codes, -1 where no claim
        values: list[list[str | None]] = []
        measured: list[Ints] = []  # the same, -1 also where the value is not set
        for k in range(len(CLAIM_ATTRIBUTES)):
            index: dict[str | None, int] = {}
            of_coding = np.array([index.setdefault(v[k], len(index)) for v in compared])
            seen = list(index)
            codes = np.where(present, of_coding[coding], -1)
            said.append(codes)
            values.append(seen)
            unset = np.array([v is None for v in seen] + [True])  # (the last: -1)
            measured.append(np.where(unset[codes], -1, codes))
        self.found_claims = (claim_disagreements(units, t, said), units, values, said)
        self.advance(len(self.shared))
        on = f"{self.claim_count} claims matched across coders in {self.on_shared}"
        for k, attribute in enumerate(CLAIM_ATTRIBUTES):
            codes = measured[k]
            for pair, (x, y) in zip(self.pairs, self.pair_codes, strict=True):
                value = percent_of_codes(codes[:, x], codes[:, y])
                self.add(section, pair, self._defined(value), on, label=attribute)
            alpha = nominal_alphas(codes, np.zeros(len(codes), dtype=np.int64), 1, len(values[k]))
            self.add(section, self.coders, self._defined(alpha[0]), on, label=attribute)
        k = CLAIM_ATTRIBUTES.index("position")
        codes, positions = measured[k], values[k]
        used = unique_sorted(codes[codes >= 0]).tolist()
        numbers = [position_number(p) for p in positions]
        order = {v: i for i, v in enumerate(self.data.position_order)}
        ranks = [None if p is None else order.get(p) for p in positions]
        numeric = all(numbers[i] is not None for i in used)
        ordinal = alpha_of_codes(codes, numbers if numeric else ranks, "ordinal")
        self.add(section, self.coders, self._defined(ordinal), on, label="position")
        interval = alpha_of_codes(codes, numbers, "interval")
        self.add(section, self.coders, self._defined(interval), on, label="position")

    def disagreements(self, titles: dict[int, str]) -> Disagreements:
        assert self.found_units is not None
        return sorted_disagreements(
            self.table, self.coders, titles, self.found_units, self.found_claims
        )
