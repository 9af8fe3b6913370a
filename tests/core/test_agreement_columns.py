"""The report's array paths (issue 11, the ``agree`` benchmark) against the one-document,
one-list reference functions they replace.

:func:`~annotator.core.agreement.matching.match_units` must give, for every document,
the units of :func:`~annotator.core.agreement.units.matched_units` in the same order,
both when the crowded runs are matched in rounds over arrays and when they go through
the one-run function; the span-matching counts must equal
:func:`~annotator.core.agreement.spans.matched_count`; the coding measures of
:mod:`~annotator.core.agreement.codes` the public ones. Random corpora are dense (many
overlapping spans per coder) so that crowded runs are common.
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from annotator.core.agreement import (
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from annotator.core.agreement import matching as matching_module
from annotator.core.agreement.codes import (
    alpha_of_codes,
    fleiss_of_codes,
    nominal_alphas,
    paired,
    percent_of_codes,
)
from annotator.core.agreement.coding import _cohen, _scott, fleiss_kappa_of_units
from annotator.core.agreement.disagreements import Disagreements
from annotator.core.agreement.matching import exact_matched, match_units, overlap_matched
from annotator.core.agreement.report import agreement_report
from annotator.core.agreement.spans import matched_count
from annotator.core.agreement.table import ClaimTable, SpanTable, order_by
from annotator.core.agreement.units import AgreementData, ClaimCoding, CodedSpan, matched_units
from annotator.core.errors import InputError
from annotator.store import Project
from annotator.store.queries.agreement_queries import agreement_input

LABELS = ("claim", "demand", "actor")


def dense(seed: int, docs: int = 40) -> tuple[list[CodedSpan], tuple[str, ...], dict[int, int]]:
    rng = random.Random(seed)
    coders = tuple(f"c{i}" for i in rng.sample(range(5), rng.randint(2, 4)))
    lengths = {d: rng.choice((5, 30, 80)) for d in range(1, docs + 1)}
    spans: list[CodedSpan] = []
    for d, length in lengths.items():
        for coder in coders:
            for _ in range(rng.randint(0, 7)):
                start = rng.randrange(length)
                end = min(length, start + rng.randint(1, 12))
                label = rng.choice(LABELS)
                spans.append(CodedSpan(len(spans) + 1, d, start, end, label, coder))
    rng.shuffle(spans)
    return spans, coders, lengths


def units_of(spans: list[CodedSpan], coders: tuple[str, ...]) -> list[list[dict[str, int]]]:
    table = SpanTable.of(spans, LABELS, coders)
    docs = sorted({s.document_id for s in spans})
    pos = np.searchsorted(np.array(docs), table.document).astype(np.int64)
    rank = np.argsort(np.argsort(np.array(coders, dtype=object))).astype(np.int64)
    units = match_units(
        np.arange(len(table), dtype=np.int64),
        pos,
        table.start,
        table.end,
        table.coder,
        table.id,
        rank,
        len(coders),
        int(table.end.max()) + 1,
        len(table),
    )
    out: list[list[dict[str, int]]] = [[] for _ in docs]
    for u in range(len(units)):
        members = units.member[u].tolist()
        rows = sorted((int(units.position[r]), c, r) for c, r in enumerate(members) if r >= 0)
        unit = {coders[c]: int(table.id[r]) for _, c, r in rows}  # in the units' order
        assert rows[0][2] == units.first[u]
        out[int(units.doc[u])].append(unit)
    return out


def reference_units(spans: list[CodedSpan]) -> list[list[dict[str, int]]]:
    by_doc: dict[int, list[CodedSpan]] = defaultdict(list)
    for s in spans:
        by_doc[s.document_id].append(s)
    return [
        [{c: s.id for c, s in unit.items()} for unit in matched_units(by_doc[d])]
        for d in sorted(by_doc)
    ]


@pytest.mark.parametrize("wide", [0, 3, 10**9])
@pytest.mark.parametrize("seed", range(30))
def test_units_over_all_documents_are_those_of_each_document(
    seed: int, wide: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # wide 0: crowded runs matched in rounds over arrays; 10**9: by run_groups; 3: both
    monkeypatch.setattr(matching_module, "_ROUNDS_WIDE", wide)
    spans, coders, _ = dense(seed)
    got = units_of(spans, coders)
    want = reference_units(spans)
    assert got == want
    assert [list(u) for doc in got for u in doc] == [list(u) for doc in want for u in doc]


@pytest.mark.parametrize("seed", range(30))
def test_span_matching_counts_equal_matched_count(seed: int) -> None:
    spans, coders, _ = dense(seed)
    table = SpanTable.of(spans, LABELS, coders)
    docs = sorted({s.document_id for s in spans})
    pos = np.searchsorted(np.array(docs), table.document).astype(np.int64)
    k = len(table.labels)
    block = pos * k + table.label
    blocks = len(docs) * k
    reach = int(table.end.max()) + 1
    order = order_by((block, blocks), (table.start, reach), (table.end, reach))
    pairs = [(0, 1), (0, len(coders) - 1)]
    exact = exact_matched(order, block, table.start, table.end, table.coder, pairs, blocks)
    for n, (x, y) in enumerate(pairs):
        overlap = overlap_matched(
            order, block, table.start, table.end, table.coder, (x, y), blocks, reach
        )
        for b in range(blocks):
            d, label = docs[b // k], table.labels[b % k]
            a = [
                (s.start, s.end)
                for s in spans
                if (s.document_id, s.label, s.coder) == (d, label, coders[x])
            ]
            o = [
                (s.start, s.end)
                for s in spans
                if (s.document_id, s.label, s.coder) == (d, label, coders[y])
            ]
            assert exact[n][b] == matched_count(a, o, "exact")
            assert overlap[b] == matched_count(a, o, "overlap")


def random_codes(seed: int) -> tuple[np.ndarray, list[str]]:
    rng = random.Random(seed)
    values = ["a", "b", "c", "d"][: rng.randint(1, 4)]
    coders, units = rng.randint(2, 5), rng.randint(0, 60)
    codes = [[rng.randrange(-1, len(values)) for _ in range(coders)] for _ in range(units)]
    return np.array(codes, dtype=np.int64).reshape(units, coders), values


def as_lists(codes: np.ndarray, values: list[str]) -> list[list[str | None]]:
    return [[values[c] if c >= 0 else None for c in column] for column in codes.T.tolist()]


@pytest.mark.parametrize("seed", range(200))
def test_coding_measures_of_codes_equal_the_public_ones(seed: int) -> None:
    codes, values = random_codes(seed)
    lists = as_lists(codes, values)
    a, b = lists[0], lists[1]
    both = paired(codes[:, 0], codes[:, 1], values)
    assert _cohen(both) == cohen_kappa(a, b)
    assert _scott(both) == scott_pi(a, b)
    assert percent_of_codes(codes[:, 0], codes[:, 1]) == percent_agreement(a, b)
    assert fleiss_of_codes(codes, values) == fleiss_kappa_of_units(lists)
    want = krippendorff_alpha(lists, "nominal")
    got = nominal_alphas(codes, np.zeros(len(codes), dtype=np.int64), 1, len(values))[0]
    assert (got.n, got.why, got.counted) == (want.n, want.why, want.counted)
    if want.value is None:
        assert got.value is None
    else:
        assert got.value == pytest.approx(want.value, abs=1e-12)
    numbers = [float(i) for i in range(len(values))]
    for level in ("ordinal", "interval"):
        as_numbers = [[None if v is None else float(values.index(v)) for v in row] for row in lists]
        expected = krippendorff_alpha(as_numbers, level)
        result = alpha_of_codes(codes, numbers, level)
        assert (result.n, result.why) == (expected.n, expected.why)
        if expected.value is not None:
            assert result.value == pytest.approx(expected.value, abs=1e-12)


def test_nominal_alpha_per_group_is_alpha_of_each_groups_units() -> None:
    codes, values = random_codes(7)
    group = np.array([i % 3 for i in range(len(codes))], dtype=np.int64)
    per_group = nominal_alphas(codes, group, 3, len(values))
    for g in range(3):
        want = krippendorff_alpha(as_lists(codes[group == g], values), "nominal")
        assert per_group[g].n == want.n and per_group[g].why == want.why


def test_a_span_table_is_a_sequence_of_coded_spans() -> None:
    spans = [CodedSpan(3, 1, 0, 4, "actor", "Ben"), CodedSpan(1, 1, 2, 9, "other", "Ana")]
    table = SpanTable.of(spans, LABELS, ("Ana", "Ben"))
    assert table == spans and list(table) == spans and len(table) == 2
    assert table[-1] == spans[1] and table[0:1] == spans[:1]
    assert table.labels == (*LABELS, "other")  # a label outside the codebook numbered after
    assert SpanTable.of(spans, LABELS, ("Ana",)) == spans[1:]  # other coders' spans left out
    recoded = SpanTable.of(table, ("other",), ("Ben", "Ana"))  # a table taken as it is, recoded
    assert recoded == spans and recoded.labels[0] == "other" and recoded.coders == ("Ben", "Ana")
    assert SpanTable.of(table, LABELS, ("Ana",)) == spans[1:]
    with pytest.raises(IndexError):
        table[2]
    with pytest.raises(InputError, match="span 5: start and end must be whole numbers"):
        SpanTable.of([CodedSpan(5, 1, 1.5, 4, "actor", "Ana")], LABELS, ("Ana",))  # type: ignore[arg-type]


def test_a_claim_table_is_a_mapping_of_codings() -> None:
    said = {7: ClaimCoding(position="+1"), 2: ClaimCoding(("EU",)), 9: ClaimCoding(position="+1")}
    table = ClaimTable.of(said)
    assert dict(table) == said and len(table) == 3 and table[9] is table[7]
    with pytest.raises(KeyError):
        table[8]


def test_disagreements_are_built_on_access_in_order() -> None:
    spans, coders, lengths = dense(3, docs=6)
    data = AgreementData(
        coders=coders,
        labels=LABELS,
        documents={d: (f"doc {d}", n) for d, n in lengths.items()},
        coded={d: frozenset(coders) for d in lengths},
        spans=spans,
    )
    report = agreement_report(data)
    found = report.disagreements
    assert isinstance(found, Disagreements) and len(found) > 3
    every = list(found)
    assert found == every and found[-1] == every[-1] and found[1:3] == every[1:3]
    keys = [(d.document_id, d.start, d.end, d.kind) for d in every]
    assert keys == sorted(keys)


def test_agreement_input_reads_columns_and_falls_back_for_a_broken_offset(tmp_path: Path) -> None:
    path = tmp_path / "study.annot"
    with Project.create(path, annotator="lead") as p:
        doc = p.add_document("The Senate adopted a resolution.\n", "Senate").id
        p.annotate_many(doc, [(4, 10, "actor", None)], annotator="Ana")
        p.annotate_many(doc, [(4, 10, "actor", None)], annotator="Ben")
    with Project.open(path, read_only=True) as project:
        data = agreement_input(project)
    assert isinstance(data.spans, SpanTable)
    assert [(s.coder, s.start, s.end, s.label) for s in data.spans] == [
        ("Ana", 4, 10, "actor"),
        ("Ben", 4, 10, "actor"),
    ]
    with closing(sqlite3.connect(path)) as raw, raw:  # a start that is not a whole number
        raw.execute("UPDATE annotations SET start = 4.5 WHERE annotator = 'Ben'")
    with (
        Project.open(path, read_only=True) as project,
        pytest.raises(InputError, match=r"^span 2: start and end must be whole numbers$"),
    ):
        agreement_input(project)


def test_a_coder_found_only_in_the_middle_of_the_file_is_compared(tmp_path: Path) -> None:
    # the coders are guessed from the first and last 2,000 annotations; Cem is in neither
    path = tmp_path / "merged.annot"
    text = "x" * 3000 + "\n"
    with Project.create(path, annotator="lead") as p:
        doc = p.add_document(text, "Long").id
        for coder, count in (("Ana", 2001), ("Cem", 3), ("Ben", 2001)):
            spans = [(i, i + 1, "actor", None) for i in range(count)]
            p.annotate_many(doc, spans, annotator=coder)
    with Project.open(path, read_only=True) as project:
        data = agreement_input(project)
    assert data.coders == ("Ana", "Ben", "Cem")
    assert sum(1 for s in data.spans if s.coder == "Cem") == 3
    assert agreement_report(data).select("units", scope="pooled")[-1].coders == data.coders


def test_ids_too_large_to_pack_are_read_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "big-ids.annot"
    with Project.create(path, annotator="lead") as p:
        doc = p.add_document("The Senate adopted a resolution.\n", "Senate").id
        p.annotate_many(doc, [(4, 10, "actor", None)], annotator="Ana")
        p.annotate_many(doc, [(4, 10, "claim", None)], annotator="Ben")
    huge = 2**61
    with closing(sqlite3.connect(path)) as raw, raw:  # (another tool's ids)
        raw.execute("UPDATE documents SET id = ?", (huge,))
        raw.execute("UPDATE annotations SET document_id = ?", (huge,))
    with Project.open(path, read_only=True) as project:
        data = agreement_input(project)
    assert [(s.document_id, s.coder, s.label) for s in data.spans] == [
        (huge, "Ana", "actor"),
        (huge, "Ben", "claim"),
    ]
    assert data.shared() == [huge]


def test_attribute_values_holding_the_separator_are_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "claims.annot"
    with Project.create(path, annotator="lead") as p:
        doc = p.add_document("The Senate adopted a resolution.\n", "Senate").id
        (ana,) = p.annotate_many(doc, [(0, 10, "claim", None)], annotator="Ana")
        (ben,) = p.annotate_many(doc, [(0, 10, "claim", None)], annotator="Ben")
        p.set_attributes(ana.id, {"issue": "rights\x1ejustice", "position": "+1"})
        p.set_attributes(ben.id, {"issue": "rights", "position": "+1"})
    with Project.open(path, read_only=True) as project:
        data = agreement_input(project)
    assert dict(data.claims) == {
        ana.id: ClaimCoding(position="+1", issue="rights\x1ejustice"),
        ben.id: ClaimCoding(position="+1", issue="rights"),
    }


def test_many_distinct_attribute_values_are_read_as_rows(tmp_path: Path) -> None:
    path = tmp_path / "issues.annot"
    with Project.create(path, annotator="lead") as p:
        doc = p.add_document("x" * 200 + "\n", "Many").id
        claims = [
            claim
            for coder in ("Ana", "Ben")
            for claim in p.annotate_many(
                doc, [(i, i + 1, "claim", None) for i in range(70)], annotator=coder
            )
        ]
        for i, claim in enumerate(claims):
            p.set_attributes(claim.id, {"issue": f"issue {i % 70}"})
    with Project.open(path, read_only=True) as project:
        data = agreement_input(project)
    assert {c.id: data.claims[c.id].issue for c in claims} == {
        c.id: f"issue {i % 70}" for i, c in enumerate(claims)
    }
    report = agreement_report(data)
    (issue,) = report.select("claims", label="issue", scope="label")[:1]
    assert issue.agreement.value == 1.0 and report.claims == 70
