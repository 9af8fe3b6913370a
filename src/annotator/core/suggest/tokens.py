"""Words and sentences with their code-point offsets (shared by the sources)."""

from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = re.compile(r"\w+(?:[’'\-]\w+)*|[^\w\s]", re.UNICODE)
# a sentence ends at . ! ? (and closing quotes/brackets after them) before white space,
# or at a line break
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*(?=\s)|\n")


def tokens(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word and punctuation mark of *text*."""
    return [m.span() for m in _WORD.finditer(text)]


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every sentence of *text*, white space trimmed, none empty."""
    begin = 0
    for m in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, begin, m.end())
        begin = m.end()
    yield from _trimmed(text, begin, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
