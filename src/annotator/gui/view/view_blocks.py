"""The text as the document view shows it: long paragraphs split, paragraphs spaced.

Qt lays out and re-lays out a whole block (paragraph) at a time: painting a 5 MB
one-paragraph text costs over 100 ms however little of it is on screen, and setting a
span's formats re-lays out all of it (seconds). So the view shows the text with
display-only block breaks:

- a paragraph longer than :data:`MAX_BLOCK` code points is cut into pieces of at most
  that length, after a sentence end or a space where there is one (never between a
  character and its combining marks or inside an emoji sequence);
- with paragraph spacing on, an empty *spacer* block (drawn in a small font, so it is a
  fraction of a line high) sits between two non-empty paragraphs.

Nothing else differs from the stored text. :class:`DisplayMap` converts positions:
code points (the store's unit) to the view's Qt positions (UTF-16 units through the
document's :class:`OffsetMap`, plus the display-only breaks before them) and back.
A position on an inserted break maps to the code point where the next piece starts.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from annotator.core.offsets import OffsetMap

MAX_BLOCK = 3000  # code points in one displayed block at most
LOOK_BACK = 1000  # how far back from the limit a piece may end at a sentence or a space
_JOINERS = frozenset("\u200d\u200c\ufe0e\ufe0f\u034f")


def _bad_cut(text: str, cut: int) -> bool:
    """True when cutting before ``text[cut]`` would split what is drawn as one."""
    ch = text[cut]
    return (
        unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch in _JOINERS
        or text[cut - 1] in _JOINERS
        or "\U0001f3fb" <= ch <= "\U0001f3ff"  # skin tones
        or "\U000e0020" <= ch <= "\U000e007f"  # tag sequences (flags)
        or ("\U0001f1e6" <= ch <= "\U0001f1ff" and "\U0001f1e6" <= text[cut - 1] <= "\U0001f1ff")
    )


def piece_ends(text: str, start: int, end: int, limit: int = MAX_BLOCK) -> list[int]:
    """Where the paragraph ``text[start:end]`` is cut for display (code points, each a
    position where a new piece starts; empty when it fits in one block)."""
    cuts: list[int] = []
    s = start
    while end - s > limit:
        hi = s + limit
        lo = max(s + 1, hi - LOOK_BACK)
        dot = text.rfind(". ", lo, hi)
        if dot >= 0:
            cut = dot + 2
        else:
            space = text.rfind(" ", lo, hi)
            cut = space + 1 if space >= 0 else hi
        while cut < end and _bad_cut(text, cut):
            cut += 1
        if cut >= end:
            break
        cuts.append(cut)
        s = cut
    return cuts


def _strong_direction(text: str, start: int, end: int) -> str:
    """'R' or 'L' for the first strong character of ``text[start:end]``, '' if none."""
    for i in range(start, min(end, start + 2000)):
        kind = unicodedata.bidirectional(text[i])
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return ""


@dataclass(frozen=True)
class Display:
    """The displayed text and what the view needs to format its blocks."""

    text: str
    map: DisplayMap
    spacers: list[int]  # Qt positions of the (empty) spacer blocks
    directions: list[tuple[int, str]]  # (Qt position, 'L'/'R') of pieces to keep aligned


class DisplayMap:
    """Convert between code points in the stored text and Qt positions in the view."""

    __slots__ = ("_at", "_breaks", "length", "offsets")

    def __init__(self, offsets: OffsetMap, breaks: array[int] | None = None) -> None:
        self.offsets = offsets
        # UTF-16 positions (in the stored text) where a display-only break is inserted
        self._breaks = breaks if breaks is not None else array("q")
        # the Qt positions of those breaks
        self._at = array("q", (p + k for k, p in enumerate(self._breaks)))
        self.length = offsets.length

    @property
    def is_identity(self) -> bool:
        return self.offsets.is_identity and not self._breaks

    @property
    def inserted(self) -> int:
        """How many display-only breaks the view's text has."""
        return len(self._breaks)

    def is_inserted(self, qt: int) -> bool:
        """True when Qt position *qt* holds a display-only break."""
        i = bisect_left(self._at, qt)
        return i < len(self._at) and self._at[i] == qt

    def to_utf16(self, cp: int) -> int:
        """The Qt position of code point *cp* (after any break inserted there)."""
        u = self.offsets.to_utf16(cp)
        return u + bisect_right(self._breaks, u) if self._breaks else u

    def to_utf16_end(self, cp: int) -> int:
        """The Qt position where a range ending at *cp* ends (before a break inserted
        there, so that the range stays in its block)."""
        u = self.offsets.to_utf16(cp)
        return u + bisect_left(self._breaks, u) if self._breaks else u

    def to_codepoint(self, qt: int, *, round_up: bool = False) -> int:
        """The code point at Qt position *qt* (see :meth:`OffsetMap.to_codepoint`)."""
        if self._breaks:
            qt -= bisect_left(self._at, qt)
        return self.offsets.to_codepoint(qt, round_up=round_up)


def display(text: str, *, spacing: bool = True, limit: int = MAX_BLOCK) -> Display:
    """The view's text for *text*: pieces of at most *limit* code points and, with
    *spacing*, a spacer block between non-empty paragraphs."""
    offsets = OffsetMap(text)
    cuts: list[int] = []  # code points where a display-only break goes
    spacer_cuts: list[int] = []
    keep: list[tuple[int, str]] = []  # (code point, direction) of pieces to align
    n = len(text)
    s = 0
    while s <= n:
        e = text.find("\n", s)
        if e < 0:
            e = n
        if e - s > limit:
            pieces = piece_ends(text, s, e, limit)
            if pieces:
                direction = _strong_direction(text, s, e) or "L"
                for cut in pieces:
                    if _strong_direction(text, cut, e) not in ("", direction):
                        keep.append((cut, direction))
                cuts += pieces
        if spacing and e + 1 < n and e > s and text[e + 1] != "\n":
            cuts.append(e + 1)
            spacer_cuts.append(e + 1)
        s = e + 1
    if not cuts:
        return Display(text, DisplayMap(offsets), [], [])
    parts = []
    previous = 0
    for cut in cuts:
        parts.append(text[previous:cut])
        previous = cut
    parts.append(text[previous:])
    shown = "\n".join(parts)
    breaks = (
        array("q", map(offsets.to_utf16, cuts)) if not offsets.is_identity else array("q", cuts)
    )
    dmap = DisplayMap(offsets, breaks)
    # a spacer block starts at its break's Qt position (it holds no character)
    spacers = [dmap.to_utf16_end(c) for c in spacer_cuts]
    directions = [(dmap.to_utf16(c), d) for c, d in keep]
    return Display(shown, dmap, spacers, directions)
