"""How the window words things: excerpts of the text in messages, and counts."""

from __future__ import annotations

from annotator.core.snapping import excerpt

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate


def isolated(text: str) -> str:
    """*text* bidi-isolated: an Arabic or Hebrew excerpt does not reorder what follows
    it on the line (its offsets, a label name)."""
    return f"{FSI}{text}{PDI}"


def quoted(text: str, limit: int = 80) -> str:
    """An excerpt of *text* in quotation marks: one line, cut at a word with an
    ellipsis, bidi-isolated."""
    return f"“{isolated(excerpt(text, limit))}”"


def plural(n: int, one: str, many: str) -> str:
    """``one`` or ``many`` (each with ``%d``) for *n*: "1 document", "2 documents"."""
    return (one if n == 1 else many) % n
