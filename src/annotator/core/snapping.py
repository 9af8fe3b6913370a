"""Where a selection should really start and end.

An analyst drags roughly; the span stored should start and end on whole words, never
on whitespace, and never split a user-perceived character (a base letter and its
combining marks, an emoji with its skin tone or zero-width-joiner sequence, a flag).
"""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"


def is_extender(ch: str) -> bool:
    """True for characters that belong to the character before them."""
    if ch == ZWJ or "\ufe00" <= ch <= "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff":
        return True
    if "\U000e0020" <= ch <= "\U000e007f":  # emoji tag sequences
        return True
    return unicodedata.category(ch) in ("Mn", "Mc", "Me")


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or is_extender(ch)


def cluster_start(text: str, i: int) -> int:
    """Move *i* left until it does not split a user-perceived character."""
    while 0 < i < len(text) and (is_extender(text[i]) or text[i - 1] == ZWJ):
        i -= 1
    if 0 < i < len(text) and _regional(text[i]) and _regional(text[i - 1]):
        # inside a flag when an odd number of regional indicators precede
        k = i
        while k > 0 and _regional(text[k - 1]):
            k -= 1
        if (i - k) % 2 == 1:
            i -= 1
    return i


def cluster_end(text: str, i: int) -> int:
    """Move *i* right until it does not split a user-perceived character."""
    n = len(text)
    while 0 < i < n and (is_extender(text[i]) or text[i - 1] == ZWJ):
        i += 1
    if 0 < i < n and _regional(text[i]) and _regional(text[i - 1]):
        k = i
        while k > 0 and _regional(text[k - 1]):
            k -= 1
        if (i - k) % 2 == 1:
            i += 1
    return i


def _regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def snap(text: str, start: int, end: int, *, words: bool = True) -> tuple[int, int]:
    """The span to store for a selection ``[start, end)`` of *text*.

    With *words*, a partly selected word is taken whole. Whitespace at either end is
    always dropped, and user-perceived characters are never split. Returns
    ``(start, start)`` when nothing but whitespace was selected.
    """
    n = len(text)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    if start > end:
        start, end = end, start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, start
    if words:
        while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
            start -= 1
        while end < n and is_word_char(text[end - 1]) and is_word_char(text[end]):
            end += 1
    start, end = cluster_start(text, start), cluster_end(text, end)
    # a combining mark on a space belongs to the space: drop such clusters at the edges
    while start < end and text[start].isspace():
        start = cluster_end(text, start + 1)
    while end > start and text[end - 1].isspace():
        end = cluster_start(text, end - 1)
    if words:
        start, end = _drop_lone_quote(text, start, end)
    return (start, end) if start < end else (start, start)


def is_quote(ch: str) -> bool:
    """Quotation marks and brackets (« » “ ” ( ) [ ] ...)."""
    return ch in "\"'" or unicodedata.category(ch) in ("Pi", "Pf", "Ps", "Pe")


def _drop_lone_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """A quotation mark or bracket at an edge whose partner is not in the span is
    dropped (a double-clicked word takes no closing guillemet), with the space it
    leaves; a quoted phrase selected whole («...») keeps both marks."""
    for _ in range(2):
        if start < end and sum(is_quote(c) for c in text[start:end]) == 1:
            if is_quote(text[end - 1]):
                end -= 1
            elif is_quote(text[start]):
                start += 1
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
    return start, end


def trim_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without what is not part of a word at either edge (quotation
    marks, punctuation, spaces): a double-clicked word, without the guillemets Qt's
    word selection takes along in Arabic. Unchanged when no word is inside."""
    a, b = start, end
    while a < b and not is_word_char(text[a]):
        a += 1
    while b > a and not is_word_char(text[b - 1]):
        b -= 1
    return (cluster_start(text, a), cluster_end(text, b)) if a < b else (start, end)


def excerpt(text: str, limit: int = 80) -> str:
    """*text* on one line, cut at a word with an ellipsis when longer than *limit*."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # at a word boundary not too far back; in one long word, at a whole character
    cut = cut[:space] if space >= limit // 2 else cut[: cluster_start(text, len(cut))]
    return cut.rstrip(" ,;:") + "…"


def next_word_end(text: str, i: int) -> int:
    """End of the next word after *i* (for widening a span by a word)."""
    n = len(text)
    while i < n and not is_word_char(text[i]):
        i += 1
    while i < n and is_word_char(text[i]):
        i += 1
    return i


def prev_word_start(text: str, i: int) -> int:
    """Start of the word before *i* (for widening a span to the left by a word)."""
    while i > 0 and not is_word_char(text[i - 1]):
        i -= 1
    while i > 0 and is_word_char(text[i - 1]):
        i -= 1
    return i


def resized(text: str, start: int, end: int, edge: str, direction: int) -> tuple[int, int]:
    """``[start, end)`` with its *edge* (``"start"`` or ``"end"``) moved by one word:
    outwards when *direction* > 0, inwards otherwise (never below one word)."""
    if edge == "end":
        return start, next_word_end(text, end) if direction > 0 else shrink_end(text, start, end)
    return prev_word_start(text, start) if direction > 0 else shrink_start(text, start, end), end


def shrink_end(text: str, start: int, end: int) -> int:
    """Drop the last word of ``[start, end)`` and what separates it from the word
    before (spaces, a comma): the inverse of :func:`next_word_end` (never below one word)."""
    new = prev_word_start(text, end)
    while new > start and not is_word_char(text[new - 1]):
        new -= 1
    return new if new > start else end


def shrink_start(text: str, start: int, end: int) -> int:
    """Drop the first word of ``[start, end)`` and what follows it up to the next word:
    the inverse of :func:`prev_word_start` (never below one word)."""
    new = next_word_end(text, start)
    while new < end and not is_word_char(text[new]):
        new += 1
    return new if new < end else start
