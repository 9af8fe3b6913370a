"""The one border between code points (our unit) and Qt's UTF-16 positions.

Characters outside the Basic Multilingual Plane (emoji, many historic scripts) take
two UTF-16 units and one code point; every other character takes one of each. The
map stores the code-point positions of those astral characters and converts with
``bisect``; a text without any is the identity and costs nothing.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Convert positions in one text between code points and UTF-16 units."""

    __slots__ = ("_astral_cp", "_astral_u16", "length", "length_utf16")

    def __init__(self, text: str) -> None:
        cps = array("q", (m.start() for m in _ASTRAL.finditer(text)))
        self._astral_cp = cps
        # UTF-16 position of the k-th astral character: its code point position plus k.
        self._astral_u16 = array("q", (cp + k for k, cp in enumerate(cps)))
        self.length = len(text)
        self.length_utf16 = len(text) + len(cps)

    @property
    def is_identity(self) -> bool:
        return not self._astral_cp

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point position *cp* (0 <= cp <= length)."""
        if not self._astral_cp:
            return cp
        return cp + bisect_left(self._astral_cp, cp)

    def to_codepoint(self, u16: int, *, round_up: bool = False) -> int:
        """Code-point position of UTF-16 position *u16*.

        A position inside a surrogate pair is moved to the start of its character,
        or to its end with ``round_up``.
        """
        if not self._astral_u16:
            return u16
        k = bisect_right(self._astral_u16, u16) - 1  # last astral char starting <= u16
        if k < 0:
            return u16
        start = self._astral_u16[k]
        if u16 == start + 1:  # between the two halves of a pair
            return self._astral_cp[k] + (1 if round_up else 0)
        # characters before: k+1 astral ones fully before u16 when u16 >= start + 2
        before = k + 1 if u16 >= start + 2 else k
        return u16 - before
