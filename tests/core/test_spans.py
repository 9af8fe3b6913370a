from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.layers import segments
from annotator.core.spans import LONG_SPAN, Span, SpanIndex


@st.composite
def span_sets(draw: st.DrawFn) -> list[Span]:
    n = draw(st.integers(0, 60))
    out = []
    for i in range(n):
        start = draw(st.integers(0, 2000))
        length = draw(st.one_of(st.integers(1, 50), st.integers(1, LONG_SPAN * 2)))
        out.append(Span(i + 1, start, start + length, draw(st.integers(1, 4))))
    return out


def brute(spans: list[Span], a: int, b: int) -> list[Span]:
    return sorted((s for s in spans if s.touches(a, b)), key=lambda s: (s.start, s.end, s.id))


@settings(max_examples=200)
@given(span_sets(), st.integers(0, 12000), st.integers(0, 300))
def test_touching_equals_brute_force(spans: list[Span], a: int, width: int) -> None:
    index = SpanIndex(spans)
    assert index.touching(a, a + width) == brute(spans, a, a + width)


@given(span_sets(), st.data())
def test_add_and_remove_keep_queries_exact(spans: list[Span], data: st.DataObject) -> None:
    index = SpanIndex()
    for s in spans:
        index.add(s)
    removed = data.draw(st.lists(st.sampled_from(spans), unique=True) if spans else st.just([]))
    for s in removed:
        assert index.remove(s.id) == s
    left = [s for s in spans if s not in removed]
    assert len(index) == len(left)
    assert list(index) == brute(left, 0, 10**9)
    for a in range(0, 2100, 97):
        assert index.touching(a, a + 40) == brute(left, a, a + 40)
        assert index.touching(a, a) == brute(left, a, a)


def test_get_returns_span_or_none() -> None:
    index = SpanIndex([Span(1, 0, 5, 1), Span(2, 3, 3 + LONG_SPAN + 1, 2)])
    assert index.get(1) == Span(1, 0, 5, 1)
    assert index.get(2) == Span(2, 3, 3 + LONG_SPAN + 1, 2)
    assert index.get(3) is None


@given(span_sets(), st.integers(0, 2000), st.integers(1, 400))
def test_segments_cover_exactly_the_covered_points(spans: list[Span], lo: int, width: int) -> None:
    hi = lo + width
    segs = segments(spans, lo, hi)
    for a, b, covering in segs:
        assert lo <= a < b <= hi
        for point in (a, b - 1):
            assert {s.id for s in covering} == {s.id for s in spans if s.start <= point < s.end}
        # outermost first: longer spans before the shorter ones they contain
        assert list(covering) == sorted(covering, key=lambda s: (s.start, -(s.end - s.start), s.id))
    covered = {p for s in spans for p in range(max(lo, s.start), min(hi, s.end))}
    assert covered == {p for a, b, _ in segs for p in range(a, b)}
