"""Agreement on spans: span-level precision/recall/F1, and NVivo-style character agreement.

Spans are ``(start, end, label)`` in code points, end exclusive, as everywhere in
Annotator (note: :func:`~annotator.core.agreement.unitized_alpha` takes
``(start, length, category)`` units, as Krippendorff writes them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Literal

from annotator.core.agreement.result import Agreement, as_list, undefined, whole_number
from annotator.core.errors import InputError

Span = tuple[int, int, Hashable]
"""A span ``(start, end, label)``: code points, end exclusive."""

MODES = ("exact", "overlap")


@dataclass(frozen=True, slots=True)
class SpanF1:
    """How two coders' spans match: counts, and precision/recall/F1 of B against A.

    ``matched`` pairs (each span in at most one pair), ``a_only`` spans of A and
    ``b_only`` spans of B left unmatched. ``precision = matched / |B|``,
    ``recall = matched / |A|``, ``f1 = 2 matched / (|A| + |B|)`` (symmetric in A and B).
    ``by_label`` holds the same per label.
    """

    mode: str
    matched: int
    a_only: int
    b_only: int
    precision: Agreement
    recall: Agreement
    f1: Agreement
    by_label: dict[Hashable, SpanF1] = field(default_factory=dict)

    @classmethod
    def pooled(cls, parts: Iterable[SpanF1]) -> SpanF1:
        """The figures over several documents: matched and unmatched counts added up."""
        items = list(parts)
        modes = {p.mode for p in items}
        if len(modes) > 1:
            raise InputError("cannot pool exact-match and overlap-match figures")
        mode = modes.pop() if modes else "exact"
        labels: dict[Hashable, list[int]] = {}
        for part in items:
            for label, sub in part.by_label.items():
                sums = labels.setdefault(label, [0, 0, 0])
                sums[0] += sub.matched
                sums[1] += sub.matched + sub.a_only
                sums[2] += sub.matched + sub.b_only
        per_label = {label: _counts(mode, *sums) for label, sums in labels.items()}
        return _with_labels(
            _counts(
                mode,
                sum(p.matched for p in items),
                sum(p.matched + p.a_only for p in items),
                sum(p.matched + p.b_only for p in items),
            ),
            per_label,
        )


def _spans(spans: Iterable[Span], who: str) -> list[tuple[int, int, Hashable]]:
    out = []
    for span in as_list(spans, f"the spans of {who}"):
        if not isinstance(span, tuple | list) or len(span) != 3:
            raise InputError(f"{who}: a span must be (start, end, label), not {span!r}")
        start, end, label = span
        if type(start) is not int:  # (the common case skips building the message)
            start = whole_number(start, f"{who}: the start of a span")
        if type(end) is not int:
            end = whole_number(end, f"{who}: the end of a span")
        try:
            hash(label)
        except TypeError:
            raise InputError(f"{who}: a label must be a plain value, not {label!r}") from None
        if not 0 <= start < end:
            raise InputError(f"{who}: the span {tuple(span)!r} needs 0 <= start < end")
        out.append((start, end, label))
    return out


def matched_count(a: list[tuple[int, int]], b: list[tuple[int, int]], mode: str) -> int:
    """How many one-to-one pairs two coders' spans of one label form (see :func:`span_f1`);
    the spans are ``(start, end)``, already checked."""
    if mode == "exact":
        set_a, set_b = set(a), set(b)
        if len(set_a) == len(a) and len(set_b) == len(b):  # no span twice: a set is enough
            return len(set_a & set_b)
        return sum((Counter(a) & Counter(b)).values())
    if not a or not b:
        return 0
    return _overlap_matching(a, b)


def _overlap_matching(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """The size of a maximum one-to-one matching of spans of A and B that overlap.

    Greedy, and optimal: take the span that ends first; pair it with the span of the
    other coder that overlaps it and ends first (or drop it when none does), and repeat.
    Exchange argument: let x end first and y be its partner so chosen. In a maximum
    matching where x is paired with y' and y with x'', pairing x-y and x''-y' instead
    keeps the size, since y' starts before x ends (x ends first of all, so before x''
    ends) and x'' starts before y ends (y ends no later than y'); where x or y is
    unpaired, pairing them loses nothing. The spans of the other coder that overlap the
    span ending first are those that start before it ends: a heap of them, by end.
    """
    by_end = [(e, s, 0, i) for i, (s, e) in enumerate(a)]
    by_end += [(e, s, 1, i) for i, (s, e) in enumerate(b, len(a))]
    by_end.sort()
    by_start = sorted([(s, e, side, i) for e, s, side, i in by_end])
    waiting: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])  # (end, index)
    done = [False] * len(by_end)
    count = len(by_end)
    k = matched = 0
    for end, _, side, x in by_end:
        if done[x]:
            continue
        done[x] = True
        while k < count and by_start[k][0] < end:  # started before x ends
            _, other_end, other_side, i = by_start[k]
            heappush(waiting[other_side], (other_end, i))
            k += 1
        other = waiting[1 - side]
        while other and done[other[0][1]]:
            heappop(other)
        if other:  # it ends no earlier than x (x ends first of those left): they overlap
            done[heappop(other)[1]] = True
            matched += 1
    return matched


def f1_of_counts(matched: int, size_a: int, size_b: int) -> Agreement:
    """F1 = 2 matched / (|A| + |B|), undefined when neither coder marked a span."""
    total = size_a + size_b
    if total:
        return Agreement("F1", 2 * matched / total, total, "spans")
    return undefined("F1", "neither coder marked a span", 0, "spans")


def span_f1_of_counts(mode: str, counts: dict[Hashable, list[int]]) -> SpanF1:
    """The :class:`SpanF1` of per-label ``[matched, |A|, |B|]`` counts (e.g. summed over
    documents), with ``by_label``."""
    per_label = {label: _counts(mode, *sums) for label, sums in counts.items()}
    totals = [sum(sums[k] for sums in counts.values()) for k in range(3)]
    return _with_labels(_counts(mode, *totals), per_label)


def _counts(mode: str, matched: int, size_a: int, size_b: int) -> SpanF1:
    if size_b:
        precision = Agreement("precision", matched / size_b, size_b, "spans of B")
    else:
        precision = undefined("precision", "coder B marked no span", 0, "spans of B")
    if size_a:
        recall = Agreement("recall", matched / size_a, size_a, "spans of A")
    else:
        recall = undefined("recall", "coder A marked no span", 0, "spans of A")
    f1 = f1_of_counts(matched, size_a, size_b)
    return SpanF1(mode, matched, size_a - matched, size_b - matched, precision, recall, f1)


def span_f1(
    a: Iterable[Span], b: Iterable[Span], mode: Literal["exact", "overlap"] | str = "exact"
) -> SpanF1:
    """Precision, recall and F1 of coder B's spans against coder A's.

    Matching rule: a span of A and a span of B can be paired when they have the same
    label and, in ``mode="exact"``, the same start and end, or, in ``mode="overlap"``,
    share at least one character (``a.start < b.end and b.start < a.end``). Each span
    is in at most one pair, and as many pairs as possible are formed (a maximum
    one-to-one matching; for exact matching that is the smaller count of each
    identical span). Then ``precision = matched / |B|``, ``recall = matched / |A|``,
    ``F1 = 2 matched / (|A| + |B|)``.
    """
    if mode not in MODES:
        raise InputError(f"unknown matching mode {mode!r}: use exact or overlap")
    first = _spans(a, "coder A")
    second = _spans(b, "coder B")
    by_label_a: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    by_label_b: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    for s, e, label in first:
        by_label_a[label].append((s, e))
    for s, e, label in second:
        by_label_b[label].append((s, e))
    per_label: dict[Hashable, SpanF1] = {}
    total = 0
    for label in list(dict.fromkeys([*by_label_a, *by_label_b])):
        spans_a, spans_b = by_label_a.get(label, []), by_label_b.get(label, [])
        matched = matched_count(spans_a, spans_b, mode)
        total += matched
        per_label[label] = _counts(mode, matched, len(spans_a), len(spans_b))
    return _with_labels(_counts(mode, total, len(first), len(second)), per_label)


def _with_labels(result: SpanF1, per_label: dict[Hashable, SpanF1]) -> SpanF1:
    return SpanF1(
        result.mode,
        result.matched,
        result.a_only,
        result.b_only,
        result.precision,
        result.recall,
        result.f1,
        per_label,
    )


# --- characters (NVivo's coding comparison) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class CharacterAgreement:
    """Per-character agreement of two coders on one label, as NVivo's coding comparison.

    Every character of the text is one unit, coded (with this label) or not by each
    coder: ``both``, ``a_only``, ``b_only``, ``neither`` count them. ``agreement`` is
    ``(both + neither) / length`` (``percent`` is the same times 100); ``kappa`` is
    Cohen's kappa on that 2 x 2 table, undefined when neither coder coded a character
    or both coded every one (no variation).
    """

    length: int
    both: int
    a_only: int
    b_only: int
    neither: int
    agreement: Agreement
    kappa: Agreement

    @property
    def percent(self) -> float | None:
        """The percent agreement, 0 to 100 (``None`` when the text is empty)."""
        return None if self.agreement.value is None else 100.0 * self.agreement.value

    @classmethod
    def from_counts(cls, both: int, a_only: int, b_only: int, neither: int) -> CharacterAgreement:
        """The figures of a 2 x 2 table of characters (e.g. summed over documents)."""
        counts = [whole_number(c, "a character count") for c in (both, a_only, b_only, neither)]
        if any(c < 0 for c in counts):
            raise InputError("character counts cannot be negative")
        length = sum(counts)
        if not length:
            empty = undefined("percent agreement", "the text is empty", 0, "characters")
            return cls(
                0, 0, 0, 0, 0, empty, undefined("kappa", "the text is empty", 0, "characters")
            )
        observed = (both + neither) / length
        agreement = Agreement(
            "percent agreement", observed, length, "characters", observed=observed
        )
        p_a = (both + a_only) / length
        p_b = (both + b_only) / length
        if both + a_only + b_only == 0:
            kappa = undefined(
                "kappa", "neither coder coded a character with this label", length, "characters"
            )
        elif neither + a_only + b_only == 0:
            kappa = undefined("kappa", "both coders coded every character", length, "characters")
        else:
            expected = p_a * p_b + (1 - p_a) * (1 - p_b)
            value = (observed - expected) / (1 - expected)
            kappa = Agreement("kappa", value, length, "characters", None, observed, expected)
        return cls(length, both, a_only, b_only, neither, agreement, kappa)

    @classmethod
    def pooled(cls, parts: Iterable[CharacterAgreement]) -> CharacterAgreement:
        """The figures over several texts: their character counts added up."""
        items = list(parts)
        return cls.from_counts(
            sum(p.both for p in items),
            sum(p.a_only for p in items),
            sum(p.b_only for p in items),
            sum(p.neither for p in items),
        )


def _covered(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``spans`` as sorted, disjoint intervals."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _size(intervals: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in intervals)


def _intersection(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> int:
    i = j = total = 0
    while i < len(x) and j < len(y):
        lo, hi = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if lo < hi:
            total += hi - lo
        if x[i][1] <= y[j][1]:
            i += 1
        else:
            j += 1
    return total


def _ranges(spans: Iterable[tuple[int, int]], length: int, who: str) -> list[tuple[int, int]]:
    out = []
    for span in as_list(spans, f"the spans of {who}"):
        if not isinstance(span, tuple | list) or len(span) != 2:
            raise InputError(f"{who}: a span must be (start, end), not {span!r}")
        start, end = span
        if type(start) is not int:  # (the common case skips building the message)
            start = whole_number(start, f"{who}: the start of a span")
        if type(end) is not int:
            end = whole_number(end, f"{who}: the end of a span")
        if not 0 <= start < end <= length:
            raise InputError(
                f"{who}: the span {tuple(span)!r} is outside the text "
                f"(0 <= start < end <= {length})"
            )
        out.append((start, end))
    return out


def character_agreement(
    length: int, a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]
) -> CharacterAgreement:
    """NVivo-style agreement of two coders on one label over a text of ``length``.

    ``a`` and ``b`` are each coder's ``(start, end)`` spans with this label; overlapping
    spans of one coder count each character once.
    """
    length = whole_number(length, "the length of the text")
    if length < 0:
        raise InputError(f"the length of the text cannot be negative ({length})")
    first = _covered(_ranges(a, length, "coder A"))
    second = _covered(_ranges(b, length, "coder B"))
    both = _intersection(first, second)
    a_only = _size(first) - both
    b_only = _size(second) - both
    return CharacterAgreement.from_counts(both, a_only, b_only, length - both - a_only - b_only)


def character_agreement_by_label(
    length: int, a: Iterable[Span], b: Iterable[Span]
) -> dict[Hashable, CharacterAgreement]:
    """:func:`character_agreement` per label, for ``(start, end, label)`` spans."""
    first: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    second: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    for s, e, label in _spans(a, "coder A"):
        first[label].append((s, e))
    for s, e, label in _spans(b, "coder B"):
        second[label].append((s, e))
    return {
        label: character_agreement(length, first.get(label, []), second.get(label, []))
        for label in dict.fromkeys([*first, *second])
    }
