"""Decoding and normalisation of document text (DESIGN.md, "Text and offsets").

The normalised text is what every offset indexes: decoded, BOM dropped, and
``\\r\\n``, ``\\r``, U+2028 and U+2029 turned into ``\\n``. Nothing else changes.
"""

from __future__ import annotations

import codecs
import hashlib
import re

from annotator.core.errors import FormatError

_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029")
# Control characters that never occur in prose; tab, newline, CR and form feed do.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalise(text: str) -> str:
    """Return *text* with a leading BOM dropped and every line break made ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _LINE_BREAKS.sub("\n", text)


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of a normalised text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def decode(data: bytes, name: str = "file") -> tuple[str, str]:
    """Decode *data* to text and return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken as they are; any
    other encoding is detected with charset-normalizer. Empty and binary input raise
    :class:`FormatError` naming *name*.
    """
    if not data.strip():
        raise FormatError(f"{name} is empty: there is no text to import")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"{name} starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start})"
                ) from None
    if b"\x00" in data:
        raise FormatError(f"{name} looks like a binary file, not text (it contains NUL bytes)")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _detect(data, name)
    if len(_CONTROL.findall(text[:65536])) > max(2, len(text[:65536]) // 200):
        raise FormatError(f"{name} looks like a binary file, not text")
    return text, encoding


# A Latin-1 symbol between two letters betrays a Central European (cp1250) text
# read as cp1252: "wi³asny" for "własny".
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][\u00a1-\u00bf\u00d7\u00f7][^\W\d_]")


def _looks_western(text: str) -> bool:
    """True when a cp1252 reading is plausible: mostly ASCII letters, accents here and
    there (Cyrillic read as cp1252 is nearly all accents), no symbols inside words."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    accented = sum(1 for c in letters if not c.isascii())
    return accented / len(letters) < 0.5 and not _SYMBOL_IN_WORD.search(text)


def _detect(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    # Windows-1252 is the legacy encoding of most Western news text, and the detector
    # often mistakes it for a Baltic or Central European code page: try it first.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _looks_western(western):
        return western, "cp1252"

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise FormatError(f"{name}: the text encoding could not be recognised")
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise FormatError(f"{name}: the text encoding could not be recognised") from None
