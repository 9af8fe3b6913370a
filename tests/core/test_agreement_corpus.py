"""The report's corpus-wide fast paths give exactly the figures of the public measures.

The report computes its character figures (alpha_U per document and pooled, NVivo-style
counts, merged spans) from whole-number sums over all spans at once
(:mod:`annotator.core.agreement.corpus`), its span F1 and coding measures from per-document
counts. Here random corpora (2-4 coders, overlapping spans of one coder, labels some
documents lack, spans at the borders) are computed both
ways: every figure must be equal, not merely close.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from itertools import pairwise

import pytest

from annotator.core.agreement import (
    character_agreement,
    fleiss_kappa,
    join_continua,
    unitized_alpha,
)
from annotator.core.agreement.coding import fleiss_kappa_of_units, fleiss_table
from annotator.core.agreement.report import AgreementReport, agreement_report
from annotator.core.agreement.units import AgreementData, CodedSpan
from annotator.core.errors import InputError

LABELS = ("claim", "demand", "actor")


def corpus(seed: int) -> AgreementData:
    rng = random.Random(seed)
    coders = tuple(f"c{i}" for i in range(rng.randint(2, 4)))
    documents = {d: (f"doc {d}", rng.choice((1, 7, 40, 120))) for d in range(1, rng.randint(2, 6))}
    found: list[CodedSpan] = []
    for d, (_, length) in documents.items():
        for coder in coders:
            for _ in range(rng.randint(1, 8)):
                start = rng.randrange(length)
                end = min(length, start + rng.randint(1, 30))
                if rng.random() < 0.3:
                    start, end = 0, length if rng.random() < 0.3 else min(length, 5)
                label = rng.choice(LABELS[:2] if d % 2 else LABELS)
                found.append(CodedSpan(len(found) + 1, d, start, end, label, coder))
    rng.shuffle(found)
    return AgreementData(
        coders=coders,
        labels=LABELS,
        documents=documents,
        coded={d: frozenset(coders) for d in documents},
        spans=found,
    )


def figure(report: AgreementReport, section: str, measure: str, **where: object) -> object:
    got = [
        f.agreement
        for f in report.select(section)
        if f.agreement.measure == measure
        and f.label == where.get("label")
        and f.document == where.get("document")
        and f.coders == where.get("coders", report.coders)
    ]
    assert len(got) == 1, (section, measure, where)
    return got[0]


@pytest.mark.parametrize("seed", range(60))
def test_character_figures_equal_the_public_measures(seed: int) -> None:
    data = corpus(seed)
    report = agreement_report(data)
    lanes: dict[int, dict[str, list[tuple[int, int, str]]]] = {
        d: {c: [] for c in data.coders} for d in data.documents
    }
    for s in data.spans:
        lanes[s.document_id][s.coder].append((s.start, s.end - s.start, s.label))
    for d, (_, length) in data.documents.items():
        one = unitized_alpha(length, lanes[d], merge_overlaps=True).overall
        assert figure(report, "characters", "Krippendorff's alpha_U", document=d) == one
    total, joined = join_continua((data.documents[d][1], lanes[d]) for d in data.documents)
    pooled = unitized_alpha(total, joined, merge_overlaps=True)
    assert figure(report, "characters", "Krippendorff's alpha_U") == pooled.overall
    for label in LABELS:
        if label in pooled.by_category:
            got = figure(report, "characters", "Krippendorff's alpha_U", label=label)
            assert got == pooled.by_category[label]
    for a, b in zip(data.coders, data.coders[1:], strict=False):
        for label in LABELS:
            for d, (_, length) in data.documents.items():
                first = [(s, s + n) for s, n, k in lanes[d][a] if k == label]
                second = [(s, s + n) for s, n, k in lanes[d][b] if k == label]
                if not first and not second:
                    continue
                one = character_agreement(length, first, second)
                where = {"label": label, "document": d, "coders": (a, b)}
                kappa = figure(report, "characters", "character kappa", **where)
                assert kappa == replace(one.kappa, measure="character kappa")
                agree = figure(report, "characters", "character agreement", **where)
                assert agree == replace(one.agreement, measure="character agreement")
    assert report.merged == merged_by_hand(data)


def merged_by_hand(data: AgreementData) -> int:
    """Spans that overlap an earlier span (by start) of the same coder, label and document."""
    lanes: dict[tuple[int, str, str], list[tuple[int, int]]] = defaultdict(list)
    for s in data.spans:
        lanes[s.document_id, s.coder, s.label].append((s.start, s.end))
    merged = 0
    for lane in lanes.values():
        reach = -1
        for start, end in sorted(lane):
            merged += start < reach
            reach = max(reach, end)
    return merged


@pytest.mark.parametrize("bad", [(5, 5), (-1, 3), (3, 41), (2.0, 4)])
def test_a_span_outside_its_document_is_one_line(bad: tuple[int, int]) -> None:
    data = AgreementData(
        coders=("Ana", "Ben"),
        labels=LABELS,
        documents={1: ("Senate", 40)},
        coded={1: frozenset({"Ana", "Ben"})},
        spans=[CodedSpan(1, 1, 0, 4, "claim", "Ana"), CodedSpan(2, 1, *bad, "claim", "Ben")],
    )
    with pytest.raises(InputError, match=r"^span 2") as caught:
        agreement_report(data)
    assert "\n" not in str(caught.value)


def test_sums_too_large_for_int64_are_python_integers(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core.agreement import corpus as fast

    data = corpus(7)
    small = agreement_report(data)
    monkeypatch.setattr(fast, "_SAFE", 0)  # every sum takes the Python-integer path
    assert agreement_report(data).figures == small.figures


@pytest.mark.parametrize("seed", range(100))
def test_fleiss_from_patterns_equals_fleiss_of_the_table(seed: int) -> None:
    rng = random.Random(seed)
    units = rng.randint(0, 40)
    data = [
        [rng.choice(("a", "b", "c", None)) if rng.random() < 0.9 else None for _ in range(units)]
        for _ in range(rng.randint(1, 5))
    ]
    _, table = fleiss_table(data)
    assert fleiss_kappa_of_units(data) == (len(table), fleiss_kappa(table))


def most_pairs(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """The largest one-to-one matching of overlapping spans, by trying every choice."""
    if not a:
        return 0
    (s, e), rest = a[0], a[1:]
    best = most_pairs(rest, b)  # the first span of A left unpaired
    for j, (bs, be) in enumerate(b):
        if s < be and bs < e:
            best = max(best, 1 + most_pairs(rest, b[:j] + b[j + 1 :]))
    return best


@pytest.mark.parametrize("seed", range(300))
def test_overlap_matching_is_maximum(seed: int) -> None:
    from annotator.core.agreement.spans import matched_count

    rng = random.Random(seed)

    def lane() -> list[tuple[int, int]]:
        out = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randrange(30)
            out.append((start, start + rng.randint(1, 12)))
        return out

    a, b = lane(), lane()
    assert matched_count(a, b, "overlap") == most_pairs(a, b)


@pytest.mark.parametrize("seed", range(200))
def test_overlap_matching_of_disjoint_or_nested_spans_is_maximum(seed: int) -> None:
    from annotator.core.agreement.spans import matched_count

    rng = random.Random(1000 + seed)

    def lane() -> list[tuple[int, int]]:
        cuts = sorted(rng.sample(range(40), 2 * rng.randint(1, 5)))
        pairs = list(zip(cuts[::2], cuts[1::2], strict=True))  # disjoint
        if rng.random() < 0.5:  # and some spans nested in them
            pairs += [(s, rng.randint(s + 1, e)) for s, e in pairs if rng.random() < 0.5]
        return rng.sample(pairs, len(pairs))

    a, b = lane(), lane()
    assert matched_count(a, b, "overlap") == most_pairs(a, b)


def units_by_definition(spans: list[CodedSpan]) -> list[dict[str, CodedSpan]]:
    """The matching rule as written (units.py's docstring), over the whole document."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.coder, s.id))
    candidates = sorted(
        (-(min(x.end, y.end) - max(x.start, y.start)), i, j)
        for i, x in enumerate(ordered)
        for j, y in enumerate(ordered)
        if i < j and x.coder != y.coder and x.start < y.end and y.start < x.end
    )
    unit_of = list(range(len(ordered)))
    for _, i, j in candidates:
        a, b = unit_of[i], unit_of[j]
        members_a = {ordered[k].coder for k in range(len(ordered)) if unit_of[k] == a}
        members_b = {ordered[k].coder for k in range(len(ordered)) if unit_of[k] == b}
        if a != b and not members_a & members_b:
            unit_of = [a if u == b else u for u in unit_of]
    units: dict[int, dict[str, CodedSpan]] = {}
    for k, span in enumerate(ordered):
        units.setdefault(unit_of[k], {})[span.coder] = span
    return list(units.values())


@pytest.mark.parametrize("seed", range(200))
def test_matched_units_follow_the_rule(seed: int) -> None:
    from annotator.core.agreement.units import matched_units

    rng = random.Random(seed)
    spans = []
    for k in range(rng.randint(0, 14)):
        start = rng.randrange(40)
        coder = rng.choice(("Ana", "Ben", "Cem"))
        spans.append(CodedSpan(k, 1, start, start + rng.randint(1, 12), "claim", coder))
    assert matched_units(spans) == units_by_definition(spans)


@pytest.mark.parametrize("seed", range(200))
def test_overlap_matching_of_abutting_disjoint_lanes_is_maximum(seed: int) -> None:
    """Each coder's spans disjoint, some touching end to start, or the other coder
    repeating some of them."""
    from annotator.core.agreement.spans import matched_count

    rng = random.Random(5000 + seed)

    def lane() -> list[tuple[int, int]]:
        cuts = sorted(set(rng.sample(range(30), rng.randint(2, 9))))
        pairs = [(s, e) for s, e in pairwise(cuts) if rng.random() < 0.7]
        return rng.sample(pairs, len(pairs))

    a, b = lane(), lane()
    if rng.random() < 0.3:
        b = a[: rng.randint(0, len(a))]
    assert matched_count(a, b, "overlap") == most_pairs(a, b)
