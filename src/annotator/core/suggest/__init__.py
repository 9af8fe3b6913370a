"""Suggested spans: where they come from and how good they are (no Qt, no store).

Each source turns plain data (texts, their spans, actor names) into
:class:`Suggestion` rows: :mod:`.like_before` finds again what was annotated before,
:mod:`.learned` trains scikit-learn models on the project's own annotations,
:mod:`.pretrained` runs a spaCy pipeline the user has installed, and
:mod:`.evaluation` measures each source like a coder (precision, recall, F1).
Nothing here reads the network.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES: tuple[str, ...] = ("like-before", "learned", "pretrained")


@dataclass(frozen=True)
class Suggestion:
    """A suggested span ``[start, end)`` (code points) with *label*, *score* in [0, 1]
    and the *source* it came from."""

    start: int
    end: int
    label: str
    score: float
    source: str


@dataclass(frozen=True)
class Example:
    """A document's text and its annotated spans ``(start, end, label)``: what the
    sources learn from and are measured against."""

    key: int  # the document's id
    text: str
    spans: tuple[tuple[int, int, str], ...]
