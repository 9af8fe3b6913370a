"""Search a text and list the hits as keyword in context (KWIC), without Qt.

Offsets are code points of the text searched (DESIGN.md), so a hit can become an
annotation as it is. Three modes:

``plain``
    the query as written. A hit never splits a user-perceived character: ``e`` does
    not find the ``e`` of a decomposed ``é`` and ``👍`` does not find the thumb of
    ``👍🏽`` (they are other characters; regex mode widens instead, see below).
``word``
    plain, and an edge of the query that is a letter or digit must not sit inside a
    word of the text. Letters are Unicode letters (Armenian, Arabic, accented Latin),
    combining marks belong to their letter, so ``Հայաստան`` is not found inside
    ``Հայաստանի`` and ``France`` is found in ``France’s``.
``regex``
    a Python regular expression (:mod:`re`, with ``MULTILINE``: ``^`` and ``$`` match
    at line ends). Empty matches are skipped; a match that ends or starts inside a
    user-perceived character is widened to the whole character.

Case-insensitive search never searches a lower-cased copy of the text blindly, since
case folding can change lengths (``ß`` -> ``ss``, ``İ`` -> ``i̇``) and offsets would
drift. It runs :mod:`re` with ``IGNORECASE`` on the original text (which also knows
that ``istanbul`` matches ``İstanbul``) and, in plain and word mode when the query or
the text holds a character whose full case folding is longer than one code point, a
second pass over the fully case-folded text whose hits are kept only when both ends
fall between original characters, and mapped back exactly (so ``strasse`` finds
``Straße`` and ``STRASSE``). The hits of both passes are merged left to right.

Guard: :mod:`re` cannot be interrupted or given a time limit, so an expression with
catastrophic backtracking (``(a+)+$`` on a long run of ``a``) can still take very long
in one document. What is bounded: the query length (:data:`MAX_QUERY`) and the number
of hits (:data:`MAX_HITS`; :func:`kwic` returns at most that many).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from annotator.core.errors import InputError
from annotator.core.snapping import cluster_end, cluster_start, is_word_char

Mode = Literal["plain", "word", "regex"]
MODES: tuple[Mode, ...] = ("plain", "word", "regex")
MAX_HITS = 100_000
MAX_QUERY = 10_000  # code points


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence: ``text[start:end] == match``, with its context either side."""

    start: int
    end: int
    left: str
    match: str
    right: str


@dataclass(frozen=True, slots=True)
class Query:
    """A checked, compiled query; build it once with :func:`compile_query`."""

    text: str
    mode: Mode
    case_sensitive: bool
    pattern: re.Pattern[str]
    folded: str  # the query fully case-folded (case-insensitive plain and word mode)


def compile_query(query: str, *, mode: str = "plain", case_sensitive: bool = False) -> Query:
    """Check *query* and compile it; raise :class:`InputError` with a readable message."""
    if mode not in MODES:
        raise InputError(f"unknown search mode '{mode}' (choose plain, word or regex)")
    if len(query) > MAX_QUERY:
        raise InputError(
            f"the search text is too long ({len(query)} characters, at most {MAX_QUERY})"
        )
    flags = re.MULTILINE | (0 if case_sensitive else re.IGNORECASE)
    source = query if mode == "regex" else re.escape(query)
    try:
        pattern = re.compile(source, flags)
    except re.error as exc:
        where = f" at position {exc.pos + 1}" if exc.pos is not None else ""
        raise InputError(f"not a valid regular expression: {exc.msg}{where}") from None
    except (RecursionError, OverflowError, ValueError) as exc:
        raise InputError(f"not a valid regular expression: {exc}") from None
    m: Mode = mode  # type: ignore[assignment]
    return Query(query, m, case_sensitive, pattern, query.casefold())


def find_spans(text: str, query: Query, *, limit: int = MAX_HITS) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each hit of *query* in *text*, left to right, at most *limit*."""
    if not query.text or limit <= 0:
        return
    if query.mode == "regex":
        spans = _regex_spans(text, query.pattern)
    else:
        spans = _plain_spans(text, query)
    for count, span in enumerate(spans, 1):
        yield span
        if count >= limit:
            return


def kwic(
    text: str,
    query: str | Query,
    *,
    mode: str = "plain",
    case_sensitive: bool = False,
    context: int = 60,
    limit: int = MAX_HITS,
) -> list[Hit]:
    """Every hit of *query* in *text* with *context* code points either side (at most *limit*).

    A result of exactly *limit* hits may have been cut short.
    """
    if context < 0:
        raise InputError("the context cannot be negative")
    q = (
        query
        if isinstance(query, Query)
        else compile_query(query, mode=mode, case_sensitive=case_sensitive)
    )
    return [hit_at(text, s, e, context) for s, e in find_spans(text, q, limit=limit)]


def hit_at(text: str, start: int, end: int, context: int = 60) -> Hit:
    """The KWIC line of ``[start, end)``; the context never splits a character either."""
    left_start = min(start, cluster_end(text, max(0, start - context)))
    right_end = max(end, cluster_start(text, min(len(text), end + context)))
    return Hit(start, end, text[left_start:start], text[start:end], text[end:right_end])


def covered(hits: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int]]) -> list[bool]:
    """For each hit ``(start, end)``: does one of *spans* contain it whole?"""
    ordered = sorted(spans)
    order = sorted(range(len(hits)), key=lambda i: hits[i][0])
    out = [False] * len(hits)
    reach, k = -1, 0  # the furthest end of the spans starting at or before the hit
    for i in order:
        start, end = hits[i]
        while k < len(ordered) and ordered[k][0] <= start:
            reach = max(reach, ordered[k][1])
            k += 1
        out[i] = reach >= end
    return out


# -- plain and word mode -----------------------------------------------------------


def _plain_spans(text: str, query: Query) -> Iterator[tuple[int, int]]:
    word = query.mode == "word"
    if query.case_sensitive:
        candidates: Iterator[tuple[int, int]] = _find_all(text, query.text)
    else:
        candidates = _pattern_all(text, query.pattern)
        if _expands(query.text) or _expands(text):
            candidates = _merge(candidates, _folded_all(text, query.folded))
    last_end = 0
    for start, end in candidates:
        if start < last_end or not _whole_characters(text, start, end):
            continue
        if word and not _word_edges(text, start, end):
            continue
        last_end = end
        yield start, end


def _find_all(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """Every occurrence, overlapping ones too (a rejected hit must not hide the next)."""
    at = text.find(needle)
    while at != -1:
        yield at, at + len(needle)
        at = text.find(needle, at + 1)


def _pattern_all(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    pos, n = 0, len(text)
    while pos <= n:
        m = pattern.search(text, pos)
        if m is None:
            return
        if m.end() > m.start():
            yield m.start(), m.end()
        pos = m.start() + 1


def _merge(*streams: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Sorted streams into one by start, the longer first at equal starts."""
    return heapq.merge(*streams, key=lambda span: (span[0], -span[1]))


@cache
def _expanding() -> re.Pattern[str]:
    """Characters whose full case folding is longer than one code point (ß, İ, ﬁ, և...)."""
    chars = [
        chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000 and len(chr(c).casefold()) > 1
    ]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def _expands(text: str) -> bool:
    return _expanding().search(text) is not None


def _folded_all(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """Occurrences of the folded *needle* in the folded *text*, mapped back to *text*.

    Only hits that start and end between two original characters are kept.
    """
    if not needle:
        return
    folded = text.casefold()
    # each character that grows when folded: its start in the folded text, its folded
    # length, and how many code points all growth up to and including it adds
    starts: list[int] = []
    lengths: list[int] = []
    extra: list[int] = []
    grown = 0
    for m in _expanding().finditer(text):
        size = len(m.group().casefold())
        starts.append(m.start() + grown)
        lengths.append(size)
        grown += size - 1
        extra.append(grown)

    def original(p: int) -> int | None:
        k = bisect_right(starts, p) - 1
        if k < 0:
            return p
        if starts[k] < p < starts[k] + lengths[k]:
            return None  # inside the folding of one character
        if p == starts[k]:
            return p - (extra[k] - lengths[k] + 1)
        return p - extra[k]

    at = folded.find(needle)
    while at != -1:
        start, end = original(at), original(at + len(needle))
        if start is not None and end is not None and end > start:
            yield start, end
        at = folded.find(needle, at + 1)


# -- regex mode ----------------------------------------------------------------------


def _regex_spans(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    last_end = 0
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        start, end = cluster_start(text, m.start()), cluster_end(text, m.end())
        if start < last_end:
            continue
        last_end = end
        yield start, end


# -- characters and words --------------------------------------------------------------


def _whole_characters(text: str, start: int, end: int) -> bool:
    return cluster_start(text, start) == start and cluster_end(text, end) == end


def _word_edges(text: str, start: int, end: int) -> bool:
    """No word of the text runs on across either end of ``[start, end)``."""
    if start > 0 and _base_is_word(text, start - 1) and is_word_char(text[start]):
        return False
    return not (end < len(text) and _base_is_word(text, end - 1) and is_word_char(text[end]))


def _base_is_word(text: str, i: int) -> bool:
    """Is the user-perceived character that holds ``text[i]`` a letter, digit or ``_``?"""
    return is_word_char(text[cluster_start(text, i)])
