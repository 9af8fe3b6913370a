"""Text made safe to print on a terminal, for every human-readable CLI output.

Titles, names, notes and file names come from documents and from other people's
files: a title holding ``ESC[2J`` would clear the screen, a newline would forge a line
of the report, a right-to-left override would reorder what follows it. :func:`for_terminal`
shows each such character visibly as an escape (``\\x1b``, ``\\n``, ``\\u202e``) and leaves
everything else as it is (accents, emoji with their joiners, Arabic and Hebrew). The data
itself is never changed: CSV, JSON and every export stay exact; only what is shown on a
terminal goes through this function.

Also shown as escapes: lone surrogates, which is how Python hands over bytes that are not
UTF-8 in file names and arguments (``\\udce9`` is shown as ``\\xe9``, the byte it stands
for), so printing never fails with ``UnicodeEncodeError``.
"""

from __future__ import annotations

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

# Embedding, override and isolate controls (the "Trojan Source" set): they reorder the
# text that follows them on screen. Marks (LRM, RLM, ALM) are kept: they only nudge
# neutral characters and real Arabic and Hebrew text uses them.
_BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))


def _escape(code: int) -> str:
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _table() -> dict[int, str]:
    codes = [
        *range(0x00, 0x20),  # C0 controls, ESC among them
        0x7F,  # DEL
        *range(0x80, 0xA0),  # C1 controls (0x9B is a one-byte CSI)
        0x2028,  # line separator
        0x2029,  # paragraph separator
        *_BIDI_CONTROLS,
        *range(0xD800, 0xE000),  # lone surrogates
    ]
    return {code: _NAMED.get(chr(code)) or _escape(code) for code in codes}


_TABLE = _table()


def for_terminal(text: str) -> str:
    """*text* with every control, bidi override and lone surrogate shown as an escape."""
    if text.isprintable():  # the common case: nothing to escape (one C-level pass)
        return text
    return text.translate(_TABLE)
