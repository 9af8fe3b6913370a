"""Our coding measures equal three independent implementations on random data sets.

References (test extras only, never runtime dependencies): ``krippendorff`` (alpha at
four levels), statsmodels (Cohen's and Fleiss' kappa), nltk's ``AnnotationTask``
(kappa, pi, S, alpha). Data sets: 2-5 coders, 1-25 units, 1-4 categories, missing
values where the measure allows them. Agreement to 1e-9.
"""

from __future__ import annotations

import itertools
import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, interval_distance
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.core.agreement import (
    bennett_s,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)

TOLERANCE = 1e-9
Data = list[list[int | None]]


@st.composite
def reliability_data(
    draw: st.DrawFn, min_coders: int = 2, max_coders: int = 5, missing: bool = True
) -> Data:
    """Coders x units, values 0..q-1, about a third missing when ``missing``."""
    coders = draw(st.integers(min_coders, max_coders))
    units = draw(st.integers(1, 25))
    q = draw(st.integers(1, 4))
    value = st.integers(0, q - 1)
    cell = (st.none() | value | value) if missing else value
    return [[draw(cell) for _ in range(units)] for _ in range(coders)]


def _task(data: Data, distance: object = binary_distance) -> AnnotationTask:
    triples = [
        (f"c{c}", f"u{u:03d}", v)
        for c, row in enumerate(data)
        for u, v in enumerate(row)
        if v is not None
    ]
    return AnnotationTask(triples, distance=distance)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@settings(max_examples=150)
@given(data=reliability_data())
def test_alpha_equals_the_krippendorff_package(level: str, data: Data) -> None:
    ours = krippendorff_alpha(data, level)
    if not ours.defined:
        assert ours.why in ("only one category", "no unit coded by two or more coders")
        return
    array = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    reference = krippendorff.alpha(reliability_data=array, level_of_measurement=level)
    assert ours.value == pytest.approx(float(reference), abs=TOLERANCE)


@pytest.mark.parametrize("level", ["nominal", "interval"])
@settings(max_examples=100)
@given(data=reliability_data())
def test_alpha_equals_nltk(level: str, data: Data) -> None:
    ours = krippendorff_alpha(data, level)
    if not ours.defined:
        return  # nltk prints 1 here ("only one annotation value") or divides by zero
    distance = binary_distance if level == "nominal" else interval_distance
    assert ours.value == pytest.approx(_task(data, distance).alpha(), abs=TOLERANCE)


def _statsmodels_kappa(a: list[int | None], b: list[int | None]) -> float:
    labels = sorted({*a, *b})  # type: ignore[type-var]
    index = {label: i for i, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for x, y in zip(a, b, strict=True):
        table[index[x], index[y]] += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(sm_cohens_kappa(table, return_results=False))


@settings(max_examples=200)
@given(data=reliability_data(max_coders=2, missing=False))
def test_two_coder_measures_equal_statsmodels_and_nltk(data: Data) -> None:
    a, b = data
    task = _task(data)
    assert percent_agreement(a, b).value == pytest.approx(task.avg_Ao(), abs=TOLERANCE)
    assert bennett_s(a, b).value is None or bennett_s(a, b).value == pytest.approx(
        task.S(), abs=TOLERANCE
    )
    kappa, pi = cohen_kappa(a, b), scott_pi(a, b)
    if kappa.defined:
        assert kappa.value == pytest.approx(_statsmodels_kappa(a, b), abs=TOLERANCE)
        assert kappa.value == pytest.approx(task.kappa(), abs=TOLERANCE)
    else:
        # one category only: nltk reports 1.0 for this; we say why instead
        assert kappa.why == "only one category"
        assert task.kappa() == 1.0
    if pi.defined:
        assert pi.value == pytest.approx(task.pi(), abs=TOLERANCE)
    else:
        assert task.pi() == 1.0


@settings(max_examples=150)
@given(data=reliability_data(min_coders=3, missing=False))
def test_multi_coder_measures_equal_statsmodels_and_nltk(data: Data) -> None:
    categories, table = fleiss_table(data)
    reference_table, reference_categories = aggregate_raters(np.array(data).T)
    assert [int(c) for c in reference_categories] == categories
    assert table == reference_table.tolist()
    ours = fleiss_kappa(table)
    task = _task(data)
    if not ours.defined:
        assert ours.why == "only one category"
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert ours.value == pytest.approx(sm_fleiss_kappa(reference_table), abs=TOLERANCE)
    # Fleiss' kappa is Artstein & Poesio's multi-pi, which nltk computes as pi()
    assert ours.value == pytest.approx(task.pi(), abs=TOLERANCE)
    # nltk's multi-coder kappa is the mean of the pairwise Cohen's kappas
    pairwise = [cohen_kappa(x, y) for x, y in itertools.combinations(data, 2)]
    if all(k.defined for k in pairwise):
        mean = math.fsum(k.value for k in pairwise if k.value is not None) / len(pairwise)
        assert mean == pytest.approx(task.kappa(), abs=TOLERANCE)
