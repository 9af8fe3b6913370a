"""Candidates of the curation view: statuses, and where each curated span belongs."""

from __future__ import annotations

import random

import pytest

from annotator.core.agreement.units import CodedSpan
from annotator.core.curation import (
    AGREE,
    CURATED_ONLY,
    DISAGREE,
    SOME,
    candidates,
    check_curator,
)
from annotator.core.errors import InputError


def span(i: int, start: int, end: int, label: str, coder: str) -> CodedSpan:
    return CodedSpan(i, 1, start, end, label, coder)


@pytest.mark.parametrize(
    ("ana", "ben", "status"),
    [
        ((0, 5, "a"), (0, 5, "a"), AGREE),
        ((0, 5, "a"), (0, 5, "b"), DISAGREE),  # label
        ((0, 5, "a"), (1, 5, "a"), DISAGREE),  # boundaries
        ((0, 5, "a"), None, SOME),
    ],
)
def test_status_of_a_candidate(
    ana: tuple[int, int, str], ben: tuple[int, int, str] | None, status: str
) -> None:
    spans = [span(1, *ana, "Ana")] + ([span(2, *ben, "Ben")] if ben else [])
    (only,) = candidates(spans, ["Ana", "Ben"], "curation")
    assert only.status == status
    assert (only.agreed is not None) == (status == AGREE)
    assert only.missing == (() if ben else ("Ben",))


def test_some_coders_agreeing_among_three_is_only_some() -> None:
    spans = [span(1, 0, 5, "a", "Ana"), span(2, 0, 5, "a", "Ben")]
    (only,) = candidates(spans, ["Ana", "Ben", "Cem"], "curation")
    assert only.status == SOME and only.missing == ("Cem",)


def test_other_coders_spans_are_ignored_and_a_lone_curated_span_is_its_own_candidate() -> None:
    spans = [span(1, 0, 5, "a", "Ana"), span(2, 0, 5, "a", "Zed"), span(3, 10, 12, "a", "curation")]
    found = candidates(spans, ["Ana", "Ben"], "curation")
    assert [(c.status, c.start, c.end) for c in found] == [(SOME, 0, 5), (CURATED_ONLY, 10, 12)]


def _brute_owner(extents: list[tuple[int, int]], s: CodedSpan) -> int:
    best, best_overlap = -1, 0
    for i, (a, b) in enumerate(extents):
        overlap = min(b, s.end) - max(a, s.start)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


@pytest.mark.parametrize("seed", range(40))
def test_each_curated_span_goes_to_the_candidate_it_overlaps_most(seed: int) -> None:
    rng = random.Random(seed)
    spans = []
    for i in range(rng.randint(0, 40)):
        start = rng.randint(0, 200)
        coder = rng.choice(["Ana", "Ben", "Cem", "curation", "curation"])
        spans.append(span(i + 1, start, start + rng.randint(1, 30), rng.choice("ab"), coder))
    found = candidates(spans, ["Ana", "Ben", "Cem"], "curation")
    coded = [c for c in found if c.status != CURATED_ONLY]
    extents = [(c.start, c.end) for c in coded]
    curated = sorted(s.id for s in spans if s.coder == "curation")
    assert sorted(s.id for c in found for s in c.curated) == curated  # each exactly once
    for c in found:
        for s in c.curated:
            owner = _brute_owner(extents, s)
            if c.status == CURATED_ONLY:
                assert owner == -1
            else:
                assert coded[owner].key == c.key


@pytest.mark.parametrize(("name", "why"), [("  ", "needs a coder name"), ("Ana", "is one of")])
def test_a_curator_that_is_empty_or_a_coder_is_refused(name: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        check_curator(name, ["Ana", "Ben"])
    assert check_curator(" gold ", ["Ana"]) == "gold"
