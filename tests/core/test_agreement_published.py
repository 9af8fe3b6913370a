"""The agreement measures reproduce the numbers published with their data sets.

Every figure is checked to the 3 decimals the source prints, through the public API.
"""

from __future__ import annotations

import pytest

from annotator.core.agreement import (
    bennett_s,
    character_agreement,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    unitized_alpha,
)


def _expand(cells: list[tuple[int, str, str]]) -> tuple[list[str], list[str]]:
    """Two coders' label lists from a contingency table given as (count, A, B) cells."""
    a: list[str] = []
    b: list[str] = []
    for count, x, y in cells:
        a += [x] * count
        b += [y] * count
    return a, b


def test_artstein_poesio_2008() -> None:
    # Artstein & Poesio (2008), Computational Linguistics 34(4), table on p. 558 and 560
    a, b = _expand(
        [(20, "STAT", "STAT"), (20, "IReq", "STAT"), (10, "STAT", "IReq"), (50, "IReq", "IReq")]
    )
    assert percent_agreement(a, b).value == pytest.approx(0.700, abs=5e-4)
    assert bennett_s(a, b).value == pytest.approx(0.400, abs=5e-4)
    assert scott_pi(a, b).value == pytest.approx(0.341, abs=5e-4)
    assert cohen_kappa(a, b).value == pytest.approx(0.348, abs=5e-4)
    alpha = krippendorff_alpha([a, b], "nominal")
    assert alpha.value == pytest.approx(0.344, abs=5e-4)
    assert (cohen_kappa(a, b).n, alpha.n) == (100, 200)


def test_cohen_1960() -> None:
    # Cohen (1960), Educational and Psychological Measurement 20(1), table 1
    rows = [(88, 14, 18), (10, 40, 10), (2, 6, 12)]
    cells = [(rows[i][j], f"c{i}", f"c{j}") for i in range(3) for j in range(3)]
    a, b = _expand(cells)
    kappa = cohen_kappa(a, b)
    assert kappa.value == pytest.approx(0.492, abs=5e-4)
    assert kappa.n == 200


# Fleiss (1971), Psychological Bulletin 76(5), p. 379: 30 patients, 6 psychiatrists each,
# diagnoses 1-5 (depression, personality disorder, schizophrenia, neurosis, other).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip


def test_fleiss_1971() -> None:
    table = [[row.count(d) for d in range(1, 6)] for row in FLEISS_1971]
    kappa = fleiss_kappa(table)
    assert kappa.value == pytest.approx(0.430, abs=5e-4)  # not Davies-Fleiss' 0.442
    assert kappa.observed == pytest.approx(0.5556, abs=5e-5)
    # Fleiss prints 0.2201, summed from the proportions rounded to 3 decimals
    assert kappa.expected == pytest.approx(0.2201, abs=2e-4)
    assert kappa.n == 30
    # the same table built from the ratings (raters x patients)
    categories, built = fleiss_table([list(r) for r in zip(*FLEISS_1971, strict=True)])
    assert categories == [1, 2, 3, 4, 5]
    assert built == table


def test_krippendorff_2004_four_coders_with_missing_values() -> None:
    # Krippendorff (2004), Content Analysis, 2nd ed., p. 230: 4 observers, 12 units
    data = [
        ["B", "L", "P", "P", "L", "B", "C", "B", "L", None, None, None],
        ["B", "L", "P", "P", "L", "L", "C", "B", "L", "F", None, None],
        [None, "P", "P", "P", "L", "P", "C", "L", "L", "F", "B", "P"],
        ["B", "L", "P", "P", "L", "C", "C", "B", "L", "F", "B", None],
    ]
    alpha = krippendorff_alpha(data, "nominal")
    assert alpha.value == pytest.approx(0.743, abs=5e-4)
    assert alpha.observed == pytest.approx(0.200, abs=5e-4)
    assert alpha.expected == pytest.approx(0.779, abs=5e-4)
    assert alpha.n == 40  # the single value of unit 12 is not pairable


# Hayes & Krippendorff (2007), Communication Methods and Measures 1(1), p. 84:
# 5 observers, 40 units, ordinal judgements 0-3 (None: not judged). One row per unit.
HAYES_KRIPPENDORFF_2007 = [
    (1, 1, 2, None, 2), (1, 1, 0, 1, None), (2, 3, 3, 3, None), (None, 0, 0, None, 0),
    (0, 0, 0, None, 0), (0, 0, 0, None, 0), (1, 0, 2, None, 1), (1, None, 2, 0, None),
    (2, 2, 2, None, 2), (2, 1, 1, 1, None), (None, 1, 0, 0, None), (0, 0, 0, 0, None),
    (1, 2, 2, 2, None), (3, 3, 2, 2, 3), (1, 1, 1, None, 1), (1, 1, 1, None, 1),
    (2, 1, 2, None, 2), (1, 2, 3, 3, None), (1, 1, 0, 1, None), (0, 0, 0, None, 0),
    (0, 0, 1, 1, None), (0, 0, None, 0, 0), (2, 3, 3, 3, None), (0, 0, 0, 0, None),
    (1, 2, None, 2, 2), (0, 1, 1, 1, None), (0, 0, 0, 1, 0), (1, 2, 1, 2, None),
    (1, 1, 2, 2, None), (1, 1, 2, None, 2), (1, 1, 0, None, 0), (2, 1, 2, 1, None),
    (2, 2, None, 2, 2), (3, 2, 2, 2, None), (2, 2, 2, None, 2), (2, 2, 3, None, 2),
    (2, 2, 2, None, 2), (2, 2, None, 1, 2), (2, 2, 2, 2, None), (1, 1, 1, None, 1),
]  # fmt: skip


def test_hayes_krippendorff_2007_ordinal() -> None:
    data = [list(coder) for coder in zip(*HAYES_KRIPPENDORFF_2007, strict=True)]
    assert (len(data), len(data[0])) == (5, 40)
    alpha = krippendorff_alpha(data, "ordinal")
    assert alpha.value == pytest.approx(0.7598, abs=5e-5)
    # the same judgements ranked by an explicit order of words give the same alpha
    words = ["none", "low", "mid", "high"]
    named = [[None if v is None else words[v] for v in coder] for coder in data]
    assert krippendorff_alpha(named, "ordinal", order=words).value == pytest.approx(
        alpha.value, abs=1e-12
    )


def test_krippendorff_2004_unitizing() -> None:
    # Krippendorff (2004), Content Analysis, 2nd ed., p. 254: the continuum 150-450
    a = [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")]
    b = [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")]
    result = unitized_alpha(300, {"i": a, "j": b}, begin=150)
    assert result.overall.value == pytest.approx(0.859, abs=5e-4)
    c, k = result.by_category["c"], result.by_category["k"]
    assert c.value == pytest.approx(0.729, abs=5e-4)
    assert c.observed == pytest.approx(0.0144, abs=5e-5)
    assert c.expected == pytest.approx(0.0532, abs=5e-5)
    assert k.value == pytest.approx(1.000, abs=5e-4)
    assert k.expected == pytest.approx(0.0490, abs=5e-5)
    assert (result.overall.n, c.n, k.n) == (9, 5, 4)
    # the same units given as offsets from 0 on a continuum of the same length
    shifted = [[(s - 150, n, cat) for s, n, cat in units] for units in (a, b)]
    assert unitized_alpha(300, shifted).overall.value == pytest.approx(
        result.overall.value, abs=1e-15
    )


def test_nvivo_character_agreement() -> None:
    # 1000 characters: 50 coded by both, 100 by A only, 50 by B only, 800 by neither
    result = character_agreement(1000, [(0, 150)], [(100, 200)])
    assert (result.both, result.a_only, result.b_only, result.neither) == (50, 100, 50, 800)
    assert f"{result.percent:.2f} %" == "85.00 %"
    assert result.kappa.value == pytest.approx(0.318, abs=5e-4)
    assert result.kappa.n == 1000


def test_krippendorff_2004_further_coding_examples() -> None:
    # Krippendorff (2004), p. 224: two observers, ten units, binary values
    a = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    b = [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
    binary = krippendorff_alpha([a, b])
    assert (binary.value, binary.observed, binary.expected) == pytest.approx(
        (0.095, 0.400, 0.442), abs=5e-4
    )
    assert percent_agreement(a, b).value == pytest.approx(0.600)
    # p. 227: two observers, twelve units, three categories
    a2 = list("aabbbbbccccc")
    b2 = list("abbbbbcccccc")
    assert krippendorff_alpha([a2, b2]).value == pytest.approx(0.734, abs=5e-4)
    # p. 230 with numbers: the interval alpha
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    interval = krippendorff_alpha(data, "interval")
    assert (interval.value, interval.observed, interval.expected) == pytest.approx(
        (0.849, 0.433, 2.872), abs=5e-4
    )
    # p. 246: the same agreement, different marginals: pi and S agree, kappa does not
    cells = [
        (12, "a", "a"), (9, "a", "b"), (9, "a", "c"), (9, "b", "a"), (14, "b", "b"),
        (9, "b", "c"), (9, "c", "a"), (9, "c", "b"), (20, "c", "c"),
    ]  # fmt: skip
    x, y = _expand(cells)
    assert percent_agreement(x, y).value == pytest.approx(0.460, abs=5e-4)
    assert bennett_s(x, y).value == pytest.approx(0.190, abs=5e-4)
    assert scott_pi(x, y).value == pytest.approx(0.186, abs=5e-4)
    assert cohen_kappa(x, y).value == pytest.approx(0.186, abs=5e-4)
    skewed = [
        (12, "a", "a"), (18, "a", "b"), (18, "a", "c"), (14, "b", "b"), (18, "b", "c"),
        (20, "c", "c"),
    ]  # fmt: skip
    x, y = _expand(skewed)
    assert scott_pi(x, y).value == pytest.approx(0.186, abs=5e-4)
    assert cohen_kappa(x, y).value == pytest.approx(0.258, abs=5e-4)


def _krippendorff_1995(stretch: int) -> dict[int, list[tuple[int, int, str]]]:
    """Krippendorff (1995, p. 57): four pairs of observers (A-D) on 24 positions."""
    units = {
        "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)]),
        "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
        "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
        "D": (
            [(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
            [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)],
        ),
    }
    coders: dict[int, list[tuple[int, int, str]]] = {0: [], 1: []}
    for category, lanes in units.items():
        for coder, lane in enumerate(lanes):
            coders[coder] += [(s * stretch, n * stretch, category) for s, n in lane]
    return coders


def test_krippendorff_1995_unitizing() -> None:
    observed = unitized_alpha(24, _krippendorff_1995(1)).by_category
    assert [observed[c].observed for c in "ABCD"] == pytest.approx(
        [0.03125, 2.26736, 0.02777, 0.38715], abs=1e-5
    )
    # stretched towards a continuum, as Krippendorff computes the expected values
    # (DKPro Agreement notes a small error in the paper's D_e, hence 0.005 and 0.02)
    stretched = unitized_alpha(24 * 50_000, _krippendorff_1995(50_000)).by_category
    assert [stretched[c].expected for c in "ABCD"] == pytest.approx(
        [0.06990, 1.17731, 0.08642, 0.41445], abs=5e-3
    )
    assert [stretched[c].value for c in "ABCD"] == pytest.approx(
        [0.553, -0.926, 0.679, 0.066], abs=0.02
    )
