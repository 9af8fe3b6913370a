"""The sweep that turns overlapping spans into flat, layered segments for painting.

Given the spans touching a range, :func:`segments` cuts the range at every span edge
and says, for each piece, which spans cover it, outermost first (longer and earlier
spans are outer). The view paints the first as a background and each further layer
as a blended background plus an underline.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from annotator.core.spans import Span


def segments(spans: Iterable[Span], lo: int, hi: int) -> list[tuple[int, int, tuple[Span, ...]]]:
    """``(start, end, covering spans outermost first)`` for each covered piece of ``[lo, hi)``."""
    clipped = [s for s in spans if s.start < hi and s.end > lo]
    if not clipped:
        return []
    edges = sorted(
        {lo, hi} | {max(lo, s.start) for s in clipped} | {min(hi, s.end) for s in clipped}
    )
    order = sorted(clipped, key=lambda s: (s.start, -(s.end - s.start), s.id))
    rank = {s.id: i for i, s in enumerate(order)}
    out: list[tuple[int, int, tuple[Span, ...]]] = []
    # Sweep: spans start in order; keep the active set and drop ended ones.
    events_start = sorted(clipped, key=lambda s: max(lo, s.start))
    active: list[Span] = []
    j = 0
    for a, b in pairwise(edges):
        while j < len(events_start) and max(lo, events_start[j].start) <= a:
            active.append(events_start[j])
            j += 1
        active = [s for s in active if s.end > a]
        if active:
            covering = tuple(sorted(active, key=lambda s: rank[s.id]))
            if out and out[-1][1] == a and out[-1][2] == covering:
                out[-1] = (out[-1][0], b, covering)
            else:
                out.append((a, b, covering))
    return out
