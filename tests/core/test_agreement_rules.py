"""Undefined measures say why, bad input gets one line, span matching follows its rule.

Undefined is never 1.0 (INCEpTION #2219 printed 1.0 for coders with nothing in common)
and never a crash; malformed input raises InputError with a one-line message.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import (
    Agreement,
    CharacterAgreement,
    SpanF1,
    bennett_s,
    character_agreement,
    character_agreement_by_label,
    cohen_kappa,
    fleiss_kappa,
    join_continua,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    span_f1,
    unitized_alpha,
)
from annotator.core.agreement.unitizing import _delta, _segments
from annotator.core.errors import InputError

TWO_CODER = [percent_agreement, cohen_kappa, scott_pi, bennett_s]


# --- undefined, with the reason -------------------------------------------------------------


@pytest.mark.parametrize("measure", TWO_CODER, ids=lambda f: f.__name__)
def test_no_unit_coded_by_both(measure: Callable[..., Agreement]) -> None:
    result = measure(["a", None, None], [None, "b", None])
    assert (result.value, result.n, result.why) == (None, 0, "no unit coded by both")
    assert "undefined, no unit coded by both (n = 0 items)" in str(result)


@pytest.mark.parametrize("measure", [cohen_kappa, scott_pi, bennett_s], ids=lambda f: f.__name__)
def test_only_one_category(measure: Callable[..., Agreement]) -> None:
    result = measure(["a", "a", "a"], ["a", "a", None])
    assert (result.value, result.n, result.why) == (None, 2, "only one category")


def test_missing_values_are_left_out_of_two_coder_measures() -> None:
    nan = float("nan")
    assert percent_agreement(["a", "b", None, "a"], ["a", "a", "b", nan]).n == 2
    assert cohen_kappa(["a", "b", None], ["a", "b", "a"]).value == 1.0


def test_bennett_s_with_the_codebook_categories() -> None:
    # one category used, but four were possible: S is defined
    result = bennett_s(["a", "a"], ["a", "a"], categories=["a", "b", "c", "d"])
    assert result.value == 1.0
    assert bennett_s(["a", "b"], ["b", "b"], categories=list("abcd")).value == pytest.approx(1 / 3)
    with pytest.raises(InputError, match=r"labels outside the given categories: 'x'"):
        bennett_s(["a", "x"], ["a", "a"], categories=["a", "b"])


def test_alpha_undefined_cases() -> None:
    nobody = krippendorff_alpha([["a", None], [None, "b"]])
    assert (nobody.value, nobody.why) == (None, "no unit coded by two or more coders")
    one = krippendorff_alpha([[1, 1, None], [1, 1, 1]], "interval")
    assert (one.value, one.n, one.why) == (None, 4, "only one category")
    assert krippendorff_alpha([["a", "b"]]).why == "no unit coded by two or more coders"
    assert krippendorff_alpha([]).why == "no unit coded by two or more coders"


def test_fleiss_undefined_cases() -> None:
    assert fleiss_kappa([]).why == "no items"
    assert fleiss_kappa([[3, 0], [3, 0]]).why == "only one category"
    assert fleiss_kappa([[1, 0], [0, 1]]).why == "fewer than two ratings per item"


def test_unitized_undefined_cases() -> None:
    nothing = unitized_alpha(100, [[], []])
    assert (nothing.overall.value, nothing.overall.why) == (None, "no coder marked a unit")
    zero = unitized_alpha(100, [[(10, 0, "c")], [(20, 0, "c")]])
    assert zero.overall.why == zero.by_category["c"].why == "units of zero length only"
    alone = unitized_alpha(100, [[(10, 5, "c")]])
    assert alone.overall.why == "fewer than two coders"
    everything = unitized_alpha(1, [[(0, 1, "c")], [(0, 1, "c")]])
    assert everything.by_category["c"].value is None
    assert "no variation" in (everything.by_category["c"].why or "")
    # a category with zero-length units only does not spoil the others
    mixed = unitized_alpha(100, [[(10, 5, "c"), (3, 0, "k")], [(10, 5, "c"), (4, 0, "k")]])
    assert mixed.overall.value == 1.0
    assert mixed.by_category["k"].why == "units of zero length only"


def test_span_and_character_undefined_cases() -> None:
    empty = span_f1([], [], "overlap")
    assert (empty.precision.why, empty.recall.why, empty.f1.why) == (
        "coder B marked no span",
        "coder A marked no span",
        "neither coder marked a span",
    )
    one_sided = span_f1([(0, 5, "c")], [])
    assert (one_sided.recall.value, one_sided.f1.value, one_sided.precision.value) == (0, 0, None)
    blank = character_agreement(50, [], [])
    assert blank.percent == 100.0  # NVivo's figure: every character agreed on as not coded
    assert blank.kappa.why == "neither coder coded a character with this label"
    full = character_agreement(50, [(0, 50)], [(0, 20), (20, 50)])
    assert full.kappa.why == "both coders coded every character"
    assert CharacterAgreement.from_counts(0, 0, 0, 0).kappa.why == "the text is empty"


# --- bad input: one line, InputError ------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cohen_kappa(["a"], ["a", "b"]), r"differ in length \(1 and 2\)"),
        (lambda: cohen_kappa("ab", "ab"), r"first coder's labels must be a list of values, not str"),
        (lambda: cohen_kappa(["a"], 3), r"second coder's labels must be a list of values, not int"),
        (lambda: percent_agreement([["x"]], [["x"]]), r"unit 1: a label must be a plain value"),
        (lambda: krippendorff_alpha([[1, 2], [1]]), r"coder 2 has values for 1 units"),
        (lambda: krippendorff_alpha([[1, 2]], "fuzzy"), r"unknown level 'fuzzy'"),
        (lambda: krippendorff_alpha([["a"], ["b"]], "interval"), r"interval values must be numbers"),
        (lambda: krippendorff_alpha([[-1], [2]], "ratio"), r"ratio values must not be negative"),
        (lambda: krippendorff_alpha([["a"], [1]], "ordinal"), r"ordinal values must be comparable"),
        (lambda: krippendorff_alpha([["a"], ["z"]], "ordinal", order=["a"]), r"outside the given order"),
        (lambda: fleiss_kappa([[1, 2], [3]]), r"row 2 of the table has 1 categories"),
        (lambda: fleiss_kappa([[1, 2], [1, 1]]), r"item 1 has 3, item 2 has 2"),
        (lambda: fleiss_kappa([[1.5, 1]]), r"must be a whole number, not 1.5"),
        (lambda: fleiss_kappa([[-1, 3]]), r"negative count"),
        (lambda: unitized_alpha(0, [[], []]), r"at least 1 long"),
        (lambda: unitized_alpha(10, [[(5, 6, "c")], []]), r"outside the continuum \(0 to 10\)"),
        (lambda: unitized_alpha(10, [[(5, -1, "c")], []]), r"negative length"),
        (lambda: unitized_alpha(10, [[(5, 1)], []]), r"must be \(start, length, category\)"),
        (lambda: unitized_alpha(10, {"Ana": [(1, 4, "c"), (3, 2, "c")], "Ben": []}),
         r"coder Ana has two overlapping 'c' units, \(1, 4\) and \(3, 2\)"),
        (lambda: unitized_alpha(10.0, [[], []]), r"must be a whole number, not 10.0"),
        (lambda: span_f1([(0, 5, "c")], [], "fuzzy"), r"unknown matching mode 'fuzzy'"),
        (lambda: span_f1([(5, 5, "c")], []), r"needs 0 <= start < end"),
        (lambda: span_f1([(True, 5, "c")], []), r"must be a whole number, not True"),
        (lambda: character_agreement(10, [(0, 11)], []), r"outside the text \(0 <= start < end <= 10\)"),
        (lambda: CharacterAgreement.from_counts(1, -1, 0, 0), r"cannot be negative"),
        (lambda: join_continua([(5, {"A": [(3, 3, "c")]})]), r"outside its document \(0 to 5\)"),
    ],
)  # fmt: skip
def test_bad_input_gives_one_line(call: Callable[[], object], message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        call()
    assert "\n" not in str(caught.value)


# --- span matching --------------------------------------------------------------------------


def test_span_f1_matching_rules() -> None:
    a = [(0, 10, "claim"), (20, 30, "claim"), (40, 50, "actor")]
    b = [(0, 10, "claim"), (22, 28, "claim"), (40, 50, "claim"), (60, 70, "actor")]
    exact = span_f1(a, b, "exact")
    assert (exact.matched, exact.a_only, exact.b_only) == (1, 2, 3)
    assert exact.precision.value == pytest.approx(1 / 4)
    assert exact.recall.value == pytest.approx(1 / 3)
    assert exact.f1.value == pytest.approx(2 / 7)
    overlap = span_f1(a, b, "overlap")
    # (40, 50) is matched by nothing: the labels differ
    assert (overlap.matched, overlap.a_only, overlap.b_only) == (2, 1, 2)
    assert overlap.by_label["claim"].matched == 2
    assert overlap.by_label["actor"].f1.value == 0.0
    # touching is not overlapping
    assert span_f1([(0, 5, "c")], [(5, 9, "c")], "overlap").matched == 0


def test_overlap_matching_is_one_to_one_and_maximal() -> None:
    # a greedy pairing of (0, 10) with (5, 20) would leave (12, 14) unmatched
    a = [(0, 10, "c"), (12, 14, "c")]
    b = [(5, 20, "c"), (0, 3, "c")]
    assert span_f1(a, b, "overlap").matched == 2
    # one long span cannot match three short ones
    assert (
        span_f1([(0, 100, "c")], [(0, 5, "c"), (10, 15, "c"), (20, 25, "c")], "overlap").matched
        == 1
    )
    # duplicate spans pair one to one in exact mode
    assert span_f1([(0, 5, "c")] * 2, [(0, 5, "c")] * 3).matched == 2


def _brute_matching(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    best = 0
    for k in range(min(len(a), len(b)), 0, -1):
        for chosen in itertools.combinations(range(len(a)), k):
            for image in itertools.permutations(range(len(b)), k):
                if all(
                    a[i][0] < b[j][1] and b[j][0] < a[i][1]
                    for i, j in zip(chosen, image, strict=True)
                ):
                    return k
    return best


spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=5,
)


@settings(max_examples=200)
@given(spans, spans)
def test_overlap_matching_equals_brute_force(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    result = span_f1([(*s, "c") for s in a], [(*s, "c") for s in b], "overlap")
    assert result.matched == _brute_matching(a, b)
    swapped = span_f1([(*s, "c") for s in b], [(*s, "c") for s in a], "overlap")
    assert (swapped.matched, swapped.f1.value) == (result.matched, result.f1.value)


def test_pooled_spans_and_characters_add_up_counts() -> None:
    one = span_f1([(0, 5, "c")], [(0, 5, "c"), (7, 9, "k")])
    two = span_f1([(1, 4, "k")], [])
    pooled = SpanF1.pooled([one, two])
    assert (pooled.matched, pooled.a_only, pooled.b_only) == (1, 1, 1)
    assert pooled.by_label["k"].recall.value == 0.0
    assert pooled.by_label["c"].f1.value == 1.0
    whole = CharacterAgreement.pooled(
        [character_agreement(600, [(0, 100)], [(50, 150)]), character_agreement(400, [], [])]
    )
    assert (whole.both, whole.a_only, whole.b_only, whole.neither) == (50, 50, 50, 850)


@settings(max_examples=150)
@given(
    st.integers(1, 60),
    st.lists(st.tuples(st.integers(0, 59), st.integers(1, 20), st.sampled_from("xy")), max_size=6),
    st.lists(st.tuples(st.integers(0, 59), st.integers(1, 20), st.sampled_from("xy")), max_size=6),
)
def test_character_agreement_equals_counting_characters(
    length: int, a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]
) -> None:
    a = [(s, min(s + n, length), lab) for s, n, lab in a if s < length]
    b = [(s, min(s + n, length), lab) for s, n, lab in b if s < length]
    results = character_agreement_by_label(length, a, b)
    for label, result in results.items():
        first = {i for s, e, lab in a if lab == label for i in range(s, e)}
        second = {i for s, e, lab in b if lab == label for i in range(s, e)}
        assert result.both == len(first & second)
        assert result.a_only == len(first - second)
        assert result.b_only == len(second - first)
        assert result.neither == length - len(first | second)
        assert result.agreement.value == pytest.approx(
            sum((i in first) == (i in second) for i in range(length)) / length
        )
        # the kappa is Cohen's kappa with each character a unit
        labels_a = [i in first for i in range(length)]
        labels_b = [i in second for i in range(length)]
        reference = cohen_kappa(labels_a, labels_b)
        if result.kappa.defined:
            assert result.kappa.value == pytest.approx(reference.value, abs=1e-12)
        else:
            assert reference.why == "only one category"


# --- unitizing: properties ------------------------------------------------------------------


def test_distance_of_segments_follows_krippendorff_2004() -> None:
    # Krippendorff (2004, p. 254): the pairs of units and the unit inside a gap
    assert _delta((225, 295, True), (220, 300, True)) == 50
    assert _delta((370, 400, True), (355, 375, True)) == 850
    assert _delta((400, 450, False), (400, 420, True)) == 400
    assert _delta((0, 10, True), (5, 20, False)) == 0  # the unit is not inside the gap
    assert _delta((0, 10, False), (5, 20, False)) == 0
    assert _delta((0, 1, True), (1, 2, True)) == 0  # units that do not overlap


units_strategy = st.lists(
    st.lists(st.tuples(st.integers(0, 45), st.integers(1, 15), st.sampled_from("ck")), max_size=5),
    min_size=2,
    max_size=4,
)


def _apart(
    lanes: list[list[tuple[int, int, str]]], length: int
) -> list[list[tuple[int, int, Hashable]]]:
    """Drop units that leave the continuum or overlap an earlier one of the same coder and category."""
    out: list[list[tuple[int, int, Hashable]]] = []
    for lane in lanes:
        kept: list[tuple[int, int, Hashable]] = []
        for s, n, c in lane:
            if s + n <= length and all(c != k or s + n <= t or t + m <= s for t, m, k in kept):
                kept.append((s, n, c))
        out.append(kept)
    return out


@settings(max_examples=150)
@given(units_strategy)
def test_observed_disagreement_equals_the_sum_over_all_segment_pairs(
    lanes: list[list[tuple[int, int, str]]],
) -> None:
    length = 60
    data = _apart(lanes, length)
    result = unitized_alpha(length, data)
    m = len(data)
    for category, figure in result.by_category.items():
        cut = [
            _segments(sorted((s, s + n) for s, n, c in lane if c == category), 0, length)
            for lane in data
        ]
        brute = sum(_delta(g, h) for x, y in itertools.combinations(cut, 2) for g in x for h in y)
        assert figure.observed == pytest.approx(2 * brute / (m * (m - 1) * length**2), abs=1e-15)


@settings(max_examples=100)
@given(units_strategy, st.permutations(range(4)), st.integers(0, 1000))
def test_unitized_alpha_ignores_coder_order_and_where_the_continuum_starts(
    lanes: list[list[tuple[int, int, str]]], order: list[int], begin: int
) -> None:
    data = _apart(lanes, 60)
    result = unitized_alpha(60, data)
    shuffled = [data[i] for i in order if i < len(data)]
    moved = [[(s + begin, n, c) for s, n, c in lane] for lane in shuffled]
    again = unitized_alpha(60, moved, begin=begin)
    if result.overall.value is None:
        assert (again.overall.value, again.overall.why) == (None, result.overall.why)
    else:
        assert again.overall.value == pytest.approx(result.overall.value, abs=1e-12)
    # identical coders agree perfectly whenever alpha_U is defined
    same = unitized_alpha(60, [data[0], data[0]])
    assert same.overall.value in (1.0, None)


def test_merge_overlaps_and_join_continua() -> None:
    merged = unitized_alpha(50, [[(0, 10, "c"), (5, 10, "c")], [(0, 15, "c")]], merge_overlaps=True)
    assert merged.overall.value == 1.0
    total, joined = join_continua(
        [(300, {"A": [(75, 70, "c")], "B": [(70, 80, "c")]}), (100, {"A": [(10, 5, "c")]})]
    )
    assert total == 400
    assert joined == {"A": [(75, 70, "c"), (310, 5, "c")], "B": [(70, 80, "c")]}
    assert unitized_alpha(total, joined).by_category["c"].n == 3


def test_numpy_and_pandas_style_input() -> None:
    np = pytest.importorskip("numpy")
    data = np.array([[1, 2, 3, np.nan], [1, 2, 2, 3]])
    assert krippendorff_alpha(data, "interval").n == 6
    ints = np.array([[1, 2, 3], [1, 2, 2]])
    assert krippendorff_alpha(ints, "ratio").defined
    assert unitized_alpha(np.int64(10), [[(np.int64(1), np.int64(3), "c")], []]).overall.n == 1
    with pytest.raises(InputError, match=r"the units by coder must be a list of values, not str"):
        unitized_alpha(10, "ab")  # type: ignore[arg-type]
