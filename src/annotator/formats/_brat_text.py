"""The small codecs of brat standoff: notes with escapes, spans cut into fragments at
line breaks, the text field, and file names made from titles (see :mod:`.brat`)."""

from __future__ import annotations

import re
import unicodedata

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TO_SPACE = str.maketrans(dict.fromkeys(LINE_BREAKS, " "))
_NOTE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NOTE_UNESCAPE = re.compile(r"\\(\\|n|r|t|u[0-9a-fA-F]{4})")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_NAME_BYTES = 255  # a file name on every common file system, in UTF-8 bytes
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')

# -- small codecs --------------------------------------------------------------------


def escape_note(note: str) -> str:
    out = []
    for ch in note:
        if ch in _NOTE_ESCAPES:
            out.append(_NOTE_ESCAPES[ch])
        elif ch in LINE_BREAKS:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def unescape_note(text: str) -> str:
    """The note as written by :func:`escape_note`; a ``\\uXXXX`` pair of surrogates is
    the character they encode, and an unpaired one (not text: SQLite cannot store it)
    raises :class:`UnicodeError`."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("u"):
            return chr(int(code[1:], 16))
        return {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}[code]

    note = _NOTE_UNESCAPE.sub(one, text)
    if _SURROGATE.search(note):  # pairs joined; UnicodeDecodeError for a lone one
        note = note.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return note


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` split at the runs of ``\\n`` strictly inside it."""
    out, at = [], start
    for m in re.finditer("\n+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        if s > start and e < end:
            out.append((at, s))
            at = e
    out.append((at, end))
    return out


def text_field(text: str, parts: list[tuple[int, int]]) -> str:
    return " ".join(text[s:e] for s, e in parts).translate(_TO_SPACE)


def safe_title(title: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """*title* as a file name: unsafe characters replaced, at most 80 characters and
    *max_bytes* bytes of UTF-8, cut where a character (as the reader sees it) ends."""
    cleaned = " ".join(_UNSAFE_NAME.sub("_", title).split()).strip(" .")
    return cut_utf8(cleaned[:80], max_bytes).rstrip(" .") or "document"


# What continues the character before it: a cut must not fall just before one.
_JOINING = re.compile(
    "[\u0300-\u036f\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
    "\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def _continues(ch: str) -> bool:
    return bool(_JOINING.match(ch)) or unicodedata.category(ch) in ("Mn", "Mc", "Me")


def _regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def cut_utf8(text: str, max_bytes: int) -> str:
    """The longest start of *text* of at most *max_bytes* UTF-8 bytes that ends where a
    user-perceived character ends: never inside a character, before a combining mark,
    variation selector, skin tone or tag, after a zero-width joiner, or between the
    two halves of a flag."""
    if len(text.encode("utf-8", "surrogatepass")) <= max_bytes:
        return text
    end = size = 0
    for ch in text:
        size += len(ch.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            break
        end += 1
    while end > 0 and (_continues(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    run = end
    while run > 0 and _regional(text[run - 1]):
        run -= 1
    if _regional(text[end]) and (end - run) % 2:
        end -= 1  # half a flag
    return text[:end]
