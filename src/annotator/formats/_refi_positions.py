"""How a REFI-QDA file counts its selections' positions, decided per file by evidence.

Programs count ``startPosition``/``endPosition`` differently (docs/formats-refi-qda.md):

- MAXQDA and Annotator: code points of the source text as stored, CRLF counting two;
- NVivo: UTF-16 units (its .NET strings), CRLF counting two; QualCoder: its editor's
  UTF-16 units;
- QualCoder's "line endings for MAXQDA" export and ATLAS.ti: CRLF in the stored text
  but positions counted as if each line end were one character.

A :class:`Reading` is one such way; :func:`decide` picks the one of a file from the
program's ``origin`` (the first guess) and verifies it by evidence: a selection's
``name``, when it holds the covered text, must match under the right reading; without
such names, span edges fall on word boundaries far more often under the right reading.
When the names contradict every reading, the file is refused with the evidence.
Conversions to code points go through :class:`annotator.core.offsets.OffsetMap`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core.errors import FormatError
from annotator.core.offsets import OffsetMap
from annotator.core.text import normalise


@dataclass(frozen=True)
class Reading:
    utf16: bool  # positions in UTF-16 units (else code points)
    lf: bool  # a CRLF line end counts one (else two, as stored)

    def unit(self) -> str:
        return "UTF-16 units" if self.utf16 else "code points"

    def line_rule(self) -> str:
        return "CRLF counted as one character" if self.lf else "CRLF counted as two characters"

    def describe(self) -> str:
        return f"{self.unit()}, {self.line_rule()}"


CODE_POINTS = Reading(utf16=False, lf=False)
UTF16 = Reading(utf16=True, lf=False)
CODE_POINTS_LF = Reading(utf16=False, lf=True)
UTF16_LF = Reading(utf16=True, lf=True)


def first_guess(origin: str) -> tuple[Reading, ...]:
    """The readings in the order the writing program makes likely."""
    name = origin.casefold()
    if "nvivo" in name:
        return (UTF16, UTF16_LF, CODE_POINTS, CODE_POINTS_LF)
    if "qualcoder" in name:  # its editor's positions (Qt), CRLF as one when it wrote CRLF
        return (UTF16, UTF16_LF, CODE_POINTS, CODE_POINTS_LF)
    if "atlas" in name:
        return (CODE_POINTS_LF, CODE_POINTS, UTF16_LF, UTF16)
    return (CODE_POINTS, CODE_POINTS_LF, UTF16, UTF16_LF)


class SourceText:
    """A source's text as the file holds it and the map from each reading's positions
    to positions in the normalised text (normalisation drops a leading BOM and the
    ``\\r`` of each ``\\r\\n``; every other character keeps its place)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalise(raw)
        self._bom = raw.startswith("\ufeff")
        self._crlf = [m.start() for m in re.finditer("\r\n", raw)]  # the \r of each
        self._removed = ([0] if self._bom else []) + self._crlf
        self._maps: dict[bool, OffsetMap] = {}

    @property
    def has_crlf(self) -> bool:
        return bool(self._crlf)

    def _map(self, lf: bool) -> OffsetMap:
        if lf not in self._maps:
            self._maps[lf] = OffsetMap(self.raw.replace("\r\n", "\n") if lf else self.raw)
        return self._maps[lf]

    def has_astral(self) -> bool:
        return not self._map(False).is_identity

    def length(self, reading: Reading) -> int:
        counted = self._map(reading.lf)
        return counted.length_utf16 if reading.utf16 else counted.length

    def to_normalised(self, reading: Reading, start: int, end: int) -> tuple[int, int]:
        """``(start, end)`` in the normalised text of positions read with *reading*
        (a UTF-16 position inside a surrogate pair widens the span to the whole character)."""
        if reading.utf16:
            counted = self._map(reading.lf)
            start, end = counted.to_codepoint(start), counted.to_codepoint(end, round_up=True)
        return self._normalised(reading.lf, start), self._normalised(reading.lf, end)

    def _normalised(self, lf: bool, offset: int) -> int:
        if lf:  # only the BOM is not in the counted text's normalised form
            return offset - 1 if self._bom and offset > 0 else offset
        return offset - bisect_left(self._removed, offset)


@dataclass
class Position:
    """One selection's positions as written, and its name (empty when it has none)."""

    what: str  # "selection GUID in source 'title'", for messages
    start: int
    end: int
    name: str


@dataclass
class Tally:
    reading: Reading
    fits: bool = True
    outside: str = ""  # the first selection outside the text, when it does not fit
    names: int = 0  # selections whose name matches the covered text
    edges: int = 0  # span edges on word boundaries
    matched: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Decision:
    reading: Reading
    evidence: str  # why, for the import report
    crlf: bool = True  # whether the texts have CRLF line ends (else the rule does not matter)

    def assumed(self) -> str:
        how = self.reading.describe() if self.crlf else f"{self.reading.unit()}, LF line ends"
        return f"REFI-QDA positions read as {how} ({self.evidence})"


def _flat(text: str) -> str:
    return " ".join(text.replace("\u2029", "\n").split())


def name_matches(name: str, covered: str) -> bool:
    """Does a selection's *name* hold its covered text (white space aside; a name may be
    cut short with ``…`` or ``...``)?"""
    flat_name, flat_text = _flat(name), _flat(covered)
    if not flat_name or not flat_text:
        return False
    if flat_name == flat_text:
        return True
    for mark in ("…", "..."):
        if flat_name.endswith(mark):
            head = flat_name[: -len(mark)].rstrip()
            return len(head) >= 3 and flat_text.startswith(head)
    return False


def _on_boundary(text: str, offset: int) -> bool:
    """Is *offset* outside a word (not between two letters or digits)?"""
    if offset <= 0 or offset >= len(text):
        return True
    return not (text[offset - 1].isalnum() and text[offset].isalnum())


def _tally(reading: Reading, sources: Sequence[tuple[SourceText, Sequence[Position]]]) -> Tally:
    tally = Tally(reading)
    n = 0
    for text, positions in sources:
        length = text.length(reading)
        for p in positions:
            n += 1
            if not 0 <= p.start < p.end <= length:
                if tally.fits:
                    tally.outside = f"{p.what} ends at {p.end}, past the text's {length}"
                tally.fits = False
                continue
            start, end = text.to_normalised(reading, p.start, p.end)
            tally.edges += _on_boundary(text.text, start) + _on_boundary(text.text, end)
            if p.name and name_matches(p.name, text.text[start:end]):
                tally.names += 1
                tally.matched.add(n)
    return tally


def decide(
    file_name: str, origin: str, sources: Sequence[tuple[SourceText, Sequence[Position]]]
) -> Decision:
    """The reading of this file's positions, or :class:`FormatError` with the evidence."""
    guesses = first_guess(origin)
    said = f"origin '{origin}'" if origin else "no origin given"
    total = sum(len(p) for _t, p in sources)
    astral = any(t.has_astral() for t, p in sources if p)
    crlf = any(t.has_crlf for t, p in sources if p)
    # Readings that cannot differ in this file are one reading (the likelier one).
    distinct: list[Reading] = []
    for r in guesses:
        if not any(
            (g.utf16 == r.utf16 or not astral) and (g.lf == r.lf or not crlf) for g in distinct
        ):
            distinct.append(r)
    tallies = [_tally(r, sources) for r in distinct]
    fitting = [t for t in tallies if t.fits]
    if not fitting:
        raise FormatError(
            f"{file_name}: the positions fit no way of counting them: "
            + "; ".join(f"as {t.reading.describe()}, {t.outside}" for t in tallies)
        )
    if total == 0 or len(distinct) == 1:
        return Decision(
            distinct[0], f"{said}; every way of counting gives the same positions", crlf
        )
    named = set().union(*(t.matched for t in tallies))  # names that hold text somehow
    if named:
        best = max(fitting, key=lambda t: (t.names, -guesses.index(t.reading)))
        if best.names < 0.9 * len(named):  # the right reading matches all but chance ones
            raise FormatError(
                f"{file_name}: no way of counting positions fits the selections' names: "
                + "; ".join(
                    f"as {t.reading.describe()}, {t.names} of {len(named)} names match"
                    + ("" if t.fits else f" but {t.outside}")
                    for t in tallies
                )
            )
        others = [t for t in fitting if t is not best and t.names < best.names]
        why = f"{said}; the names of {best.names} of {total} selections match the covered text"
        if others:
            worst = min(others, key=lambda t: t.names)
            why += f", {worst.names} as {worst.reading.describe()}"
        return Decision(best.reading, why, crlf)
    likely = fitting[0]
    best = max(fitting, key=lambda t: (t.edges, -guesses.index(t.reading)))
    if best is not likely and best.edges >= 1.5 * likely.edges and best.edges - likely.edges >= 3:
        return Decision(
            best.reading,
            f"{said}; no selection names hold the text, and {best.edges} of {2 * total} span "
            f"edges fall on word boundaries ({likely.edges} as {likely.reading.describe()})",
            crlf,
        )
    return Decision(
        likely.reading,
        f"{said}; no selection names hold the text, and word boundaries do not say otherwise",
        crlf,
    )
